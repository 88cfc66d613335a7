"""CMedCausal (CHIP 2022, Alibaba Quark): causal, conditional and hypernym relations between medical
concept mentions in Chinese paragraphs, as relation extraction.

No real excerpt was available (``format from description``): the CHIP 2022 task description
(its 数据说明 and annotation example) defines a JSON array of ``{"text": paragraph,
"relation_of_mention": [{"head": {"mention", "start_idx", "end_idx"}, "relation": 1|2|3,
"tail": ...}]}``; offsets are left-closed, right-open. Relation 1 is causal (head = cause, tail
= effect), 3 is hypernym-hyponym (head = hypernym), both with ``tail = {"type": "mention",
"mention", "start_idx", "end_idx"}``; relation 2 is conditional: ``tail = {"type":
"relation", "head", "relation": 1, "tail"}`` is the causal relation the head (the condition)
modifies. Files: ``train.json`` (the release ships ``train_0717.json`` and test files without
relations).

Mapping: one KB record per paragraph with one passage; every distinct mention span is an
entity of type ``医学概念``; relations ``因果`` (1) and ``上下位`` (3) link head to tail; a
conditional relation (2) contributes its modified causal relation and a relation ``条件``
from the condition to that relation's cause (the KB schema links entities, not relations, so
this is how the condition is kept). A mention that does not slice back, a relation number
outside 1-3, or a conditional tail that is not a causal relation rejects the paragraph,
naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from biocurate.errors import ConversionError
from biocurate.schemas import Entity, KBRecord, Passage, Relation

from ._base import DatasetMeta, SourceItem
from ._arrayfiles import JsonArrayLoader
from ._registry import register_loader
from .formats.cblue import require_list, require_str

RELATIONS = {1: "因果", 2: "条件", 3: "上下位"}
CONCEPT = "医学概念"
CHIP2022_CITATION = """@misc{chip2022cmedcausal,
  title = {{CHIP} 2022 Evaluation Task 2: Medical Causal Entity Relationship Extraction ({CMedCausal})},
  author = {{Alibaba Quark Medical} and {CHIP 2022 organisers}},
  year = {2022},
  howpublished = {\\url{https://tianchi.aliyun.com/dataset/129573}}
}"""


class _Paragraph:
    """Entities (by span) and relations of one paragraph being built."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.entities: dict[tuple[int, int], Entity] = {}
        self.relations: list[Relation] = []

    def mention(self, data: Any, field: str) -> str:
        mention = require_str(data, "mention", field=f"{field}.mention")
        start, end = data.get("start_idx"), data.get("end_idx")
        if not isinstance(start, int) or not isinstance(end, int) or self.text[start:end] != mention:
            raise ConversionError(f"{mention!r} is not at {start}:{end} of the text", field=f"{field}.start_idx")
        if (start, end) not in self.entities:
            self.entities[(start, end)] = Entity(id=f"e{len(self.entities)}", type=CONCEPT, text=[mention], offsets=[[start, end]])
        return self.entities[(start, end)].id

    def relate(self, kind: str, head: str, tail: str) -> None:
        if not any(r.type == kind and r.arg1_id == head and r.arg2_id == tail for r in self.relations):
            self.relations.append(Relation(id=f"r{len(self.relations)}", type=kind, arg1_id=head, arg2_id=tail))

    def add(self, triple: Any, field: str) -> str:
        """Add a relation triple; returns the id of its head (the cause, for a causal one)."""
        number = triple.get("relation") if isinstance(triple, dict) else None
        if number not in RELATIONS:
            raise ConversionError(f"relation {number!r} is not 1, 2 or 3", field=f"{field}.relation")
        head = self.mention(triple.get("head"), f"{field}.head")
        tail = triple.get("tail")
        if number == 2:
            if not isinstance(tail, dict) or tail.get("type") != "relation" or tail.get("relation") != 1:
                raise ConversionError("a conditional relation's tail must be a causal relation", field=f"{field}.tail")
            cause = self.add(tail, f"{field}.tail")
            self.relate(RELATIONS[2], head, cause)
        else:
            self.relate(RELATIONS[number], head, self.mention(tail, f"{field}.tail"))
        return head


@register_loader
class CMedCausal(JsonArrayLoader):
    meta = DatasetMeta(
        name="cmedcausal",
        display_name="CMedCausal",
        description="Chinese medical paragraphs (Quark medical QA and knowledge texts) annotated with causal, conditional "
        "and hypernym relations between medical concept mentions (CHIP 2022 task 2).",
        languages=["zh"],
        tasks=["re"],
        schema="kb",
        license="unknown",
        citation=CHIP2022_CITATION,
        homepage="https://tianchi.aliyun.com/dataset/129573",
        splits={"train": "train*.json", "validation": "dev*.json"},
        manual_download="Register on Tianchi (https://tianchi.aliyun.com/dataset/129573) and download the CMedCausal "
        "training file (train_0717.json) into the data directory.",
        label_sets={"entity_types": [CONCEPT], "relation_types": list(RELATIONS.values())},
        aliases=["CMedCausal", "chip2022_cmedcausal"],
        format_note="JSON array of {text, relation_of_mention: [{head, relation 1|2|3, tail}]} (CHIP 2022 task description); "
        "conditionals kept as 条件 from the condition to the cause of the modified causal relation.",
        format_source="format from description",
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        paragraph = _Paragraph(require_str(item.data, "text"))
        for number, triple in enumerate(require_list(item.data, "relation_of_mention")):
            paragraph.add(triple, f"relation_of_mention[{number}]")
        text = paragraph.text
        yield KBRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="zh", document_id=self.record_id(split, index),
            passages=[Passage(id="p0", type="paragraph", text=[text], offsets=[[0, len(text)]])],
            entities=sorted(paragraph.entities.values(), key=lambda e: int(e.id[1:])), relations=paragraph.relations,
        )
