"""KUAKE-QIC (CBLUE, Alibaba Quark): intent classification of Chinese medical search queries, 11 classes.

Raw format: a JSON array of ``{"id": "s1", "query": "心肌缺血如何治疗与调养呢？", "label": "治疗方案"}``;
labels are Chinese words. Test records have no ``label``.

Mapping to ``text``: ``document_id`` is the raw id; an unlabelled test record gets ``labels=[]``.
"""

from __future__ import annotations

from collections.abc import Iterable

from biocurate.schemas import TextRecord

from ._base import DatasetMeta, SourceItem
from ._cblue import CBLUE_CITATION, CBLUE_HOMEPAGE, CblueArrayLoader, cblue_manual
from ._registry import register_loader
from .formats.cblue import cblue_splits, gold_label, require_str

#: The 11 intents (CBLUE paper, Table of KUAKE-QIC).
QIC_LABELS = ["病情诊断", "病因分析", "治疗方案", "就医建议", "指标解读", "疾病表述", "后果表述", "注意事项", "功效作用", "医疗费用", "其他"]


@register_loader
class KuakeQIC(CblueArrayLoader):
    meta = DatasetMeta(
        name="kuake_qic",
        display_name="KUAKE-QIC",
        description="Query intent classification from CBLUE (Alibaba Quark medical search): assign one of 11 intents to a Chinese medical search query.",
        languages=["zh"],
        tasks=["tc"],
        schema="text",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage=CBLUE_HOMEPAGE,
        splits=cblue_splits("KUAKE-QIC"),
        manual_download=cblue_manual("KUAKE-QIC"),
        label_sets={"labels": QIC_LABELS},
        aliases=["KUAKE-QIC"],
        format_note="CBLUE JSON array; Chinese labels.",
        unlabelled_splits=["test"],
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[TextRecord]:
        data = item.data
        label = gold_label(data, "label", QIC_LABELS, labelled=split not in self.meta.unlabelled_splits)
        yield TextRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="zh",
            document_id=require_str(data, "id"), text=require_str(data, "query"), labels=[label] if label is not None else [],
        )
