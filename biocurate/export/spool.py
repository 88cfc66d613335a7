"""Spool files: the rendered, filtered candidate samples of one dataset, on disk.

The export renders every candidate once, spools it (Arrow IPC stream, written batch by
batch), plans quotas from the spooled counts, then streams the spools again to write the
selected rows. Nothing holds a whole corpus in memory. A finished spool is marked by a
``.done`` file holding its fingerprint, so an interrupted export resumes at the first
dataset that was not finished.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from .rows import SPOOL_SCHEMA

BATCH_ROWS = 2048


class SpoolWriter:
    """Appends rows to ``<dir>/<dataset>.arrow`` in batches; :meth:`close` marks it done."""

    def __init__(self, directory: Path, dataset: str) -> None:
        self.path = directory / f"{dataset}.arrow"
        self.tmp = self.path.with_suffix(".arrow.tmp")
        self._sink = pa.OSFile(str(self.tmp), "wb")
        self._writer = pa.ipc.new_stream(self._sink, SPOOL_SCHEMA)
        self._rows: list[dict[str, Any]] = []
        self._batches: list[pa.RecordBatch] = []
        self._pending = 0
        self.count = 0

    def write(self, row: dict[str, Any]) -> None:
        """Append one row."""
        self._rows.append(row)
        if len(self._rows) >= BATCH_ROWS:
            self._take_rows()

    def write_batch(self, batch: pa.RecordBatch) -> None:
        """Append rows already in :data:`SPOOL_SCHEMA`. The spool's batches are re-cut to
        ``BATCH_ROWS`` rows, so they do not depend on how rows arrive."""
        self._take_rows()
        if batch.num_rows:
            self._batches.append(batch)
            self._pending += batch.num_rows
        while self._pending >= BATCH_ROWS:
            self._emit(BATCH_ROWS)

    def _take_rows(self) -> None:
        if self._rows:
            rows, self._rows = self._rows, []
            self.write_batch(pa.RecordBatch.from_pylist(rows, schema=SPOOL_SCHEMA))

    def _emit(self, rows: int) -> None:
        table = pa.Table.from_batches(self._batches, schema=SPOOL_SCHEMA)
        self._writer.write_batch(table.slice(0, rows).combine_chunks().to_batches()[0])
        rest = table.slice(rows)
        self._batches = rest.to_batches() if rest.num_rows else []
        self._pending -= rows
        self.count += rows

    def _flush(self) -> None:
        self._take_rows()
        if self._pending:
            self._emit(self._pending)

    def close(self, fingerprint: str, stats: dict[str, Any]) -> None:
        self._flush()
        self._writer.close()
        self._sink.close()
        os.replace(self.tmp, self.path)
        done = {"fingerprint": fingerprint, "rows": self.count, "stats": stats}
        # Key order is kept (no sort_keys) so a resumed manifest is byte-identical to a clean one.
        self.path.with_suffix(".done").write_text(json.dumps(done, ensure_ascii=False), encoding="utf-8")


def finished_spool(directory: Path, dataset: str, fingerprint: str) -> dict[str, Any] | None:
    """The ``.done`` record of a finished spool with this fingerprint, else None."""
    done = directory / f"{dataset}.done"
    if not done.exists() or not (directory / f"{dataset}.arrow").exists():
        return None
    info = json.loads(done.read_text(encoding="utf-8"))
    return info if info.get("fingerprint") == fingerprint else None


def read_spool(directory: Path, dataset: str, columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
    """Stream the batches of a dataset's spool."""
    with pa.OSFile(str(directory / f"{dataset}.arrow"), "rb") as source:
        reader = pa.ipc.open_stream(source)
        for batch in reader:
            yield batch.select(columns) if columns else batch
