"""BioNLP Shared Task 2011 GENIA Event (GE): protein mentions and nested bio-molecular events.

Raw format: brat/BioNLP standoff, read with :mod:`loaders.formats.brat`: ``<doc>.txt`` with
``<doc>.a1`` (Protein ``T`` lines) and ``<doc>.a2`` (trigger ``T``, ``E``, ``M`` lines) in the
official releases, or one merged ``<doc>.ann`` in the brat copy. One KB record per document,
with the whole ``.txt`` (newlines kept) as one passage.

* Entities: ``T`` lines that no event uses as its trigger (types ``Protein`` and ``Entity``).
  ``Entity`` mentions (sites, locations) are annotated only where an event uses them, so NER
  asks for ``Protein`` alone (label set ``ner_types``).
* Events: each ``E`` line; its trigger is the span of the ``T`` it names, and each argument
  refers to an entity or another event. Numbered roles are folded as BigBio does
  (``Theme2`` -> ``Theme``, ``Site2`` -> ``Site``).
* Coreferences: each ``*<TAB>Equiv T1 T2`` line becomes one chain (``equiv<k>``).
* ``M`` lines (Negation, Speculation of an event) have no place in the KB schema and are not
  kept.

Splits follow the release folders (``BioNLP-ST_2011_genia_{train,devel}_data_rev1``,
``BioNLP-ST_2011_genia_test_data``). The organisers' small sample shipped with brat (files at the
top of the folder, ``PMID-*``/``PMC-*``) carries no split name and is read as train. The test
release has no ``.a2`` files (no gold events), so test is unlabelled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import Coreference, Entity, Event, EventArgument, KBRecord, Normalization, Passage, Relation, Trigger

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader
from .formats.brat import BratDocument, iter_brat
from .formats.common import Malformed

ENTITY_TYPES = ["Protein", "Entity"]
EVENT_TYPES = [
    "Gene_expression", "Transcription", "Protein_catabolism", "Phosphorylation", "Localization",
    "Binding", "Regulation", "Positive_regulation", "Negative_regulation",
]
#: The GE 2011 argument roles (numbered roles folded): Theme and Cause (a protein or an event),
#: Site and CSite (the site of the theme and of the cause), ToLoc and AtLoc (Localization).
ROLE_TYPES = ["Theme", "Cause", "Site", "CSite", "ToLoc", "AtLoc"]

CITATION = """@inproceedings{kim2011overview,
  title = {Overview of {Genia} Event Task in {BioNLP} Shared Task 2011},
  author = {Kim, Jin-Dong and Wang, Yue and Takagi, Toshihisa and Yonezawa, Akinori},
  booktitle = {Proceedings of the BioNLP Shared Task 2011 Workshop},
  pages = {7--15},
  publisher = {Association for Computational Linguistics},
  address = {Portland, Oregon, USA},
  year = {2011}
}"""

_FILES = "http://weaver.nlplab.org/~bionlp-st/BioNLP-ST/downloads/files/"
_NUMBERED = re.compile(r"^([A-Za-z]+?)\d+$")


def role(name: str) -> str:
    """``Theme2`` -> ``Theme``; other roles unchanged."""
    match = _NUMBERED.match(name)
    return match[1] if match else name


@register_loader
class BioNLPST2011GE(Loader):
    meta = DatasetMeta(
        name="bionlp_st_2011_ge",
        display_name="BioNLP-ST 2011 GE",
        description=(
            "The GENIA event extraction task of the BioNLP Shared Task 2011: PubMed abstracts and PMC "
            "full-text sections with Protein mentions and nine types of nested bio-molecular events."
        ),
        languages=["en"],
        tasks=["ee", "ner"],
        schema="kb",
        license="BioNLP-ST-2011",  # the LICENSE file of the release; BigBio states CC BY 3.0
        citation=CITATION,
        homepage="https://sites.google.com/site/bionlpst/bionlp-shared-task-2011/genia-event-extraction-genia",
        splits={
            "train": "*genia_train_data*/*.txt | P*.txt",
            "validation": "*genia_devel_data*/*.txt",
            "test": "*genia_test_data*/*.txt",
        },
        source_files=[
            SourceFile(url=f"{_FILES}{name}", filename=name)
            for name in (
                "BioNLP-ST_2011_genia_train_data_rev1.tar.gz",
                "BioNLP-ST_2011_genia_devel_data_rev1.tar.gz",
                "BioNLP-ST_2011_genia_test_data.tar.gz",
            )
        ],
        # NER asks for proteins only: "Entity" mentions are annotated only where an event uses them
        label_sets={"entity_types": ENTITY_TYPES, "ner_types": ["Protein"], "event_types": EVENT_TYPES, "role_types": ROLE_TYPES},
        aliases=["BioNLP-ST-2011-GE", "GE11", "genia_event_2011"],
        pubmed=True,
        bigbio_name="bionlp_st_2011_ge",
        format_note="brat standoff (.txt + .ann, or .a1 + .a2); Equiv -> coreferences; M (negation/speculation) lines not kept.",
        unlabelled_splits=["test"],
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for doc in iter_brat(self.files_for(split)):
            if isinstance(doc, Malformed):
                yield self.reject(split, doc.reason, **doc.where())
            else:
                yield SourceItem(doc, doc.ann_files[-1] if doc.ann_files else doc.txt_file, None, doc.id)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        doc: BratDocument = item.data
        triggers = {e.trigger for e in doc.events.values()}
        norms: dict[str, list[Normalization]] = {}
        for n in doc.normalizations:
            norms.setdefault(n.target, []).append(Normalization(db_name=n.resource, db_id=n.concept))
        entities = []
        for tb in doc.text_bounds.values():
            if tb.id in triggers:
                continue
            if tb.type not in ENTITY_TYPES:
                reason = f"{tb.file} line {tb.line}: {tb.id} of type {tb.type!r} is neither an entity type nor the trigger of an event"
                raise ConversionError(reason, field=f"entities[{len(entities)}].type")
            entities.append(Entity(id=tb.id, type=tb.type, text=tb.pieces, offsets=[list(s) for s in tb.spans], normalized=norms.get(tb.id, [])))
        entity_ids = {e.id for e in entities}
        events = []
        for k, ev in enumerate(doc.events.values()):
            if ev.type not in EVENT_TYPES:
                raise ConversionError(f"{ev.file} line {ev.line}: event type {ev.type!r} is not a GE event type", field=f"events[{k}].type")
            arguments = []
            for r, ref in ev.arguments:
                if ref not in entity_ids and ref not in doc.events:
                    reason = f"{ev.file} line {ev.line}: {ev.id} {r} argument {ref} is an event trigger, not an entity or event"
                    raise ConversionError(reason, field=f"events[{k}].arguments")
                arguments.append(EventArgument(role=role(r), ref_id=ref))
            tb = doc.text_bounds[ev.trigger]
            events.append(Event(id=ev.id, type=ev.type, trigger=Trigger(text=tb.pieces, offsets=[list(s) for s in tb.spans]), arguments=arguments))
        relations = [
            Relation(id=r.id, type=r.type, arg1_id=r.arguments[0][1], arg2_id=r.arguments[1][1])
            for r in doc.relations if len(r.arguments) == 2
        ]
        if len(relations) != len(doc.relations):
            raise ConversionError("a relation (R) line does not have exactly two arguments", field="relations")
        coreferences = []
        for k, eq in enumerate(doc.equivalences):
            if not set(eq.ids) <= entity_ids:
                raise ConversionError(f"{eq.file} line {eq.line}: {eq.type} links a trigger, not only entities", field=f"coreferences[{k}]")
            coreferences.append(Coreference(id=f"equiv{k}", entity_ids=eq.ids))
        yield KBRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en", document_id=doc.id,
            passages=[Passage(id="text", type="document", text=[doc.text], offsets=[[0, len(doc.text)]])],
            entities=entities, events=events, relations=relations, coreferences=coreferences,
        )
