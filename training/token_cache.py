"""The tokenised cache: each export row group tokenised once per (export, tokenizer, format, length).

Where it sits: between the export's Parquet shards (:mod:`biocurate.training.shards`) and the
Trainer (:mod:`biocurate.training.trainer`). A stage asks for its categories; the cache tokenises
the (row group, category) parts it does not hold yet, in worker processes, and returns a
memory-mapped ``datasets.Dataset`` with the rows in the order the export lists them (the order
``load_conversations`` gives), so training sees exactly the data of the row-at-a-time path.

Layout (``RUN_DIR/tokenized/`` by default, or ``tokenized_cache``)::

    <key>/key.json                                  what the key is made of (readable)
    <key>/parts/<shard>/rg00003.<category>.arrow    row (in shard), input_ids, labels (int32 lists)
    <key>/packed/<hash>.arrow                       packed rows of one stage (when packing)

``<key>`` hashes the export manifest (which lists every shard's sha256; without that list, the
shards' paths, sizes and mtimes), the tokenizer's fingerprint (its full serialisation, chat
template, eod id), the format, ``max_seq_length`` and the cache version. A part file appears by an
atomic rename once complete, so an interrupted pass resumes at the next part; stage 2 tokenises
only the parts stage 1 did not need; a second run pointed at the same folder, or ``--resume``,
tokenises nothing.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from biocurate.training.config import TrainingConfigError
from biocurate.training.data import SequenceBuilder
from biocurate.training.encode import encoder_for
from biocurate.training.packing import PACK_BLOCK, iter_packed
from biocurate.training.shards import ExportReadError, check_schema, read_manifest

CACHE_VERSION = 1
#: below this many rows to tokenise, worker processes cost more than they save
MIN_ROWS_FOR_WORKERS = 8_000


def tokenizer_fingerprint(tokenizer: Any) -> str:
    """sha256 of what decides a tokenizer's ids: its serialisation (or vocabulary), chat template, eod id."""
    h = hashlib.sha256()
    h.update(type(tokenizer).__name__.encode())
    backend = getattr(tokenizer, "backend_tokenizer", None) if getattr(tokenizer, "is_fast", False) else None
    if backend is not None:
        h.update(backend.to_str().encode())
    else:
        h.update(json.dumps(sorted(tokenizer.get_vocab().items()), ensure_ascii=False).encode())
    for attr in ("chat_template", "eos_token_id", "split_special_tokens"):
        h.update(f"|{attr}={getattr(tokenizer, attr, None)!r}".encode())
    return h.hexdigest()


def export_fingerprint(export_dir: str | Path, files: list[str]) -> str:
    """sha256 of the export's ``manifest.json``; plus the shards' paths, sizes, mtimes when it lists no hashes."""
    root = Path(export_dir)
    h = hashlib.sha256()
    manifest = root / "manifest.json"
    if manifest.is_file():
        h.update(manifest.read_bytes())
    listed = {f.get("path") for f in read_manifest(root).get("files", []) if isinstance(f, dict) and f.get("sha256")}
    for f in files:
        rel = Path(f).relative_to(root).as_posix()
        if rel not in listed:
            st = os.stat(f)
            h.update(f"|{rel}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class CacheKey:
    """What a cached token sequence depends on."""

    export: str
    tokenizer: str
    format: str
    max_seq_length: int
    version: int = CACHE_VERSION

    @property
    def digest(self) -> str:
        """Folder name of this key (16 hex digits)."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Part:
    """The rows of one category in one row group of one shard (``shard`` relative to the export)."""

    shard: str
    row_group: int
    category: str

    def relpath(self) -> str:
        """Path of the part's file inside the key folder."""
        stem = self.shard.removesuffix(".parquet").replace("/", "__")
        return f"parts/{stem}/rg{self.row_group:05d}.{self.category}.arrow"


@dataclass
class PassStats:
    """What one tokenisation pass did: parts and rows tokenised or found, tokens, wall seconds."""

    parts_done: int = 0
    parts_cached: int = 0
    rows: int = 0
    kept: int = 0
    tokens: int = 0
    seconds: float = 0.0
    workers: int = 1

    def describe(self) -> str:
        """One line for the run log."""
        if not self.parts_done:
            return f"all {self.parts_cached} parts from the tokenised cache (nothing to tokenise)"
        rate = self.rows / self.seconds if self.seconds else 0.0
        return (f"tokenised {self.rows:,} rows ({self.kept:,} kept, {self.tokens:,} tokens) in {self.seconds:.1f} s "
                f"({rate:,.0f} rows/s, {self.workers} worker{'s' if self.workers > 1 else ''}); "
                f"{self.parts_cached} parts from the tokenised cache")


def default_workers() -> int:
    """One per CPU this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class TokenCache:
    """Tokenised parts of one export for one tokenizer, format and ``max_seq_length``.

    Args:
        root: the cache folder (``RUN_DIR/tokenized``); one sub-folder per key.
        export_dir: the export (``manifest.json`` + ``data/**.parquet``).
        files: its shards (:func:`biocurate.training.shards.shard_files`).
        builder: the sequence builder (tokenizer, format, ``max_seq_length``).
        fresh: ignore what is cached and tokenise every requested part again (``--no-cache``).
    """

    def __init__(self, root: str | Path, export_dir: str | Path, files: list[str], builder: SequenceBuilder,
                 fresh: bool = False) -> None:
        self.export_dir = Path(export_dir)
        self.files = files
        self.builder = builder
        self.key = CacheKey(export_fingerprint(export_dir, files), tokenizer_fingerprint(builder.tokenizer),
                            builder.format, builder.max_seq_length)
        self.dir = Path(root) / self.key.digest
        self.fresh = fresh
        self._renewed: set[Part] = set()
        self._packed_now: set[Path] = set()

    # ---- which parts a stage needs ----
    def parts(self, categories: tuple[str, ...] | None) -> list[Part]:
        """The parts holding the rows of ``categories`` (None: all), in export order."""
        check_schema(self.files)
        out: list[Part] = []
        for f in self.files:
            rel = Path(f).relative_to(self.export_dir).as_posix()
            pf = pq.ParquetFile(f)
            for rg in range(pf.metadata.num_row_groups):
                cats = pc.unique(pf.read_row_group(rg, columns=["category"]).column("category")).to_pylist()
                for cat in sorted(c for c in cats if c is not None):
                    if categories is None or cat in categories:
                        out.append(Part(rel, rg, cat))
        return out

    def has(self, part: Part) -> bool:
        """Whether ``part`` is complete in the cache (and, with ``fresh``, written by this instance)."""
        if self.fresh and part not in self._renewed:
            return False
        return (self.dir / part.relpath()).is_file()

    # ---- tokenising what is missing ----
    def build(self, parts: list[Part], workers: int = 0, say: Callable[[str], None] | None = None) -> PassStats:
        """Tokenise the parts not in the cache, with ``workers`` processes (0: one per CPU)."""
        todo = [p for p in parts if not self.has(p)]
        stats = PassStats(parts_cached=len(parts) - len(todo))
        if not todo:
            if say:
                say(stats.describe())
            return stats
        self.dir.mkdir(parents=True, exist_ok=True)
        key_file = self.dir / "key.json"
        if not key_file.is_file():
            key_file.write_text(json.dumps(asdict(self.key), indent=1), encoding="utf-8")
        tasks = [(str(self.export_dir / p.shard), p, str(self.dir / p.relpath())) for p in todo]
        rows = sum(pq.ParquetFile(t[0]).metadata.row_group(t[1].row_group).num_rows for t in tasks)
        workers = min(workers or default_workers(), len(tasks))
        if rows < MIN_ROWS_FOR_WORKERS:
            workers = 1
        stats.workers = workers
        start = time.perf_counter()
        if workers == 1:
            results = [_tokenise_part(*t, builder=self.builder) for t in tasks]
        else:
            ctx = multiprocessing.get_context("spawn")  # the caller may hold CUDA or OpenMP threads
            try:
                with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                         initargs=(self.builder,)) as pool:
                    results = list(pool.map(_tokenise_part, *zip(*tasks)))
            except BrokenProcessPool as exc:
                raise TrainingConfigError(
                    "a tokenisation worker process exited before finishing (its error is printed above). A worker "
                    "re-imports the main script: guard a script's code with `if __name__ == \"__main__\":`, or "
                    "tokenise in this process (--preprocess-workers 1)."
                ) from exc
        stats.seconds = time.perf_counter() - start
        for r in results:
            stats.rows += r[0]
            stats.kept += r[1]
            stats.tokens += r[2]
        stats.parts_done = len(todo)
        self._renewed.update(todo)
        if say:
            say(stats.describe())
        return stats

    # ---- the stage's dataset ----
    def _paths(self, parts: list[Part]) -> list[Path]:
        paths = [self.dir / p.relpath() for p in parts]
        for p, path in zip(parts, paths):
            if not path.is_file():
                raise ExportReadError(f"tokenised cache {self.dir}: part {p.relpath()} missing; build it first")
        return paths

    def _export_order(self, parts: list[Part], tables: list[pa.Table]) -> np.ndarray | None:
        """Permutation putting the concatenated parts back in the export's row order (None: already in it).

        Parts of one row group are one per category; when a stage takes several of them, their rows
        interleave in the shard.
        """
        groups = [(p.shard, p.row_group) for p in parts]
        if len(set(groups)) == len(groups):
            return None
        sizes = np.array([t.num_rows for t in tables], np.int64)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        order, i = [], 0
        while i < len(parts):
            j = i
            while j < len(parts) and groups[j] == groups[i]:
                j += 1
            rows = np.concatenate([tables[k].column("row").to_numpy() for k in range(i, j)])
            index = np.concatenate([starts[k] + np.arange(sizes[k]) for k in range(i, j)])
            order.append(index[np.argsort(rows, kind="stable")])
            i = j
        return np.concatenate(order)

    def table(self, parts: list[Part]) -> pa.Table:
        """The cached rows of ``parts`` as one memory-mapped table in export order (``input_ids``, ``labels``)."""
        tables = []
        for path in self._paths(parts):
            with pa.memory_map(str(path)) as source:
                tables.append(pa.ipc.open_stream(source).read_all())
        table = pa.concat_tables(tables) if tables else _empty_table()
        order = self._export_order(parts, tables)
        if order is not None:
            table = table.take(pa.array(order))
        return table.select(["input_ids", "labels"])

    def dataset(self, parts: list[Part], packing: bool = False, block: int = PACK_BLOCK) -> Any:
        """The stage's ``datasets.Dataset`` over the cached rows of ``parts`` (packed with ``packing``).

        Backed by the part files (memory-mapped; a data-loader worker or another rank reopens them
        by path), in the export's row order.
        """
        from datasets import Dataset, concatenate_datasets
        from datasets.table import InMemoryTable

        if packing:
            return Dataset.from_file(str(self._packed(parts, block)))
        paths = self._paths(parts)
        sets = [Dataset.from_file(str(p)) for p in paths]
        order = self._export_order(parts, [s.data.table for s in sets])
        ds = concatenate_datasets(sets) if sets else Dataset(InMemoryTable(_empty_table()))
        if order is not None:
            ds = ds.select(order)
        return ds.select_columns(["input_ids", "labels"])

    def _packed(self, parts: list[Part], block: int) -> Path:
        name = hashlib.sha256(json.dumps([[p.relpath() for p in parts], block]).encode()).hexdigest()[:16]
        path = self.dir / "packed" / f"{name}.arrow"
        if (self.fresh and path not in self._packed_now) or not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            schema = pa.schema([("input_ids", pa.list_(pa.int32())), ("labels", pa.list_(pa.int32())),
                                ("seq_lengths", pa.list_(pa.int32()))])
            with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_stream(sink, schema) as writer:
                for batch in iter_packed(self.table(parts), self.builder.max_seq_length, block):
                    writer.write_batch(batch)
            tmp.replace(path)
            self._packed_now.add(path)
        return path


def _empty_table() -> pa.Table:
    return pa.table({"row": pa.array([], pa.int64()), "input_ids": pa.array([], pa.list_(pa.int32())),
                     "labels": pa.array([], pa.list_(pa.int32()))})


_WORKER_BUILDER: SequenceBuilder | None = None


def _init_worker(builder: SequenceBuilder) -> None:
    global _WORKER_BUILDER
    os.environ["TOKENIZERS_PARALLELISM"] = "false"  # one process per CPU already
    _WORKER_BUILDER = builder


def _tokenise_part(shard: str, part: Part, out: str, builder: SequenceBuilder | None = None) -> tuple[int, int, int]:
    """Tokenise one part into ``out`` (atomically); returns (rows, kept rows, tokens)."""
    builder = builder or _WORKER_BUILDER
    if builder is None:
        raise RuntimeError("tokenisation worker started without a sequence builder")
    pf = pq.ParquetFile(shard)
    offset = sum(pf.metadata.row_group(i).num_rows for i in range(part.row_group))
    group = pf.read_row_group(part.row_group, columns=["conversation", "category"])
    mask = pc.equal(group.column("category"), part.category).combine_chunks()
    rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False)) + offset
    try:
        enc = encoder_for(builder).encode_arrow(group.column("conversation").filter(mask))
    except Exception as exc:  # name the shard; the tokenizer's own message stays
        raise ExportReadError(f"file {shard}, row group {part.row_group}, category {part.category!r}: "
                              f"tokenisation failed ({type(exc).__name__}: {exc})") from exc
    table = pa.table({"row": pa.array(rows[enc.kept], pa.int64()), "input_ids": enc.input_ids, "labels": enc.labels})
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    tmp = f"{out}.tmp{os.getpid()}"
    with pa.OSFile(tmp, "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    os.replace(tmp, out)
    return len(rows), int(enc.kept.sum()), enc.tokens
