"""Every output format loads as it is: datasets' loaders (folder and JSON), LLaMA-Factory's entry."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from biocurate.cli import main
from biocurate.export.llamafactory import dataset_info
from biocurate.export.rows import CONVERSATION_TYPE
from biocurate.export.writers import AlpacaWriter, jsonl_schema

from tests.support import make_root, write_mix

datasets = pytest.importorskip("datasets")


@pytest.fixture(autouse=True)
def _quiet() -> None:
    datasets.disable_progress_bars()


def _export(tmp_path: Path, *formats: str, name: str = "out", **mix) -> Path:
    out = tmp_path / name
    root = make_root(tmp_path, "CMeEE", "PromptCBLUE-toy")
    spec = write_mix(tmp_path, targets={"ner": {"zh": 40}, "dialogue": {"zh": 10}}, caps={"default": 40}, **mix)
    args = ["export", "--mix", str(spec), "--data-dir", str(root), "--out", str(out), "--quiet"]
    assert main(args + [a for f in formats for a in ("--format", f)]) == 0
    return out


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_json_lines_only_export_loads_from_its_folder(tmp_path: Path) -> None:
    out = _export(tmp_path, "sharegpt", "alpaca", "firefly")
    cache = str(tmp_path / "cache")
    default = datasets.load_dataset(str(out), split="train", cache_dir=cache)  # metadata files are not read
    assert default.column_names == ["conversation_id", "dataset", "category", "language", "conversation"]
    assert default.num_rows == 50
    for fmt, columns in {"sharegpt": ["id", "conversations"], "alpaca": ["instruction", "input", "output", "history"]}.items():
        loaded = datasets.load_dataset(str(out), fmt, split="train", cache_dir=cache)
        assert loaded.column_names == columns and loaded.num_rows == 50
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "config_name: sharegpt" in card and "config_name: ner" not in card


def test_beside_parquet_the_folder_loads_parquet_and_each_json_file_loads_with_the_json_loader(tmp_path: Path) -> None:
    out = _export(tmp_path, "parquet", "sharegpt", "alpaca", "firefly")
    cache = str(tmp_path / "cache")
    shards = datasets.load_dataset(str(out), split="train", cache_dir=cache)
    assert "messages" in shards.column_names and shards.num_rows == 50
    for fmt in ("sharegpt", "alpaca", "firefly"):
        # a tiny chunk size: types are fixed by the first chunk, as with a large file's first 10 MiB
        loaded = datasets.load_dataset("json", data_files=str(out / f"{fmt}.jsonl"), split="train", cache_dir=cache, chunksize=2048)
        assert loaded.num_rows == 50
        assert loaded.features.arrow_schema == jsonl_schema(fmt)


def _turns(n: int) -> list[dict[str, str]]:
    return [{"human": f"q{i}", "assistant": f"a{i}"} for i in range(n)]


def test_alpaca_history_is_typed_from_the_first_row(tmp_path: Path) -> None:
    # 300 single-turn rows, then one two-turn row: the order that made datasets' JSON loader fail
    conversations = [_turns(1)] * 300 + [_turns(2)] + [_turns(1)] * 5
    table = pa.table({"language": ["en"] * len(conversations), "conversation": pa.array(conversations, CONVERSATION_TYPE)})
    writer = AlpacaWriter(tmp_path)
    writer.write(table)
    path = writer.close()[0]
    rows = _lines(path)
    assert rows[0]["history"] == [["q0", "a0"]] and rows[0]["instruction"] == "q1"
    assert len(rows) == 306 and all(r["history"] == [] for r in rows[1:])
    loaded = datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(tmp_path / "c"), chunksize=1024)
    assert loaded[0]["history"] == [["q0", "a0"]]

    # the same rows in selection order fail to load: what the move above prevents
    unmoved = tmp_path / "unmoved.jsonl"
    unmoved.write_text("".join(json.dumps(r) + "\n" for r in rows[1:301] + rows[:1] + rows[301:]), encoding="utf-8")
    with pytest.raises(datasets.exceptions.DatasetGenerationError) as failed:
        datasets.load_dataset("json", data_files=str(unmoved), split="train", cache_dir=str(tmp_path / "c2"), chunksize=1024)
    assert "cast" in str(failed.value.__cause__)


def test_llamafactory_entries_name_only_columns_that_exist(tmp_path: Path) -> None:
    out = _export(tmp_path, "parquet", "sharegpt", "alpaca", "firefly")
    entries = json.loads((out / "dataset_info.json").read_text(encoding="utf-8"))
    assert entries == {
        "biocurate_small": {
            "script_url": ".", "formatting": "sharegpt", "columns": {"messages": "messages"},
            "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant", "system_tag": "system"},
        },
        "biocurate_small_sharegpt": {
            "file_name": "sharegpt.jsonl", "formatting": "sharegpt", "columns": {"messages": "conversations"},
            "tags": {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt"},
        },
        "biocurate_small_alpaca": {
            "file_name": "alpaca.jsonl", "formatting": "alpaca",
            "columns": {"prompt": "instruction", "query": "input", "response": "output", "history": "history"},
        },
    }
    for entry in entries.values():  # every column an entry names is in its file
        if "file_name" in entry:
            first = _lines(out / entry["file_name"])[0]
            assert set(entry["columns"].values()) <= set(first)
    assert dataset_info("small", ["sharegpt"], system=True)["biocurate_small_sharegpt"]["columns"]["system"] == "system"


def test_system_prompt_column_in_json_lines_and_entries(tmp_path: Path) -> None:
    out = _export(tmp_path, "sharegpt", "alpaca", system="You are a biomedical assistant.")
    entries = json.loads((out / "dataset_info.json").read_text(encoding="utf-8"))
    assert entries["biocurate_small_alpaca"]["columns"]["system"] == "system"
    assert {r["system"] for r in _lines(out / "alpaca.jsonl")} == {"You are a biomedical assistant."}
    loaded = datasets.load_dataset(str(out), "alpaca", split="train", cache_dir=str(tmp_path / "c"))
    assert loaded.features.arrow_schema == jsonl_schema("alpaca", system=True)


def test_a_later_export_without_llamafactory_formats_removes_the_old_entry(tmp_path: Path) -> None:
    out = _export(tmp_path, "parquet", "sharegpt")
    assert (out / "dataset_info.json").is_file()
    (tmp_path / "again").mkdir()
    _export(tmp_path / "again", "firefly", name="../out")
    assert not (out / "dataset_info.json").exists() and not (out / "sharegpt.jsonl").exists()
