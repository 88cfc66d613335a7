"""BC5CDR (BioCreative V CDR): chemical and disease mentions with MeSH ids, and CID relations.

Two loaders read the same folder: ``bc5cdr`` reads the PubTator files (the default) and
``bc5cdr_bioc`` the BioC XML files; both give one KB record per PubMed article, with a title
and an abstract passage (offsets into ``title + " " + abstract``).

* Entities: ``Chemical``/``Disease`` mentions; the MeSH id column may hold several ids joined by
  ``|`` (composite mentions such as "renal and hepatic failure"): each becomes its own
  ``normalized`` entry, repeats dropped, and ``-1`` means no id. PubTator lists a composite
  mention once (the names of its parts in a 7th column, without offsets); BioC also lists each
  part (``CompositeRole=IndividualMention``) as a discontinuous annotation, kept as an entity.
* Relations: CDR annotates chemical-induced disease (CID) per *document*, as a pair of MeSH
  ids. As BigBio does, each pair is expanded to mention level: one ``CID`` relation from every
  Chemical mention normalised to the chemical id to every Disease mention normalised to the
  disease id. Example (PMID 26094): ``CID D008750 D003866`` links "methyl dopa" (567-578) to
  each of the four "depression(s)" mentions, giving 4 relations. A CID pair with no mention of
  one of its ids cannot be expanded and rejects the record (PMID 2385256 in the PubTator sample
  names chemical D008278 where its mentions and the BioC copy say D008274).

Splits follow the release names (``CDR_TrainingSet`` / ``CDR_DevelopmentSet`` / ``CDR_TestSet``);
the official 50-article sample set (``CDR_sample.*``), taken from the training set, is read as
train.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.schemas import Entity, KBRecord, Normalization, Passage, Relation

from biocurate.errors import ConversionError

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._pubtator import PubTatorLoader
from ._registry import register_loader
from .formats.bioc import BioCDocument, iter_bioc
from .formats.common import Malformed
from .formats.pubtator import PubTatorDocument

ENTITY_TYPES = ["Chemical", "Disease"]

CITATION = """@article{li2016biocreative,
  title = {{BioCreative V CDR} task corpus: a resource for chemical disease relation extraction},
  author = {Li, Jiao and Sun, Yueping and Johnson, Robin J. and Sciaky, Daniela and Wei, Chih-Hsuan
            and Leaman, Robert and Davis, Allan Peter and Mattingly, Carolyn J. and Wiegers, Thomas C.
            and Lu, Zhiyong},
  journal = {Database},
  volume = {2016},
  pages = {baw068},
  year = {2016},
  doi = {10.1093/database/baw068}
}"""

_COMMON = dict(
    languages=["en"],
    tasks=["ner", "re"],
    schema="kb",
    license="PDM-1.0",  # BigBio's bc5cdr loader declares "Public Domain Mark 1.0"
    citation=CITATION,
    homepage="https://biocreative.bioinformatics.udel.edu/tasks/biocreative-v/track-3-cdr/",
    source_files=[SourceFile(url="https://github.com/JHnlp/BioCreative-V-CDR-Corpus/raw/master/CDR_Data.zip", filename="CDR_Data.zip")],
    label_sets={"entity_types": ENTITY_TYPES, "relation_types": ["CID"]},
    pubmed=True,
    bigbio_name="bc5cdr",
)
_DESCRIPTION = (
    "BioCreative V Chemical Disease Relation corpus: 1,500 PubMed articles with chemical and disease "
    "mentions normalised to MeSH and chemical-induced disease (CID) relations."
)


def mesh_ids(raw: str) -> list[Normalization]:
    """MeSH normalisations of an id column: ``|``-separated, repeats and ``-1`` dropped."""
    ids = dict.fromkeys(i.strip() for i in raw.split("|") if i.strip() and i.strip() != "-1")
    return [Normalization(db_name="MESH", db_id=i) for i in ids]


def expand_cid(entities: list[Entity], pairs: list[tuple[str, str, str, str]]) -> list[Relation]:
    """Mention-level relations for document-level ``(type, chemical id, disease id, where)`` pairs."""
    index: dict[tuple[str, str], list[str]] = {}
    for entity in entities:
        for norm in entity.normalized:
            index.setdefault((entity.type, norm.db_id), []).append(entity.id)
    relations, seen = [], set()
    for k, (rel_type, chem, disease, where) in enumerate(pairs):
        if rel_type != "CID":
            raise ConversionError(f"{where}: relation type {rel_type!r} is not CID", field=f"relations[{k}].type")
        heads, tails = index.get(("Chemical", chem), []), index.get(("Disease", disease), [])
        if not heads or not tails:
            missing = f"chemical {chem}" if not heads else f"disease {disease}"
            raise ConversionError(
                f"{where}: CID {chem}-{disease} cannot be expanded to mentions: no mention is normalised to {missing}",
                field=f"relations[{k}]",
            )
        for head in heads:
            for tail in tails:
                if (head, tail) not in seen:
                    seen.add((head, tail))
                    relations.append(Relation(id=f"r{len(relations)}", type="CID", arg1_id=head, arg2_id=tail))
    return relations


def _check_type(entity_type: str, k: int, where: str) -> None:
    if entity_type not in ENTITY_TYPES:
        raise ConversionError(f"{where}: entity type {entity_type!r} is not Chemical or Disease", field=f"entities[{k}].type")


@register_loader
class BC5CDR(PubTatorLoader):
    meta = DatasetMeta(
        name="bc5cdr",
        display_name="BC5CDR",
        description=_DESCRIPTION,
        splits={
            "train": "*CDR_TrainingSet.PubTator.txt | *CDR_sample.PubTator.txt",
            "validation": "*CDR_DevelopmentSet.PubTator.txt",
            "test": "*CDR_TestSet.PubTator.txt",
        },
        aliases=["BC5CDR", "BC5-CDR", "CDR"],
        format_note="PubTator text (title/abstract lines, mention lines, CID lines); CID relations expanded to mention pairs as in BigBio.",
        **_COMMON,
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        doc: PubTatorDocument = item.data
        passages = [Passage(id="p0", type="title", text=[doc.title], offsets=[[0, len(doc.title)]])]
        if doc.abstract is not None:
            start = len(doc.title) + 1
            passages.append(Passage(id="p1", type="abstract", text=[doc.abstract], offsets=[[start, start + len(doc.abstract)]]))
        entities = []
        for k, m in enumerate(doc.mentions):
            _check_type(m.type, k, f"line {m.line}")
            entities.append(Entity(id=f"e{k}", type=m.type, text=[m.text], offsets=[[m.start, m.end]], normalized=mesh_ids(m.ids)))
        pairs = []
        for r in doc.relations:
            if len(r.args) != 2:
                raise ConversionError(f"line {r.line}: a relation line needs two ids, got {r.args}", field="relations")
            pairs.append((r.type, r.args[0], r.args[1], f"line {r.line}"))
        yield KBRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en", document_id=doc.pmid,
            passages=passages, entities=entities, relations=expand_cid(entities, pairs),
        )


@register_loader
class BC5CDRBioC(Loader):
    meta = DatasetMeta(
        name="bc5cdr_bioc",
        display_name="BC5CDR (BioC XML)",
        description=_DESCRIPTION + " Read from the BioC XML release.",
        splits={
            "train": "*CDR_TrainingSet.BioC.xml | *CDR_sample*.xml",
            "validation": "*CDR_DevelopmentSet.BioC.xml",
            "test": "*CDR_TestSet.BioC.xml",
        },
        aliases=["BC5CDR-BioC"],
        reads_folder_of="bc5cdr",
        format_note=(
            "BioC XML; passages placed one space apart (the release's abstract <offset> counts XML escapes), "
            "CompositeRole=IndividualMention parts kept as discontinuous entities; CID expanded to mention pairs."
        ),
        **_COMMON,
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            for doc in iter_bioc(path, passage_offsets="joined"):
                if isinstance(doc, Malformed):
                    yield self.reject(split, doc.reason, **doc.where())
                else:
                    yield SourceItem(doc, str(path), doc.line, doc.id)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        doc: BioCDocument = item.data
        passages, entities, position = [], [], 0
        for i, p in enumerate(doc.passages):
            passages.append(Passage(id=f"p{i}", type=p.infons.get("type", "passage"), text=[p.text], offsets=[[position, position + len(p.text)]]))
            for a in p.annotations:
                k = len(entities)
                _check_type(a.infons.get("type", ""), k, f"line {a.line}")
                entities.append(Entity(
                    id=f"e{k}", type=a.infons["type"], text=a.pieces,
                    offsets=[[position + s, position + e] for s, e in a.spans], normalized=mesh_ids(a.infons.get("MESH", "")),
                ))
            position += len(p.text) + 1
        pairs = [
            (r.infons.get("relation", ""), r.infons.get("Chemical", ""), r.infons.get("Disease", ""), f"line {r.line}")
            for r in doc.relations
        ]
        yield KBRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en", document_id=doc.id,
            passages=passages, entities=entities, relations=expand_cid(entities, pairs),
        )
