"""GSM8K on the real excerpt (first 500 train and 500 test problems)."""

from __future__ import annotations

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts() -> None:
    loader = open_loader("GSM8K")
    assert loader.available_splits() == ["train", "test"]
    assert sum(1 for _ in loader.iter_split("train")) == 500
    assert sum(1 for _ in loader.iter_split("test")) == 500


def test_first_question_and_cot_answer() -> None:
    record = next(open_loader("gsm8k").iter_split("train"))
    assert record.language == "en" and [t.role for t in record.turns] == ["user", "assistant"]
    assert record.turns[0].text.startswith("Natalia sold clips to 48 of her friends in April")
    # calculator annotations <<48/2=24>> removed, "#### 72" rewritten
    assert record.turns[1].text == (
        "Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether in April and May.\nThe answer is 72."
    )


def test_missing_final_answer_and_bad_json_are_rejected(tmp_path) -> None:
    (tmp_path / "train.jsonl").write_text(
        '{"question": "1+1?", "answer": "1+1=<<1+1=2>>2\\n#### 2"}\n{"question": "2+2?", "answer": "4"}\n{"question": \n',
        encoding="utf-8",
    )
    items = list(get_loader("gsm8k")(tmp_path).records("train"))
    assert items[0].turns[1].text == "1+1=2\nThe answer is 2."
    assert isinstance(items[1], Reject) and (items[1].line, items[1].field) == (2, "answer")
    assert isinstance(items[2], Reject) and items[2].line == 3 and items[2].file.endswith("train.jsonl")
