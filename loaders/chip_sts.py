"""CHIP-STS (CBLUE / CHIP-2019): semantic similarity of Chinese disease questions (binary).

Raw format: a JSON array of ``{"id": "1", "text1": str, "text2": str, "label": "0"|"1",
"category": str}``; ``category`` is the disease area (diabetes, hepatitis, aids, breast_cancer,
hypertension). Test records have no ``label`` (and another key order and indentation).

Mapping to ``pairs``: ``document_id`` is the raw id; ``category`` has no field in the schema
and is not kept. An unlabelled test record gets ``label=""``.
"""

from __future__ import annotations

from ._base import DatasetMeta
from ._cblue import CBLUE_CITATION, CBLUE_HOMEPAGE, CbluePairsLoader, cblue_manual
from ._registry import register_loader
from .formats.cblue import cblue_splits

STS_LABELS = {"0": "语义不相同", "1": "语义相同"}


@register_loader
class ChipSTS(CbluePairsLoader):
    meta = DatasetMeta(
        name="chip_sts",
        display_name="CHIP-STS",
        description="Semantic textual similarity from CBLUE (CHIP-2019): do two Chinese patient questions about the same disease area ask the same thing?",
        languages=["zh"],
        tasks=["sts"],
        schema="pairs",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage=CBLUE_HOMEPAGE,
        splits=cblue_splits("CHIP-STS"),
        manual_download=cblue_manual("CHIP-STS"),
        label_sets={"labels": list(STS_LABELS)},
        label_names=STS_LABELS,
        aliases=["CHIP-STS"],
        format_note="CBLUE JSON array; string labels '0'/'1'; category not kept.",
        unlabelled_splits=["test"],
    )

    TEXT_KEYS = ("text1", "text2")
    LABELS = STS_LABELS
