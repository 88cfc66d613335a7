"""CHIP-CDN (CBLUE / CHIP-2020): normalisation of clinical diagnosis strings to ICD-10 terms.

Raw format: a JSON array of ``{"text": "左膝退变伴游离体", "normalized_result": "膝骨关节病##膝关节游离体"}``;
one diagnosis string maps to one or more standard terms of the ICD-10 Beijing clinical edition
v601 (the bundled ``国际疾病分类 ICD-10北京临床版v601.xlsx``), joined by ``##``. Test records
have only ``text``.

Mapping to ``kb``: one passage, one entity of type 诊断 spanning the whole text, with one
normalisation per term in raw order (repeats kept: a term repeats when the text names the
diagnosis twice). The dictionary gives no codes for the terms, so ``db_id`` is the term itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from biocurate.schemas import Entity, KBRecord, Normalization, Passage

from biocurate.errors import ConversionError

from ._base import DatasetMeta, SourceItem
from ._cblue import CBLUE_CITATION, CBLUE_HOMEPAGE, CblueArrayLoader, cblue_manual
from ._registry import register_loader
from .formats.cblue import cblue_splits, require_str

DB_NAME = "ICD-10-Beijing-v601"
SEPARATOR = "##"


@register_loader
class ChipCDN(CblueArrayLoader):
    meta = DatasetMeta(
        name="chip_cdn",
        display_name="CHIP-CDN",
        description="Clinical diagnosis normalisation from CBLUE (CHIP-2020): map a Chinese diagnosis string written by a doctor to the standard ICD-10 (Beijing clinical v601) terms it denotes.",
        languages=["zh"],
        tasks=["nen"],
        schema="kb",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage=CBLUE_HOMEPAGE,
        splits=cblue_splits("CHIP-CDN"),
        manual_download=cblue_manual("CHIP-CDN", "(and the ICD-10 Beijing v601 xlsx)"),
        label_sets={"entity_types": ["诊断"]},
        aliases=["CHIP-CDN"],
        format_note="CBLUE JSON array; normalized_result terms joined by '##'.",
        unlabelled_splits=["test"],
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        text = require_str(item.data, "text")
        terms: list[str] = []
        if split not in self.meta.unlabelled_splits or "normalized_result" in item.data:
            terms = require_str(item.data, "normalized_result").split(SEPARATOR)
            if any(not t.strip() for t in terms):
                raise ConversionError(f"empty term between {SEPARATOR!r} separators", field="normalized_result")
        entity = Entity(
            id="e0", type="诊断", text=[text], offsets=[[0, len(text)]],
            normalized=[Normalization(db_name=DB_NAME, db_id=term) for term in terms],
        )
        record_id = self.record_id(split, index)
        yield KBRecord(
            id=record_id, dataset=self.name, split=split, language="zh", document_id=record_id,
            passages=[Passage(id="p0", type="diagnosis", text=[text], offsets=[[0, len(text)]])],
            entities=[entity],
        )
