"""Where an export spends its time: per-dataset map times, the other steps, an optional cProfile.

    python bench/profile_export.py --data-dir /tmp/bench-data --out /tmp/prof-out [--near] [--decontaminate] [--cprofile out.prof]

Runs :func:`biocurate.export.pipeline.run_export` in-process with the bench mixture and prints
the seconds the map step spent on each dataset's units (load + validate + key + render + write
unit files; measured in this process, so with ``--workers 1``), then the other steps.
"""

from __future__ import annotations

import argparse
import cProfile
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from biocurate.cli.export import make_near_dedup
from biocurate.export import pipeline
from biocurate.export.pipeline import ExportOptions, run_export
from biocurate.mix.spec import load_mixture


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--mix", default=str(ROOT / "bench" / "taiyi-v1-bench.yaml"))
    parser.add_argument("--near", action="store_true", help="near-dup on")
    parser.add_argument("--decontaminate", action="store_true", help="decontamination on (off by default, as in the exact run)")
    parser.add_argument("--cprofile", type=Path)
    parser.add_argument("--datasets", help="comma-separated subset of datasets")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (1: all in this process, what cProfile sees)")
    args = parser.parse_args(argv)
    spec = load_mixture(args.mix)
    spec.decontaminate.enabled = args.decontaminate or args.near
    spec.dedup.near = args.near
    if args.datasets:
        spec.datasets = args.datasets.split(",")
    times: list[tuple[str, float, int]] = []
    original = pipeline.map_unit

    def timed(settings, unit):
        started = time.perf_counter()
        name = original(settings, unit)
        records = pipeline.unit_paths(settings.work, unit)["records.arrow"]
        import pyarrow as pa

        with pa.memory_map(str(records)) as source:
            count = pa.ipc.open_file(source).read_all().num_rows
        times.append((unit.dataset, time.perf_counter() - started, count))
        return name

    pipeline.map_unit = timed
    stages: dict[str, float] = {}

    def stage(name: str):
        fn = getattr(pipeline, name)

        def wrapped(*a, **kw):
            started = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                stages[name] = stages.get(name, 0.0) + time.perf_counter() - started

        setattr(pipeline, name, wrapped)

    # source_files is left out: it hashes raw files in a background thread while units run
    for name in ("find_sources", "build_decontaminator", "decide", "plan", "selection", "write_outputs",
                 "write_rejects", "build_manifest", "write_json", "write_card"):
        stage(name)
    options = ExportOptions(out=args.out, data_root=args.data_dir, progress=False, near_dedup=make_near_dedup(spec),
                            workers=args.workers)
    profiler = cProfile.Profile() if args.cprofile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = run_export(spec, options)
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(args.cprofile))
    total = time.perf_counter() - started
    spool_total = sum(t for _, t, _ in times)
    print(f"{'dataset':<28} {'seconds':>8} {'records':>9} {'us/record':>10}")
    for name, seconds, records in sorted(times, key=lambda x: -x[1]):
        print(f"{name:<28} {seconds:8.1f} {records:>9,} {seconds / max(records, 1) * 1e6:10.0f}")
    print(f"{'map':<28} {spool_total:8.1f} {sum(r for *_, r in times):>9,}")
    for name, seconds in stages.items():
        print(f"  {name:<26} {seconds:8.1f}")
    print(f"{'everything else':<28} {total - spool_total - sum(stages.values()):8.1f}")
    print(f"{'total':<28} {total:8.1f}   {result.manifest['totals']['achieved']:,} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
