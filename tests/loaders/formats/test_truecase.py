"""Partial truecasing of lowercased English (loaders/formats/truecase.py): what it cases and what it leaves."""

from __future__ import annotations

import pytest

from biocurate.loaders.formats.truecase import truecase_en, truecase_words


@pytest.mark.parametrize(("lowered", "cased"), [
    ("combination art is a cornerstone. state-of-the-art care", "Combination ART is a cornerstone. State-of-the-art care"),
    ("patients who had hiv-1 and cd4 counts", "Patients who had HIV-1 and CD4 counts"),
    ("updated at https://aidsinfo.nih.gov/ and www.nejm.org", "Updated at https://aidsinfo.nih.gov/ and www.nejm.org"),
    ("a trial by tan et al. showed", "A trial by Tan et al. showed"),
    ("the large u.s. national study (i.e., a survey) vs. others", "The large U.S. national study (i.e., a survey) vs. others"),
    ("funded by f. hoffmann-la roche", "Funded by f. hoffmann-la roche"),
    ("nyha class iii or iv; type i error; group b streptococcus; hepatitis c", "NYHA class III or IV; type I error; group B streptococcus; hepatitis C"),
    ("(tables s3 and s4; figs. s4 and s5; figure 2a)", "(Tables S3 and S4; Figs. S4 and S5; Figure 2A)"),
    ("systolic bp ≥ 140 mm hg (p<0.001). (all end points)", "Systolic BP ≥ 140 mm Hg (P<0.001). (All end points)"),
    ("aggressive b-cell lymphomas in sub-saharan africa and new york", "Aggressive B-cell lymphomas in sub-Saharan Africa and New York"),
])
def test_truecase_en(lowered: str, cased: str) -> None:
    assert truecase_en(lowered) == cased


def test_truecase_words_in_chinese_text_leaves_sentences_alone() -> None:
    assert truecase_words("许多hiv感染人群，p=0.28；sotagliflozin组（nct02531035）") == "许多HIV感染人群，P=0.28；sotagliflozin组（NCT02531035）"
    assert truecase_words("art") == "ART" and truecase_words("the art-based") == "the art-based"
