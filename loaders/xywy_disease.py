"""xywy disease knowledge base (寻医问药 crawl; liuhuanyong/QASystemOnMedicalKG's ``medical.json``, also
in baiyang2464/chatbot-base-on-Knowledge-Graph), read as multi-round disease consultations.

No real excerpt was available (``format from description``; the file is 4 MiB or more). As the
repositories' importers read it, ``medical.json`` is JSON Lines, one disease per line: ``name``,
``desc``, ``cause``, ``prevent``, ``cure_lasttime``, ``cured_prob``, ``easy_get``, ``get_way``,
``cost_money``, ``yibao_status`` (strings) and ``category``, ``symptom``, ``acompany``,
``cure_department``, ``cure_way``, ``check``, ``common_drug``, ``recommand_drug``,
``drug_detail``, ``do_eat``, ``not_eat``, ``recommand_eat`` (lists of strings), plus a MongoDB
``_id``. Any field may be missing.

The release is a knowledge base, not dialogues; Taiyi counts it as multi-round dialogue
(6,391 samples) without publishing how it turned records into dialogues. biocurate's
conversion, one dialogue per disease: a user turn per present attribute in a fixed order,
worded as a patient would ask (:data:`QUESTIONS`, e.g. ``感冒有哪些症状？``), each answered by
the attribute's value (lists joined with ``、``; treatment combines ways, duration and cure
rate; diet combines 宜吃 and 忌吃). A disease without a name or description is rejected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from biocurate.errors import ConversionError
from biocurate.schemas import DialogueRecord, Turn

from ._base import DatasetMeta, SourceItem
from ._chatfiles import ChatFileLoader
from ._registry import register_loader

#: (question template, answer builder over the record) in dialogue order.
QUESTIONS: list[tuple[str, tuple[tuple[str, str], ...]]] = [
    ("{name}是什么病？", (("desc", ""),)),
    ("{name}是什么原因引起的？", (("cause", ""),)),
    ("{name}有哪些症状？", (("symptom", ""),)),
    ("{name}容易和哪些病一起出现？", (("acompany", ""),)),
    ("{name}需要做哪些检查？", (("check", ""),)),
    ("{name}应该去哪个科室看？", (("cure_department", ""),)),
    ("{name}怎么治疗？", (("cure_way", "治疗方式："), ("cure_lasttime", "治疗周期："), ("cured_prob", "治愈率："))),
    ("{name}吃什么药好？", (("recommand_drug", "推荐药品："), ("common_drug", "常用药品："))),
    ("{name}饮食上要注意什么？", (("do_eat", "宜吃："), ("not_eat", "忌吃："))),
    ("{name}怎么预防？", (("prevent", ""),)),
]


def _value(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if isinstance(value, list):
        return "、".join(v.strip() for v in value if isinstance(v, str) and v.strip())
    return value.strip() if isinstance(value, str) else ""


def disease_turns(data: Any) -> list[Turn]:
    """The consultation of one disease record (see the module docstring).

    Raises:
        ConversionError: no ``name`` or no ``desc``.
    """
    if not isinstance(data, dict) or not _value(data, "name"):
        raise ConversionError("missing disease name", field="name")
    if not _value(data, "desc"):
        raise ConversionError("missing description", field="desc")
    name = _value(data, "name")
    turns = []
    for question, parts in QUESTIONS:
        values = [(label, _value(data, key)) for key, label in parts]
        answer = "\n".join(label + value for label, value in values if value)
        if answer:
            turns += [Turn(role="user", text=question.format(name=name), speaker="patient"),
                      Turn(role="assistant", text=answer, speaker="doctor")]
    return turns


@register_loader
class XywyDisease(ChatFileLoader):
    meta = DatasetMeta(
        name="xywy_disease",
        display_name="xywy disease knowledge base",
        description="About 8,800 diseases crawled from 寻医问药 (xywy.com) with description, cause, symptoms, checks, "
        "departments, treatments, drugs and diet, turned into one multi-round consultation per disease.",
        languages=["zh"],
        tasks=["dialogue"],
        schema="dialogue",
        license="unknown",
        citation="@misc{liuhuanyong_medical_kg,\n  author = {Liu, Huanyong},\n  title = {QASystemOnMedicalKG},\n  publisher = {GitHub},\n"
        "  howpublished = {\\url{https://github.com/liuhuanyong/QASystemOnMedicalKG}}\n}",
        homepage="https://github.com/baiyang2464/chatbot-base-on-Knowledge-Graph/tree/master/data",
        splits={"train": "medical.json|*medical*.json"},
        manual_download="Download data/medical.json from https://github.com/liuhuanyong/QASystemOnMedicalKG (the same file "
        "baiyang2464/chatbot-base-on-Knowledge-Graph uses) into the data directory.",
        aliases=["xywy_disease", "xywy", "medical_kg_xywy"],
        format_note="JSON Lines, one disease per line (name, desc, cause, symptom[], ...); one dialogue per disease, a fixed "
        "question per present attribute.",
        format_source="format from description",
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[DialogueRecord]:
        record_id = self.record_id(split, index)
        yield DialogueRecord(id=record_id, dataset=self.name, split=split, language="zh", document_id=record_id,
                             context="", turns=disease_turns(item.data))
