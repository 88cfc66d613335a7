"""The export's steps on their runners: same bytes for any worker count and engine, resumable
from finished units, failures raised where the user is, workers gone with their parent."""

from __future__ import annotations

import operator
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from biocurate.errors import ExportError
from biocurate.export import pipeline, units
from biocurate.export.pipeline import ExportOptions, run_export
from biocurate.export.runners import InlineRunner, LocalRunner, RayRunner
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


@pytest.fixture
def spec(tmp_path: Path):
    return load_mixture(write_mix(tmp_path, targets=TARGETS))


def _options(out: Path, root: Path, spec, workers: int, **extra) -> ExportOptions:
    return ExportOptions(out=out, data_root=root, formats=["parquet", "firefly"], progress=False,
                         near_dedup=NearDedup(seed=spec.seed), workers=workers, **extra)


@pytest.fixture
def dealt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small blocks, and every split of a deferring loader dealt into parts: the interleaving
    of parts is exercised on the small samples."""
    monkeypatch.setattr(units, "BLOCK_ITEMS", 7)
    monkeypatch.setattr(pipeline, "SHARED_SPLIT_BYTES", 0)


def test_two_workers_write_the_same_bytes_as_one_process(tmp_path: Path, root: Path, spec, dealt) -> None:
    one = run_export(spec, _options(tmp_path / "one", root, spec, workers=1))
    two = run_export(spec, _options(tmp_path / "two", root, spec, workers=2))
    three = run_export(spec, _options(tmp_path / "three", root, spec, workers=3))
    counts = one.manifest["sources"]
    assert counts["bc5cdr"]["counts"]["rejected"] >= 1 and counts["cmeee"]["counts"]["decontaminated"] >= 1
    first = _files(one.out)
    assert any(name.endswith(".parquet") for name in first)
    import json

    files = [json.loads(line)["file"] for line in first["rejects.jsonl"].decode().splitlines()]
    assert files and all(f.startswith("BC5CDR/") for f in files), files  # relative to the data root
    for other in (two, three):
        second = _files(other.out)
        assert list(first) == list(second)
        for name in first:
            assert first[name] == second[name], name


def test_the_ray_runner_writes_the_same_bytes_as_the_local_one(tmp_path: Path, root: Path, spec, dealt) -> None:
    import ray

    local = run_export(spec, _options(tmp_path / "local", root, spec, workers=2))
    ray.init(num_cpus=2, include_dashboard=False, configure_logging=False)
    try:
        on_ray = run_export(spec, _options(tmp_path / "ray", root, spec, workers=2, engine="ray"))
        runner = RayRunner()
        assert runner.parallelism == 2
        with pytest.raises(ZeroDivisionError):  # a task's error reaches the driver as itself
            runner.map(operator.truediv, 1, [1, 0])
    finally:
        ray.shutdown()
    assert _files(on_ray.out) == _files(local.out)


def test_an_interrupted_export_resumes_from_its_finished_units(tmp_path: Path, root: Path, spec, monkeypatch: pytest.MonkeyPatch) -> None:
    clean = run_export(spec, _options(tmp_path / "clean", root, spec, workers=1))
    real = pipeline.map_unit
    calls: list[str] = []
    interrupted: list[bool] = []

    def flaky(settings, unit):
        calls.append(unit.dataset)
        if unit.dataset == "gsm8k" and not interrupted:
            interrupted.append(True)
            raise KeyboardInterrupt("simulated interruption")
        return real(settings, unit)

    monkeypatch.setattr(pipeline, "map_unit", flaky)
    out = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt):
        run_export(spec, _options(out, root, spec, workers=1))
    assert not list(out.rglob("*.parquet")), "no shard may survive an interrupted export"
    finished = {p.name.split(".")[0] for p in (out / ".work" / "units").glob("*.done")}
    assert finished and "gsm8k" not in finished
    calls.clear()
    run_export(spec, _options(out, root, spec, workers=1, resume=True))
    assert "gsm8k" in calls and not finished & set(calls), "only the unfinished units run again"
    assert finished | set(calls) == {"cmeee", "kuake_qic", "bc5cdr", "bc5cdr_bioc", "gsm8k"}
    assert _files(out) == _files(clean.out)
    assert not (out / ".work").exists()


def test_resume_redoes_the_units_of_a_dataset_whose_raw_files_changed(tmp_path: Path, root: Path, spec, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    real_remove = pipeline.OutputFolder.remove_work
    monkeypatch.setattr(pipeline.OutputFolder, "remove_work", lambda self: None)  # keep the work folder
    run_export(spec, _options(out, root, spec, workers=1))
    monkeypatch.setattr(pipeline.OutputFolder, "remove_work", real_remove)
    sample = root / "GSM8K" / "train.jsonl"
    os.utime(sample, (1, 1))  # an older mtime, the same bytes: nothing to redo
    calls: list[str] = []
    real = pipeline.map_unit
    monkeypatch.setattr(pipeline, "map_unit", lambda settings, unit: calls.append(unit.dataset) or real(settings, unit))
    run_export(spec, _options(out, root, spec, workers=1, resume=True))
    assert calls == []
    monkeypatch.setattr(pipeline.OutputFolder, "remove_work", lambda self: None)
    run_export(spec, _options(out, root, spec, workers=1))
    lines = sample.read_bytes().splitlines(keepends=True)
    sample.write_bytes(b"".join(lines[:-1]))  # one record fewer
    calls.clear()
    run_export(spec, _options(out, root, spec, workers=1, resume=True))
    assert calls == ["gsm8k"]


def test_a_worker_error_is_raised_in_the_exporting_process() -> None:
    with pytest.raises(ZeroDivisionError):
        LocalRunner(2).map(operator.truediv, 1, [1, 2, 0, 4])
    assert LocalRunner(2).map(operator.truediv, 12, [1, 2, 3, 4]) == [12.0, 6.0, 4.0, 3.0]
    assert InlineRunner().map(operator.add, 1, [1, 2]) == [2, 3]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in state


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_the_exporting_process_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "slow.py"
    script.write_text(textwrap.dedent("""
        import os, sys, time
        from biocurate.export.runners import LocalRunner

        def slow(folder, unit):
            open(os.path.join(folder, str(os.getpid())), "w").close()
            time.sleep(300)

        if __name__ == "__main__":
            LocalRunner(2).map(slow, sys.argv[1], [1, 2])
    """), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script), str(tmp_path)], cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while len([p for p in tmp_path.iterdir() if p.name.isdigit()]) < 2:
            assert time.monotonic() < deadline, "workers did not start"
            assert parent.poll() is None
            time.sleep(0.2)
        workers = [int(p.name) for p in tmp_path.iterdir() if p.name.isdigit()]
        assert all(_alive(pid) for pid in workers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "workers outlived their parent"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_unguarded_script_gets_a_clear_error(tmp_path: Path, root: Path) -> None:
    """Spawned workers re-import the main script: an unguarded one fails with a hint, and the
    re-run export in a worker cannot touch the exporter's folder (it is locked)."""
    mix = write_mix(tmp_path, targets=TARGETS)
    script = tmp_path / "unguarded.py"
    script.write_text(textwrap.dedent(f"""
        from pathlib import Path
        from biocurate.export.pipeline import ExportOptions, run_export
        from biocurate.mix.spec import load_mixture
        run_export(load_mixture({str(mix)!r}), ExportOptions(out=Path({str(tmp_path / 'out')!r}), data_root=Path({str(root)!r}), progress=False, workers=2))
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180)
    assert done.returncode != 0
    assert 'if __name__ == "__main__":' in done.stderr
    assert "FileNotFoundError" not in done.stderr


def test_the_map_step_writes_nothing_pickled_into_the_output_folder(tmp_path: Path, root: Path, spec, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = pipeline.decide

    def look(settings, all_units, names):
        seen.extend(sorted(p.name for p in (tmp_path / "out").rglob("*") if p.is_file()))
        return real(settings, all_units, names)

    monkeypatch.setattr(pipeline, "decide", look)
    run_export(spec, _options(tmp_path / "out", root, spec, workers=2))
    assert seen and not [name for name in seen if name.endswith((".pickle", ".pkl"))]
    suffixes = {name.split("-of-")[1].split(".", 1)[1] for name in seen if "-of-" in name}
    assert suffixes <= {"records.arrow", "slots.arrow", "items.arrow", "rows.arrow", "rejects.jsonl", "done"}, suffixes


def test_export_errors_are_export_errors_with_the_unit_at_fault(tmp_path: Path, root: Path, spec) -> None:
    with pytest.raises(ExportError, match="unknown engine"):
        run_export(spec, _options(tmp_path / "out", root, spec, workers=1, engine="slurm"))


def test_near_dup_components_replay_the_greedy_check_in_priority_order() -> None:
    """The component replay (pairs decided at once, larger components by the greedy check)
    drops exactly what one greedy pass over all slots in priority order drops."""
    import numpy as np

    from biocurate.export.components import near_duplicates

    rng = np.random.default_rng(3)
    near = NearDedup(seed=1)
    base = rng.integers(0, 1 << 62, size=(60, near.num_perm), dtype=np.uint64)
    signatures = [base[i % 60].copy() for i in range(400)]
    for i, sig in enumerate(signatures):  # copies with 0-40 % of their bins changed
        changed = rng.random(near.num_perm) < (i % 5) * 0.1
        sig[changed] = rng.integers(0, 1 << 62, size=int(changed.sum()), dtype=np.uint64)
    keys, small = near.prepare(np.stack(signatures))
    priority = rng.permutation(400).astype(np.uint64)
    order = np.argsort(priority)
    greedy = np.zeros(400, dtype=bool)
    greedy[order] = [r is not None for r in near.fresh().check_many(keys[order], small[order])]
    replayed = near_duplicates(near, priority, keys, small)
    assert 0 < replayed.sum() < 400
    assert (replayed == greedy).all()
    shuffled = rng.permutation(400)  # the input order does not matter, only the priorities
    assert (near_duplicates(near, priority[shuffled], keys[shuffled], small[shuffled]) == replayed[shuffled]).all()
