"""The export: mixture spec + data root -> Parquet shards, manifest, dataset card, rejects.

Stages, in order: find sources -> build the decontamination set from evaluation splits ->
spool each dataset (load, validate, dedup/decontaminate, render) -> plan quotas -> select
(seeded) -> write shards and other formats -> manifest and card. Same inputs and seed give
byte-identical shards and manifest.
"""

from __future__ import annotations

import gc
import json
import queue
import shutil
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from tqdm import tqdm

from biocurate import __version__
from biocurate.errors import ExportError
from biocurate.loaders import Reject, all_loaders
from biocurate.mix.budget import GroupPlan, plan
from biocurate.mix.dedup import Decontaminator
from biocurate.mix.spec import MixtureSpec
from biocurate.templates.engine import stable_seed

from .card import write_card
from .manifest import build_manifest, write_json
from .rows import ROW_SCHEMA, group_rows
from .sources import Source, find_sources, source_files
from .spool import finished_spool, read_spool
from .spooling import BlockProducer, Filters, fingerprint, spool_dataset
from .workers import (
    PARALLEL_MIN_BYTES,
    BuildSettings,
    InlineBlocks,
    ParallelBlocks,
    default_workers,
    holds_bytes,
)
from .writers import WRITERS, ParquetShardWriter, Writer


@dataclass
class ExportOptions:
    """How to run an export (the mixture says *what*; these say *where* and *how*)."""

    out: Path
    data_root: Path | None = None
    formats: list[str] = field(default_factory=lambda: ["parquet"])
    shard_rows: int = 100_000
    exclude_licences: list[str] = field(default_factory=list)
    resume: bool = False
    progress: bool = True
    near_dedup: Any = None
    #: spooling processes; None: one per CPU when the raw data is large enough to pay for them
    workers: int | None = None


@dataclass
class ExportResult:
    out: Path
    manifest: dict[str, Any]
    plans: list[GroupPlan]


def build_decontaminator(spec: MixtureSpec, sources: list[Source]) -> Decontaminator | None:
    """Evaluation texts from the ``decontaminate.splits`` of every source (labelled or not)."""
    if not spec.decontaminate.enabled or not spec.decontaminate.splits:
        return None
    decon = Decontaminator()
    for source in sources:
        for split in spec.decontaminate.splits:
            if split in spec.splits or split not in source.loader.available_splits():
                continue
            for item in source.loader.records(split):
                if not isinstance(item, Reject):
                    decon.add_eval_record(item)
    return decon


def spool_sources(spec: MixtureSpec, sources: list[Source], options: ExportOptions, work: Path,
                  started: ParallelBlocks | None = None) -> tuple[dict[str, dict], dict[str, list]]:
    """Spool every source (resuming finished ones); returns stats and raw-file hashes per dataset.
    ``started``: workers from :func:`start_workers`, used if the sources need them (else closed)."""
    spool_dir = work / "spool"
    spool_dir.mkdir(parents=True, exist_ok=True)
    # Raw files are hashed (for the manifest and the resume fingerprints) in a thread, in
    # dataset order, while evaluation splits load and datasets spool: hashlib and file reads
    # release the GIL, so this costs little wall time.
    hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="biocurate-hash")
    hashes = {source.name: hashing.submit(source_files, source, source.splits) for source in sources}

    def fingerprint_of(source: Source) -> str:
        return fingerprint(spec, source, hashes[source.name].result(), __version__)

    try:
        done = {s.name: finished_spool(spool_dir, s.name, fingerprint_of(s)) for s in sources} if options.resume else {}
        todo = [source for source in sources if done.get(source.name) is None]
        decontaminator = build_decontaminator(spec, sources)
        filters = Filters(spec, options.near_dedup)
        near = options.near_dedup.fresh() if options.near_dedup is not None else None
        producer = block_producer(BuildSettings(spec, decontaminator, filters.exact is not None, near), todo, options.workers, spool_dir, started)
        try:
            stats = {source.name: _spool_or_resume(spec, source, filters, producer, spool_dir, done.get(source.name), fingerprint_of, options.progress)
                     for source in sources}
        finally:
            producer.close()
        files = {name: future.result() for name, future in hashes.items()}
    finally:
        hashing.shutdown(cancel_futures=True)
    return stats, files


def _spool_or_resume(spec: MixtureSpec, source: Source, filters: Filters, producer: BlockProducer, spool_dir: Path,
                     finished: dict | None, fingerprint_of: Callable[[Source], str], progress: bool) -> dict:
    """Spool one dataset, or (resuming) restore its finished spool's counts and filter state."""
    keys_path = spool_dir / f"{source.name}.keys"
    if finished is not None:
        if filters.exact is not None and keys_path.exists():
            filters.exact.load_keys(keys_path.read_bytes())
        if filters.near is not None and hasattr(filters.near, "load_state"):
            filters.near.load_state(spool_dir / f"{source.name}.near")
        return finished["stats"]
    with open(spool_dir / f"{source.name}.rejects.jsonl", "w", encoding="utf-8") as rejects:
        stats = spool_dataset(spec, source, filters, producer, spool_dir, rejects, fingerprint_of(source), progress)
    if filters.exact is not None:
        keys_path.write_bytes(filters.exact.take_new_keys())
    if filters.near is not None and hasattr(filters.near, "save_state"):
        filters.near.save_state(spool_dir / f"{source.name}.near")
    return stats


def start_workers(spec: MixtureSpec, options: ExportOptions, scratch: Path) -> ParallelBlocks | None:
    """Worker processes started before the sources are found, when the export will use them:
    asked for, or (``workers=None``) a data root holding enough bytes to pay for them. Their
    imports and warm-up (~1 s each) then overlap with this process finding the sources."""
    workers = options.workers
    if workers is None:
        if options.data_root is None or not holds_bytes(options.data_root, PARALLEL_MIN_BYTES):
            return None
        workers = default_workers()
    if workers <= 1:
        return None
    return ParallelBlocks(workers, scratch, max_jobs=len(all_loaders()) * len(spec.splits))


def block_producer(settings: BuildSettings, todo: list[Source], workers: int | None, scratch: Path,
                   started: ParallelBlocks | None = None) -> InlineBlocks | ParallelBlocks:
    """Worker processes when asked for, or (``workers=None``) when there is enough raw data to
    pay for them; otherwise blocks are built in this process (and ``started`` workers are
    closed). Same spools either way."""
    jobs = [(source, split) for source in todo for split in source.splits]
    sizes = [sum(path.stat().st_size for path in source.loader.input_files(split)) for source, split in jobs]
    if workers is None:
        workers = default_workers() if sum(sizes) >= PARALLEL_MIN_BYTES else 1
    if workers <= 1 or not todo:
        if started is not None:
            started.close()
        return InlineBlocks(settings, scratch)
    # `started` has this many workers: start_workers counts them the same way
    producer = started or ParallelBlocks(workers, scratch, len(jobs))
    producer.assign(settings, jobs, sizes)
    return producer


def available_counts(stats: dict[str, dict]) -> dict[tuple[str, str, str], int]:
    out = {}
    for dataset, s in stats.items():
        for key, n in s["available"].items():
            category, lang = key.split("|")
            out[(category, lang, dataset)] = n
    return out


def selection(spec: MixtureSpec, plans: list[GroupPlan]) -> dict[tuple[str, str, str], np.ndarray]:
    """For each (dataset, category, language key): how many times each spooled row is taken."""
    chosen = {}
    for group in plans:
        for dataset, quota in group.quotas.items():
            n = group.available[dataset]
            times = np.full(n, quota // n if n else 0, dtype=np.int32)
            rest = quota - int(times.sum())
            if rest:
                # numpy's sampler: ~100x faster than random.sample over a million rows
                rng = np.random.default_rng(stable_seed(f"{spec.seed}|select|{dataset}|{group.category}|{group.language}"))
                times[rng.choice(n, rest, replace=False)] += 1
            chosen[(dataset, group.category, group.language)] = times
    return chosen


def write_outputs(sources: list[Source], chosen: dict, spool_dir: Path, writers: list[Writer], progress: bool) -> Counter:
    """Stream spools, keep the chosen rows (repeated when a quota exceeds availability)."""
    achieved: Counter = Counter()
    # reading the spools and choosing rows (pyarrow, GIL released) runs in a thread, overlapping
    # with the writers' grouping here and their taking and encoding in their own threads
    for item in prefetched(_chosen_rows(sources, chosen, spool_dir, achieved, progress)):
        for writer in writers:
            if item is None:  # a dataset is done: buffered rows go out (bounds memory)
                writer.flush()
            else:
                writer.write(*item)
    return achieved


def _chosen_rows(sources: list[Source], chosen: dict, spool_dir: Path, achieved: Counter,
                 progress: bool) -> Iterator[tuple[pa.Table, np.ndarray] | None]:
    """Every spool table (output columns) with the positions of its chosen rows, counting them
    in ``achieved``; None after each dataset."""
    columns = [f.name for f in ROW_SCHEMA]
    for source in tqdm(sources, desc="write", unit="dataset", disable=not progress, leave=False):
        cursor: Counter = Counter()
        for batch in read_spool(spool_dir, source.name):
            # how many times each row is taken: per (category, language) group of the batch,
            # the group's next len(group) entries of its selection array (vectorised)
            reps = np.zeros(batch.num_rows, dtype=np.int64)
            for (cat, lang), rows in group_rows(batch, "category", "target_language"):
                key = (source.name, cat, lang)
                k = cursor[key]
                cursor[key] += len(rows)
                times = chosen.get(key)
                if times is not None:
                    taken = times[k : k + len(rows)]
                    reps[rows] = taken
                    if taken.any():
                        achieved[(cat, lang, source.name)] += int(taken.sum())
            if reps.any():
                # row order, repeats adjacent; the writers take the rows (one copy)
                yield batch.select(columns), np.repeat(np.arange(batch.num_rows, dtype=np.int64), reps)
        yield None


def prefetched(items: Iterator[Any], depth: int = 4) -> Iterator[Any]:
    """``items``, produced by a background thread up to ``depth`` ahead; its exceptions are
    raised here, and stopping early stops it."""
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def put(message: tuple[Any, BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                handoff.put(message, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False  # the consumer has gone

    def produce() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
            put((end, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            put((end, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="biocurate-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item, error = handoff.get()
            if item is end:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        thread.join()


def run_export(spec: MixtureSpec, options: ExportOptions) -> ExportResult:
    """Run a whole export; see the module docstring for the stages.

    Raises:
        ExportError: unknown output format, or nothing under the data root can feed the mixture.
    """
    bad = [f for f in options.formats if f not in WRITERS]
    if bad:
        raise ExportError(f"unknown format(s) {bad}; available: {', '.join(WRITERS)}")
    out = options.out
    work = out / ".work"
    # Workers first (they write nothing under work/ before assign): a script without the main
    # guard re-runs this in each worker, which must fail here, where multiprocessing refuses to
    # start processes from a starting one, not after deleting the exporter's work folder.
    started = start_workers(spec, options, work / "spool")
    try:
        if not options.resume and work.exists():
            shutil.rmtree(work)
        sources, skipped = find_sources(spec, options.data_root, spec.splits, options.exclude_licences)
        if not sources:
            raise ExportError(f"no dataset under {options.data_root or 'the bundled samples'} can feed mixture {spec.name!r}: {skipped}")
        with fewer_collections():
            stats, files = spool_sources(spec, sources, options, work, started)
    finally:
        if started is not None:
            started.close()
    plans = plan(spec, available_counts(stats))
    for old in (out / "data",):
        if old.exists():
            shutil.rmtree(old)
    writers: list[Writer] = []
    for fmt in options.formats:
        cls = WRITERS[fmt]
        writers.append(cls(out, options.shard_rows, ROW_SCHEMA) if cls is ParquetShardWriter else cls(out, options.shard_rows))
    achieved = write_outputs(sources, selection(spec, plans), work / "spool", writers, options.progress)
    written = sorted(path for writer in writers for path in writer.close())
    rejects_total = merge_rejects(sources, work / "spool", out / "rejects.jsonl")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="biocurate-cleanup") as cleanup:
        deleted = cleanup.submit(_delete_spools, work)  # (GBs of fragments) while the manifest is written
        manifest = build_manifest(spec, sources, skipped, stats, files, plans, achieved, written, out, rejects_total)
        write_json(out / "manifest.json", manifest)
        write_card(out, spec, manifest)
        deleted.result()
    return ExportResult(out, manifest, plans)


@contextmanager
def fewer_collections(young: int = 50_000) -> Iterator[None]:
    """Collect young objects less often inside the block (the interpreter-wide threshold is
    restored after). Taking blocks back from the workers makes ~10 short-lived tuples and lists
    per record; at the default threshold (700) the collector ran ~600 times per full export,
    ~0.6 CPU s of the exporting process."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], young), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _delete_spools(work: Path) -> None:
    """Delete the work folder; the spools' done-markers go first, so an export interrupted
    meanwhile spools again when resumed instead of trusting half-deleted spools."""
    for done in (work / "spool").glob("*.done"):
        done.unlink()
    shutil.rmtree(work)


def merge_rejects(sources: list[Source], spool_dir: Path, target: Path) -> int:
    """Concatenate the per-dataset rejects files (dataset order) into one."""
    count = 0
    with open(target, "w", encoding="utf-8") as out:
        for source in sources:
            path = spool_dir / f"{source.name}.rejects.jsonl"
            if path.exists():
                with open(path, encoding="utf-8") as handle:
                    for line in handle:
                        out.write(line)
                        count += 1
    return count


def read_manifest(export_dir: Path) -> dict[str, Any]:
    return json.loads((export_dir / "manifest.json").read_text(encoding="utf-8"))
