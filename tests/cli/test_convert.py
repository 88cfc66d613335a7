"""``biocurate convert`` and bad input: every problem names file, line/record, field and reason."""

from __future__ import annotations

import json
import shutil
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
    # validation rejects keep the raw file and the line the record's element starts on
    element_lines = [n for n, line in enumerate((folder / "CMeEE_dev.json").read_text().splitlines(), start=1) if line == "  {"]
    assert reject["file"] == str(folder / "CMeEE_dev.json") and reject["line"] == element_lines[1] == 13


def test_unknown_label_and_malformed_record_are_rejected_with_line(tmp_path: Path) -> None:
    folder = _cmeee_dir(tmp_path, [
        {"text": "头痛", "entities": [{"start_idx": 0, "end_idx": 1, "type": "zzz", "entity": "头痛"}]},
        {"entities": []},
    ])
    out = tmp_path / "out.jsonl"
    assert main(["convert", "cmeee", "--data-dir", str(folder), "--out", str(out)]) == 1  # every record rejected
    assert out.read_text() == ""
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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]  # no partial output, no partial rejects


def test_unknown_dataset_suggests_names(capsys) -> None:
    assert main(["convert", "cmee", "--data-dir", ".", "--out", "x.jsonl"]) == 1
    assert "did you mean" in capsys.readouterr().err


def test_empty_data_folder_is_a_one_line_error_with_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["convert", "cmeee", "--data-dir", str(tmp_path), "--out", str(tmp_path / "x.jsonl")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "holds none of the dataset's files" in err
    assert "CMeEE_train.json" in err and "CMeEE_dev.json" in err and "CMeEE_test.json" in err
    assert not (tmp_path / "x.jsonl").exists()


def _bionlp_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ge"
    folder.mkdir()
    for path in (samples_dir() / "BioNLP-ST-2011-GE").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_one_bad_byte_in_a_brat_text_rejects_that_document_only(tmp_path: Path, capsys) -> None:
    folder = _bionlp_copy(tmp_path)
    txt = folder / "PMID-8577772.txt"
    data = txt.read_bytes()
    assert data.startswith(b"In vivo anergized")
    txt.write_bytes(data.replace(b"In vivo", b"In viv\xe9", 1))
    offset = data.index(b"In vivo") + len("In viv")
    out = tmp_path / "F.jsonl"
    assert main(["convert", "bionlp_st_2011_ge", "--data-dir", str(folder), "--out", str(out)]) == 0
    assert "bionlp_st_2011_ge/train: 19 records, 1 rejected" in capsys.readouterr().out
    docs = [json.loads(line)["document_id"] for line in out.read_text().splitlines()]
    assert len(docs) == 19 and "PMID-8577772" not in docs
    (reject,) = [json.loads(line) for line in (tmp_path / "F.rejects.jsonl").read_text().splitlines()]
    assert reject["file"] == str(txt) and reject["line"] == 1 and reject["field"] == "encoding"
    assert f"byte offset {offset}" in reject["reason"] and "0xe9" in reject["reason"]
    # the same bytes read as Latin-1 when told so: every document converts
    assert main(["convert", "bionlp_st_2011_ge", "--data-dir", str(folder), "--out", str(out), "--encoding", "latin-1"]) == 0
    assert len(out.read_text().splitlines()) == 20 and not (tmp_path / "F.rejects.jsonl").exists()


def test_missing_brat_text_is_a_reject_naming_it(tmp_path: Path) -> None:
    folder = _bionlp_copy(tmp_path)
    (folder / "PMID-10064103.txt").unlink()
    out = tmp_path / "F.jsonl"
    assert main(["convert", "bionlp_st_2011_ge", "--data-dir", str(folder), "--out", str(out)]) == 0
    assert len(out.read_text().splitlines()) == 19
    (reject,) = [json.loads(line) for line in (tmp_path / "F.rejects.jsonl").read_text().splitlines()]
    assert reject["field"] == "companion" and reject["file"] == str(folder / "PMID-10064103.ann")
    assert "PMID-10064103.txt" in reject["reason"]


def test_gb18030_cblue_file_reads_with_its_encoding(tmp_path: Path, capsys) -> None:
    records = [{"text": "患者头痛三天。", "entities": [{"start_idx": 2, "end_idx": 3, "type": "sym", "entity": "头痛"}]}]
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "CMeEE_dev.json").write_bytes(json.dumps(records, ensure_ascii=False).encode("gb18030"))
    out = tmp_path / "out.jsonl"
    assert main(["convert", "cmeee", "--data-dir", str(folder), "--out", str(out)]) == 1  # read as UTF-8: rejected
    (reject,) = [json.loads(line) for line in (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert reject["field"] == "encoding" and reject["line"] == 1 and "byte offset 11" in reject["reason"]
    assert main(["convert", "cmeee", "--data-dir", str(folder), "--out", str(out), "--encoding", "gb18030"]) == 0
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["passages"][0]["text"] == ["患者头痛三天。"] and record["entities"][0]["text"] == ["头痛"]


def test_repeated_record_id_is_a_reject_and_the_rest_converts(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "raw"
    shutil.copytree(samples_dir() / "MedMCQA", folder)
    lines = (folder / "dev.json").read_text(encoding="utf-8").splitlines()
    (folder / "dev.json").write_text("\n".join([*lines, lines[9]]) + "\n", encoding="utf-8")  # line 10 pasted again
    out = tmp_path / "F.jsonl"
    assert main(["convert", "medmcqa", "--data-dir", str(folder), "--out", str(out)]) == 0
    assert "medmcqa/validation: 1000 records, 1 rejected" in capsys.readouterr().out
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1000
    (reject,) = [json.loads(line) for line in (tmp_path / "F.rejects.jsonl").read_text().splitlines()]
    key = json.loads(lines[9])["id"]
    assert (reject["line"], reject["field"], reject["record"]) == (1001, "id", key)
    assert reject["reason"] == f"record id {key!r} already used on line 10"
