"""Where an export's record-local step runs: one small interface, two engines.

A runner maps a function over work units, given settings shared by all of them (shipped once
per worker), and returns when every unit is done. Steps never know which runner runs them;
the export's bytes do not depend on it (every decision is order-free, see :mod:`.decisions`).

* :class:`LocalRunner` (the default): inline in this process for one worker, else a standard
  library process pool; workers exit when the exporting process dies.
* :class:`RayRunner` (``--engine ray``): Ray tasks over the units, on a local Ray instance or
  an existing cluster (``--ray-address``); needs ``pip install "biocurate[ray]"``.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from biocurate.progress import tqdm

from biocurate.errors import ExportError

Task = Callable[[Any, Any], Any]


class Runner(Protocol):
    """Runs ``task(shared, unit)`` for every unit (in any order, anywhere)."""

    #: how many units can run at once (the export deals large splits into this many parts)
    parallelism: int

    def map(self, task: Task, shared: Any, units: Sequence[Any], progress: bool = False) -> list[Any]: ...

    def close(self) -> None: ...


def default_workers() -> int:
    """One worker per usable CPU, at most 8."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def _bar(total: int, progress: bool) -> tqdm:
    return tqdm(total=total, desc="map", unit="unit", disable=not progress, leave=False)


class InlineRunner:
    """Every unit in this process, one after the other (small inputs, debugging)."""

    parallelism = 1

    def map(self, task: Task, shared: Any, units: Sequence[Any], progress: bool = False) -> list[Any]:
        results = []
        with _bar(len(units), progress) as bar:
            for unit in units:
                results.append(task(shared, unit))
                bar.update()
        return results

    def close(self) -> None:
        pass


# -- local process pool ----------------------------------------------------------------------

_SHARED: Any = None


def _die_with_parent(parent: int) -> None:
    """Make this worker exit when the exporting process dies (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:  # other systems (and a belt to the braces): poll the parent
        while True:
            threading.Event().wait(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="biocurate-parent-watch", daemon=True).start()


def _init_worker(parent: int, handoff: Any) -> None:
    global _SHARED
    _die_with_parent(parent)
    _warm_up()
    _SHARED = handoff.get()


def _warm_up() -> None:
    """What every unit needs first (biocurate's modules, the bundled templates), done while the
    exporting process is still finding sources and building the evaluation set."""
    from biocurate.export import units  # noqa: F401 - the import is the warm-up
    from biocurate.templates.engine import default_store

    default_store()


def _run_in_worker(task: Task, unit: Any) -> Any:
    return task(_SHARED, unit)


class LocalRunner:
    """A process pool of ``workers`` processes (``spawn``: safe beside pyarrow's threads and
    the same on every OS), started when the runner is made so that the workers' start-up
    overlaps the exporting process's own preparation. The shared settings reach each worker
    once, through a queue, when :meth:`map` is called."""

    def __init__(self, workers: int) -> None:
        if workers < 2:
            raise ValueError("LocalRunner needs at least 2 workers; use InlineRunner for one")
        self.parallelism = workers
        self._ready: tuple[Any, Any] | None = self._start()

    def _start(self) -> tuple[Any, Any]:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        # The settings (the decontamination set can be large) reach the workers through a
        # queue once they run, not in their start-up message: a worker dying while it starts
        # (an unguarded script) must not leave this process blocked writing to its pipe.
        handoff = context.Queue()
        pool = ProcessPoolExecutor(max_workers=self.parallelism, mp_context=context, initializer=_init_worker,
                                   initargs=(os.getpid(), handoff))
        pool.submit(os.getpid)  # starts the processes now
        return pool, handoff

    def map(self, task: Task, shared: Any, units: Sequence[Any], progress: bool = False) -> list[Any]:
        pool, handoff = self._ready or self._start()
        self._ready = None
        for _ in range(self.parallelism):
            handoff.put(shared)
        try:
            futures = [pool.submit(_run_in_worker, task, unit) for unit in units]
            with _bar(len(futures), progress) as bar:
                pending = set(futures)
                while pending:
                    done, pending = wait(pending, timeout=0.5, return_when=FIRST_EXCEPTION)
                    bar.update(len(done))
                    for future in done:
                        if future.exception() is not None:
                            raise future.exception()
            return [future.result() for future in futures]
        except BrokenProcessPool as exc:
            raise ExportError(
                "an export worker process exited before finishing (its error is printed above). A worker re-imports "
                "the main script: guard a script's code with `if __name__ == \"__main__\":`, or export with one "
                "process (--workers 1)."
            ) from exc
        finally:
            _stop(pool, handoff)

    def close(self) -> None:
        """Stop a pool that :meth:`map` never used (its workers wait for settings)."""
        if self._ready is not None:
            pool, handoff = self._ready
            self._ready = None
            for _ in range(self.parallelism):
                handoff.put(None)
            _stop(pool, handoff)


def _stop(pool: ProcessPoolExecutor, handoff: Any) -> None:
    pool.shutdown(wait=True, cancel_futures=True)
    handoff.close()
    handoff.cancel_join_thread()


# -- Ray ---------------------------------------------------------------------------------------


def _run_ray_task(task: Task, shared: Any, unit: Any) -> Any:
    return task(shared, unit)


class RayRunner:
    """Ray tasks over the units: ``address=None`` starts a local Ray instance with ``workers``
    CPUs (or joins the one already initialised); otherwise it connects to that cluster. The
    shared settings go to the object store once. The data root and the export's work folder
    must be at the same path on every node (a shared file system)."""

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        try:
            import ray
        except ImportError as exc:
            raise ExportError('--engine ray needs Ray: pip install "biocurate[ray]"') from exc
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": True, "configure_logging": False}
            if address is None:
                kwargs["num_cpus"] = workers or default_workers()
            ray.init(address=address, **kwargs)
            self._started = True
        self.parallelism = max(1, int(ray.cluster_resources().get("CPU", 1)))

    def map(self, task: Task, shared: Any, units: Sequence[Any], progress: bool = False) -> list[Any]:
        ray = self._ray
        if not units:
            return []
        shared_ref = ray.put(shared)
        remote = ray.remote(num_cpus=1, max_retries=0)(_run_ray_task)
        refs = [remote.remote(task, shared_ref, unit) for unit in units]
        index = {ref: i for i, ref in enumerate(refs)}
        results: list[Any] = [None] * len(refs)
        pending = list(refs)
        with _bar(len(refs), progress) as bar:
            try:
                while pending:
                    done, pending = ray.wait(pending, num_returns=1, timeout=1.0)
                    for ref in done:
                        results[index[ref]] = ray.get(ref)
                        bar.update()
            except ray.exceptions.RayTaskError as exc:
                for ref in pending:
                    ray.cancel(ref, force=True)
                cause = exc.as_instanceof_cause()
                raise cause from None
        return results

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()


def make_runner(engine: str, workers: int, ray_address: str | None = None) -> Runner:
    """The runner for ``--engine`` (``local`` or ``ray``) and ``--workers``."""
    if engine == "ray":
        return RayRunner(ray_address, workers)
    if engine != "local":
        raise ExportError(f"unknown engine {engine!r}; use local or ray")
    return LocalRunner(workers) if workers > 1 else InlineRunner()
