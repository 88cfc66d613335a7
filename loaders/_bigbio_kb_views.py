"""BigBio views of the KB datasets (BC5CDR, DDI, BioNLP-ST 2011 GE): see :mod:`._bigbio_views`.

Each class reads the raw files with the dataset's own loader and lays the record out as the
BigBio script does (bigscience-workshop/biomedical 913327733b, ``bigbio/hub/hub_repos/<name>``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from biocurate.errors import ConversionError, LoaderError
from biocurate.schemas import Coreference, Entity, Event, EventArgument, KBRecord, Normalization, Passage, Relation, Trigger

from ._base import Reject, SourceItem
from .bc5cdr import BC5CDRBioC
from .bionlp_st_2011_ge import BioNLPST2011GE
from .ddi_corpus import ENTITY_TYPES, RELATION_TYPES, DDICorpus
from .formats.bioc import BioCDocument, iter_bioc
from .formats.common import Malformed
from .formats.brat import BratDocument
from .formats.ddi_xml import DDIDocument
from .formats.xmlstream import iterparse_lines


# -- BC5CDR ---------------------------------------------------------------------------------

def _bigbio_mesh(annotation_infons: dict[str, str]) -> list[str]:
    """BigBio's ``_get_bioc_entity`` ids: the MESH infon split on ``|``, nothing for ``-1`` (repeats kept)."""
    raw = annotation_infons.get("MESH", "-1")
    return [] if raw == "-1" else raw.split("|")


def _cid_pairs(doc: BioCDocument) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Entity MeSH lists in document order and the ``(type, chemical, disease)`` relation infons."""
    ids = [_bigbio_mesh(a.infons) for p in doc.passages for a in p.annotations]
    pairs = [(r.infons.get("relation", ""), r.infons.get("Chemical", ""), r.infons.get("Disease", "")) for r in doc.relations]
    return ids, pairs


def _expand(ids: list[list[str]], pairs: list[tuple[str, str, str]]) -> list[tuple[str, int, int]]:
    """BigBio's ``_get_relations``: every (chemical mention, disease mention) pair per CID pair, mentions
    indexed by MeSH id whatever their type, in index order, repeats kept.

    Raises:
        ConversionError: a pair names an id no mention carries (BigBio's script stops there with a KeyError).
    """
    index: dict[str, list[int]] = {}
    for k, entity_ids in enumerate(ids):
        for db_id in entity_ids:
            index.setdefault(db_id, []).append(k)
    out = []
    for j, (rel_type, chem, disease) in enumerate(pairs):
        missing = [i for i in (chem, disease) if i not in index]
        if missing:
            raise ConversionError(f"CID {chem}-{disease}: no mention is normalised to {missing[0]}", field=f"relations[{j}]")
        out += [(rel_type, a, b) for a, b in itertools.product(index[chem], index[disease])]
    return out


def bioc_uid_counts(path: Path) -> list[int]:
    """How many of BigBio's running numbers each ``<document>`` of a CDR BioC file takes, in file
    order: one for the document, one per passage, annotation and expanded relation (``0``
    relations where a pair cannot be expanded). Counted from the XML alone, so that a document
    biocurate's parser rejects (a span that does not slice) still takes its numbers."""
    counts = []
    for item in iterparse_lines(path, ("end",)):
        if isinstance(item, Malformed):
            break
        element = item[1]
        if element.tag != "document":
            continue
        infons = [{i.get("key", ""): i.text or "" for i in a.findall("infon")} for a in element.iter("annotation")]
        pairs = [tuple({i.get("key", ""): i.text or "" for i in r.findall("infon")}.get(k, "") for k in ("relation", "Chemical", "Disease"))
                 for r in element.findall("relation")]
        ids = [_bigbio_mesh(i) for i in infons]
        try:
            relations = len(_expand(ids, pairs))  # type: ignore[arg-type]
        except ConversionError:
            relations = 0
        counts.append(1 + len(element.findall("passage")) + len(ids) + relations)
        element.clear()
    return counts


class BC5CDRBioCBigBio(BC5CDRBioC):
    """``bc5cdr_bigbio_kb``: ids are one running number over the split's documents, passages,
    entities and relations (document first), as BigBio's ``uid``; the SourceItem carries the
    document's first number."""

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        uid = 0
        for path in self.files_for(split):
            counts = iter(bioc_uid_counts(path))
            for doc in iter_bioc(path, passage_offsets="joined"):
                if isinstance(doc, Malformed):
                    yield self.reject(split, doc.reason, **doc.where())
                    uid += next(counts, 0)
                    continue
                yield SourceItem((doc, uid), str(path), doc.line, doc.id)
                uid += next(counts, 0)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        doc, first = item.data
        ids, pairs = _cid_pairs(doc)
        triples = _expand(ids, pairs)
        for record in super().to_schema(SourceItem(doc, item.file, item.line, item.key), split, index):
            counter = itertools.count(first)
            record_uid = next(counter)
            passages = [p.model_copy(update={"id": str(next(counter))}) for p in record.passages]
            names = {e.id: str(next(counter)) for e in record.entities}
            entities = [e.model_copy(update={"id": names[e.id], "normalized": [Normalization(db_name="MESH", db_id=i) for i in m]})
                        for e, m in zip(record.entities, ids)]
            relations = [Relation(id=str(next(counter)), type=t, arg1_id=entities[a].id, arg2_id=entities[b].id) for t, a, b in triples]
            yield record.model_copy(update={"id": f"{split}-{record_uid}", "passages": passages, "entities": entities, "relations": relations})


class BC5CDRBigBio(BC5CDRBioCBigBio):
    """``convert bc5cdr --bigbio``: BigBio's bc5cdr reads the BioC XML of the release, so this does
    too (the PubTator files lack the composite-mention parts' offsets)."""

    meta = BC5CDRBioC.meta.model_copy(update={"name": "bc5cdr", "aliases": [], "reads_folder_of": None})

    def __init__(self, data_dir: str | Path, encoding: str | None = None) -> None:
        super().__init__(data_dir, encoding)
        if not self.available_splits():
            raise LoaderError(
                f"BigBio's bc5cdr reads the BioC XML files of the CDR release and {self.data_dir} has none "
                "(CDR_TrainingSet.BioC.xml, CDR_DevelopmentSet.BioC.xml, CDR_TestSet.BioC.xml; CDR_Data.zip holds "
                "them beside the PubTator files)", dataset=self.name)


# -- DDI ------------------------------------------------------------------------------------

def brat_chunks(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """BigBio's ``parse_brat_file`` split of a discontinuous mention's text (its "heuristic"): one
    chunk per span, each as long as its span, the spaces after a chunk skipped; a single span
    keeps the whole text."""
    if len(spans) == 1:
        return [text]
    chunks, i = [], 0
    for start, end in spans:
        chunks.append(text[i:i + end - start])
        i += end - start
        while i < len(text) and text[i] == " ":
            i += 1
    return chunks


class DDICorpusBigBio(DDICorpus):
    """``ddi_corpus_bigbio_kb``: BigBio reads ``DDICorpus-2013(BRAT).zip`` of the same repository,
    whose documents are the XML's: the text is the non-empty sentences with trailing whitespace
    cut, joined by one space; entities ``T1..`` and interactions ``R1..`` (``ddi="true"`` pairs) are numbered
    in document order with upper-case types, a discontinuous mention keeps its whole text; the
    file name is the document id and the record id."""

    meta = DDICorpus.meta.model_copy(update={"label_sets": {
        "entity_types": [t.upper() for t in ENTITY_TYPES], "relation_types": [t.upper() for t in RELATION_TYPES]}})

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        list(super().to_schema(item, split, index))  # the loader's checks (entity and relation types)
        doc: DDIDocument = item.data
        name = Path(doc.file).stem
        prefix, text, entities, relations, names = name + "_", "", [], [], {}
        for sentence in doc.sentences:
            if not sentence.text.strip():
                continue  # the BRAT text has no place for an empty sentence
            start = len(text) + (1 if text else 0)
            text = (text + " " if text else "") + sentence.text.rstrip()
            for e in sentence.entities:
                names[e.id] = f"{prefix}T{len(names) + 1}"
                entities.append(Entity(id=names[e.id], type=e.type.upper(), text=brat_chunks(e.text, e.spans),
                                       offsets=[[start + s, start + t] for s, t in e.spans]))
            for p in sentence.pairs:
                if p.ddi:
                    relations.append((p.type.upper(), p.e1, p.e2))
        yield KBRecord(
            id=f"{split}-{name}", dataset=self.name, split=split, language="en", document_id=name,
            passages=[Passage(id=prefix + "_text", type="abstract", text=[text], offsets=[[0, len(text)]])],
            entities=entities,
            relations=[Relation(id=f"{prefix}R{k + 1}", type=t, arg1_id=names[a], arg2_id=names[b]) for k, (t, a, b) in enumerate(relations)],
        )


# -- BioNLP-ST 2011 GE ------------------------------------------------------------------------

#: The role names BigBio's bionlp_st_2011_ge script rewrites (``_ROLE_MAPPING``); others stay.
GE_ROLES = {"Theme2": "Theme", "Theme3": "Theme", "Theme4": "Theme", "Site2": "Site"}


class BioNLPST2011GEBigBio(BioNLPST2011GE):
    """``bionlp_st_2011_ge_bigbio_kb``: brat ids prefixed by ``<document>_``, one ``abstract``
    passage ``<document>__text``, coreferences ``<document>_<n>`` (n counts every equivalence
    line from 1), roles as :data:`GE_ROLES`, record ids the document's number in file order."""

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        doc: BratDocument = item.data
        prefix = doc.id + "_"
        for record in super().to_schema(item, split, index):
            roles = {ev.id: [GE_ROLES.get(r, r) for r, _ in ev.arguments] for ev in doc.events.values()}
            data: dict[str, Any] = record.model_dump()
            for entity in data["entities"]:
                entity["id"] = prefix + entity["id"]
            for event in data["events"]:
                for argument, raw_role in zip(event["arguments"], roles[event["id"]]):
                    argument.update(role=raw_role, ref_id=prefix + argument["ref_id"])
                event["id"] = prefix + event["id"]
            for relation in data["relations"]:
                relation.update(id=prefix + relation["id"], arg1_id=prefix + relation["arg1_id"], arg2_id=prefix + relation["arg2_id"])
            numbers = iter(range(1, len(doc.equivalences) + 1))
            data["coreferences"] = [{"id": prefix + str(next(numbers)), "entity_ids": [prefix + i for i in c["entity_ids"]]}
                                    for c in data["coreferences"]]
            data["passages"] = [{**p, "id": prefix + "_text", "type": "abstract"} for p in data["passages"]]
            data["id"] = f"{split}-{index}"
            yield KBRecord(**{**data, "passages": [Passage(**p) for p in data["passages"]],
                              "entities": [Entity(**e) for e in data["entities"]],
                              "events": [Event(**{**e, "trigger": Trigger(**e["trigger"]), "arguments": [EventArgument(**a) for a in e["arguments"]]})
                                         for e in data["events"]],
                              "relations": [Relation(**r) for r in data["relations"]],
                              "coreferences": [Coreference(**c) for c in data["coreferences"]]})


#: loader name -> view class (constructed with the user's data directory and encoding).
KB_VIEWS = {
    "bc5cdr": BC5CDRBigBio,
    "bc5cdr_bioc": BC5CDRBioCBigBio,
    "ddi_corpus": DDICorpusBigBio,
    "bionlp_st_2011_ge": BioNLPST2011GEBigBio,
}
