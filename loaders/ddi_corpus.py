"""DDI corpus (DDIExtraction 2013): drug mentions and drug-drug interactions in DrugBank and MedLine.

Raw format: the XML release (``DDICorpus/Train/{DrugBank,MedLine}/*.xml`` and
``DDICorpus/Test/{Test for DDI Extraction task,Test for DrugNER task}/...``), read with
:mod:`loaders.formats.ddi_xml`: one document per file, sentences with ``<entity>``
(``charOffset`` inclusive at both ends, ``;`` for discontinuous mentions) and ``<pair>``
elements. Each document is one KB record with one passage per sentence; sentence-relative
offsets are shifted into the sentences joined by one space. Ids are the corpus's own
(``DDI-MedLine.d78.s1.e0``).

Relations: only ``ddi="true"`` pairs become relations, typed by their ``type`` (mechanism, effect,
advise, int); ``ddi="false"`` pairs are the candidate pairs without an interaction and are not
relations. ``Train/`` is train. ``Test/`` is test and holds both test sets, as in BigBio: the
DDI-extraction test documents (entities and interactions) and the DrugNER test documents, whose
pairs are all ``ddi="false"``, so they add entities and no relations.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import Entity, KBRecord, Passage, Relation

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader
from .formats.common import Malformed
from .formats.ddi_xml import DDIDocument, iter_ddi

ENTITY_TYPES = ["drug", "brand", "group", "drug_n"]
RELATION_TYPES = ["mechanism", "effect", "advise", "int"]

CITATION = """@article{herrerozazo2013ddi,
  title = {The {DDI} corpus: An annotated corpus with pharmacological substances and drug-drug interactions},
  author = {Herrero-Zazo, Mar{\\'i}a and Segura-Bedmar, Isabel and Mart{\\'i}nez, Paloma and Declerck, Thierry},
  journal = {Journal of Biomedical Informatics},
  volume = {46},
  number = {5},
  pages = {914--920},
  year = {2013},
  doi = {10.1016/j.jbi.2013.07.011}
}"""


@register_loader
class DDICorpus(Loader):
    meta = DatasetMeta(
        name="ddi_corpus",
        display_name="DDI Corpus",
        description=(
            "The DDI corpus of DDIExtraction 2013: DrugBank texts and MedLine abstracts annotated with "
            "pharmacological substances (drug, brand, group, drug_n) and drug-drug interactions."
        ),
        languages=["en"],
        tasks=["ner", "re"],
        schema="kb",
        license="CC-BY-NC-4.0",
        citation=CITATION,
        homepage="https://github.com/isegura/DDICorpus",
        splits={"train": "*Train/*.xml", "test": "*Test/*.xml"},
        source_files=[SourceFile(url="https://github.com/isegura/DDICorpus/raw/master/DDICorpus-2013.zip", filename="DDICorpus-2013.zip")],
        label_sets={"entity_types": ENTITY_TYPES, "relation_types": RELATION_TYPES},
        aliases=["DDI-2013", "DDICorpus", "DDI"],
        pubmed=True,
        bigbio_name="ddi_corpus",
        format_note="DDI 2013 XML (inclusive charOffset); ddi=true pairs become relations; Test/ holds both test sets.",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for doc in iter_ddi(self.files_for(split)):
            if isinstance(doc, Malformed):
                yield self.reject(split, doc.reason, **doc.where())
            else:
                yield SourceItem(doc, doc.file, 1, doc.id)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        doc: DDIDocument = item.data
        passages, entities, relations, position = [], [], [], 0
        for sentence in doc.sentences:
            passages.append(Passage(id=sentence.id, type="sentence", text=[sentence.text], offsets=[[position, position + len(sentence.text)]]))
            for e in sentence.entities:
                if e.type not in ENTITY_TYPES:
                    reason = f"line {e.line}: entity type {e.type!r} is not one of {ENTITY_TYPES}"
                    raise ConversionError(reason, field=f"entities[{len(entities)}].type")
                entities.append(Entity(id=e.id, type=e.type, text=e.pieces, offsets=[[position + s, position + t] for s, t in e.spans]))
            for p in sentence.pairs:
                if not p.ddi:
                    continue
                if p.type not in RELATION_TYPES:
                    reason = f"line {p.line}: ddi=\"true\" pair {p.id} has type {p.type!r}, expected one of {RELATION_TYPES}"
                    raise ConversionError(reason, field=f"relations[{len(relations)}].type")
                relations.append(Relation(id=p.id, type=p.type, arg1_id=p.e1, arg2_id=p.e2))
            position += len(sentence.text) + 1
        yield KBRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en", document_id=doc.id,
            passages=passages, entities=entities, relations=relations,
        )
