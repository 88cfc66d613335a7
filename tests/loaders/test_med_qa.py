"""MedQA (USMLE, 4 options) on the real excerpt: the first 200 test questions."""

from __future__ import annotations

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("MedQA-USMLE")
    assert loader.available_splits() == ["test"]
    assert sum(1 for _ in loader.iter_split("test")) == 200


def test_first_question_choices_in_letter_order_and_answer() -> None:
    record = next(open_loader("med_qa").iter_split("test"))
    assert record.question.startswith("A junior orthopaedic surgery resident is completing a carpal tunnel repair")
    assert record.type == "multiple_choice"
    assert record.choices == [
        "Disclose the error to the patient and put it in the operative report",
        "Tell the attending that he cannot fail to disclose this mistake",
        "Report the physician to the ethics committee",
        "Refuse to dictate the operative report",
    ]
    assert record.answer == ["Tell the attending that he cannot fail to disclose this mistake"]


def _line(answer: str = "b", idx: str = "B") -> str:
    return (
        '{"question": "Q?", "answer": "%s", "options": {"A": "a", "B": "b", "C": "c", "D": "d"}, '
        '"meta_info": "step1", "answer_idx": "%s", "metamap_phrases": []}\n' % (answer, idx)
    )


def test_malformed_line_and_answer_not_among_options_are_rejected(tmp_path) -> None:
    (tmp_path / "phrases_no_exclude_test.jsonl").write_text(
        _line() + '{"question": "broken\n' + _line(answer="e") + _line(idx="E"), encoding="utf-8"
    )
    items = list(get_loader("med_qa")(tmp_path).records("test"))
    assert items[0].answer == ["b"] and items[0].choices == ["a", "b", "c", "d"]
    assert [(r.line, r.field) for r in items[1:]] == [(2, None), (3, "answer"), (4, "answer_idx")]
    assert all(isinstance(r, Reject) and r.file.endswith("phrases_no_exclude_test.jsonl") for r in items[1:])
    assert "malformed JSON" in items[1].reason


def test_missing_key_is_rejected_with_location(tmp_path) -> None:
    (tmp_path / "phrases_no_exclude_test.jsonl").write_text('{"question": "Q?", "answer_idx": "A"}\n', encoding="utf-8")
    (item,) = get_loader("med_qa")(tmp_path).records("test")
    assert isinstance(item, Reject) and item.line == 1 and "options" in item.reason
