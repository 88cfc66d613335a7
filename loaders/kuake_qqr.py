"""KUAKE-QQR (CBLUE, Alibaba Quark): relevance of two Chinese medical search queries, 3 levels.

Raw format: a JSON array of ``{"id": "s1", "query1": str, "query2": str, "label": "0"|"1"|"2"}``.
Test records have no ``label``. Levels (Tianchi task description of CBLUE KUAKE-QQR):
2 = query2 is equivalent to query1; 1 = query2 is a semantic subset of query1 (narrower);
0 = query2 is a semantic superset of query1 (broader) or unrelated.

Mapping to ``pairs``: ``document_id`` is the raw id; an unlabelled test record gets ``label=""``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.schemas import PairsRecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader
from .cmeee import CBLUE_CITATION
from .formats.cblue import cblue_splits, gold_label, iter_cblue_array, record_key, require_str

QQR_LABELS = {"0": "后者是前者的父集或无关", "1": "后者是前者的子集", "2": "完全一致"}


@register_loader
class KuakeQQR(Loader):
    meta = DatasetMeta(
        name="kuake_qqr",
        display_name="KUAKE-QQR",
        description="Query-query relevance from CBLUE (Alibaba Quark medical search): whether a second Chinese search query is equivalent to, narrower than, or broader than/unrelated to the first.",
        languages=["zh"],
        tasks=["sts"],
        schema="pairs",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage="https://github.com/CBLUEbenchmark/CBLUE",
        splits=cblue_splits("KUAKE-QQR"),
        manual_download="Register on Alibaba Tianchi (https://tianchi.aliyun.com/dataset/95414), download CBLUE, and place KUAKE-QQR_train.json / KUAKE-QQR_dev.json / KUAKE-QQR_test.json in the data directory.",
        label_sets={"labels": list(QQR_LABELS)},
        label_names=QQR_LABELS,
        aliases=["KUAKE-QQR"],
        format_note="CBLUE JSON array; string labels '0'..'2' (2 = equivalent).",
        unlabelled_splits=["test"],
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for file, line, element in iter_cblue_array(self.files_for(split), self.name):
            yield SourceItem(element, file, line, key=record_key(element))

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[PairsRecord]:
        data = item.data
        label = gold_label(data, "label", list(QQR_LABELS), labelled=split not in self.meta.unlabelled_splits)
        yield PairsRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="zh",
            document_id=require_str(data, "id"), text_1=require_str(data, "query1"), text_2=require_str(data, "query2"),
            label=label or "",
        )
