"""KUAKE-QTR (CBLUE, Alibaba Quark): relevance of a page title to a Chinese medical query, 4 levels.

Raw format: a JSON array of ``{"id": "s1", "query": str, "title": str, "label": "0".."3"}``.
Test records have no ``label``. Levels (CBLUE paper; the same order as PromptCBLUE's options):
3 = the title fully matches the query's topic, 2 = partly, 1 = barely (some reference value),
0 = not at all.

Mapping to ``pairs``: ``text_1`` is the query, ``text_2`` the title, ``document_id`` the raw id;
an unlabelled test record gets ``label=""``.
"""

from __future__ import annotations

from ._base import DatasetMeta
from ._cblue import CBLUE_CITATION, CBLUE_HOMEPAGE, CbluePairsLoader, cblue_manual
from ._registry import register_loader
from .formats.cblue import cblue_splits

QTR_LABELS = {"0": "完全不匹配", "1": "很少匹配", "2": "部分匹配", "3": "完全匹配"}


@register_loader
class KuakeQTR(CbluePairsLoader):
    meta = DatasetMeta(
        name="kuake_qtr",
        display_name="KUAKE-QTR",
        description="Query-title relevance from CBLUE (Alibaba Quark medical search): how well a page title matches a Chinese search query, on four levels.",
        languages=["zh"],
        tasks=["sts"],
        schema="pairs",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage=CBLUE_HOMEPAGE,
        splits=cblue_splits("KUAKE-QTR"),
        manual_download=cblue_manual("KUAKE-QTR"),
        label_sets={"labels": list(QTR_LABELS)},
        label_names=QTR_LABELS,
        aliases=["KUAKE-QTR"],
        format_note="CBLUE JSON array; string labels '0'..'3' (3 = full match).",
        unlabelled_splits=["test"],
    )

    TEXT_KEYS = ("query", "title")
    LABELS = QTR_LABELS
