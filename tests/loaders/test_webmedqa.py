"""webMedQA on a fixture built from the README's field list (ID, Label, Category, Question, Answer)."""

from __future__ import annotations

from biocurate.loaders import Reject, get_loader

from tests.conformance.test_loaders import FIXTURES


def test_positive_answers_only() -> None:
    records = list(get_loader("webMedQA")(FIXTURES / "webMedQA").iter_split("train"))
    assert [(r.question_id, r.answer[0][:6]) for r in records] == [("21166878", "您还是需要慢"), ("21170012", "小儿夜间出汗")]


def test_lines_in_another_layout_are_rejected(tmp_path) -> None:
    (tmp_path / "medQA.train.txt").write_text("1,1,内科,问题,答案\n2\t2\t内科\t问\t答\n", encoding="utf-8")
    items = list(get_loader("webmedqa")(tmp_path).records("train"))
    assert [(i.line, i.field) for i in items] == [(1, "line"), (2, "Label")] and all(isinstance(i, Reject) for i in items)
