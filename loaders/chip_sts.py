"""CHIP-STS (CBLUE / CHIP-2019): semantic similarity of Chinese disease questions (binary).

Raw format: a JSON array of ``{"id": "1", "text1": str, "text2": str, "label": "0"|"1",
"category": str}``; ``category`` is the disease area (diabetes, hepatitis, aids, breast_cancer,
hypertension). Test records have no ``label`` (and another key order and indentation).

Mapping to ``pairs``: ``document_id`` is the raw id; ``category`` has no field in the schema
and is not kept. An unlabelled test record gets ``label=""``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.schemas import PairsRecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader
from .cmeee import CBLUE_CITATION
from .formats.cblue import cblue_splits, gold_label, iter_cblue_array, record_key, require_str

STS_LABELS = {"0": "语义不相同", "1": "语义相同"}


@register_loader
class ChipSTS(Loader):
    meta = DatasetMeta(
        name="chip_sts",
        display_name="CHIP-STS",
        description="Semantic textual similarity from CBLUE (CHIP-2019): do two Chinese patient questions about the same disease area ask the same thing?",
        languages=["zh"],
        tasks=["sts"],
        schema="pairs",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage="https://github.com/CBLUEbenchmark/CBLUE",
        splits=cblue_splits("CHIP-STS"),
        manual_download="Register on Alibaba Tianchi (https://tianchi.aliyun.com/dataset/95414), download CBLUE, and place CHIP-STS_train.json / CHIP-STS_dev.json / CHIP-STS_test.json in the data directory.",
        label_sets={"labels": list(STS_LABELS)},
        label_names=STS_LABELS,
        aliases=["CHIP-STS"],
        format_note="CBLUE JSON array; string labels '0'/'1'; category not kept.",
        unlabelled_splits=["test"],
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for file, line, element in iter_cblue_array(self.files_for(split), self.name):
            yield SourceItem(element, file, line, key=record_key(element))

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[PairsRecord]:
        data = item.data
        label = gold_label(data, "label", list(STS_LABELS), labelled=split not in self.meta.unlabelled_splits)
        yield PairsRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="zh",
            document_id=require_str(data, "id"), text_1=require_str(data, "text1"), text_2=require_str(data, "text2"),
            label=label or "",
        )
