"""Experiment (not wired into the CLI): spool task-disjoint groups of datasets in parallel.

Exact and near dedup are keyed per task, so datasets that share no task never influence each
other's decisions: spooling the connected components of the dataset-task graph in separate
processes (each in dataset order, each with its own copy of the filters) gives the same spools,
counts and outputs as the sequential export. This script measures what that would gain on 2
cores, reusing the pipeline's own functions; the output is compared with a sequential export
when ``--compare`` names its folder.

    python bench/parallel_spool.py --data-dir /tmp/bench-data --out /tmp/par-out [--near] [--compare /tmp/seq-out]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from biocurate import __version__
from biocurate.cli.export import make_near_dedup
from biocurate.export import pipeline
from biocurate.export.sources import find_sources, source_files
from biocurate.export.spooling import Filters, fingerprint, spool_dataset
from biocurate.mix.spec import apply_overrides, load_mixture


def task_groups(sources: list, workers: int) -> list[list]:
    """Connected components of the dataset-task graph, packed into ``workers`` bins by raw size."""
    parent = {s.name: s.name for s in sources}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, str] = {}
    for s in sources:
        for task in s.tasks:
            if task in owner:
                parent[find(s.name)] = find(owner[task])
            owner[task] = s.name
    components: dict[str, list] = {}
    for s in sources:
        components.setdefault(find(s.name), []).append(s)
    size = {k: sum(f.stat().st_size for s in v for split in s.splits for f in s.loader.files_for(split)) for k, v in components.items()}
    bins: list[list] = [[] for _ in range(workers)]
    load = [0] * workers
    for key in sorted(components, key=lambda k: -size[k]):
        i = load.index(min(load))
        bins[i] += components[key]
        load[i] += size[key]
    order = {s.name: i for i, s in enumerate(sources)}
    return [sorted(b, key=lambda s: order[s.name]) for b in bins if b]


def _spool_group(mix: str, data_dir: str, work: str, names: list[str], near: bool, queue: mp.Queue) -> None:
    spec = apply_overrides(load_mixture(mix))
    spec.dedup.near = near
    spec.decontaminate.enabled = near
    sources, _ = find_sources(spec, Path(data_dir), spec.splits, [])
    sources = [s for s in sources if s.name in names]
    all_sources, _ = find_sources(spec, Path(data_dir), spec.splits, [])
    filters = Filters(spec, pipeline.build_decontaminator(spec, all_sources), make_near_dedup(spec))
    spool_dir = Path(work) / "spool"
    out = {}
    for source in sources:
        files = source_files(source, source.splits)
        fp = fingerprint(spec, source, files, __version__)
        with open(spool_dir / f"{source.name}.rejects.jsonl", "w", encoding="utf-8") as rejects:
            out[source.name] = (spool_dataset(spec, source, filters, spool_dir, rejects, fp, False), files)
        if filters.exact is not None:
            (spool_dir / f"{source.name}.keys").write_bytes(filters.exact.take_new_keys())
    queue.put(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--mix", default=str(ROOT / "bench" / "taiyi-v1-bench.yaml"))
    parser.add_argument("--near", action="store_true", help="near-dup and decontamination on (else exact only)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--compare", type=Path, help="a sequential export of the same settings to compare bytes with")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    spec = apply_overrides(load_mixture(args.mix))  # as the CLI does
    spec.dedup.near = args.near
    spec.decontaminate.enabled = args.near
    out, work = args.out, args.out / ".work"
    if out.exists():
        shutil.rmtree(out)
    (work / "spool").mkdir(parents=True)
    sources, skipped = find_sources(spec, args.data_dir, spec.splits, [])
    groups = task_groups(sources, args.workers)
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_spool_group, args=(args.mix, str(args.data_dir), str(work), [s.name for s in g], args.near, queue)) for g in groups]
    for p in procs:
        p.start()
    results = {}
    for _ in procs:
        results.update(queue.get())
    for p in procs:
        p.join()
    spooled = time.perf_counter()
    stats = {name: results[name][0] for name in results}
    files = {name: results[name][1] for name in results}
    plans = pipeline.plan(spec, pipeline.available_counts(stats))
    writers = [pipeline.ParquetShardWriter(out, 100_000, pipeline.ROW_SCHEMA)]
    achieved = pipeline.write_outputs(sources, pipeline.selection(spec, plans), work / "spool", writers, False)
    written = sorted(path for w in writers for path in w.close())
    rejects_total = pipeline.merge_rejects(sources, work / "spool", out / "rejects.jsonl")
    manifest = pipeline.build_manifest(spec, sources, skipped, stats, files, plans, achieved, written, out, rejects_total)
    pipeline.write_json(out / "manifest.json", manifest)
    pipeline.write_card(out, spec, manifest)
    shutil.rmtree(work)
    total = time.perf_counter() - started
    print(f"groups: {[[s.name for s in g] for g in groups]}")
    print(f"parallel spool {spooled - started:.1f} s, total {total:.1f} s, {manifest['totals']['achieved']:,} rows")
    if args.compare:
        mine = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
        theirs = sorted(p.relative_to(args.compare) for p in args.compare.rglob("*") if p.is_file())
        same = mine == theirs and all((out / p).read_bytes() == (args.compare / p).read_bytes() for p in mine)
        print(f"identical to {args.compare}: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
