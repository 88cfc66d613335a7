"""Yidu-N7K (CHIP 2019 task 1, 医渡云标准化7K): normalisation of clinical terms written in Chinese medical
records to standard terms; Taiyi's Clinical_Terminology_Standardization (4,000 / 1,000 / 2,000).

No real excerpt was available (``format from description``). The OpenKG release
(http://openkg.cn/dataset/yidu-n7k), as the code that reads it shows: ``train.xlsx`` and
``val.xlsx`` (and ``answer.xlsx``, the test set with answers), whose first column is the raw
term and second the standard term(s) joined by ``##``, the first row being a header, and
``code.txt`` (``code<TAB>standard term``), the dictionary.

Mapping: as CHIP-CDN, a KB record per row: one passage, one entity of type 诊断 spanning the
raw term, one normalisation per standard term (db ``Yidu-N7K``; ``code.txt`` gives the
codes, which are used as ``db_id`` when the term is found there, else the term itself). A row
with an empty raw or standard term is rejected naming its sheet row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from openpyxl import load_workbook

from biocurate.errors import ConversionError
from biocurate.schemas import Entity, KBRecord, Normalization, Passage

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader

SEPARATOR = "##"


@register_loader
class YiduN7K(Loader):
    side_files = ("code.txt",)
    meta = DatasetMeta(
        name="clinical_terminology_standardization",
        display_name="Yidu-N7K clinical term standardisation (CHIP 2019)",
        description="7,000 raw clinical terms from Chinese medical records (diagnoses, procedures...) with their "
        "standard terms (CHIP 2019 task 1, Yidu Cloud).",
        languages=["zh"],
        tasks=["nen"],
        schema="kb",
        license="unknown",
        citation="@misc{yidu_n7k,\n  title = {Yidu-N7K: 医渡云标准化7K数据集 (CHIP 2019 临床术语标准化任务)},\n  publisher = {OpenKG},\n"
        "  year = {2019},\n  howpublished = {\\url{http://openkg.cn/dataset/yidu-n7k}}\n}",
        homepage="http://openkg.cn/dataset/yidu-n7k",
        splits={"train": "train.xlsx", "validation": "val.xlsx", "test": "answer.xlsx"},
        manual_download="Download Yidu-N7K from OpenKG (http://openkg.cn/dataset/yidu-n7k; also Tianchi dataset 92094) and "
        "put train.xlsx, val.xlsx, answer.xlsx and code.txt in the data directory.",
        label_sets={"entity_types": ["诊断"]},
        aliases=["Clinical_Terminology_Standardization", "Yidu-N7K", "yidu_n7k", "chip2019_cts"],
        format_note="xlsx, column 1 raw term, column 2 standard terms joined by '##' (+ code.txt dictionary); as CHIP-CDN.",
        format_source="format from description",
    )

    def _codes(self) -> dict[str, str]:
        path = self.data_dir / "code.txt"
        if not path.is_file():
            return {}
        codes = {}
        for line in path.read_text(encoding=self.encoding).splitlines():
            parts = line.lstrip("\ufeff").split("\t")
            if len(parts) >= 2 and parts[1].strip():
                codes.setdefault(parts[1].strip(), parts[0].strip())
        return codes

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        codes = self._codes()
        for path in self.files_for(split):
            book = load_workbook(path, read_only=True, data_only=True)
            try:
                rows = book.worksheets[0].iter_rows(values_only=True)
                next(rows, None)
                for number, row in enumerate(rows, start=2):
                    cells = ["" if c is None else str(c).strip() for c in row]
                    if any(cells):
                        yield SourceItem({"cells": cells, "codes": codes}, str(path), number, key=f"row {number}")
            finally:
                book.close()

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        cells, codes = item.data["cells"], item.data["codes"]
        if len(cells) < 2 or not cells[0]:
            raise ConversionError("empty raw term (column 1)", field="raw_term")
        terms = [t.strip() for t in cells[1].split(SEPARATOR)]
        if not cells[1] or any(not t for t in terms):
            raise ConversionError("empty standard term (column 2)", field="standard_term")
        text = cells[0]
        entity = Entity(id="e0", type="诊断", text=[text], offsets=[[0, len(text)]],
                        normalized=[Normalization(db_name="Yidu-N7K", db_id=codes.get(t, t)) for t in terms])
        record_id = self.record_id(split, index)
        yield KBRecord(id=record_id, dataset=self.name, split=split, language="zh", document_id=record_id,
                       passages=[Passage(id="p0", type="term", text=[text], offsets=[[0, len(text)]])], entities=[entity])
