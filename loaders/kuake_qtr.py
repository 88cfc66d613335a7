"""KUAKE-QTR (CBLUE, Alibaba Quark): relevance of a page title to a Chinese medical query, 4 levels.

Raw format: a JSON array of ``{"id": "s1", "query": str, "title": str, "label": "0".."3"}``.
Test records have no ``label``. Levels (CBLUE paper; the same order as PromptCBLUE's options):
3 = the title fully matches the query's topic, 2 = partly, 1 = barely (some reference value),
0 = not at all.

Mapping to ``pairs``: ``text_1`` is the query, ``text_2`` the title, ``document_id`` the raw id;
an unlabelled test record gets ``label=""``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.schemas import PairsRecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader
from .cmeee import CBLUE_CITATION
from .formats.cblue import cblue_splits, gold_label, iter_cblue_array, record_key, require_str

QTR_LABELS = {"0": "完全不匹配", "1": "很少匹配", "2": "部分匹配", "3": "完全匹配"}


@register_loader
class KuakeQTR(Loader):
    meta = DatasetMeta(
        name="kuake_qtr",
        display_name="KUAKE-QTR",
        description="Query-title relevance from CBLUE (Alibaba Quark medical search): how well a page title matches a Chinese search query, on four levels.",
        languages=["zh"],
        tasks=["sts"],
        schema="pairs",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage="https://github.com/CBLUEbenchmark/CBLUE",
        splits=cblue_splits("KUAKE-QTR"),
        manual_download="Register on Alibaba Tianchi (https://tianchi.aliyun.com/dataset/95414), download CBLUE, and place KUAKE-QTR_train.json / KUAKE-QTR_dev.json / KUAKE-QTR_test.json in the data directory.",
        label_sets={"labels": list(QTR_LABELS)},
        label_names=QTR_LABELS,
        aliases=["KUAKE-QTR"],
        format_note="CBLUE JSON array; string labels '0'..'3' (3 = full match).",
        unlabelled_splits=["test"],
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for file, line, element in iter_cblue_array(self.files_for(split), self.name):
            yield SourceItem(element, file, line, key=record_key(element))

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[PairsRecord]:
        data = item.data
        label = gold_label(data, "label", list(QTR_LABELS), labelled=split not in self.meta.unlabelled_splits)
        yield PairsRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="zh",
            document_id=require_str(data, "id"), text_1=require_str(data, "query"), text_2=require_str(data, "title"),
            label=label or "",
        )
