"""Output writers: Parquet shards (default) and JSON Lines for other trainers.

Every writer takes final rows in batches (``pa.Table`` in :data:`~biocurate.export.rows.ROW_SCHEMA`
or the eval schema) and writes files atomically: a file appears under its final name only when
complete, so an interrupted export never leaves a partial shard behind. Writers register in
:data:`WRITERS` by format name (``biocurate export --format NAME``).

* ``parquet``: ``data/<category>/<language>/train-NNNNN.parquet``, rotated every ``shard_rows``;
  the row's columns plus ``messages`` (``[{role, content}]``, with the mixture's system prompt).
* ``firefly``: Taiyi's released format: ``conversation_id``, ``dataset``, ``category``
  (Taiyi's labels: NER, RE, MT-zh2en, ...), ``language``, ``conversation``.
* ``sharegpt``: ``{"id", "conversations": [{"from": "human"|"gpt", "value"}]}`` (+ ``system``).
* ``alpaca``: ``{"instruction", "input", "output", "history"}`` (+ ``system``): LLaMA-Factory's
  alpaca with history.

Every JSON Lines format has one fixed type per key whatever the rows (:func:`jsonl_schema`, also
the card's ``dataset_info``), so readers that infer types from the first rows type them right.
"""

from __future__ import annotations

import json
import os
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .rows import CONVERSATION_TYPE, group_rows, system_prompt, take_rows

from biocurate.categories import taiyi_category  # Taiyi's labels (NER, RE, MT-zh2en, ADD, ...)


class Writer:
    """Base: receives tables of final rows; subclasses write them; :meth:`close` returns files.

    :meth:`write` takes a table and the positions of the rows to write (in that order, repeats
    allowed), so rows are copied once, by the writer, rather than taken first for it."""

    name: ClassVar[str] = ""

    def __init__(self, out_dir: Path, shard_rows: int = 100_000, system: str | dict[str, str] | None = None) -> None:
        self.out_dir = out_dir
        self.shard_rows = shard_rows
        self.system = system  # the mixture's system prompt (``MixtureSpec.system``)

    def write(self, table: pa.Table, rows: np.ndarray | None = None) -> None:
        """Write the rows of ``table`` at positions ``rows`` (None: every row, in order)."""
        raise NotImplementedError

    def flush(self) -> None:
        """Write out what is buffered (the export calls it after each dataset, bounding memory)."""

    def close(self) -> list[Path]:
        raise NotImplementedError


class ParquetShardWriter(Writer):
    """One stream of shards per (category, language), rotated at ``shard_rows`` rows.

    Taking each stream's rows, Parquet encoding and compression run in a small thread pool
    (pyarrow releases the GIL), overlapping with reading and grouping the next rows. Each
    stream's writes stay in order (a stream's task waits for that stream's previous one), so
    every file gets exactly the bytes a sequential writer would give it.
    """

    name = "parquet"
    #: writer threads, and how many writes may wait for them (bounds memory)
    THREADS = 2
    IN_FLIGHT = 8
    #: rows gathered per stream into one row group (until a shard ends or :meth:`flush`):
    #: small row groups cost ~40 % more CPU to encode and make slower files to read
    ROW_GROUP_ROWS = 16_384

    def __init__(self, out_dir: Path, shard_rows: int = 100_000, schema: pa.Schema | None = None,
                 system: str | dict[str, str] | None = None,
                 finish: Callable[[pa.Table, str | dict[str, str] | None], pa.Table] | None = None) -> None:
        super().__init__(out_dir, shard_rows, system)
        self.schema = schema
        #: derived columns added to each row group in the writer thread (e.g. ``with_messages``)
        self.finish = finish
        self._open: dict[tuple[str, str], tuple[pq.ParquetWriter, Path, int]] = {}
        self._shards: Counter = Counter()  # shards started per (category, language)
        self._lanes: dict[tuple[str, str], Future] = {}  # each stream's last task
        self._pending: dict[tuple[str, str], list[tuple[pa.Table, np.ndarray]]] = {}  # next row group's parts
        self._in_flight: deque[Future] = deque()
        self._pool = ThreadPoolExecutor(max_workers=self.THREADS, thread_name_prefix="biocurate-parquet")
        self.files: list[Path] = []

    def _path(self, category: str, language: str, index: int) -> Path:
        return self.out_dir / "data" / category / language / f"train-{index:05d}.parquet"

    def _submit(self, key: tuple[str, str], task: Callable[[], None]) -> None:
        """Run ``task`` after the stream's previous task (FIFO pool: that one has started already)."""
        previous = self._lanes.get(key)

        def run() -> None:
            if previous is not None:
                previous.result()
            task()

        future = self._lanes[key] = self._pool.submit(run)
        self._in_flight.append(future)
        while len(self._in_flight) > self.IN_FLIGHT:
            self._in_flight.popleft().result()  # re-raises a failed write here

    def _finish(self, key: tuple[str, str]) -> None:
        self._write_pending(key)
        writer, path, _ = self._open.pop(key)
        final = path.with_suffix("")  # strip .tmp
        self.files.append(final)

        def close() -> None:
            writer.close()
            os.replace(path, final)

        self._submit(key, close)

    def _write_pending(self, key: tuple[str, str]) -> None:
        """Write the stream's gathered rows as one row group (taken and cast in the thread)."""
        parts = self._pending.pop(key, None)
        if not parts:
            return
        writer = self._open[key][0]
        schema = self.schema or parts[0][0].schema

        def write() -> None:
            # one chunk per part and column, as a gather gives (a slice of a run may span chunks)
            taken = pa.concat_tables([take_rows(table, indices).combine_chunks() for table, indices in parts])
            if self.finish is not None:
                taken = self.finish(taken, self.system)
            writer.write_table(taken.cast(schema))

        self._submit(key, write)

    def write(self, table: pa.Table, rows: np.ndarray | None = None) -> None:
        schema = self.schema or table.schema
        streams = table if rows is None else pa.table({name: table.column(name).take(rows) for name in ("category", "language")})
        for key, positions in group_rows(streams, "category", "language"):
            indices = positions if rows is None else rows[positions]
            offset = 0
            while offset < len(indices):
                if key not in self._open:
                    path = self._path(*key, self._shards[key]).with_suffix(".parquet.tmp")
                    self._shards[key] += 1
                    path.parent.mkdir(parents=True, exist_ok=True)
                    self._open[key] = (pq.ParquetWriter(str(path), schema, compression="zstd"), path, 0)
                writer, path, written = self._open[key]
                take = min(self.shard_rows - written, len(indices) - offset)
                parts = self._pending.setdefault(key, [])
                parts.append((table, indices[offset:offset + take]))
                offset += take
                self._open[key] = (writer, path, written + take)
                if written + take >= self.shard_rows:
                    self._finish(key)
                elif sum(len(i) for _, i in parts) >= self.ROW_GROUP_ROWS:
                    self._write_pending(key)

    def flush(self) -> None:
        for key in sorted(self._pending):
            self._write_pending(key)

    def close(self) -> list[Path]:
        try:
            for key in sorted(self._open):
                self._finish(key)
            for future in list(self._lanes.values()) + list(self._in_flight):
                future.result()
        finally:
            self._pool.shutdown(wait=True)
        return sorted(self.files)


class JsonlWriter(Writer):
    """Base of the JSON Lines formats: one file ``<name>.jsonl``, written to a temp name first."""

    def __init__(self, out_dir: Path, shard_rows: int = 100_000, system: str | dict[str, str] | None = None) -> None:
        super().__init__(out_dir, shard_rows, system)
        self.path = out_dir / f"{self.name}.jsonl"
        self._tmp = self.path.with_suffix(".jsonl.tmp")
        self._handle = open(self._tmp, "w", encoding="utf-8")
        self.count = 0

    def convert(self, row: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _with_system(self, out: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
        """``out`` with the row's ``system`` prompt when the mixture sets one (else unchanged)."""
        if self.system is not None:
            out["system"] = system_prompt(self.system, row["language"]) or ""
        return out

    def write(self, table: pa.Table, rows: np.ndarray | None = None) -> None:
        if rows is not None:
            table = table.take(rows)
        for row in table.to_pylist():
            self.count += 1
            self._handle.write(json.dumps(self.convert(row), ensure_ascii=False) + "\n")

    def close(self) -> list[Path]:
        self._handle.close()
        os.replace(self._tmp, self.path)
        return [self.path]


class FireflyWriter(JsonlWriter):
    name = "firefly"

    def convert(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "conversation_id": self.count,
            "dataset": row["dataset"],
            "category": taiyi_category(row["task"], row["language"], row["dataset"]),
            "language": row["language"],
            "conversation": [{"human": t["human"], "assistant": t["assistant"]} for t in row["conversation"]],
        }


class ShareGPTWriter(JsonlWriter):
    name = "sharegpt"

    def convert(self, row: dict[str, Any]) -> dict[str, Any]:
        turns = []
        for t in row["conversation"]:
            turns += [{"from": "human", "value": t["human"]}, {"from": "gpt", "value": t["assistant"]}]
        return self._with_system({"id": row["id"], "conversations": turns}, row)


class AlpacaWriter(JsonlWriter):
    """Alpaca rows; the file starts with its first multi-turn sample (when there is one), so a
    reader that infers types from the first rows (datasets' and pandas' JSON readers, which
    LLaMA-Factory and axolotl use) types ``history`` as pairs of strings, not as nulls."""

    name = "alpaca"

    def __init__(self, out_dir: Path, shard_rows: int = 100_000, system: str | dict[str, str] | None = None) -> None:
        super().__init__(out_dir, shard_rows, system)
        #: line number and converted row of the first multi-turn sample
        self._first_multi_turn: tuple[int, dict[str, Any]] | None = None

    def convert(self, row: dict[str, Any]) -> dict[str, Any]:
        *history, last = row["conversation"]
        out = self._with_system({
            "instruction": last["human"],
            "input": "",
            "output": last["assistant"],
            "history": [[t["human"], t["assistant"]] for t in history],
        }, row)
        if history and self._first_multi_turn is None:
            self._first_multi_turn = (self.count - 1, out)  # ``write`` counts the row before converting it
        return out

    def close(self) -> list[Path]:
        self._handle.close()
        if self._first_multi_turn is not None and self._first_multi_turn[0] > 0:
            # move it to the top (a streamed copy; line order otherwise kept)
            at, first = self._first_multi_turn
            moved = self._tmp.with_suffix(".moved")
            with open(self._tmp, encoding="utf-8") as source, open(moved, "w", encoding="utf-8") as target:
                target.write(json.dumps(first, ensure_ascii=False) + "\n")
                for number, line in enumerate(source):
                    if number != at:
                        target.write(line)
            os.replace(moved, self._tmp)
        os.replace(self._tmp, self.path)
        return [self.path]


WRITERS: dict[str, type[Writer]] = {w.name: w for w in (ParquetShardWriter, FireflyWriter, ShareGPTWriter, AlpacaWriter)}

_SHAREGPT_TURN = pa.struct([("from", pa.string()), ("value", pa.string())])


def jsonl_schema(name: str, system: bool = False) -> pa.Schema:
    """The type of every key of a JSON Lines format's rows (``system`` when the mixture sets one)."""
    fields = {
        "firefly": [("conversation_id", pa.int64()), ("dataset", pa.string()), ("category", pa.string()),
                    ("language", pa.string()), ("conversation", CONVERSATION_TYPE)],
        "sharegpt": [("id", pa.string()), ("conversations", pa.list_(_SHAREGPT_TURN))],
        "alpaca": [("instruction", pa.string()), ("input", pa.string()), ("output", pa.string()),
                   ("history", pa.list_(pa.list_(pa.string())))],
    }[name]
    if system and name != "firefly":
        fields.append(("system", pa.string()))
    return pa.schema(fields)


#: The JSON Lines formats (name -> file name).
JSONL_FORMATS: dict[str, str] = {w.name: f"{w.name}.jsonl" for w in (FireflyWriter, ShareGPTWriter, AlpacaWriter)}
