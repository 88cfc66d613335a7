"""Spooling in worker processes: same bytes as one process, failures reported, resumable."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from biocurate.errors import ExportError
from biocurate.export import workers as workers_module
from biocurate.export.pipeline import ExportOptions, run_export
from biocurate.export.rows import SPOOL_SCHEMA
from biocurate.export.sources import find_sources
from biocurate.export.spool import BATCH_ROWS, FragmentWriter, SpoolIndex, finished_spool, read_spool
from biocurate.export.workers import BuildSettings, InlineBlocks, ParallelBlocks, claimable_jobs
from biocurate.mix.neardup import NearDedup
from biocurate.mix.spec import load_mixture

from tests.support import make_root, write_mix

#: Datasets with several tasks per record, real rejects (BC5CDR) and decontamination hits (CMeEE).
FOLDERS = ("CMeEE", "KUAKE-QIC", "BC5CDR", "GSM8K")
TARGETS = {"ner": {"zh": 300, "en": 100}, "tc": {"zh": 200}, "re": {"en": 50}, "cot": {"en": 100}, "other": {"all": 40}}


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path, *FOLDERS)


def _options(out: Path, root: Path, spec, workers: int, **extra) -> ExportOptions:
    near = NearDedup(seed=spec.seed)
    return ExportOptions(out=out, data_root=root, formats=["parquet", "firefly"], progress=False, near_dedup=near, workers=workers, **extra)


def test_two_workers_write_the_same_bytes_as_one_process(tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = load_mixture(write_mix(tmp_path, targets=TARGETS))
    one = run_export(spec, _options(tmp_path / "one", root, spec, workers=1))
    # small blocks: many blocks per split, so the round-robin hand-over is exercised
    monkeypatch.setattr(workers_module, "BLOCK_ITEMS", 7)
    two = run_export(spec, _options(tmp_path / "two", root, spec, workers=2))
    counts = one.manifest["sources"]
    assert counts["bc5cdr"]["counts"]["rejected"] >= 1 and counts["cmeee"]["counts"]["decontaminated"] >= 1
    first, second = _files(one.out), _files(two.out)
    assert list(first) == list(second)
    for name in first:
        assert first[name] == second[name], name


def test_parallel_export_resumes_after_an_interruption(tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = load_mixture(write_mix(tmp_path, targets=TARGETS))
    clean = run_export(spec, _options(tmp_path / "clean", root, spec, workers=1))
    import biocurate.export.pipeline as pipeline

    real = pipeline.spool_dataset

    def interrupted(spec_, source, *args, **kwargs):
        if source.name == "cmeee":
            raise KeyboardInterrupt("simulated interruption")
        return real(spec_, source, *args, **kwargs)

    monkeypatch.setattr(pipeline, "spool_dataset", interrupted)
    out = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt):
        run_export(spec, _options(out, root, spec, workers=2))
    assert (out / ".work" / "spool" / "bc5cdr.done").exists()
    monkeypatch.setattr(pipeline, "spool_dataset", real)
    run_export(spec, _options(out, root, spec, workers=2, resume=True))
    assert _files(out) == _files(clean.out)


def test_a_worker_error_is_raised_in_the_exporting_process(tmp_path: Path, root: Path) -> None:
    spec = load_mixture(write_mix(tmp_path, targets=TARGETS))
    sources, _ = find_sources(spec, root, ["train"], [])
    source = next(s for s in sources if s.name == "gsm8k")
    for path in source.loader.files_for("train"):  # listed (and remembered) by the loader, then gone
        path.unlink()
    producer = ParallelBlocks(2, tmp_path, max_jobs=1)
    producer.assign(BuildSettings(spec, None, True), [(source, "train")])
    try:
        with pytest.raises(FileNotFoundError):
            list(producer.blocks(source, "train"))
    finally:
        producer.close()
    assert not any(p.is_alive() for p in producer.processes)


def test_eager_jobs_are_claimed_only_with_enough_work_after_them(tmp_path: Path, root: Path) -> None:
    spec = load_mixture(write_mix(tmp_path, targets=TARGETS))
    sources, _ = find_sources(spec, root, ["train"], [])
    jobs = [(s, "train") for s in sources]
    eager = [not s.loader.defers_parsing for s in sources]
    assert eager == [s.name != "gsm8k" for s in sources]  # GSM8K's JSON Lines lines are deferred
    slack, n = workers_module.CLAIM_SLACK, len(jobs)
    # claimed when the jobs after it hold CLAIM_SLACK times its bytes per other worker
    sizes = [1] * (n - 1) + [slack]
    assert claimable_jobs(jobs, sizes, 2) == eager[:-1] + [False]  # nothing after the last job
    assert claimable_jobs(jobs, [slack + n] + sizes[1:], 2)[0] is False  # too big for what follows
    assert claimable_jobs(jobs, sizes, 3) == [False] * n  # not enough to keep two other workers busy


def test_claimed_jobs_give_the_blocks_one_process_builds(tmp_path: Path, root: Path) -> None:
    spec = load_mixture(write_mix(tmp_path, targets=TARGETS))
    sources, _ = find_sources(spec, root, ["train"], [])
    jobs = [(s, "train") for s in sources]
    settings = BuildSettings(spec, None, True)
    (tmp_path / "inline").mkdir()
    (tmp_path / "parallel").mkdir()
    inline = InlineBlocks(settings, tmp_path / "inline", block_items=5)
    expected = [[(b.items, b.results) for b in inline.blocks(s, split)] for s, split in jobs]
    producer = ParallelBlocks(2, tmp_path / "parallel", max_jobs=len(jobs), block_items=5)
    producer.assign(settings, jobs, sizes=[1] * (len(jobs) - 1) + [100 * len(jobs)])
    try:
        assert producer.claimable == [not s.loader.defers_parsing for s in sources[:-1]] + [False]
        for (source, split), want in zip(jobs, expected):
            blocks = list(producer.blocks(source, split))
            assert [(b.items, b.results) for b in blocks] == want, source.name
            builders = {b.rows[0] for b in blocks if b.rows is not None}
            if producer.claimable[jobs.index((source, split))]:
                assert len(builders) == 1, source.name  # one worker built the whole job
    finally:
        producer.close()


def test_blocks_must_be_asked_for_in_job_order(tmp_path: Path, root: Path) -> None:
    spec = load_mixture(write_mix(tmp_path, targets=TARGETS))
    sources, _ = find_sources(spec, root, ["train"], [])
    producer = ParallelBlocks(2, tmp_path, max_jobs=2)
    try:
        with pytest.raises(ExportError, match="at most 2"):
            producer.assign(BuildSettings(spec, None, True), [(s, "train") for s in sources[:3]])
        producer.assign(BuildSettings(spec, None, True), [(s, "train") for s in sources[:2]])
        with pytest.raises(ExportError, match="already"):
            producer.assign(BuildSettings(spec, None, True), [(s, "train") for s in sources[:2]])
        with pytest.raises(ExportError, match="out of order"):
            next(iter(producer.blocks(sources[1], "train")))
    finally:
        producer.close()


def test_workers_started_early_wait_for_their_jobs_or_are_closed(tmp_path: Path, root: Path) -> None:
    spec = load_mixture(write_mix(tmp_path, targets=TARGETS))
    sources, _ = find_sources(spec, root, ["train"], [])
    producer = ParallelBlocks(2, tmp_path, max_jobs=4)
    try:
        time.sleep(0.5)  # the workers are up and waiting: nothing to build yet
        assert all(p.is_alive() for p in producer.processes)
        assert all(q.empty() for q in producer.queues)
        producer.assign(BuildSettings(spec, None, True), [(sources[0], "train")])
        assert list(producer.blocks(sources[0], "train"))
    finally:
        producer.close()
    idle = ParallelBlocks(2, tmp_path, max_jobs=1)  # never given jobs (e.g. the export ran inline)
    idle.close()
    assert not any(p.is_alive() for p in idle.processes)


def test_holds_bytes_stops_at_the_threshold(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_bytes(b"x" * 10)
    (tmp_path / "y.txt").write_bytes(b"y" * 5)
    assert workers_module.holds_bytes(tmp_path, 15)
    assert not workers_module.holds_bytes(tmp_path, 16)
    assert not workers_module.holds_bytes(tmp_path / "missing", 1)


def test_unguarded_script_gets_a_clear_error(tmp_path: Path, root: Path) -> None:
    """Spawned workers re-import the main script: an unguarded one fails with a hint, not a hang."""
    mix = write_mix(tmp_path, targets=TARGETS)
    script, log = tmp_path / "unguarded.py", tmp_path / "events.log"
    (tmp_path / "out" / ".work" / "spool").mkdir(parents=True)  # left by an earlier export
    # Every process running the script logs when it starts workers and deletes the work folder:
    # a worker re-running an unguarded script must fail before it can delete the exporter's
    # work folder (it did, at random, and the user got a FileNotFoundError instead of the hint).
    script.write_text(textwrap.dedent(f"""
        import os
        from pathlib import Path
        from biocurate.export import pipeline
        from biocurate.export.pipeline import ExportOptions, run_export
        from biocurate.mix.spec import load_mixture

        def logged(event, real):
            def call(*args, **kwargs):
                with open({str(log)!r}, "a") as handle:
                    handle.write(f"{{os.getpid()}} {{event}}\\n")
                return real(*args, **kwargs)
            return call

        pipeline.start_workers = logged("start", pipeline.start_workers)
        pipeline.shutil.rmtree = logged("rmtree", pipeline.shutil.rmtree)
        run_export(load_mixture({str(mix)!r}), ExportOptions(out=Path({str(tmp_path / 'out')!r}), data_root=Path({str(root)!r}), progress=False, workers=2))
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert 'if __name__ == "__main__":' in done.stderr
    events: dict[str, list[str]] = {}
    for line in log.read_text().splitlines():
        pid, event = line.split()
        events.setdefault(pid, []).append(event)
    assert len(events) >= 2 and all(got[0] == "start" for got in events.values()), events
    assert sum("rmtree" in got for got in events.values()) == 1, events  # the exporting process only


def test_workers_skip_pyarrows_pandas_import_and_pandas_still_imports() -> None:
    # in a fresh interpreter: the probe must leave pandas unimported through pyarrow
    # conversions, and a later `import pandas` / to_pandas must still work
    code = textwrap.dedent("""
        import sys
        import pyarrow as pa
        from biocurate.export.workers import _arrow_without_pandas
        _arrow_without_pandas()
        pa.array([[{"human": "q", "assistant": "a"}]])
        pa.array(["x"], type=pa.string())
        print("pandas" in sys.modules, sys.meta_path[0].__class__.__name__)
        import pandas
        print(pa.table({"a": [1]}).to_pandas()["a"].tolist())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first.split()[0] == "False" and "NoPandas" not in first
    assert second == "[1]"


def test_spool_reads_kept_rows_in_block_order_recut_to_a_fixed_size(tmp_path: Path) -> None:
    row = {name: "x" for name in SPOOL_SCHEMA.names}
    row["conversation"] = [{"human": "q", "assistant": "a"}]
    index = SpoolIndex(tmp_path, "demo")
    expected: list[str] = []
    # blocks from two builders, handed over in turn, each keeping some of its rows
    with FragmentWriter(tmp_path, "demo.train.0.rows") as first, FragmentWriter(tmp_path, "demo.train.1.rows") as second:
        for number, size in enumerate([5, 3000, 1, 1500, 7, 2100]):
            ids = [f"{number}-{i}" for i in range(size)]
            ref = (first if number % 2 == 0 else second).append(pa.RecordBatch.from_pylist([{**row, "id": i} for i in ids], schema=SPOOL_SCHEMA))
            kept = np.arange(size)[(np.arange(size) % 3 != 1) | (size == 1)]
            index.add(ref, kept)
            expected += [ids[k] for k in kept]
    index.close("fp", {"n": 1})
    batches = list(read_spool(tmp_path, "demo"))
    total = len(expected)
    assert [b.num_rows for b in batches] == [BATCH_ROWS] * (total // BATCH_ROWS) + [total % BATCH_ROWS]
    assert [i for b in batches for i in b.column("id").to_pylist()] == expected
    assert finished_spool(tmp_path, "demo", "fp") == {"fingerprint": "fp", "rows": total, "stats": {"n": 1}}
    assert finished_spool(tmp_path, "demo", "other") is None
