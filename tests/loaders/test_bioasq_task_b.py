"""BioASQ Task B on the real golden batch 10B6 (37 questions of four types)."""

from __future__ import annotations

import collections

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split_and_type() -> None:
    loader = open_loader("BioASQ-TaskB")
    assert loader.available_splits() == ["test"]
    records = list(loader.iter_split("test"))
    assert collections.Counter(r.type for r in records) == {"list": 15, "summary": 10, "factoid": 6, "yesno": 6}


def test_each_question_type() -> None:
    by_id = {r.question_id: r for r in open_loader("bioasq_task_b").iter_split("test")}
    yesno = by_id["6278da4456bf9aee6f00000f"]
    assert yesno.question == "Is thalidomide used as an immunomodulatory drug nowadays?"
    assert (yesno.choices, yesno.answer) == (["yes", "no"], ["yes"])
    assert yesno.long_answer == ["Nowadays, thalidomide is being used as an immunomodulatory drug.", "Yes."]
    assert len(yesno.context.split("\n")) == 26
    factoid = by_id["6278ca4a56bf9aee6f00000c"]
    assert (factoid.type, factoid.answer, factoid.choices) == ("factoid", ["L124"], [])
    listed = by_id["6278dd6156bf9aee6f000012"]
    assert listed.answer == ["AlphaFold", "PredictProtein", "PSIPRED", "Jpred", "Porter", "Jnet"]
    summary = by_id["6273a2cae764a53204000046"]
    assert summary.answer == summary.long_answer and summary.answer[0].startswith("A direct link between developmental pathways")


def test_bad_questions_are_rejected_with_location(tmp_path) -> None:
    (tmp_path / "10B1_golden.json").write_text(
        '{\n  "questions": [\n'
        '    {"id": "q1", "type": "yesno", "body": "B?", "ideal_answer": ["I"], "exact_answer": "maybe", "snippets": []},\n'
        '    {"id": "q2", "type": "summary", "ideal_answer": ["I"], "snippets": [{"text": "s"}]},\n'
        '    {"id": "q3", "type": "factoid", "body": "B?", "ideal_answer": "I", "exact_answer": [["x", "y"], ["z"]], "snippets": [{"text": "s"}, {"text": "s"}]},\n'
        '    {"id": "q4", "type": "list", "body": "B?", "ideal_answer": ["I"], "exact_answer": [[]]}\n'
        "  ]\n}",
        encoding="utf-8",
    )
    items = list(get_loader("bioasq_task_b")(tmp_path).records("test"))
    rejects = [r for r in items if isinstance(r, Reject)]
    assert [(r.record, r.line, r.field) for r in rejects] == [("q1", 3, "exact_answer"), ("q2", 4, "body"), ("q4", 6, "exact_answer[0]")]
    assert all(r.file.endswith("10B1_golden.json") for r in rejects)
    (factoid,) = [r for r in items if not isinstance(r, Reject)]
    assert (factoid.answer, factoid.context, factoid.long_answer) == (["x", "z"], "s", ["I"])


def test_malformed_json_is_rejected_with_its_line(tmp_path) -> None:
    (tmp_path / "10B1_golden.json").write_text('{"questions": [\n{"id": "q1",\n"type": yesno}\n]}', encoding="utf-8")
    (item,) = get_loader("bioasq_task_b")(tmp_path).records("test")
    assert isinstance(item, Reject) and item.line == 3 and "malformed JSON" in item.reason
