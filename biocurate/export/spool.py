"""Spool files: the rendered, filtered candidate samples of one dataset, on disk.

The export renders every candidate once, spools it, plans quotas from the spooled counts, then
streams the spools again to write the selected rows. Nothing holds a whole corpus in memory.

Rows are written once, by whichever process builds their block (a worker, or the exporting
process): each builder appends the row batches of its blocks of one (dataset, split) to a
*fragment* (an Arrow IPC file). The exporting process, which decides which rows are kept,
records the kept rows of each block in the dataset's *index*; reading a spool takes them from
the fragments in block order and re-cuts them into :data:`BATCH_ROWS`-row batches, so a spool
reads the same whatever the number of workers. A finished spool is marked by a ``.done`` file
holding its fingerprint, so an interrupted export resumes at the first dataset that was not
finished.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from .rows import SPOOL_SCHEMA, take_rows

BATCH_ROWS = 2048

#: Where a block's rows are: ``(fragment file name, batch number in the fragment)``.
RowsRef = tuple[str, int]

_INDEX_SCHEMA = pa.schema([("fragment", pa.string()), ("batch", pa.int32()), ("rows", pa.list_(pa.int32()))])


def fragment_name(dataset: str, split: str, builder: str) -> str:
    """File name of the rows one builder (``main`` or a worker number) made for one split."""
    return f"{dataset}.{split}.{builder}.rows"


class FragmentWriter:
    """Appends row batches (:data:`~.rows.SPOOL_SCHEMA`) to one fragment file, created on the
    first batch; use as a context manager, or call :meth:`close`."""

    def __init__(self, directory: Path, name: str) -> None:
        self.path = directory / name
        self.name = name
        self.batches = 0
        self._sink: Any = None
        self._writer: Any = None

    def append(self, batch: pa.RecordBatch) -> RowsRef:
        if self._writer is None:
            self._sink = pa.OSFile(str(self.path), "wb")
            self._writer = pa.ipc.new_file(self._sink, SPOOL_SCHEMA)
        self._writer.write_batch(batch)
        self.batches += 1
        return self.name, self.batches - 1

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._sink.close()
            self._writer = None

    def __enter__(self) -> FragmentWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SpoolIndex:
    """The kept rows of a dataset's blocks, in block order; :meth:`close` marks the spool done."""

    def __init__(self, directory: Path, dataset: str) -> None:
        self.path = directory / f"{dataset}.index"
        self._fragments: list[str] = []
        self._batches: list[int] = []
        self._rows: list[np.ndarray] = []
        self.count = 0

    def add(self, ref: RowsRef, rows: np.ndarray) -> None:
        """Keep ``rows`` (ascending positions) of the batch at ``ref``."""
        self._fragments.append(ref[0])
        self._batches.append(ref[1])
        self._rows.append(rows.astype(np.int32))
        self.count += len(rows)

    def close(self, fingerprint: str, stats: dict[str, Any]) -> None:
        offsets = np.concatenate([[0], np.cumsum([len(r) for r in self._rows], dtype=np.int64)]).astype(np.int32)
        values = np.concatenate(self._rows) if self._rows else np.zeros(0, dtype=np.int32)
        table = pa.table({
            "fragment": pa.array(self._fragments, pa.string()),
            "batch": pa.array(self._batches, pa.int32()),
            "rows": pa.ListArray.from_arrays(pa.array(offsets), pa.array(values)),
        }, schema=_INDEX_SCHEMA)
        tmp = self.path.with_suffix(".index.tmp")
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, _INDEX_SCHEMA) as writer:
            writer.write_table(table)
        os.replace(tmp, self.path)
        done = {"fingerprint": fingerprint, "rows": self.count, "stats": stats}
        # Key order is kept (no sort_keys) so a resumed manifest is byte-identical to a clean one.
        self.path.with_suffix(".done").write_text(json.dumps(done, ensure_ascii=False), encoding="utf-8")


def finished_spool(directory: Path, dataset: str, fingerprint: str) -> dict[str, Any] | None:
    """The ``.done`` record of a finished spool with this fingerprint, else None."""
    done = directory / f"{dataset}.done"
    if not done.exists() or not (directory / f"{dataset}.index").exists():
        return None
    info = json.loads(done.read_text(encoding="utf-8"))
    return info if info.get("fingerprint") == fingerprint else None


def read_spool(directory: Path, dataset: str, columns: list[str] | None = None) -> Iterator[pa.Table]:
    """Stream a dataset's spooled rows in order, in tables of :data:`BATCH_ROWS` rows (the last
    may be shorter); a table's chunks are slices of the blocks' kept rows (not copied again)."""
    with ExitStack() as stack:
        index = pa.ipc.open_file(stack.enter_context(pa.memory_map(str(directory / f"{dataset}.index")))).read_all()
        rows = index.column("rows").combine_chunks()
        offsets, values = rows.offsets.to_numpy(), rows.values.to_numpy()
        readers: dict[str, Any] = {}
        pending: list[pa.RecordBatch] = []
        waiting = 0
        for number, (fragment, batch) in enumerate(zip(index.column("fragment").to_pylist(), index.column("batch").to_pylist())):
            if fragment not in readers:
                # read, not memory-mapped: mapped pages of all fragments would count as resident memory
                readers[fragment] = pa.ipc.open_file(stack.enter_context(pa.OSFile(str(directory / fragment), "rb")))
            spooled = readers[fragment].get_batch(batch)
            kept = take_rows(spooled.select(columns) if columns else spooled, values[offsets[number]:offsets[number + 1]])
            pending.append(kept)
            waiting += kept.num_rows
            while waiting >= BATCH_ROWS:
                table_out, pending = _cut(pending, BATCH_ROWS)
                waiting -= BATCH_ROWS
                yield table_out
        if waiting:
            yield _cut(pending, waiting)[0]


def _cut(batches: list[pa.RecordBatch], rows: int) -> tuple[pa.Table, list[pa.RecordBatch]]:
    """The first ``rows`` rows of ``batches`` as a table, and the rest (zero-copy slices)."""
    table = pa.Table.from_batches(batches)
    rest = table.slice(rows)
    return table.slice(0, rows), rest.to_batches() if rest.num_rows else []
