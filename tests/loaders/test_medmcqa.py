"""MedMCQA on the real excerpt: the first 1000 dev questions (cop is 1-based)."""

from __future__ import annotations

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("MedMCQA")
    assert loader.available_splits() == ["validation"]
    assert sum(1 for _ in loader.iter_split("validation")) == 1000


def test_cop_is_one_based_and_explanation_is_long_answer() -> None:
    records = open_loader("medmcqa").iter_split("validation")
    first, second = next(records), next(records)
    assert first.question_id == "45258d3d-b974-44dd-a161-c3fccbdadd88"
    assert first.answer == ["Impulse through myelinated fibers is slower than non-myelinated fibers"]  # cop 1 = opa
    assert first.long_answer == []  # exp is null
    assert second.answer == ["The oncotic pressure of the fluid leaving the capillaries is less than that of fluid entering it"]
    assert second.long_answer[0].startswith("Ans-a. The oncotic pressure")


def test_repeated_option_text_is_kept_once() -> None:
    record = next(r for r in open_loader("medmcqa").iter_split("validation") if r.question_id == "98ae0eca-84e2-4b3c-95e3-2920fafef1e8")
    assert record.choices == ["Africas", "Caucians", "Not Recalled"] and record.answer == ["Africas"]


def test_bad_cop_and_malformed_line_are_rejected(tmp_path) -> None:
    row = '{"question": "Q?", "exp": null, "cop": %s, "opa": "a", "opb": "b", "opc": "c", "opd": "d", "subject_name": "S", "topic_name": null, "id": "x%s", "choice_type": "single"}\n'
    (tmp_path / "dev.json").write_text(row % (4, 1) + row % (0, 2) + "{not json\n" + row % (5, 4), encoding="utf-8")
    items = list(get_loader("medmcqa")(tmp_path).records("validation"))
    assert items[0].answer == ["d"]
    assert all(isinstance(r, Reject) and r.file.endswith("dev.json") for r in items[1:])
    assert [(r.line, r.field, r.record) for r in items[1:]] == [(2, "cop", "x2"), (3, None, None), (4, "cop", "x4")]
