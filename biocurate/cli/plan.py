"""``biocurate plan``: the budget table (target, available, planned) before any shard is written."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from biocurate.export.pipeline import ExportOptions, plan_only

from ._mixopts import add_mixture_options, mixture_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="print a mixture's budget table: target, available, planned per category and language",
        description="Read and validate the sources (no shards are written) and print, per target, how many samples "
        "the sources can give after dedup and caps and how many the export would take from each dataset.",
    )
    add_mixture_options(parser)
    parser.add_argument("--by-dataset", action="store_true", help="also list the planned quota of every dataset")
    parser.set_defaults(func=run)


def print_plan(targets: list[dict[str, Any]], by_dataset: bool = False) -> None:
    """Print the budget table from manifest-style target rows."""
    print(f"{'category':<18} {'lang':<5} {'target':>9} {'available':>10} {'planned':>9} {'shortfall':>10}")
    for t in targets:
        achieved = t.get("achieved", t["planned"])
        print(f"{t['category']:<18} {t['language']:<5} {t['target']:>9,} {t['available']:>10,} {achieved:>9,} {max(0, t['target'] - achieved):>10,}")
        if by_dataset:
            for name, quota in t["by_dataset"].items():
                print(f"    {name:<30} {quota:>9,}")
    total_target = sum(t["target"] for t in targets)
    total_planned = sum(t.get("achieved", t["planned"]) for t in targets)
    print(f"{'total':<24} {total_target:>9,} {'':>10} {total_planned:>9,} {max(0, total_target - total_planned):>10,}")


def run(args: argparse.Namespace) -> int:
    spec = mixture_from_args(args)
    from .export import make_near_dedup

    with tempfile.TemporaryDirectory(prefix="biocurate-plan-") as tmp:
        options = ExportOptions(out=Path(tmp), data_root=args.data_dir, exclude_licences=args.exclude_licence,
                                near_dedup=make_near_dedup(spec), progress=False)
        sources, skipped, plans = plan_only(spec, options)
    rows = [
        {"category": g.category, "language": g.language, "target": g.target, "available": sum(g.available.values()),
         "planned": g.planned, "by_dataset": {d: q for d, q in g.quotas.items() if q}}
        for g in plans
    ]
    print(f"mixture {spec.name} (seed {spec.seed}); sources: {', '.join(s.name for s in sources) or 'none'}")
    for name, reason in skipped.items():
        print(f"  skipped {name}: {reason}")
    print_plan(rows, args.by_dataset)
    return 0
