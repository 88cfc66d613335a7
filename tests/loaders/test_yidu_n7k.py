"""Yidu-N7K (Clinical_Terminology_Standardization) on xlsx fixtures built from the release's description."""

from __future__ import annotations

from openpyxl import Workbook

from biocurate.inventory import find_rows, reach_of
from biocurate.loaders import Reject, get_loader

from tests.conformance.test_loaders import FIXTURES


def test_terms_normalised_to_codes() -> None:
    first, second = get_loader("Yidu-N7K")(FIXTURES / "Yidu-N7K").iter_split("train")
    assert first.entities[0].text == ["左膝退变伴游离体"]
    assert [n.db_id for n in first.entities[0].normalized] == ["M17.901", "M23.401"]
    assert [reach_of(r).loader for r in find_rows("Clinical_Terminology_Standardization")] == ["clinical_terminology_standardization"]


def test_empty_standard_term_is_rejected(tmp_path) -> None:
    book = Workbook()
    book.active.append(("原始词", "标准词"))
    book.active.append(("头痛", "偏头痛##"))
    book.save(tmp_path / "train.xlsx")
    (item,) = get_loader("clinical_terminology_standardization")(tmp_path).records("train")
    assert isinstance(item, Reject) and (item.line, item.field) == (2, "standard_term")
