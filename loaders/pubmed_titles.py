"""PubMed title generation: write an article's title from its abstract (English).

Reads the title/abstract pairs of the NCBI disease corpus files (``NCBI{train,develop,test}
set_corpus.txt``, PubTator-like; ``reads_folder_of="ncbi_disease"``). Only the text lines
matter here: ``PMID|t|title`` and ``PMID|a|abstract``; NCBI writes them ``PMID |t| title``
with one space on either side of the marker, and that space belongs to the marker (mention
offsets count from the title's first character). Mention lines (``PMID<TAB>start<TAB>...``) and
blank lines are skipped. Any inline ``<category="...">``/``</category>`` mention tags (used by
NCBI's tagged release, none in the sample) are removed so both texts are plain.

The minimal reader below is deliberately separate from ``formats/pubtator.py``: it needs only
the two text lines. A title without an abstract, an abstract without its title, and a PMID
seen twice in a split are rejected (the NCBI training file repeats PMID 8528200).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from biocurate.errors import ConversionError
from biocurate.schemas import T2TRecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader

_TEXT_LINE = re.compile(r"^(\d+)( ?)\|([ta])\|\2(.*)$")
_TAG = re.compile(r"</?category\b[^>]*>")


def iter_title_abstract(path: Path) -> Iterator[tuple[int, str, str | None, str | None]]:
    """Yield ``(line of |t|, PMID, title, abstract)`` per document; title or abstract is
    ``None`` when its line is missing (the line is then that of the lone ``|a|``)."""
    current: list = []  # [line, pmid, title, abstract]
    with open(path, encoding="utf-8-sig") as handle:
        for number, text in enumerate(handle, start=1):
            match = _TEXT_LINE.match(text.rstrip("\r\n"))
            if not match:
                continue
            pmid, kind, body = match.group(1), match.group(3), match.group(4)
            if kind == "t" or not current or current[1] != pmid or current[3] is not None:
                if current:
                    yield tuple(current)
                current = [number, pmid, None, None]
            current[2 if kind == "t" else 3] = body
    if current:
        yield tuple(current)


def plain(text: str) -> str:
    """``text`` without inline ``<category>`` tags and surrounding whitespace."""
    return _TAG.sub("", text).strip()


@register_loader
class PubMedTitles(Loader):
    meta = DatasetMeta(
        name="pubmed_titles",
        display_name="PubMed title generation (NCBI disease abstracts)",
        description="Title generation from PubMed abstracts, using the title/abstract pairs of the NCBI disease corpus.",
        languages=["en"],
        tasks=["title_gen"],
        schema="t2t",
        license="unknown",
        citation="""@article{dogan2014ncbi,
  title = {{NCBI} disease corpus: a resource for disease name recognition and concept normalization},
  author = {Do{\\u{g}}an, Rezarta Islamaj and Leaman, Robert and Lu, Zhiyong},
  journal = {Journal of Biomedical Informatics},
  volume = {47},
  pages = {1--10},
  year = {2014},
  doi = {10.1016/j.jbi.2013.12.006}
}""",
        homepage="https://www.ncbi.nlm.nih.gov/CBBresearch/Dogan/DISEASE/",
        splits={
            "train": "*NCBItrainset_corpus.txt",
            "validation": "*NCBIdevelopset_corpus.txt",
            "test": "*NCBItestset_corpus.txt",
        },
        manual_download="Download NCBItrainset_corpus.zip, NCBIdevelopset_corpus.zip and NCBItestset_corpus.zip from https://www.ncbi.nlm.nih.gov/CBBresearch/Dogan/DISEASE/ and unzip them into the ncbi_disease data directory.",
        aliases=["pubmed_title_generation"],
        pubmed=True,
        format_note="|t| and |a| lines of the NCBI disease corpus files (PMID |t| title, spaces around the marker allowed).",
        reads_folder_of="ncbi_disease",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        seen: set[str] = set()
        for path in self.files_for(split):
            for line, pmid, title, abstract in iter_title_abstract(path):
                if pmid in seen:
                    yield self.reject(split, f"PMID {pmid} occurs twice in the split", stage="read", file=str(path), line=line, record=pmid, field="pmid")
                    continue
                seen.add(pmid)
                yield SourceItem({"title": title, "abstract": abstract}, str(path), line, pmid)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[T2TRecord]:
        for field, kind in (("title", "|t|"), ("abstract", "|a|")):
            if item.data[field] is None or not plain(item.data[field]):
                raise ConversionError(f"PMID {item.key} has no {kind} line (or it is empty)", field=field)
        yield T2TRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en", document_id=item.key,
            text_1=plain(item.data["abstract"]), text_2=plain(item.data["title"]), text_1_name="abstract", text_2_name="title",
        )
