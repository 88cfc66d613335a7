"""CMeEE (CBLUE / CHIP-2020 task 1): Chinese medical named entities, nested, 9 types.

Raw format: a JSON array of ``{"text", "entities": [{"start_idx", "end_idx", "type", "entity"}]}``
where ``end_idx`` is *inclusive* (``text[start:end+1] == entity``). Test records have only text.
"""

from __future__ import annotations

from collections.abc import Iterable

from biocurate.schemas import Entity, KBRecord, Passage

from biocurate.errors import ConversionError

from ._base import DatasetMeta, SourceItem
from ._cblue import CBLUE_CITATION, CBLUE_HOMEPAGE, CblueArrayLoader, cblue_manual
from ._registry import register_loader
from .formats.cblue import cblue_splits

#: CMeEE type codes and their Chinese names (CBLUE README).
CMEEE_TYPES = {
    "dis": "疾病", "sym": "临床表现", "pro": "医疗程序", "equ": "医疗设备", "dru": "药物",
    "ite": "医学检验项目", "bod": "身体", "dep": "科室", "mic": "微生物类",
}

@register_loader
class CMeEE(CblueArrayLoader):
    meta = DatasetMeta(
        name="cmeee",
        display_name="CMeEE",
        description="Chinese medical entity extraction from CBLUE (CHIP-2020 task 1): nested entities of 9 types in medical text.",
        languages=["zh"],
        tasks=["ner"],
        schema="kb",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage=CBLUE_HOMEPAGE,
        splits=cblue_splits("CMeEE"),
        manual_download=cblue_manual("CMeEE"),
        label_sets={"entity_types": list(CMEEE_TYPES.values())},
        aliases=["CMeEE", "CMeEE-V2", "cmeee_v2"],
        format_note="CBLUE JSON array; end_idx inclusive.",
        unlabelled_splits=["test"],
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        text = item.data["text"]
        entities = []
        for k, raw in enumerate(item.data.get("entities", [])):
            start, end = raw["start_idx"], raw["end_idx"] + 1
            if raw["type"] not in CMEEE_TYPES:
                raise ConversionError(f"unknown entity type {raw['type']!r}", field=f"entities[{k}].type")
            entities.append(
                Entity(id=f"e{k}", type=CMEEE_TYPES[raw["type"]], text=[raw["entity"]], offsets=[[start, end]])
            )
        record_id = self.record_id(split, index)
        yield KBRecord(
            id=record_id, dataset=self.name, split=split, language="zh", document_id=record_id,
            passages=[Passage(id="p0", type="sentence", text=[text], offsets=[[0, len(text)]])],
            entities=entities,
        )
