"""The write step above one batch (``export/select.kept_rows``, :data:`BATCH_ROWS` = 2,048 rows):
datasets of more than 2,048 kept rows, their rows and order checked against the raw files.

Every record is kept (exact dedup and decontamination off) and every target equals the record
count, so each kept row is written exactly once and the shards must hold the raw records in file
order. The Parquet row groups show the batches: the writer closes a row group after the write
call that brings its gathered rows to ``ROW_GROUP_ROWS`` or more (or at a shard's end, or when a
dataset is done), and ``kept_rows`` hands it one table of ``BATCH_ROWS`` rows per call, so the
group sizes below are worked out from those two numbers and the record count alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import biocurate
import biocurate.export.pipeline as pipeline
import biocurate.export.select as select
import biocurate.export.units as units
from biocurate.export.writers import ParquetShardWriter
from tests.support import make_root, write_mix


def _shards(out: Path, category: str, language: str) -> list[Path]:
    return sorted((out / "data" / category / language).glob("*.parquet"))


def _row_groups(path: Path) -> list[int]:
    meta = pq.ParquetFile(path).metadata
    return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]


def test_chip_ctc_7682_rows_in_batches_of_2048(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CHIP-CTC's dev file (one JSON array of 7,682 criteria, one unit of 31 blocks) with the
    default BATCH_ROWS: tables of 2048, 2048, 2048 and 1538 rows reach the writer.

    With row groups of >= 3,000 rows and shards of 5,000: shard 0 gathers 2048, then 4096
    (>= 3000: a group of 4096); the third table fills the shard with 5000 - 4096 = 904 rows (a
    group of 904) and its other 1144 rows start shard 1, which the last table brings to
    1144 + 1538 = 2682 rows, one group when the dataset ends."""
    assert select.BATCH_ROWS == 2048  # the default is what this test exercises
    monkeypatch.setattr(ParquetShardWriter, "ROW_GROUP_ROWS", 3000)
    root = make_root(tmp_path, "CHIP-CTC")
    raw = json.loads((root / "CHIP-CTC" / "CHIP-CTC_dev.json").read_text(encoding="utf-8"))
    assert len(raw) == 7682
    mix = write_mix(tmp_path, targets={"tc": {"zh": len(raw)}}, caps={}, splits=["validation"], stages=[],
                    dedup={"exact": False}, decontaminate={"enabled": False})
    out = biocurate.export(mix, tmp_path / "out", data_dir=root, formats=["parquet", "sharegpt"], shard_rows=5000, workers=1).out

    shards = _shards(out, "tc", "zh")
    assert [p.name for p in shards] == ["train-00000.parquet", "train-00001.parquet"]
    assert [_row_groups(p) for p in shards] == [[4096, 904], [2682]]
    rows = [r for p in shards for r in pq.read_table(p, columns=["record_id", "conversation"]).to_pylist()]
    assert [r["record_id"] for r in rows] == [f"validation-{i}" for i in range(len(raw))]  # written order, not sorted
    for row, item in zip(rows, raw):
        assert item["text"].strip() in row["conversation"][0]["human"], row["record_id"]
    lines = (out / "sharegpt.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [f"chip_ctc/validation-{i}/tc/0" for i in range(len(raw))]


def test_two_parts_of_chatdoctor_read_back_in_record_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ChatDoctor's 2,000 dialogues (one JSON array, parsed lazily) split over two worker parts
    in blocks of 300: blocks 0, 2, 4, 6 (1200 items) go to part 0 and 1, 3, 5 (800) to part 1,
    so the parts' row files hold 4 and 3 batches and the write step must interleave them back.

    With tables of 43 rows and row groups of >= 500: every group closes at the twelfth table,
    12 * 43 = 516 rows, and the dataset's end flushes the remaining 2000 - 3 * 516 = 452. (43
    because the first block's 300 rows leave 300 - 6 * 43 = 42 waiting, one short of a table:
    a count off by one would cut a short table there and shift every later group.)"""
    monkeypatch.setattr(units, "BLOCK_ITEMS", 300)
    monkeypatch.setattr(pipeline, "SHARED_SPLIT_BYTES", 0)
    monkeypatch.setattr(select, "BATCH_ROWS", 43)
    monkeypatch.setattr(ParquetShardWriter, "ROW_GROUP_ROWS", 500)
    made: list = []

    def work_units(*args, **kwargs):  # the real function, its units recorded
        made.extend(real_work_units(*args, **kwargs))
        return list(made)

    real_work_units = pipeline.work_units
    monkeypatch.setattr(pipeline, "work_units", work_units)
    root = make_root(tmp_path, "ChatDoctor-GenMedGPT-5k")
    raw = json.loads((root / "ChatDoctor-GenMedGPT-5k" / "chatdoctor5k.json").read_text(encoding="utf-8"))
    assert len(raw) == 2000
    mix = write_mix(tmp_path, targets={"dialogue": {"en": len(raw)}}, caps={}, splits=["train"], stages=[],
                    dedup={"exact": False}, decontaminate={"enabled": False})
    out = biocurate.export(mix, tmp_path / "out", data_dir=root, workers=2).out

    assert [(u.dataset, u.part, u.parts) for u in made] == [("chatdoctor", 0, 2), ("chatdoctor", 1, 2)]
    (shard,) = _shards(out, "dialogue", "en")
    assert _row_groups(shard) == [516, 516, 516, 452]
    rows = pq.read_table(shard, columns=["record_id", "conversation"]).to_pylist()
    assert [r["record_id"] for r in rows] == [f"train-{i}" for i in range(len(raw))]
    for row, item in zip(rows, raw):
        (turn,) = row["conversation"]
        assert turn["assistant"] == item["output"].strip(), row["record_id"]
        assert item["input"].strip() in turn["human"], row["record_id"]
