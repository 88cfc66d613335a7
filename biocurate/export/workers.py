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
OS) and read their settings and jobs from a pickle file in the spool folder.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue as queue_module
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from biocurate.errors import ExportError
from biocurate.mix.dedup import Decontaminator
from biocurate.mix.spec import MixtureSpec

from .blocks import BLOCK_ITEMS, Block, BlockBuilder, chunks
from .sources import Source
from .spool import FragmentWriter, fragment_name

#: Blocks a worker may build ahead of the spooler (their rows are on disk: a queued block is
#: its decisions' data, tens of kB); room to go on while another worker builds a claimed job.
QUEUE_BLOCKS = 256
#: How many times its own raw bytes (per other worker) must come after a job for one worker to
#: claim it (:func:`claimable_jobs`).
CLAIM_SLACK = 4
#: Below this many bytes of raw files to spool, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 32 << 20


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


def _work(worker: int, workers: int, payload: str, out: Any, block_items: int, claims: Any) -> None:
    """A worker's whole life: its share of the blocks of every job, in job order (rows written
    to one fragment per job beside ``payload``, closed before the job's end is announced)."""
    try:
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


class ParallelBlocks:
    """Blocks built by ``workers`` processes; :meth:`blocks` must be called in job order.

    Args:
        settings: what builders need.
        jobs: every ``(source, split)`` to build, in the order the spooler will ask for them.
        workers: number of processes (>= 2).
        sizes: raw bytes of each job (which jobs are claimed, :func:`claimable_jobs`); None:
            all jobs are shared.
    """

    def __init__(self, settings: BuildSettings, jobs: list[tuple[Source, str]], workers: int, scratch: Path,
                 block_items: int | None = None, sizes: list[int] | None = None) -> None:
        context = multiprocessing.get_context("spawn")
        self.jobs = [(source.name, split) for source, split in jobs]
        self.claimable = claimable_jobs(jobs, sizes, workers) if sizes is not None else [False] * len(jobs)
        self._next_job = 0
        # Workers read their settings from a file: the start-up message stays small, so a
        # worker that dies while starting is reported instead of blocking the pipe.
        payload = scratch / "workers.pickle"
        with open(payload, "wb") as handle:
            pickle.dump((settings, jobs, self.claimable), handle, protocol=pickle.HIGHEST_PROTOCOL)
        self.queues = [context.Queue(maxsize=QUEUE_BLOCKS) for _ in range(workers)]
        # who builds each claimed job; kept here: the workers attach to its lock by name
        self._claims = context.Array("i", [-1] * len(jobs))
        self.processes = [
            context.Process(target=_work, args=(w, workers, str(payload), self.queues[w], block_items or BLOCK_ITEMS, self._claims),
                            daemon=True, name=f"biocurate-spool-{w}")
            for w in range(workers)
        ]
        for process in self.processes:
            process.start()

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
