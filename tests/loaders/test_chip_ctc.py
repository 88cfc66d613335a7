"""CHIP-CTC on the real CBLUE dev file (7682 records) and its category.xlsx."""

from __future__ import annotations

import collections

import pytest

from biocurate.loaders import Reject, get_loader
from biocurate.loaders.chip_ctc import CTC_CATEGORIES, read_categories
from biocurate.sources import open_loader, samples_dir


def test_counts_per_split() -> None:
    loader = open_loader("CHIP-CTC")
    assert loader.available_splits() == ["validation"]
    counts = collections.Counter(r.labels[0] for r in loader.iter_split("validation"))
    assert sum(counts.values()) == 7682 and len(counts) == 44
    assert counts["Disease"] == 1693 and counts["Multiple"] == 1536 and counts["Ethnicity"] == 5


def test_class_list_matches_category_xlsx() -> None:
    assert read_categories(samples_dir() / "CHIP-CTC" / "category.xlsx") == CTC_CATEGORIES
    assert len(CTC_CATEGORIES) == 44 and CTC_CATEGORIES["Multiple"] == "含有多类别的语句"
    assert get_loader("chip_ctc").meta.label_names["Sign"] == "体征(医生检测）"


def test_first_record_keeps_raw_text() -> None:
    record = next(open_loader("chip_ctc").iter_split("validation"))
    assert record.document_id == "s1" and record.labels == ["Disease"]
    assert record.text == " 4）既往患有骨髓增生异常综合征（Myelodysplastic syndrome，MDS）的患者，或者未定型的急性白血病患者。"


def test_unknown_label_and_unreadable_category_file(tmp_path) -> None:
    (tmp_path / "CHIP-CTC_dev.json").write_text(
        '[\n  {"id": "s1", "label": "Age", "text": "年龄18-65岁"},\n  {"id": "s2", "label": "Hobby", "text": "喜欢跑步"}\n]',
        encoding="utf-8",
    )
    (tmp_path / "category.xlsx").write_bytes(b"not a workbook")
    loader = get_loader("chip_ctc")(tmp_path)
    with pytest.warns(UserWarning, match="built-in class list"):
        good, bad = loader.records("validation")
    assert good.labels == ["Age"]
    assert isinstance(bad, Reject) and bad.file.endswith("CHIP-CTC_dev.json") and bad.line == 3
    assert bad.field == "label" and bad.record == "s2" and "Hobby" in bad.reason
