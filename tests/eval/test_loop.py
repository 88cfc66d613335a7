"""The evaluation loop end to end: export -> ``biocurate chat`` batch mode -> ``biocurate eval``.

Nothing is trained: a tiny randomly initialised Qwen2 with an offline tokenizer generates a few
tokens per prompt, so the scores are meaningless; the loop must run and write a report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("tokenizers")
pytest.importorskip("peft")

from biocurate.cli import main
from tests.eval.support import write_jsonl


@pytest.mark.slow
def test_export_generate_eval_loop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from biocurate.training.testing import build_tiny_model

    model = build_tiny_model(tmp_path / "tiny", extra_text=["疾病 症状 分类 答案"])
    export = tmp_path / "eval"
    assert main(["export", "--mix", "taiyi-v1", "--split", "validation", "--limit", "3", "--out", str(export),
                 "--quiet", "--datasets", "cmeee,kuake_qic"]) == 0
    rows = [json.loads(line) for name in ("cmeee", "kuake_qic")
            for line in (export / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[:2]]
    inputs = write_jsonl(tmp_path / "input.jsonl", rows)
    preds = tmp_path / "preds.jsonl"
    assert main(["chat", str(model), "--input", str(inputs), "--output", str(preds), "--max-new-tokens", "6",
                 "--device", "cpu", "--dtype", "float32", "--batch-size", "3"]) == 0
    written = [json.loads(line) for line in preds.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in written] == [r["id"] for r in rows]
    assert all(isinstance(p["prediction"], str) for p in written)

    report_path = tmp_path / "report.json"
    capsys.readouterr()
    assert main(["eval", "--predictions", str(preds), "--gold", str(export), "--datasets", "cmeee,kuake_qic",
                 "--report", str(report_path)]) == 0
    assert "micro_f1" in capsys.readouterr().out
    report = json.loads(report_path.read_text(encoding="utf-8"))
    # the export has more rows than were generated: the rest count as missing, none is unknown
    assert report["totals"]["unknown_ids"] == 0
    assert report["totals"]["missing"] == report["totals"]["rows"] - len(rows)
    assert {(r["dataset"], r["task"]) for r in report["results"]} == {("cmeee", "ner"), ("kuake_qic", "tc")}
    assert all(0.0 <= r["value"] <= 1.0 for r in report["results"])
