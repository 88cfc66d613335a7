"""``biocurate convert`` and bad input: every problem names file, line/record, field and reason."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from biocurate.cli import main
from biocurate.schemas.jsonschema_files import path_for
from biocurate.sources import samples_dir


def test_convert_real_sample_to_jsonl_valid_against_json_schema(tmp_path: Path, capsys) -> None:
    out = tmp_path / "cmeee.jsonl"
    assert main(["convert", "CMeEE", "--data-dir", str(samples_dir() / "CMeEE"), "--out", str(out), "--split", "validation"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 700
    schema = json.loads(path_for("kb").read_text())
    first = json.loads(lines[0])
    jsonschema.validate(first, schema)
    assert first["entities"][1] == {"id": "e1", "type": "疾病", "text": ["成人SARS"], "offsets": [[19, 25]], "normalized": []}
    assert "cmeee/validation: 700 records, 0 rejected" in capsys.readouterr().out
    assert not (tmp_path / "cmeee.rejects.jsonl").exists()


def test_bigbio_layout_option(tmp_path: Path) -> None:
    out = tmp_path / "cmeee.jsonl"
    assert main(["convert", "cmeee", "--data-dir", str(samples_dir() / "CMeEE"), "--out", str(out), "--split", "validation", "--bigbio"]) == 0
    assert set(json.loads(out.read_text().splitlines()[0])) == {"id", "document_id", "passages", "entities", "events", "coreferences", "relations"}


def _cmeee_dir(tmp_path: Path, records: list[dict]) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "CMeEE_dev.json").write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def test_offset_that_does_not_match_the_text_goes_to_rejects(tmp_path: Path) -> None:
    folder = _cmeee_dir(tmp_path, [
        {"text": "患者头痛三天。", "entities": [{"start_idx": 2, "end_idx": 3, "type": "sym", "entity": "头痛"}]},
        {"text": "患者发热。", "entities": [{"start_idx": 1, "end_idx": 3, "type": "sym", "entity": "发热"}]},
    ])
    out = tmp_path / "out.jsonl"
    assert main(["convert", "cmeee", "--data-dir", str(folder), "--out", str(out)]) == 0
    assert len(out.read_text().splitlines()) == 1
    (reject,) = [json.loads(line) for line in (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert reject["stage"] == "validate" and reject["record"] == "validation-1"
    assert reject["field"] == "entities[0].offsets[0]" and "'者发热'" in reject["reason"]


def test_unknown_label_and_malformed_record_are_rejected_with_line(tmp_path: Path) -> None:
    folder = _cmeee_dir(tmp_path, [
        {"text": "头痛", "entities": [{"start_idx": 0, "end_idx": 1, "type": "zzz", "entity": "头痛"}]},
        {"entities": []},
    ])
    out = tmp_path / "out.jsonl"
    main(["convert", "cmeee", "--data-dir", str(folder), "--out", str(out)])
    rejects = [json.loads(line) for line in (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert [(r["line"], r["field"]) for r in rejects] == [(2, "entities[0].type"), (13, "text")]
    assert all(r["file"].endswith("CMeEE_dev.json") for r in rejects)


def test_missing_split_names_the_expected_file(tmp_path: Path, capsys) -> None:
    code = main(["convert", "cmeee", "--data-dir", str(samples_dir() / "CMeEE"), "--out", str(tmp_path / "x.jsonl"), "--split", "train"])
    assert code == 1
    err = capsys.readouterr().err
    assert "no raw file for split 'train'" in err and "CMeEE_train.json" in err


def test_malformed_json_array_names_file_and_line(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "CMeEE_dev.json").write_text('[\n  {"text": "a", "entities": []},\n  {"text": "b", "entities": [}\n]', encoding="utf-8")
    assert main(["convert", "cmeee", "--data-dir", str(folder), "--out", str(tmp_path / "x.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "CMeEE_dev.json line 3" in err and "malformed JSON" in err


def test_unknown_dataset_suggests_names(capsys) -> None:
    assert main(["convert", "cmee", "--data-dir", ".", "--out", "x.jsonl"]) == 1
    assert "did you mean" in capsys.readouterr().err
