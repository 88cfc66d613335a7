"""MedicationQA on the real workbook (690 rows) and on small workbooks written with openpyxl."""

from __future__ import annotations

from openpyxl import Workbook

from biocurate.loaders import Reject, get_loader
from biocurate.loaders.medication_qa import COLUMNS
from biocurate.sources import open_loader


def test_every_row_of_the_real_workbook() -> None:
    records = list(open_loader("MedicationQA").iter_split("train"))
    assert len(records) == 690
    assert records[0].question == "how does rivatigmine and otc sleep medicine interact"
    assert records[0].answer[0].startswith("tell your doctor and pharmacist what prescription and nonprescription medications")
    assert records[2].question == "what is morphine" and records[2].answer[0].startswith("Morphine is a pain medication of the opiate family")


def _workbook(path, header, rows) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "DrugQA"
    for row in [header, *rows]:
        sheet.append(row)
    book.save(path)


def test_reordered_columns_and_empty_answer(tmp_path) -> None:
    header = ["Answer", "Question", "URL"]
    _workbook(tmp_path / "MedInfo2019-QA-Medications.xlsx", header, [["Take it with food.", " how take ibuprofen ", "u"], [None, "what is x", "u"], [None, None, None]])
    items = list(get_loader("medication_qa")(tmp_path).records("train"))
    assert len(items) == 2  # the blank row is skipped
    assert items[0].question == "how take ibuprofen" and items[0].answer == ["Take it with food."]
    assert isinstance(items[1], Reject) and (items[1].line, items[1].field, items[1].record) == (3, "Answer", "row 3")


def test_missing_header_column_fails_the_file(tmp_path) -> None:
    _workbook(tmp_path / "MedInfo2019-QA-Medications.xlsx", [c for c in COLUMNS if c != "Answer"], [["q", "f", "t", "s", "u"]])
    (item,) = get_loader("medication_qa")(tmp_path).records("train")
    assert isinstance(item, Reject) and (item.line, item.field, item.stage) == (1, "Answer", "read")
