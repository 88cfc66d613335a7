"""One export, with the CPU seconds of the exporting process and of its workers apart.

    python bench/cpu_split.py --data-dir /tmp/bench-data [--near] [--workers N]

For A/B comparisons on a noisy machine: run it alternately for two installs of biocurate
(e.g. ``PYTHONPATH=/tmp/old python bench/cpu_split.py ...`` for an older commit installed with
``pip install --no-deps --target /tmp/old <its worktree>``) and compare the CPU seconds.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from biocurate.cli.export import make_near_dedup
from biocurate.export.pipeline import ExportOptions, run_export
from biocurate.mix.spec import load_mixture

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--mix", default=str(ROOT / "bench" / "taiyi-v1-bench.yaml"))
    parser.add_argument("--near", action="store_true", help="near dedup and decontamination on (off: the exact run)")
    parser.add_argument("--workers", type=int, help="worker processes (default: one per CPU)")
    args = parser.parse_args(argv)
    spec = load_mixture(args.mix)
    spec.decontaminate.enabled = args.near
    spec.dedup.near = args.near
    out = Path(tempfile.mkdtemp(prefix="biocurate-cpu-split-"))
    try:
        started = time.perf_counter()
        run_export(spec, ExportOptions(out=out, data_root=args.data_dir, progress=False,
                                       near_dedup=make_near_dedup(spec), workers=args.workers))
        wall = time.perf_counter() - started
    finally:
        shutil.rmtree(out, ignore_errors=True)
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    own_cpu, workers_cpu = own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime
    print(f"wall {wall:.1f} s  cpu {own_cpu + workers_cpu:.1f} s (exporting process {own_cpu:.1f}, workers {workers_cpu:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
