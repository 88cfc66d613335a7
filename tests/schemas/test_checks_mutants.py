"""Rules of schemas/checks.py that planted bugs survived (scripts/mutation.py): the expected
values are the rules themselves, on hand-made records and on a real BioNLP-ST record."""

from __future__ import annotations

from biocurate.schemas import IdTracker, QARecord
from biocurate.schemas.checks import check_qa, check_record
from biocurate.sources import open_loader


def test_all_new_needs_distinct_ids_and_none_seen() -> None:
    tracker = IdTracker()
    assert tracker.all_new("d", ["a", "b"]) is True
    assert tracker.all_new("d", ["a", "a"]) is False  # repeated within the block
    tracker.add_ids("d", ["a"])
    assert tracker.all_new("d", ["b", "c"]) is True
    assert tracker.all_new("d", ["c", "a"]) is False  # seen before
    assert tracker.all_new("other", ["a"]) is True  # ids are per dataset


def _qa(kind: str, choices: list[str], answer: list[str]) -> QARecord:
    return QARecord(id="q1", dataset="d", split="train", language="en", question_id="1", document_id="1",
                    question="Is it?", type=kind, choices=choices, context="", answer=answer)


def test_choices_are_only_for_choice_factoid_and_list_questions() -> None:
    assert [p.field for p in check_qa(_qa("summary", ["a", "b"], ["a"]), {})] == ["type"]
    assert check_qa(_qa("factoid", ["a", "b"], ["a"]), {}) == []
    assert check_qa(_qa("list", ["a", "b"], ["a", "b"]), {}) == []
    assert check_qa(_qa("summary", [], ["a summary"]), {}) == []


def test_event_types_are_checked_only_when_declared() -> None:
    loader = open_loader("bionlp_st_2011_ge")
    record = next(r for r in loader.iter_split("train") if r.events)
    assert check_record(record, {}) == []
    types = sorted({e.type for e in record.events})
    assert check_record(record, {"event_types": types}) == []
    problems = check_record(record, {"event_types": types[1:]})
    wrong = [k for k, e in enumerate(record.events) if e.type == types[0]]
    assert [p.field for p in problems] == [f"events[{k}].type" for k in wrong]


def test_passage_offset_problem_states_the_expected_span() -> None:
    loader = open_loader("bionlp_st_2011_ge")
    record = next(loader.iter_split("train"))
    (passage,) = record.passages
    length = len(passage.text[0])
    moved = record.model_copy(update={"passages": [passage.model_copy(update={"offsets": [[1, length + 1]]})]})
    problems = [p for p in check_record(moved, {}) if p.field == "passages[0].offsets"]
    assert [p.reason for p in problems] == [f"expected [0, {length}), got [1, {length + 1})"]
