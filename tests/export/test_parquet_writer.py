"""Parquet shards are written by a thread pool; every file must get the bytes a sequential
writer gives it, and a failed write must surface."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from biocurate.export.rows import ROW_SCHEMA, take_rows
from biocurate.export.writers import ParquetShardWriter


def _tables() -> list[pa.Table]:
    tables = []
    number = 0
    for size in (3, 40, 1, 25, 60, 7):
        rows = []
        for i in range(size):
            row = {name: f"{name}-{number}" for name in ROW_SCHEMA.names}
            row["category"], row["language"] = [("ner", "zh"), ("qa", "en"), ("mt", "zh-en")][(number * 7 + i) % 3]
            row["conversation"] = [{"human": f"q{number}", "assistant": f"a{number}"}]
            rows.append(row)
            number += 1
        tables.append(pa.Table.from_pylist(rows, schema=ROW_SCHEMA))
    return tables


def _write(out: Path, threads: int, in_flight: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    monkeypatch.setattr(ParquetShardWriter, "THREADS", threads)
    monkeypatch.setattr(ParquetShardWriter, "IN_FLIGHT", in_flight)
    writer = ParquetShardWriter(out, shard_rows=11, schema=ROW_SCHEMA)
    for table in _tables():
        writer.write(table)
    files = writer.close()
    assert not list(out.rglob("*.tmp"))
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in files}


def test_threaded_shards_equal_sequential_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sequential = _write(tmp_path / "one", 1, 1, monkeypatch)
    threaded = _write(tmp_path / "many", 4, 3, monkeypatch)
    assert sequential == threaded
    per_stream: dict[tuple[str, str], int] = {}
    for table in _tables():
        for key in zip(table.column("category").to_pylist(), table.column("language").to_pylist()):
            per_stream[key] = per_stream.get(key, 0) + 1
    assert len(sequential) == sum(-(-n // 11) for n in per_stream.values())
    rows = [r for name in sorted(sequential) for r in pq.read_table(tmp_path / "many" / name).column("id").to_pylist()]
    assert sorted(rows) == sorted(r for t in _tables() for r in t.column("id").to_pylist())


def test_a_failed_write_in_a_thread_is_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(self: pq.ParquetWriter, table: pa.Table, row_group_size: int | None = None) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full_disk)
    writer = ParquetShardWriter(tmp_path, shard_rows=11, schema=ROW_SCHEMA)
    with pytest.raises(OSError, match="No space left"):
        for table in _tables():
            writer.write(table)
        writer.close()
    assert not list(tmp_path.rglob("*.parquet")), "no shard may appear after a failed write"


@pytest.mark.parametrize("group_rows", [4, 1000])
def test_rows_are_gathered_into_row_groups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group_rows: int) -> None:
    monkeypatch.setattr(ParquetShardWriter, "ROW_GROUP_ROWS", group_rows)
    writer = ParquetShardWriter(tmp_path, shard_rows=11, schema=ROW_SCHEMA)
    tables = _tables()
    for table in tables[:3]:
        writer.write(table)
    writer.flush()  # what is gathered so far becomes row groups now
    for table in tables[3:]:
        writer.write(table)
    files = writer.close()
    for path in files:
        meta = pq.ParquetFile(path).metadata
        sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        assert sum(sizes) <= 11
        # one row group per flush/shard end when groups may hold 1000 rows; at most a few with 4
        assert meta.num_row_groups <= (2 if group_rows == 1000 else 5), (path.name, sizes)
    ids = [r for p in sorted(files) for r in pq.read_table(p).column("id").to_pylist()]
    assert sorted(ids) == sorted(r for t in tables for r in t.column("id").to_pylist())


def test_rows_given_by_position_equal_the_rows_taken_first(tmp_path: Path) -> None:
    # the export hands each table with the positions of its chosen rows (repeats included)
    tables = _tables()
    positions = [np.array([i for i in range(t.num_rows) for _ in range(i % 3)], dtype=np.int64) for t in tables]
    taken = ParquetShardWriter(tmp_path / "taken", shard_rows=11, schema=ROW_SCHEMA)
    given = ParquetShardWriter(tmp_path / "given", shard_rows=11, schema=ROW_SCHEMA)
    for table, rows in zip(tables, positions):
        taken.write(table.take(pa.array(rows)))
        given.write(table, rows)
    first, second = taken.close(), given.close()
    assert [p.relative_to(tmp_path / "taken") for p in first] == [p.relative_to(tmp_path / "given") for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    ids = [r for p in second for r in pq.read_table(p).column("id").to_pylist()]
    assert sorted(ids) == sorted(t.column("id")[int(i)].as_py() for t, rows in zip(tables, positions) for i in rows)


@pytest.mark.parametrize("indices", [[0, 1, 2], [5], [2, 3, 4, 5, 6, 7], [0, 0, 1], [0, 0, 2], [1, 3, 4], [3, 4, 4, 5], [0, 9], list(range(12))])
def test_taking_rows_slices_only_runs_of_consecutive_rows(indices: list[int]) -> None:
    # a table of several chunks, as the writers get them: runs may cross chunk boundaries
    table = pa.concat_tables([t.slice(0, 4) for t in _tables()[1:4]] + [_tables()[4]])
    taken = take_rows(table, np.array(indices, dtype=np.int64))
    assert taken.equals(table.take(pa.array(indices)))
    batch = table.slice(0, 12).combine_chunks().to_batches()[0]  # the spool reader takes from a batch
    assert take_rows(batch, np.array(indices, dtype=np.int32)).equals(batch.take(pa.array(indices)))
