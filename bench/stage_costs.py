"""Per-record cost of each spooling step, per dataset: where a dataset's time goes.

    python bench/stage_costs.py --data-dir /tmp/bench-small [--datasets chat_jsonl,cmeee]

Runs each step alone over the same records (train split) and prints microseconds per record:
raw read, conversion to schema records, validation, exact-dedup key, rendering (all tasks) and
spool-row building.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from biocurate.loaders import Reject
from biocurate.schemas import IdTracker, check_record
from biocurate.templates.engine import render_record
from biocurate.templates.views import ViewContext

from biocurate.export.units import BLOCK_ITEMS
from biocurate.export.rows import sample_row
from biocurate.export.sources import find_sources
from biocurate.mix.content import content_keys
from biocurate.mix.spec import load_mixture


def _time(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def costs(source, split: str, seed: int) -> dict[str, float]:
    # Every record is held here at once; with the collector on, its passes over them would be
    # charged to whichever step allocates (3x the convert time of BC5CDR). Workers hold one
    # block at a time and collect rarely, so measure without it.
    gc.disable()
    try:
        return _costs(source, split, seed)
    finally:
        gc.enable()


def _costs(source, split: str, seed: int) -> dict[str, float]:
    loader, meta = source.loader, source.meta
    raw = _time(lambda: sum(1 for _ in loader.read_source(split)))
    records: list = []
    convert = _time(lambda: records.extend(r for r in loader.records(split) if not isinstance(r, Reject)))
    tracker = IdTracker()
    validate = _time(lambda: [tracker.check(r) + check_record(r, meta.label_sets) for r in records])
    # as the export does: a block's records keyed together (content_keys)
    key = _time(lambda: [content_keys(records[i:i + BLOCK_ITEMS], source.tasks) for i in range(0, len(records), BLOCK_ITEMS)])
    ctx = ViewContext(meta.label_sets, meta.label_names)
    samples: list = []
    render = _time(lambda: samples.extend((r, s) for r in records for t in source.tasks for s in render_record(r, t, seed, ctx)))
    rows = _time(lambda: [sample_row(r, s, 0, meta.license, "zh") for r, s in samples])
    n = max(len(records), 1)
    return {"records": len(records), "raw": raw / n * 1e6, "convert": (convert - raw) / n * 1e6,
            "validate": validate / n * 1e6, "key": key / n * 1e6, "render": render / n * 1e6, "rows": rows / n * 1e6,
            "samples": len(samples)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--mix", default=str(ROOT / "bench" / "taiyi-v1-bench.yaml"))
    parser.add_argument("--datasets")
    args = parser.parse_args(argv)
    spec = load_mixture(args.mix)
    sources, _ = find_sources(spec, args.data_dir, spec.splits, [])
    wanted = set(args.datasets.split(",")) if args.datasets else None
    cols = ("raw", "convert", "validate", "key", "render", "rows")
    print(f"{'dataset':<26}{'records':>9}{'samples':>9}" + "".join(f"{c:>9}" for c in cols) + f"{'total':>9}   (us/record)")
    for source in sources:
        if wanted and source.name not in wanted:
            continue
        split = next((s for s in spec.splits if s in source.loader.available_splits()), None)
        if split is None:
            continue
        c = costs(source, split, spec.seed)
        print(f"{source.name:<26}{c['records']:>9,}{c['samples']:>9,}" + "".join(f"{c[k]:9.1f}" for k in cols)
              + f"{sum(c[k] for k in cols):9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
