"""Hallmarks of Cancer (HoC): PubMed abstracts labelled with the hallmarks of cancer they discuss.

Raw format (github.com/sb895/Hallmarks-of-Cancer): ``text/<PMID>.txt`` holds one tokenised
sentence per line; ``labels/<PMID>.txt`` is a single line (no trailing newline) with one
field per sentence, each field *preceded* by ``<`` (``"< < <X AND Y< "``: the text before the
first ``<`` is empty, and the number of ``<`` equals the number of sentences). A field is
blank, ``NULL``, or hierarchical labels ``Hallmark--Sub-class[--...]`` joined by ``AND`` with
irregular spacing (``"...--Receptors ANDSustaining ..."``). BigBio reads the fields the same
way (``split("<")[1:]``); the sample's PROVENANCE calls the ``<`` a terminator, but only the
preceding reading puts e.g. the proliferative-signalling labels of 11724768 on its
proliferation sentence.

Mapping: one multi-label record per abstract (BigBio makes one per sentence): text is the
sentences joined by spaces (tokenisation kept), labels the distinct top-level hallmarks of all
its sentences, lowercased as in BigBio, in :data:`HALLMARKS` order; an abstract without any
hallmark has no labels (BigBio's ``"none"``). The repository has no split; every document is
``train`` (BLURB's train/dev/test PMID lists are not part of the raw files).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from biocurate.errors import ConversionError
from biocurate.schemas import TextRecord

from ._base import DatasetMeta, Deferred, Loader, Reject, SourceItem, resolve_item
from ._registry import register_loader
from .formats.common import read_text_file

#: The ten hallmarks (Hanahan & Weinberg 2011), lowercased as in BigBio.
HALLMARKS = [
    "sustaining proliferative signaling", "evading growth suppressors", "resisting cell death",
    "enabling replicative immortality", "inducing angiogenesis", "activating invasion and metastasis",
    "genomic instability and mutation", "tumor promoting inflammation", "cellular energetics",
    "avoiding immune destruction",
]


def parse_label_line(line: str) -> list[list[str]]:
    """Per-sentence top-level hallmarks of a labels line (``NULL``/blank fields give ``[]``)."""
    head, *fields = line.rstrip("\r\n").split("<")
    if head.strip():
        raise ConversionError(f"text {head.strip()[:40]!r} before the first '<'", field="labels")
    sentences = []
    for field in fields:
        labels = [part.strip() for part in field.split("AND")]
        sentences.append([lab.split("--")[0].strip().lower() for lab in labels if lab and lab != "NULL"])
    return sentences


@register_loader
class HallmarksOfCancer(Loader):
    meta = DatasetMeta(
        name="hallmarks_of_cancer",
        display_name="Hallmarks of Cancer (HoC)",
        description="1852 PubMed abstracts annotated sentence by sentence with the ten hallmarks of cancer; multi-label document classification.",
        languages=["en"],
        tasks=["tc"],
        schema="text",
        license="GPL-3.0-only",
        citation="""@article{baker2016automatic,
  title = {Automatic semantic classification of scientific literature according to the hallmarks of cancer},
  author = {Baker, Simon and Silins, Ilona and Guo, Yufan and Ali, Imran and H{\\"o}gberg, Johan and Stenius, Ulla and Korhonen, Anna},
  journal = {Bioinformatics},
  volume = {32},
  number = {3},
  pages = {432--440},
  year = {2016},
  doi = {10.1093/bioinformatics/btv585}
}""",
        homepage="https://github.com/sb895/Hallmarks-of-Cancer",
        splits={"train": "*text/*.txt"},
        manual_download="Download https://github.com/sb895/Hallmarks-of-Cancer/archive/refs/heads/master.zip and copy its text/ and labels/ folders into the data directory.",
        label_sets={"labels": HALLMARKS},
        aliases=["HoC", "hallmarks"],
        pubmed=True,
        bigbio_name="hallmarks_of_cancer",
        format_note="text/<PMID>.txt sentences + labels/<PMID>.txt '<'-preceded label fields; document level.",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        return map(resolve_item, self.read_deferred(split))

    def read_deferred(self, split: str) -> Iterator[Deferred]:
        # one item per text file, its two files opened only when resolved
        return (Deferred(self._document, split, text_path) for text_path in self.files_for(split))

    def _document(self, split: str, text_path: Path) -> SourceItem | Reject:
        # os.path, not pathlib: this runs once per document (84,000 files in the release)
        folder, name = os.path.split(text_path)
        label_path = os.path.join(os.path.dirname(folder), "labels", name)
        pmid = os.path.splitext(name)[0]
        try:
            label_line = read_text_file(label_path)
        except (FileNotFoundError, IsADirectoryError):
            return self.reject(split, f"no labels file for {name}", stage="read", file=label_path, record=pmid, field="labels")
        sentences = read_text_file(text_path).rstrip("\n").split("\n")
        return SourceItem({"sentences": sentences, "labels": label_line}, label_path, 1, pmid)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[TextRecord]:
        sentences = item.data["sentences"]
        per_sentence = parse_label_line(item.data["labels"])
        if len(per_sentence) != len(sentences):
            raise ConversionError(f"{len(per_sentence)} label fields for {len(sentences)} sentences", field="labels")
        found = {label for labels in per_sentence for label in labels}
        unknown = sorted(found - set(HALLMARKS))
        if unknown:
            raise ConversionError(f"unknown hallmark {unknown[0]!r}", field="labels")
        yield TextRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en",
            document_id=item.key, text=" ".join(s.strip() for s in sentences),
            labels=[h for h in HALLMARKS if h in found],
        )
