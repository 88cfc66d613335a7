"""Rule 0 of the decisions: a raw id repeated within a split of a loader that reads its items
deferred (Firefly's JSON Lines, one line parsed per item) is one read reject naming the first
line, for any number of workers and parts, and the repeated line's conversation is not exported.

The data: the bundled Firefly sample with line 5's ``conversation_id`` set to 2 (line 2's)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from biocurate.export import pipeline, units
from biocurate.export.pipeline import ExportOptions, run_export
from biocurate.mix.spec import load_mixture

from tests.support import make_root, write_mix


@pytest.fixture
def root(tmp_path: Path) -> tuple[Path, int, str]:
    """The data root, the number of lines of the file and line 5's first question."""
    root = make_root(tmp_path, "Firefly-dummy")
    path = root / "Firefly-dummy" / "dummy_data.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    repeated = json.loads(lines[4])
    assert repeated["conversation_id"] == 5 and json.loads(lines[1])["conversation_id"] == 2
    repeated["conversation_id"] = 2
    lines[4] = json.dumps(repeated, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    question = repeated["conversation"][0]["human"]
    assert sum(question in line for line in lines) == 1  # nowhere else in the file
    return root, len(lines), question


def _export(tmp_path: Path, root: Path, name: str, workers: int):
    spec = load_mixture(write_mix(tmp_path, targets={"general_dialogue": {"all": 100}}, caps={"default": 1000},
                                  stages=[{"name": "all", "categories": None, "epochs": 1}]))
    return run_export(spec, ExportOptions(out=tmp_path / name, data_root=root, progress=False, workers=workers))


def test_a_repeated_conversation_id_is_one_read_reject(tmp_path: Path, root, monkeypatch: pytest.MonkeyPatch) -> None:
    data, lines, question = root
    one = _export(tmp_path, data, "one", workers=1)
    monkeypatch.setattr(units, "BLOCK_ITEMS", 3)  # the split dealt into two parts of 3-item blocks:
    monkeypatch.setattr(pipeline, "SHARED_SPLIT_BYTES", 0)  # lines 2 and 5 are read by different workers
    two = _export(tmp_path, data, "two", workers=2)
    for result in (one, two):
        rejects = [json.loads(line) for line in (result.out / "rejects.jsonl").read_text(encoding="utf-8").splitlines()]
        assert rejects == [{"dataset": "firefly", "split": "train", "reason": "record id '2' already used on line 2",
                            "stage": "read", "file": "Firefly-dummy/dummy_data.jsonl", "line": 5, "record": "2",
                            "field": "id", "raw": None}]
        split = result.manifest["sources"]["firefly"]["per_split"]["train"]
        assert (split["read"], split["rejected"], split["records"], split["rejects_by_stage"]) == (lines, 1, lines - 1, {"read": 1})
        firsts = [turns[0]["content"] for shard in sorted((result.out / "data").rglob("*.parquet"))
                  for turns in pq.read_table(shard, columns=["messages"]).column("messages").to_pylist()]
        assert len(firsts) == lines - 1 and question not in firsts
    assert (one.out / "rejects.jsonl").read_bytes() == (two.out / "rejects.jsonl").read_bytes()
    shards = [sorted((r.out / "data").rglob("*.parquet")) for r in (one, two)]
    assert [p.read_bytes() for p in shards[0]] == [p.read_bytes() for p in shards[1]]
