"""NCBI disease corpus: disease mentions in PubMed abstracts, normalised to MeSH and OMIM.

Raw format: the corpus's PubTator-like text files (``NCBItrainset_corpus.txt``,
``NCBIdevelopset_corpus.txt``, ``NCBItestset_corpus.txt``), read with
:mod:`loaders.formats.pubtator`: ``PMID|t|title`` and ``PMID|a|abstract`` lines (the first two
documents of the development file write ``PMID |t| title``), then
``PMID<TAB>start<TAB>end<TAB>mention<TAB>class<TAB>concept`` lines, offsets into
``title + " " + abstract``; the file starts with an empty line. (The corpus was also released
with inline ``<category="...">`` tags; that version is not what these files hold.)

Classes: SpecificDisease, DiseaseClass, Modifier, CompositeMention. The concept column holds a
MeSH id (``D012345``, supplementary ``C537849``) or ``OMIM:123456``, several joined by ``|``
(alternatives, composite mentions) or ``+`` (a conjunction of concepts); each id becomes its own
``normalized`` entry (``MESH``/``OMIM``), as in BigBio, and surrounding spaces are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from biocurate.schemas import Entity, KBRecord, Normalization, Passage

from biocurate.errors import ConversionError

from ._base import DatasetMeta, SourceFile, SourceItem
from ._pubtator import PubTatorLoader
from ._registry import register_loader
from .formats.pubtator import PubTatorDocument

ENTITY_TYPES = ["SpecificDisease", "DiseaseClass", "Modifier", "CompositeMention"]

CITATION = """@article{dogan2014ncbi,
  title = {{NCBI} disease corpus: a resource for disease name recognition and concept normalization},
  author = {Do{\\u{g}}an, Rezarta Islamaj and Leaman, Robert and Lu, Zhiyong},
  journal = {Journal of Biomedical Informatics},
  volume = {47},
  pages = {1--10},
  year = {2014},
  doi = {10.1016/j.jbi.2013.12.006}
}"""

_BASE = "https://www.ncbi.nlm.nih.gov/CBBresearch/Dogan/DISEASE/"
_ID = re.compile(r"^(?:(?P<db>OMIM|MESH):)?(?P<id>[A-Z]?\d+)$", re.IGNORECASE)


def concepts(raw: str) -> list[Normalization]:
    """Normalisations of a concept column (``D001943|D010051``, ``OMIM:300322+OMIM:102600``)."""
    found: dict[tuple[str, str], None] = {}
    for piece in re.split(r"[|+]", raw):
        piece = piece.strip()
        if not piece:
            continue
        match = _ID.match(piece)
        if not match:
            raise ValueError(f"concept id {piece!r} is neither MeSH (D012345, C012345) nor OMIM:123456")
        db = (match["db"] or ("OMIM" if match["id"].isdigit() else "MESH")).upper()
        found[(db, match["id"])] = None
    return [Normalization(db_name=db, db_id=i) for db, i in found]


@register_loader
class NCBIDisease(PubTatorLoader):
    meta = DatasetMeta(
        name="ncbi_disease",
        display_name="NCBI Disease",
        description=(
            "The NCBI disease corpus: 793 PubMed abstracts with disease mentions of four classes, "
            "normalised to MeSH and OMIM concepts."
        ),
        languages=["en"],
        tasks=["ner"],
        schema="kb",
        license="CC0-1.0",  # BigBio's ncbi_disease loader declares CC0 1.0
        citation=CITATION,
        homepage=_BASE,
        splits={
            "train": "*NCBItrainset_corpus.txt",
            "validation": "*NCBIdevelopset_corpus.txt",
            "test": "*NCBItestset_corpus.txt",
        },
        source_files=[
            SourceFile(url=f"{_BASE}NCBItrainset_corpus.zip", filename="NCBItrainset_corpus.zip"),
            SourceFile(url=f"{_BASE}NCBIdevelopset_corpus.zip", filename="NCBIdevelopset_corpus.zip"),
            SourceFile(url=f"{_BASE}NCBItestset_corpus.zip", filename="NCBItestset_corpus.zip"),
        ],
        label_sets={"entity_types": ENTITY_TYPES},
        aliases=["NCBI-disease", "NCBI_disease_corpus"],
        pubmed=True,
        bigbio_name="ncbi_disease",
        format_note="PubTator-like NCBI corpus files; concept ids split on '|' and '+' into MESH/OMIM normalisations.",
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        doc: PubTatorDocument = item.data
        if doc.relations:
            raise ConversionError(f"line {doc.relations[0].line}: unexpected relation line in NCBI disease", field="relations")
        passages = [Passage(id="p0", type="title", text=[doc.title], offsets=[[0, len(doc.title)]])]
        if doc.abstract is not None:
            start = len(doc.title) + 1
            passages.append(Passage(id="p1", type="abstract", text=[doc.abstract], offsets=[[start, start + len(doc.abstract)]]))
        entities = []
        for k, m in enumerate(doc.mentions):
            if m.type not in ENTITY_TYPES:
                raise ConversionError(f"line {m.line}: mention class {m.type!r} is not one of {ENTITY_TYPES}", field=f"entities[{k}].type")
            try:
                normalized = concepts(m.ids)
            except ValueError as exc:
                raise ConversionError(f"line {m.line}: {exc}", field=f"entities[{k}].normalized") from None
            entities.append(Entity(id=f"e{k}", type=m.type, text=[m.text], offsets=[[m.start, m.end]], normalized=normalized))
        yield KBRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en", document_id=doc.pmid,
            passages=passages, entities=entities,
        )
