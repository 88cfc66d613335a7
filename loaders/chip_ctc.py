"""CHIP-CTC (CBLUE / CHIP-2019): classification of clinical-trial eligibility criteria, 44 classes.

Raw format: a JSON array of ``{"id": "s1", "label": "Disease", "text": " 4）既往患有..."}``;
labels are the English category names of ``category.xlsx`` (columns Topic Group, Chinese Label
Name, Label Name, Example). Texts keep their leading whitespace, list numbering and HTML
entities (``&gt;``) as in the source. Test records have no ``label``.

The 44 classes are read from ``category.xlsx`` with openpyxl when the file is in the data
directory; otherwise (or when it cannot be read) :data:`CTC_CATEGORIES`, copied from that file,
is used. The declared label set and the Chinese label words always come from the constant
(metadata is static); the tests check the constant against the real file.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path

from biocurate.schemas import TextRecord

from ._base import DatasetMeta, SourceItem
from ._cblue import CBLUE_CITATION, CBLUE_HOMEPAGE, CblueArrayLoader, cblue_manual
from ._registry import register_loader
from .formats.cblue import cblue_splits, gold_label, require_str

CATEGORY_FILE = "category.xlsx"

#: Label Name -> Chinese Label Name, in the row order of category.xlsx.
CTC_CATEGORIES = {
    "Disease": "疾病", "Symptom": "症状(患者感受)", "Sign": "体征(医生检测）", "Pregnancy-related Activity": "怀孕相关",
    "Neoplasm Status": "肿瘤进展", "Non-Neoplasm Disease Stage": "疾病分期", "Allergy Intolerance": "过敏耐受",
    "Organ or Tissue Status": "器官组织状态", "Life Expectancy": "预期寿命", "Oral related": "口腔相关",
    "Pharmaceutical Substance or Drug": "药物", "Therapy or Surgery": "治疗或手术", "Device": "设备", "Nursing": "护理",
    "Diagnostic": "诊断", "Laboratory Examinations": "实验室检查", "Risk Assessment": "风险评估", "Receptor Status": "受体状态",
    "Age": "年龄", "Special Patient Characteristic": "特殊病人特征", "Literacy": "读写能力", "Gender": "性别",
    "Education": "教育情况", "Address": "居住情况", "Ethnicity": "种族", "Consent": "知情同意",
    "Enrollment in other studies": "参与其它试验", "Researcher Decision": "研究者决定", "Capacity": "能力",
    "Ethical Audit": "伦理审查", "Compliance with Protocol": "依存性", "Addictive Behavior": "成瘾行为", "Bedtime": "睡眠",
    "Exercise": "锻炼", "Diet": "饮食", "Alcohol Consumer": "酒精使用", "Sexual related": "性取向",
    "Smoking Status": "吸烟状况", "Blood Donation": "献血", "Encounter": "病例来源", "Disabilities": "残疾群体",
    "Healthy": "健康群体", "Data Accessible": "数据可及性", "Multiple": "含有多类别的语句",
}


def read_categories(path: Path) -> dict[str, str]:
    """Label Name -> Chinese Label Name from a CHIP-CTC ``category.xlsx``, in row order.

    Raises:
        ValueError: the sheet has no "Label Name" / "Chinese Label Name" header.
    """
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows)]
        if "Label Name" not in header or "Chinese Label Name" not in header:
            raise ValueError(f"{path}: expected 'Label Name' and 'Chinese Label Name' columns, got {header}")
        en, zh = header.index("Label Name"), header.index("Chinese Label Name")
        return {str(row[en]).strip(): str(row[zh]).strip() for row in rows if row[en]}
    finally:
        workbook.close()


@register_loader
class ChipCTC(CblueArrayLoader):
    meta = DatasetMeta(
        name="chip_ctc",
        display_name="CHIP-CTC",
        description="Clinical trial criterion classification from CBLUE (CHIP-2019): assign one of 44 semantic categories to a Chinese eligibility-criterion sentence.",
        languages=["zh"],
        tasks=["tc"],
        schema="text",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage=CBLUE_HOMEPAGE,
        splits=cblue_splits("CHIP-CTC"),
        manual_download=cblue_manual("CHIP-CTC", "and category.xlsx"),
        label_sets={"labels": list(CTC_CATEGORIES)},
        label_names=CTC_CATEGORIES,
        aliases=["CHIP-CTC"],
        format_note="CBLUE JSON array; English labels, Chinese label words from category.xlsx.",
        unlabelled_splits=["test"],
    )

    _categories: list[str] | None = None
    side_files = (CATEGORY_FILE,)  # the class list

    def categories(self) -> list[str]:
        """The class list: category.xlsx when readable, else :data:`CTC_CATEGORIES`."""
        if self._categories is None:
            path = self.data_dir / CATEGORY_FILE
            self._categories = list(CTC_CATEGORIES)
            if path.is_file():
                try:
                    self._categories = list(read_categories(path))
                except Exception as exc:  # noqa: BLE001 - any unreadable workbook falls back
                    warnings.warn(f"chip_ctc: cannot read {path} ({exc}); using the built-in class list", stacklevel=2)
        return self._categories

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[TextRecord]:
        text = require_str(item.data, "text")
        label = gold_label(item.data, "label", self.categories(), labelled=split not in self.meta.unlabelled_splits)
        yield TextRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="zh",
            document_id=require_str(item.data, "id"), text=text, labels=[label] if label is not None else [],
        )
