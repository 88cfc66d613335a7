"""Benchmark the full export against a naive baseline and the I/O floor.

Runs, each in its own process (wall time, rows/s and peak RSS of the whole process tree,
sampled with psutil every 50 ms):

* ``export`` exact dedup only (decontamination off): ``biocurate export --no-decontaminate``;
* ``export`` near-dup + decontamination: ``biocurate export --near-dedup``;
* ``naive``: what a straightforward implementation does with the same records: every record
  of the same sources and splits as a JSON row in a ``datasets.Dataset`` (``from_generator``),
  an *unbatched* ``Dataset.map`` that rebuilds the record and renders it with Jinja
  (:func:`~biocurate.templates.engine.render_record`: the same views and template choice,
  each body rendered by Jinja's own ``Template.render``, where the export renders plain
  bodies with ``str.format_map``), a batched map that flattens the
  samples, then ``to_parquet`` in 100,000-row files. No validation, dedup, decontamination,
  planning or selection: less work than the export does (it writes every candidate sample);
* ``fair``: the naive pipeline done the way a careful ``datasets`` user would: the render map
  batched and in two processes (``Dataset.map(batched=True, num_proc=2)``);
* ``ray``: the exact export on the Ray runner (``--engine ray``, a local Ray instance started
  by the export: its start-up time is included);
* ``base-exact`` / ``base-near``: the same exports by another version of biocurate
  (``--baseline COMMIT`` or a source folder; built into the work folder and put first on
  ``PYTHONPATH``), so that two versions meet the same machine in the same run;
* ``LABEL-exact`` / ``LABEL-near``: the same by more installed versions (``--variant-pkg
  LABEL=FOLDER``, repeatable), e.g. the previous export with today's outputs ported in;
* ``floor``: a plain pyarrow write (zstd, 100,000-row shards) of the export's final rows,
  already in memory: the cost of writing the output and nothing else.

Usage (generate the data first, see bench/generate.py)::

    python bench/generate.py --out /tmp/bench-data --scale 1
    python bench/bench_export.py --data-dir /tmp/bench-data --work /tmp/bench-work

``--runs exact,near,naive,floor`` picks runs; ``--json PATH`` saves the figures. After the runs the
sha256 of every output file (shards, JSON Lines, manifest) of ``exact``, ``ray`` and
``base-exact`` (and of ``near`` and ``base-near``) are compared and the result printed.

Before each run every raw file under the data directory is read once, untimed, so that every
run starts with its inputs in the page cache: on this VM the cache loses them to other writes
(a previous naive run's 4 GB ``datasets`` cache, a ``pip install``), and reading HoC's 84,000
files back from disk stalled an export for 20-70 s in which no process used the CPU. Written
data still waiting for the disk is flushed first (``os.sync``, also untimed), and the naive
run's ``datasets`` cache is deleted once it is measured, so that no run's writes are still
going out while the next one runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
MIX = ROOT / "bench" / "taiyi-v1-bench.yaml"
TARGETS = {"exact": 60.0, "near": 120.0}
RSS_LIMIT = 2 * 1024**3


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run a command; wall seconds, CPU seconds and peak RSS (bytes) of it and its children together."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    # not in the repository: `python -m` puts the working folder first on sys.path, which would
    # shadow a baseline version given on PYTHONPATH
    proc = subprocess.Popen(cmd, cwd=tempfile.gettempdir(), env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            parent = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            try:
                procs = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs))
            except psutil.NoSuchProcess:
                pass
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-4000:]}")
    # user + system time of the command and every process it waited for (its workers)
    return {"wall_s": wall, "cpu_s": _children_cpu() - cpu_before, "peak_rss": peak, "output": output}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def export_rows(out: Path) -> int:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["totals"]["achieved"]


def warm_inputs(data_dir: Path) -> int:
    """Read every file under ``data_dir`` once (into the page cache); returns the bytes read."""
    total = 0
    for folder, _, names in os.walk(data_dir):
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                while chunk := handle.read(1 << 20):
                    total += len(chunk)
    return total


def run_export(data_dir: Path, out: Path, mix: Path, near: bool, extra: list[str] | None = None,
               env: dict[str, str] | None = None) -> dict:
    cmd = [sys.executable, "-m", "biocurate", "export", "--mix", str(mix), "--data-dir", str(data_dir), "--out", str(out), "--quiet"]
    cmd += ["--near-dedup"] if near else ["--no-decontaminate"]
    result = measure(cmd + (extra or []), env)
    result["rows"] = export_rows(out)
    return result


# ----------------------------------------------------------------------------- naive baseline

NAIVE = r'''
import json, sys, time
from pathlib import Path
import datasets
from biocurate.export.sources import find_sources
from biocurate.loaders import Reject
from biocurate.mix.spec import load_mixture
from biocurate.schemas import SCHEMAS
from biocurate.templates import engine
from biocurate.templates.engine import render_record
from biocurate.templates.views import ViewContext

# the straightforward way to render a template body: Jinja's public Template.render
engine.Body.render = lambda body, variables: body.template.render(variables)

data_dir, out, mix, FAIR = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4] == "fair"
datasets.disable_progress_bars()
spec = load_mixture(mix)
sources, _ = find_sources(spec, data_dir, spec.splits, [])
loaders = {s.name: s for s in sources}

def records():
    for source in sources:
        for split in source.splits:
            for record in source.loader.records(split):
                if isinstance(record, Reject):
                    continue
                for task in source.tasks:
                    yield {"dataset": source.name, "task": task, "record": record.model_dump_json()}

def render(row):
    source = loaders[row["dataset"]]
    record = SCHEMAS[source.meta.schema_name].model_validate_json(row["record"])
    ctx = ViewContext(source.meta.label_sets, source.meta.label_names)
    samples = render_record(record, row["task"], spec.seed, ctx)
    return {"id": [f"{record.dataset}/{record.id}/{s.task}/{i}" for i, s in enumerate(samples)],
            "template_id": [s.template_id for s in samples], "category": [s.category for s in samples],
            "language": [s.language for s in samples], "conversation": [s.conversation for s in samples]}

def explode(batch):
    return {k: [x for xs in batch[k] for x in xs] for k in ("id", "template_id", "category", "language", "conversation")}

ds = datasets.Dataset.from_generator(records)
if FAIR:  # batched, two processes: what a careful datasets user would write
    def render_batch(batch):
        out = {k: [] for k in ("id", "template_id", "category", "language", "conversation")}
        for dataset, task, record in zip(batch["dataset"], batch["task"], batch["record"]):
            for k, v in render({"dataset": dataset, "task": task, "record": record}).items():
                out[k].append(v)
        return out
    ds = ds.map(render_batch, batched=True, num_proc=2, remove_columns=ds.column_names)
else:
    ds = ds.map(render, remove_columns=["record"])
ds = ds.map(explode, batched=True, remove_columns=ds.column_names)
out.mkdir(parents=True, exist_ok=True)
for i in range(0, len(ds), 100_000):
    ds.select(range(i, min(i + 100_000, len(ds)))).to_parquet(str(out / f"train-{i // 100_000:05d}.parquet"))
print(json.dumps({"rows": len(ds)}))
'''


def run_naive(data_dir: Path, out: Path, mix: Path, cache: Path, fair: bool = False) -> dict:
    # a fresh datasets cache: a cache left by an earlier run would let from_generator and map
    # reuse their results instead of doing the work
    shutil.rmtree(cache, ignore_errors=True)
    env = {"HF_DATASETS_CACHE": str(cache), "HF_HOME": str(cache), "HF_HUB_OFFLINE": "1"}
    result = measure([sys.executable, "-c", NAIVE, str(data_dir), str(out), str(mix), "fair" if fair else "naive"], env)
    result["rows"] = json.loads(result["output"].strip().splitlines()[-1])["rows"]
    shutil.rmtree(cache, ignore_errors=True)  # ~4 GB nobody reads again
    return result


# ----------------------------------------------------------------------------- floor

FLOOR = r'''
import json, sys, time
from pathlib import Path
import pyarrow as pa, pyarrow.parquet as pq
src, out = Path(sys.argv[1]), Path(sys.argv[2])
table = pa.concat_tables(pq.read_table(p) for p in sorted(src.glob("data/*/*/*.parquet")))
out.mkdir(parents=True, exist_ok=True)
started = time.perf_counter()
for i in range(0, table.num_rows, 100_000):
    pq.write_table(table.slice(i, 100_000), out / f"train-{i // 100_000:05d}.parquet", compression="zstd")
print(json.dumps({"rows": table.num_rows, "write_s": time.perf_counter() - started}))
'''


def run_floor(export_out: Path, out: Path) -> dict:
    result = measure([sys.executable, "-c", FLOOR, str(export_out), str(out)])
    info = json.loads(result["output"].strip().splitlines()[-1])
    result.update(rows=info["rows"], wall_s=info["write_s"])  # the write only, rows already in memory
    result.pop("cpu_s", None)  # the script also reads the rows: its CPU time is not the write's
    return result


# ----------------------------------------------------------------------------- baseline version


def build_baseline(ref: str, work: Path) -> Path:
    """Install another version of biocurate (a commit of this repository, or a source folder)
    into ``work/baseline-pkg``; returns that folder (for ``PYTHONPATH``)."""
    source, target = Path(ref), work / "baseline-pkg"
    if not source.is_dir():
        source = work / "baseline-src"
        if source.exists():
            subprocess.run(["git", "worktree", "remove", "--force", str(source)], cwd=ROOT, check=False)
        subprocess.run(["git", "worktree", "add", "--detach", "--force", str(source), ref], cwd=ROOT, check=True, capture_output=True)
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target", str(target), str(source)],
                   check=True, capture_output=True)
    return target


def output_hashes(out: Path) -> dict[str, str]:
    """sha256 of every file of an export (the work folder excluded)."""
    import hashlib

    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and ".work" not in p.parts}


def compare_outputs(work: Path, runs: list[str]) -> None:
    for group in (("exact", "ray", "base-exact"), ("near", "base-near")):
        present = [name for name in group if name in runs and (work / name / "manifest.json").exists()]
        if len(present) < 2:
            continue
        first = output_hashes(work / present[0])
        for other in present[1:]:
            same = output_hashes(work / other) == first
            print(f"outputs {present[0]} vs {other}: {'identical sha256 of all ' + str(len(first)) + ' files' if same else 'DIFFER'}")


# ----------------------------------------------------------------------------- report


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {psutil.virtual_memory().total / 1024**3:.0f} GiB RAM, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Full-export benchmark: export vs naive baseline vs pyarrow floor.")
    parser.add_argument("--data-dir", type=Path, required=True, help="data root written by bench/generate.py")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder for the outputs (default: a temp dir)")
    parser.add_argument("--mix", type=Path, default=MIX, help="mixture (default: bench/taiyi-v1-bench.yaml)")
    parser.add_argument("--runs", default="exact,near,naive,floor",
                        help="comma-separated: exact, near, ray, base-exact, base-near, LABEL-exact, LABEL-near, naive, fair, floor")
    parser.add_argument("--baseline", help="for base-*: a commit of this repository or a source folder of another version")
    parser.add_argument("--baseline-pkg", type=Path,
                        help="for base-*: a folder where another version is installed already (put first on PYTHONPATH as it is)")
    parser.add_argument("--variant-pkg", action="append", default=[], metavar="LABEL=FOLDER",
                        help="one more installed version, run as LABEL-exact / LABEL-near (repeatable; e.g. the "
                             "previous export with the messages column ported, see docs/benchmarks.md)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the outputs")
    args = parser.parse_args(argv)
    runs = [r.strip() for r in args.runs.split(",") if r.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="biocurate-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    print(f"data: {args.data_dir}  mixture: {args.mix}")
    results: dict[str, dict] = {}
    baseline_env = None
    if any(r.startswith("base-") for r in runs):
        if not (args.baseline or args.baseline_pkg):
            raise SystemExit("base-* runs need --baseline COMMIT|FOLDER or --baseline-pkg FOLDER")
        baseline_env = {"PYTHONPATH": str(args.baseline_pkg or build_baseline(args.baseline, work))}
    variants = {label: {"PYTHONPATH": folder} for label, _, folder in (v.partition("=") for v in args.variant_pkg)}
    try:
        for name in runs:
            out = work / name
            if out.exists():
                shutil.rmtree(out)
            print(f"running {name} ...", flush=True)
            os.sync()  # what earlier runs wrote goes to disk now, not during this run
            if name != "floor":
                warm_inputs(args.data_dir)
            if name in ("exact", "near"):
                results[name] = run_export(args.data_dir, out, args.mix, near=name == "near")
            elif name == "ray":
                results[name] = run_export(args.data_dir, out, args.mix, near=False, extra=["--engine", "ray"])
            elif name in ("base-exact", "base-near"):
                results[name] = run_export(args.data_dir, out, args.mix, near=name == "base-near", env=baseline_env)
            elif name.rpartition("-")[0] in variants and name.rpartition("-")[2] in ("exact", "near"):
                label, _, kind = name.rpartition("-")
                results[name] = run_export(args.data_dir, out, args.mix, near=kind == "near", env=variants[label])
            elif name in ("naive", "fair"):
                results[name] = run_naive(args.data_dir, out, args.mix, work / "hf-cache", fair=name == "fair")
            elif name == "floor":
                source = work / "exact" if (work / "exact" / "manifest.json").exists() else work / "near"
                if not (source / "manifest.json").exists():
                    source = work / "floor-src"
                    run_export(args.data_dir, source, args.mix, near=False)
                results[name] = run_floor(source, out)
            else:
                raise SystemExit(f"unknown run {name!r}")
            r = results[name]
            r.pop("output", None)
            r["rows_per_s"] = r["rows"] / r["wall_s"]
            cpu = f"  cpu {r['cpu_s']:.1f} s" if "cpu_s" in r else ""
            print(f"  {name:<6} {r['wall_s']:8.1f} s  {r['rows']:>10,} rows  {r['rows_per_s']:>10,.0f} rows/s  peak RSS {r['peak_rss'] / 1024**2:,.0f} MiB{cpu}", flush=True)
        compare_outputs(work, runs)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"{'run':<8} {'wall s':>8} {'cpu s':>8} {'rows':>11} {'rows/s':>10} {'peak RSS MiB':>13}  check")
    for name, r in results.items():
        notes = []
        if name == "ray" and "exact" in results:
            notes.append(f"{r['wall_s'] / results['exact']['wall_s']:.2f}x local")
        if name in TARGETS:
            notes.append(f"{'OK' if r['wall_s'] <= TARGETS[name] else 'OVER'} target {TARGETS[name]:.0f} s")
            notes.append(f"RSS {'OK' if r['peak_rss'] <= RSS_LIMIT else 'OVER'} 2 GiB")
            for base in ("naive", "fair"):
                if base in results:
                    notes.append(f"{results[base]['wall_s'] / r['wall_s']:.1f}x {base}")
            if f"base-{name}" in results:
                notes.append(f"{results[f'base-{name}']['wall_s'] / r['wall_s']:.2f}x baseline")
            for label in variants:
                if f"{label}-{name}" in results:
                    notes.append(f"{results[f'{label}-{name}']['wall_s'] / r['wall_s']:.2f}x {label}")
            if "floor" in results:
                notes.append(f"{r['wall_s'] / results['floor']['wall_s']:.1f}x floor")
        print(f"{name:<8} {r['wall_s']:8.1f} {r.get('cpu_s', 0):8.1f} {r['rows']:>11,} {r['rows_per_s']:>10,.0f} {r['peak_rss'] / 1024**2:>13,.0f}  {'; '.join(notes)}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "data_dir": str(args.data_dir), "mix": str(args.mix), "results": results}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
