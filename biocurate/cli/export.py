"""``biocurate export``: render a mixture into Parquet shards + manifest + dataset card."""

from __future__ import annotations

import argparse
from pathlib import Path

from biocurate.export.pipeline import ExportOptions, run_export
from biocurate.export.writers import WRITERS
from biocurate.heldout import held_out_note, held_out_sources

from ._mixopts import add_mixture_options, mixture_from_args
from .plan import print_plan


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export a mixture (default taiyi-v1) as Parquet shards with manifest and dataset card",
        description="Load every dataset found under --data-dir (default: the bundled real samples), validate, "
        "dedup and decontaminate, render with instruction templates, sample to the mixture's budgets and write "
        "Parquet shards, manifest.json, README.md (dataset card) and rejects.jsonl.",
        epilog="Example: biocurate export --mix taiyi-v1 --out export/taiyi-v1 --format parquet --format firefly",
    )
    add_mixture_options(parser)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: export/<mixture name>)")
    parser.add_argument("--format", action="append", choices=sorted(WRITERS), help="output format(s) (default: parquet; repeatable)")
    parser.add_argument("--shard-rows", type=int, default=100_000, help="rows per Parquet shard (default 100000)")
    parser.add_argument("--resume", action="store_true", help="continue an interrupted export in --out")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes that load, render and key records (default: one per CPU, up to 8, when the raw "
                        "files total 32 MiB or more, else 1); the output is the same for any number")
    parser.add_argument("--engine", choices=["local", "ray"], default="local",
                        help="where the record-local step runs: local (default; this machine, no setup) or ray (a local Ray "
                        "instance, or the cluster at --ray-address; needs biocurate[ray]); same output bytes either way")
    parser.add_argument("--ray-address", default=None, help="with --engine ray: the address of an existing Ray cluster "
                        "(e.g. ray://head:10001 or auto); the data root and --out must be on storage every node sees")
    parser.add_argument("--overwrite", action="store_true",
                        help="write into a non-empty --out that holds no biocurate export (only the export's own files are "
                        "ever deleted)")
    parser.add_argument("--templates", type=Path, default=None, metavar="DIR",
                        help="a folder of your own template files (*.yaml, the bundled layout) added to the bundled "
                        "templates; checked like them and rendered in Jinja's sandbox")
    parser.add_argument("--split", help="evaluation export: every labelled record of this split rendered as a prompt, "
                        "gold answers kept aside, one <dataset>.jsonl per dataset (no budgets, no dedup)")
    parser.add_argument("--limit", type=int, help="with --split: at most this many records per dataset")
    parser.set_defaults(func=run)


def make_near_dedup(spec):  # noqa: ANN001, ANN201 - returns a near-dup filter or None
    if not spec.dedup.near:
        return None
    from biocurate.mix.neardup import NearDedup

    return NearDedup(threshold=spec.dedup.near_threshold, seed=spec.seed)


def run(args: argparse.Namespace) -> int:
    spec = mixture_from_args(args)
    if args.split:
        return run_eval(args, spec)
    out = args.out or Path("export") / spec.name
    options = ExportOptions(
        out=out, data_root=args.data_dir, formats=args.format or ["parquet"], shard_rows=args.shard_rows,
        exclude_licences=args.exclude_licence, resume=args.resume, progress=not args.quiet,
        near_dedup=make_near_dedup(spec), workers=args.workers, engine=args.engine, ray_address=args.ray_address,
        overwrite=args.overwrite, templates=args.templates,
    )
    result = run_export(spec, options)
    print_plan(result.manifest["targets"])
    print()
    print("records: raw records read and rejected; samples: rendered instructions dropped and written")
    print(f"{'dataset':<28} {'records in':>10} {'rejected':>8} {'samples: dedup':>14} {'decont':>7} {'out':>8}")
    for name, source in result.manifest["sources"].items():
        c = source["counts"]
        print(f"{name:<28} {c['in']:>10,} {c['rejected']:>8,} {c['deduplicated']:>14,} {c['decontaminated']:>7,} {c['out']:>8,}")
    totals = result.manifest["totals"]
    held_out = held_out_note(held_out_sources(result.manifest))
    if held_out:
        print(f"\n{held_out}")
    print(f"\n{totals['achieved']:,} samples written to {out} ({len(result.manifest['files'])} files); "
          f"{totals['rejected']:,} rejects in {out / 'rejects.jsonl'}")
    from biocurate.mix.budget import size_summary

    print(f"{size_summary(result.plans)}; achieved {totals['achieved']:,}")
    return 0


def run_eval(args: argparse.Namespace, spec) -> int:  # noqa: ANN001
    from biocurate.export.evalset import EvalExportOptions, run_eval_export

    out = args.out or Path("export") / f"{spec.name}-{args.split}"
    manifest = run_eval_export(spec, EvalExportOptions(out=out, split=args.split, data_root=args.data_dir, limit=args.limit,
                                                       exclude_licences=args.exclude_licence, progress=not args.quiet))
    for name, info in manifest["datasets"].items():
        prompts = sum(v for k, v in info["counts"].items() if k.startswith("prompts:"))
        print(f"{name:<28} {info['counts'].get('records', 0):>7} records {prompts:>7} prompts -> {out / info['file']}")
    return 0
