"""KUAKE-QQR (CBLUE, Alibaba Quark): relevance of two Chinese medical search queries, 3 levels.

Raw format: a JSON array of ``{"id": "s1", "query1": str, "query2": str, "label": "0"|"1"|"2"}``.
Test records have no ``label``. Levels (Tianchi task description of CBLUE KUAKE-QQR):
2 = query2 is equivalent to query1; 1 = query2 is a semantic subset of query1 (narrower);
0 = query2 is a semantic superset of query1 (broader) or unrelated.

Mapping to ``pairs``: ``document_id`` is the raw id; an unlabelled test record gets ``label=""``.
"""

from __future__ import annotations

from ._base import DatasetMeta
from ._cblue import CBLUE_CITATION, CBLUE_HOMEPAGE, CbluePairsLoader, cblue_manual
from ._registry import register_loader
from .formats.cblue import cblue_splits

QQR_LABELS = {"0": "后者是前者的父集或无关", "1": "后者是前者的子集", "2": "完全一致"}


@register_loader
class KuakeQQR(CbluePairsLoader):
    meta = DatasetMeta(
        name="kuake_qqr",
        display_name="KUAKE-QQR",
        description="Query-query relevance from CBLUE (Alibaba Quark medical search): whether a second Chinese search query is equivalent to, narrower than, or broader than/unrelated to the first.",
        languages=["zh"],
        tasks=["sts"],
        schema="pairs",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage=CBLUE_HOMEPAGE,
        splits=cblue_splits("KUAKE-QQR"),
        manual_download=cblue_manual("KUAKE-QQR"),
        label_sets={"labels": list(QQR_LABELS)},
        label_names=QQR_LABELS,
        aliases=["KUAKE-QQR"],
        format_note="CBLUE JSON array; string labels '0'..'2' (2 = equivalent).",
        unlabelled_splits=["test"],
    )

    TEXT_KEYS = ("query1", "query2")
    LABELS = QQR_LABELS
