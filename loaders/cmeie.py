"""CMeIE (CBLUE / CHIP-2020 task 2): Chinese medical relation extraction, 53 SPO schemas.

Raw format: JSON Lines despite the ``.json`` name, one object per line::

    {"text": "急性胰腺炎@有研究显示，进行早期 ERCP ...",
     "spo_list": [{"Combined": false, "predicate": "影像学检查",
                   "subject": "急性胰腺炎", "subject_type": "疾病",
                   "object": {"@value": "ERCP"}, "object_type": {"@value": "检查"}}]}

The text often starts with ``<topic disease>@`` (438 of the 700 sample lines): the topic becomes
a ``title`` passage and the rest a ``text`` passage, so no ``@`` reaches a prompt (views show a
heading without final punctuation on its own line). Test lines have only ``text``.
``53_schemas.json`` (JSON Lines of ``{"subject_type", "predicate", "object_type"}``) lists the
allowed triples; when it is in the data directory every SPO is checked against it.

There are no character offsets, so each distinct (string, type) becomes one entity placed at the
first occurrence of the string that is not inside an occurrence of a longer annotated string of
the same line (``关节`` is placed at a free-standing ``关节``, not inside ``骨性关节炎``); if every
occurrence is nested, the first one is used. One span per entity keeps BigBio's meaning of
several offsets (a discontinuous mention). A string absent from the text is a reject naming the
field. ``Combined`` (whether the triple needs more than one sentence) has no place in the ``kb``
schema and is not kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from biocurate.errors import ConversionError, LoaderError
from biocurate.schemas import Entity, KBRecord, Passage, Relation

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader
from ._cblue import CBLUE_CITATION, CBLUE_HOMEPAGE, cblue_manual
from .formats.cblue import cblue_splits, iter_cblue_lines, occurrences, require_list, require_str

#: Entity types of the 53 schemas (subject and object types of 53_schemas.json).
CMEIE_ENTITY_TYPES = ["疾病", "症状", "社会学", "流行病学", "检查", "药物", "手术治疗", "其他治疗", "部位", "预后", "其他"]

#: The 44 distinct predicates of 53_schemas.json (a predicate may join several type pairs).
CMEIE_PREDICATES = [
    "预防", "阶段", "就诊科室", "同义词", "辅助治疗", "化疗", "放射治疗", "手术治疗", "实验室检查",
    "影像学检查", "辅助检查", "组织学检查", "内窥镜检查", "筛查", "多发群体", "发病率", "发病年龄",
    "多发地区", "发病性别倾向", "死亡率", "多发季节", "传播途径", "并发症", "病理分型", "相关（导致）",
    "鉴别诊断", "相关（转化）", "相关（症状）", "临床表现", "治疗后症状", "侵及周围组织转移的症状",
    "病因", "高危因素", "风险评估因素", "病史", "遗传因素", "发病机制", "病理生理", "药物治疗",
    "发病部位", "转移部位", "外侵部位", "预后状况", "预后生存率",
]

SCHEMA_FILE = "53_schemas.json"
_INNER_TOPIC = re.compile(r"(?<=[\u4e00-\u9fff）)])@\s*")


def _place(text: str, mentions: list[str]) -> dict[str, tuple[int, int]]:
    """Span of each mention: first occurrence not nested in a longer mention's occurrence."""
    found = {m: occurrences(text, m) for m in mentions}
    placed = {}
    for mention, starts in found.items():
        def nested(start: int, mention: str = mention) -> bool:
            end = start + len(mention)
            return any(
                len(other) > len(mention) and any(o <= start and end <= o + len(other) for o in found[other])
                for other in found
            )

        start = next((s for s in starts if not nested(s)), starts[0])
        placed[mention] = (start, start + len(mention))
    return placed


def _split_topic(text: str) -> tuple[str, str]:
    """``("急性胰腺炎", "有研究显示…")`` for ``"急性胰腺炎@有研究显示…"``; ``("", text)`` without a topic.

    The topic is the (short) disease heading before the first ``@``; an ``@`` later in the text
    or after a long lead is part of the text."""
    head, sep, rest = text.partition("@")
    if sep and len(head) <= 30 and rest.strip() and "\n" not in head:
        return head.strip(), _inner_topics(rest.lstrip())
    return "", _inner_topics(text)


def _inner_topics(text: str) -> str:
    """A topic marker inside the text (``…适应证。 前置胎盘@因此，…``, where CBLUE joined two
    paragraphs) ends a heading: the ``@`` becomes a line break."""
    return _INNER_TOPIC.sub("\n", text)


def _passages(topic: str, body: str) -> list[Passage]:
    if not topic:
        return [Passage(id="p0", type="text", text=[body], offsets=[[0, len(body)]])]
    start = len(topic) + 1
    return [
        Passage(id="topic", type="title", text=[topic], offsets=[[0, len(topic)]]),
        Passage(id="p0", type="text", text=[body], offsets=[[start, start + len(body)]]),
    ]


@register_loader
class CMeIE(Loader):
    meta = DatasetMeta(
        name="cmeie",
        display_name="CMeIE",
        description="Chinese medical information extraction from CBLUE (CHIP-2020 task 2): subject-predicate-object triples of 53 schemas over pediatric and common-disease texts.",
        languages=["zh"],
        tasks=["re"],
        schema="kb",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage=CBLUE_HOMEPAGE,
        splits=cblue_splits("CMeIE"),
        manual_download=cblue_manual("CMeIE", "and 53_schemas.json"),
        label_sets={"entity_types": CMEIE_ENTITY_TYPES, "relation_types": CMEIE_PREDICATES},
        aliases=["CMeIE", "CMeIE-V2", "cmeie_v2"],
        format_note="CBLUE JSON Lines with spo_list; no offsets: entities placed by string match (first non-nested occurrence).",
        unlabelled_splits=["test"],
    )

    _schemas: set[tuple[str, str, str]] | None = None
    side_files = (SCHEMA_FILE,)  # the allowed triples

    def allowed_triples(self) -> set[tuple[str, str, str]] | None:
        """(subject_type, predicate, object_type) triples of 53_schemas.json, or None without it."""
        if self._schemas is None:
            path = self.data_dir / SCHEMA_FILE
            if not path.is_file():
                return None
            try:
                with open(path, encoding="utf-8-sig") as handle:
                    rows = [json.loads(line) for line in handle if line.strip()]
                self._schemas = {(r["subject_type"], r["predicate"], r["object_type"]) for r in rows}
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise LoaderError(f"unreadable schema file: {exc!r}", dataset=self.name, file=str(path)) from None
        return self._schemas

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for file, line, obj in iter_cblue_lines(self.files_for(split)):
            if isinstance(obj, json.JSONDecodeError):
                yield self.reject(split, f"malformed JSON line: {obj.msg}", stage="parse", file=file, line=line)
            else:
                yield SourceItem(obj, file, line)

    def _triple(self, spo: Any, k: int) -> tuple[str, str, str, str, str]:
        where = f"spo_list[{k}]"
        subject = require_str(spo, "subject", field=f"{where}.subject")
        subject_type = require_str(spo, "subject_type", field=f"{where}.subject_type")
        predicate = require_str(spo, "predicate", field=f"{where}.predicate")
        obj = require_str(spo.get("object"), "@value", field=f"{where}.object.@value")
        obj_type = require_str(spo.get("object_type"), "@value", field=f"{where}.object_type.@value")
        for value, field in ((subject_type, "subject_type"), (obj_type, "object_type.@value")):
            if value not in CMEIE_ENTITY_TYPES:
                raise ConversionError(f"unknown entity type {value!r}", field=f"{where}.{field}")
        if predicate not in CMEIE_PREDICATES:
            raise ConversionError(f"unknown predicate {predicate!r}", field=f"{where}.predicate")
        allowed = self.allowed_triples()
        if allowed is not None and (subject_type, predicate, obj_type) not in allowed:
            raise ConversionError(f"({subject_type}, {predicate}, {obj_type}) is not in {SCHEMA_FILE}", field=f"{where}.predicate")
        return subject, subject_type, predicate, obj, obj_type

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        text = require_str(item.data, "text")
        if split in self.meta.unlabelled_splits and "spo_list" not in item.data:
            spo_list: list = []
        else:
            spo_list = require_list(item.data, "spo_list")
        triples = [self._triple(spo, k) for k, spo in enumerate(spo_list)]
        for k, (subject, _, _, obj, _) in enumerate(triples):
            for mention, field in ((subject, "subject"), (obj, "object.@value")):
                if mention not in text:
                    raise ConversionError(f"{mention!r} does not occur in the text", field=f"spo_list[{k}].{field}")
        topic, body = _split_topic(text)
        text = f"{topic} {body}" if topic else body  # the record's full_text(): passages joined by a space
        spans = _place(text, list(dict.fromkeys(m for t in triples for m in (t[0], t[3]))))
        entity_ids: dict[tuple[str, str], str] = {}
        entities, relations = [], []
        for k, (subject, subject_type, predicate, obj, obj_type) in enumerate(triples):
            ids = []
            for mention, etype in ((subject, subject_type), (obj, obj_type)):
                key = (mention, etype)
                if key not in entity_ids:
                    entity_ids[key] = f"e{len(entities)}"
                    entities.append(Entity(id=entity_ids[key], type=etype, text=[mention], offsets=[list(spans[mention])]))
                ids.append(entity_ids[key])
            relations.append(Relation(id=f"r{k}", type=predicate, arg1_id=ids[0], arg2_id=ids[1]))
        record_id = self.record_id(split, index)
        yield KBRecord(
            id=record_id, dataset=self.name, split=split, language="zh", document_id=record_id,
            passages=_passages(topic, body),
            entities=entities, relations=relations,
        )
