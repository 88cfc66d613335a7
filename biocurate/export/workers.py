"""Where blocks come from: built in this process, or by worker processes in parallel.

Every worker goes through the (dataset, split) *jobs* in order. A job is either *shared*:
with ``n`` workers, worker ``w`` builds blocks ``w, w + n, w + 2n, ...``, reading the split's
raw items itself and skipping the other workers' blocks (cheap when the loader defers parsing,
:meth:`~biocurate.loaders.Loader.read_deferred`); or *claimed*: the first worker to reach it
builds all its blocks and the others skip it. Jobs of eagerly parsing loaders are claimed, so
their items are parsed once, unless too little work comes after them to keep the other
workers busy meanwhile (:func:`claimable_jobs`). A worker writes its blocks' rows to its own
spool fragment and sends the rest of each block to the spooler, which takes the blocks back
in order, so a spool never depends on the number of workers or on who built what. Workers
are started with ``spawn`` (safe beside pyarrow's and tqdm's threads, and the same on every
OS), as soon as the export knows it will use them: they import biocurate and load the
templates while the exporting process is still finding its sources, then read their settings
and jobs from a pickle file in the spool folder once :meth:`ParallelBlocks.assign` writes it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue as queue_module
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from biocurate.errors import ExportError
from biocurate.mix.dedup import Decontaminator
from biocurate.mix.normalise import char_tables, uses_c_loop
from biocurate.mix.spec import MixtureSpec
from biocurate.templates.engine import default_store

from .blocks import BLOCK_ITEMS, Block, BlockBuilder, chunks
from .sources import Source
from .spool import FragmentWriter, fragment_name

#: Blocks a worker may build ahead of the spooler (their rows are on disk: a queued block is
#: its decisions' data, tens of kB); room to go on while another worker builds a claimed job
#: (at 256, a worker stood idle ~2 s of the full bench export while the other built BC5CDR).
QUEUE_BLOCKS = 1024
#: How many times its own raw bytes (per other worker) must come after a job for one worker to
#: claim it (:func:`claimable_jobs`).
CLAIM_SLACK = 4
#: Below this many bytes of raw files to spool, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 32 << 20


def holds_bytes(folder: Path, at_least: int) -> bool:
    """Whether the files below ``folder`` hold at least ``at_least`` bytes (the walk stops as
    soon as they do; symlinked folders are not entered, as in the loaders' listings)."""
    total = 0
    pending = [str(folder)]
    try:
        while pending:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    elif entry.is_file():
                        total += entry.stat().st_size
                        if total >= at_least:
                            return True
    except OSError:  # unreadable: finding the sources will say what is wrong
        return False
    return False


def default_workers() -> int:
    """One worker per usable CPU, at most 8."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


@dataclass
class BuildSettings:
    """What every block builder needs besides its source (picklable, sent to workers)."""

    spec: MixtureSpec
    decontaminator: Decontaminator | None
    exact: bool
    near: Any = None  # a near-dup filter with nothing kept (signatures only)

    def builder(self, source: Source) -> BlockBuilder:
        return BlockBuilder(self.spec, source, self.decontaminator, self.exact, self.near)


class InlineBlocks:
    """Blocks built in this process, on demand; their rows go to fragments in ``scratch``."""

    def __init__(self, settings: BuildSettings, scratch: Path, block_items: int | None = None) -> None:
        self.settings = settings
        self.scratch = scratch
        self.block_items = block_items or BLOCK_ITEMS

    def blocks(self, source: Source, split: str) -> Iterator[Block]:
        builder = self.settings.builder(source)
        with FragmentWriter(self.scratch, fragment_name(source.name, split, "main")) as sink:
            for first, items in chunks(source.loader.read_deferred(split), self.block_items):
                yield builder.build(split, first, items, sink)

    def close(self) -> None:
        pass


@dataclass
class _End:
    job: int


@dataclass
class _Failure:
    error: BaseException | None
    trace: str


def claimable_jobs(jobs: list[tuple[Source, str]], sizes: list[int], workers: int) -> list[bool]:
    """Which jobs are claimed by one worker rather than shared (see the module docstring).

    A job is claimable when its loader parses eagerly (a shared job would be parsed by every
    worker) and the jobs after it hold at least :data:`CLAIM_SLACK` ``* (workers - 1)`` times
    its raw bytes: bytes are a rough measure of work (a byte of ParaMed costs ~4x one of
    PubMedQA), and a claimed job near the end would leave the other workers idle.
    """
    after = sum(sizes)
    claimable = []
    for (source, _), size in zip(jobs, sizes):
        after -= size
        claimable.append(not source.loader.defers_parsing and after >= CLAIM_SLACK * (workers - 1) * size)
    return claimable


def _claim(claims: Any, job: int, worker: int) -> bool:
    """Whether ``worker`` builds claimed job ``job`` (the first worker to ask gets it)."""
    with claims.get_lock():
        if claims[job] < 0:
            claims[job] = worker
        return claims[job] == worker


def _work(worker: int, workers: int, payload: str, out: Any, block_items: int, claims: Any, assigned: Any) -> None:
    """A worker's whole life: warm up, wait for the jobs, then its share of the blocks of every
    job, in job order (rows written to one fragment per job beside ``payload``, closed before
    the job's end is announced)."""
    try:
        _warm_up()
        while not assigned.wait(1.0):
            if not multiprocessing.parent_process().is_alive():
                return
        with open(payload, "rb") as handle:
            settings, jobs, claimable = pickle.load(handle)
        # Workers make many short-lived objects and few cycles: collect young objects less
        # often and never scan the long-lived setup (about 5 % less CPU).
        gc.freeze()
        gc.set_threshold(100_000, 50, 100)
        builders: dict[str, BlockBuilder] = {}
        for job, (source, split) in enumerate(jobs):
            if claimable[job] and not _claim(claims, job, worker):
                out.put(_End(job))
                continue
            builder = builders.get(source.name) or builders.setdefault(source.name, settings.builder(source))
            with FragmentWriter(Path(payload).parent, fragment_name(source.name, split, str(worker))) as sink:
                # deferred items: the other workers' blocks are skipped without parsing them
                for number, (first, items) in enumerate(chunks(source.loader.read_deferred(split), block_items)):
                    if claimable[job] or number % workers == worker:  # a claimed job's every block
                        out.put((job, number, builder.build(split, first, items, sink)))
            out.put(_End(job))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the spooler
        trace = traceback.format_exc()
        try:
            out.put(_Failure(exc, trace))
        except Exception:  # noqa: BLE001 - the exception itself may not pickle
            out.put(_Failure(None, trace))


def _warm_up() -> None:
    """What every block builder needs first, done while the exporting process finds the jobs:
    pyarrow without pandas, the templates, the dedup-key character tables."""
    _arrow_without_pandas()
    default_store()
    if uses_c_loop():
        char_tables()


def _arrow_without_pandas() -> None:
    """Let pyarrow's one-time probe for pandas fail in this (worker) process.

    On its first conversion of Python objects pyarrow imports pandas (~0.3 s) only to tell
    pandas objects apart; a worker converts lists it built itself. ``import pandas`` works
    again afterwards (a plugin loader may use it, and ``to_pandas`` imports it then); pyarrow
    just keeps treating pandas objects given to ``pa.array`` as plain sequences.
    """
    if "pandas" in sys.modules:
        return
    sys.meta_path.insert(0, _NoPandas)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(_NoPandas)


class _NoPandas:
    """A meta path finder that fails ``import pandas``."""

    @staticmethod
    def find_spec(name: str, path: Any = None, target: Any = None) -> None:
        if name == "pandas":
            raise ImportError("pandas is not imported by biocurate's workers")


class ParallelBlocks:
    """Blocks built by ``workers`` processes, started at once; :meth:`assign` gives them their
    jobs, then :meth:`blocks` must be called in job order.

    Args:
        workers: number of processes (>= 2).
        scratch: the spool folder (settings file, spool fragments).
        max_jobs: the most jobs :meth:`assign` may give (one claim slot each).
    """

    def __init__(self, workers: int, scratch: Path, max_jobs: int, block_items: int | None = None) -> None:
        context = multiprocessing.get_context("spawn")
        self.jobs: list[tuple[str, str]] = []
        self.claimable: list[bool] = []
        self._next_job = 0
        # Workers read their settings from a file: the start-up message stays small, so a
        # worker that dies while starting is reported instead of blocking the pipe.
        self._payload = scratch / "workers.pickle"
        self.queues = [context.Queue(maxsize=QUEUE_BLOCKS) for _ in range(workers)]
        # who builds each claimed job; kept here: the workers attach to its lock by name
        self._claims = context.Array("i", [-1] * max_jobs)
        self._assigned = context.Event()
        self.processes = [
            context.Process(target=_work, args=(w, workers, str(self._payload), self.queues[w], block_items or BLOCK_ITEMS,
                                                self._claims, self._assigned),
                            daemon=True, name=f"biocurate-spool-{w}")
            for w in range(workers)
        ]
        for process in self.processes:
            process.start()

    @property
    def workers(self) -> int:
        return len(self.processes)

    def assign(self, settings: BuildSettings, jobs: list[tuple[Source, str]], sizes: list[int] | None = None) -> None:
        """Give the workers every ``(source, split)`` to build, in the order :meth:`blocks`
        will be asked for them (once). ``sizes``: raw bytes of each job, which decide the
        claimed jobs (:func:`claimable_jobs`); None: every job is shared."""
        if self._assigned.is_set():
            raise ExportError("the spooling workers have their jobs already")
        if len(jobs) > len(self._claims):
            raise ExportError(f"{len(jobs)} spooling jobs for workers started for at most {len(self._claims)}")
        self.jobs = [(source.name, split) for source, split in jobs]
        self.claimable = claimable_jobs(jobs, sizes, self.workers) if sizes is not None else [False] * len(jobs)
        with open(self._payload, "wb") as handle:
            pickle.dump((settings, jobs, self.claimable), handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._assigned.set()

    def blocks(self, source: Source, split: str) -> Iterator[Block]:
        job = self._next_job
        if job >= len(self.jobs) or self.jobs[job] != (source.name, split):
            raise ExportError(f"blocks of {source.name}/{split} asked out of order (expected {self.jobs[job:job + 1]})")
        self._next_job += 1
        if self.claimable[job]:
            yield from self._claimed_blocks(job)
            return
        workers = len(self.queues)
        number = 0
        while True:
            message = self._get(number % workers)
            if isinstance(message, _End):
                # block `number` does not exist: every other worker has sent all its blocks
                self._expect_end(job, message)
                for other in range(workers):
                    if other != number % workers:
                        self._expect_end(job, self._get(other))
                return
            got_job, got_number, block = message
            if (got_job, got_number) != (job, number):
                raise ExportError(f"worker sent block {got_number} of job {got_job}, expected block {number} of job {job}")
            yield block
            number += 1

    def _claimed_blocks(self, job: int) -> Iterator[Block]:
        """The blocks of a claimed job: from whichever worker sends blocks before its end; every
        other worker sends only the end."""
        number = 0
        for worker in range(len(self.queues)):
            while not isinstance(message := self._get(worker), _End):
                got_job, got_number, block = message
                if (got_job, got_number) != (job, number):
                    raise ExportError(f"worker {worker} sent block {got_number} of job {got_job}, expected block {number} of job {job}")
                yield block
                number += 1
            self._expect_end(job, message)

    def _expect_end(self, job: int, message: object) -> None:
        if not isinstance(message, _End) or message.job != job:
            raise ExportError(f"worker out of step at the end of job {job}: got {type(message).__name__}")

    def _get(self, worker: int) -> Any:
        while True:
            try:
                message = self.queues[worker].get(timeout=1.0)
            except queue_module.Empty:
                process = self.processes[worker]
                if not process.is_alive():
                    self.close()
                    raise ExportError(
                        f"spooling worker {worker} exited (code {process.exitcode}) without finishing; its error is printed "
                        "above. A worker re-imports the main script: guard a script's code with "
                        "`if __name__ == \"__main__\":`, or export with one process (--workers 1)."
                    ) from None
                continue
            if isinstance(message, _Failure):
                self.close()
                if message.error is not None:
                    raise message.error from RuntimeError(f"in spooling worker {worker}:\n{message.trace}")
                raise ExportError(f"spooling worker {worker} failed:\n{message.trace}")
            return message

    def close(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join(timeout=5)
        for q in self.queues:
            q.close()
            q.cancel_join_thread()
