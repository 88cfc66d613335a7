"""Gold answers rendered from the real samples and parsed back score exactly 1.0 on every task."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from biocurate.cli import main
from biocurate.eval import evaluate, load_eval_rows, load_predictions
from tests.eval.support import write_jsonl

# Tasks the bundled samples and shipped templates cover today (more land with new loaders/templates).
EXPECTED_TASKS = {"ner", "re", "ee", "nen", "tc", "sts", "mt", "qa_choice", "qa_yesno", "qa_context", "qa_free",
                  "title_gen", "report_gen", "dialogue"}


def _gold_predictions(folder: Path, tmp_path: Path) -> Path:
    rows = load_eval_rows(folder)
    preds = [{"id": r["id"], "prediction": r["conversation"][-1]["assistant"]} for r in rows]
    return write_jsonl(tmp_path / f"{folder.name}.preds.jsonl", preds)


def test_gold_answers_score_one_on_every_task(real_exports: list[Path], tmp_path: Path) -> None:
    seen, wrong = set(), []
    for folder in real_exports:
        report = evaluate(load_eval_rows(folder), load_predictions(_gold_predictions(folder, tmp_path)))
        assert report["totals"]["missing"] == 0 and report["totals"]["unknown_ids"] == 0
        for result in report["results"]:
            seen.add(result["task"])
            below = {k: v for k, v in result["metrics"].items() if v != pytest.approx(1.0)}
            if below or result["parse_failures"] or result["out_of_label_set"] or result["template_missing"]:
                wrong.append((folder.name, result["dataset"], result["task"], result["language"], below,
                              result["failure_examples"][:1]))
    assert not wrong, "gold answers that do not score 1.0:\n" + "\n".join(map(str, wrong))
    assert EXPECTED_TASKS <= seen, f"tasks not covered by the samples: {sorted(EXPECTED_TASKS - seen)}"


def test_every_row_parses_back_to_its_gold(real_exports: list[Path]) -> None:
    """Stronger than the scores: the parsed structure equals the stored gold (after JSON round trip)."""
    from biocurate.templates.engine import default_store

    from biocurate.eval import parse_prediction
    from biocurate.eval.scoring import reference_text

    store, mismatches = default_store(), []
    for folder in real_exports:
        for row in load_eval_rows(folder):
            parsed = parse_prediction(row, row["conversation"][-1]["assistant"], store)
            # multi-turn rows are scored against their last reply (see reference_text); others against gold
            expected = reference_text(row) if len(row["conversation"]) > 1 else row["gold"]
            if json.loads(json.dumps(parsed.value)) != expected or parsed.status != "ok":
                mismatches.append((row["id"], row["template_id"], parsed.status))
    assert not mismatches, f"{len(mismatches)} rows do not round-trip, e.g. {mismatches[:5]}"


def test_cli_on_real_export(real_exports: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = real_exports[0]
    preds = _gold_predictions(folder, tmp_path)
    report_path = tmp_path / "report.json"
    assert main(["eval", "--predictions", str(preds), "--gold", str(folder), "--report", str(report_path)]) == 0
    out = capsys.readouterr().out
    assert "dataset" in out.splitlines()[0] and "100.0" in out
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["gold"] == str(folder) and report["totals"]["rows"] == len(load_eval_rows(folder))
    assert {r["dataset"] for r in report["results"]} == {p.stem for p in folder.glob("*.jsonl")}


def test_predictions_saved_in_the_export_folder_are_not_gold(real_exports: list[Path], tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    folder = shutil.copytree(real_exports[0], tmp_path / "export")
    first = min(folder.glob("*.jsonl"))
    rows = load_eval_rows(first)
    preds = write_jsonl(folder / "preds.jsonl",
                        [{"id": r["id"], "prediction": r["conversation"][-1]["assistant"]} for r in rows])
    assert main(["eval", "--predictions", str(preds), "--gold", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "warning: no prediction at all for" in out and first.stem not in out.split("no prediction at all for")[1]
    assert main(["eval", "--predictions", str(preds), "--gold", str(folder), "--datasets", first.stem]) == 0
    assert "warning" not in capsys.readouterr().out
