"""``biocurate preview`` on the bundled samples: filters, seed rule shared with the export, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import biocurate
from biocurate.cli import main

from tests.support import make_root


def _json_lines(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[dict]:
    assert main(["preview", "--json", *argv]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_samples_are_what_the_export_renders(capsys: pytest.CaptureFixture[str]) -> None:
    got = _json_lines(capsys, ["--dataset", "cmeee", "-n", "3", "--seed", "7"])
    assert len(got) == 3 and {g["dataset"] for g in got} == {"cmeee"}
    records = {r.id: r for r in biocurate.open_loader("cmeee").iter_split(got[0]["split"]) if r.id in {g["record_id"] for g in got}}
    for g in got:
        expected = [s for s in biocurate.render_record(records[g["record_id"]], g["task"], seed=7)]
        assert {"template_id": g["template_id"], "conversation": g["conversation"]} in [
            {"template_id": s.template_id, "conversation": s.conversation} for s in expected]


def test_task_category_and_language_filters(capsys: pytest.CaptureFixture[str]) -> None:
    got = _json_lines(capsys, ["--task", "qa", "--lang", "en", "-n", "1"])
    assert got and all(g["category"] == "qa" and g["language"] == "en" for g in got)
    assert len({g["dataset"] for g in got}) == len(got) > 1  # one per dataset
    ner_zh = _json_lines(capsys, ["--task", "ner", "--lang", "zh", "-n", "1"])
    assert "cmeee" in {g["dataset"] for g in ner_zh} and all(g["task"] == "ner" for g in ner_zh)


def test_data_dir_limits_the_datasets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_root(tmp_path, "NCBI-disease")
    got = _json_lines(capsys, ["--data-dir", str(root), "-n", "2"])
    assert {g["dataset"] for g in got} <= {"ncbi_disease", "pubmed_titles"} and "ncbi_disease" in {g["dataset"] for g in got}


def test_text_output_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "--dataset", "cmeee", "-n", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("=== cmeee / ") and "--- human\n" in out and out.rstrip().endswith("1 samples shown")
    assert main(["preview", "--task", "no_such_task"]) == 1
    assert "not a task or category" in capsys.readouterr().err
