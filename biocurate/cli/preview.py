"""``biocurate preview``: a few rendered samples from the data dir in seconds (no dedup, no budgets).

Streams the first records of each dataset found under ``--data-dir`` and renders them with the
templates an export would choose (same seed rule), stopping as soon as enough are shown.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "preview",
        help="print a few rendered samples from the data dir in seconds (no dedup, budgets or shards)",
        description="Render the first records of each dataset found under --data-dir (default: the bundled real "
        "samples) with the instruction templates an export would pick, and print them. Nothing is deduplicated, "
        "budgeted or written; reading stops once -n samples of each dataset are shown.",
        epilog="Example: biocurate preview --task ner --lang zh -n 1",
    )
    parser.add_argument("--data-dir", type=Path, help="data root with one folder per dataset (default: the bundled samples)")
    parser.add_argument("--dataset", action="append", metavar="NAME", help="only this dataset (repeatable; aliases accepted)")
    parser.add_argument("--task", help="only this fine task (ner, qa_choice, ...) or category (qa, pair, ...)")
    parser.add_argument("--lang", help="only samples in this language (zh, en; zh also matches zh-en)")
    parser.add_argument("-n", type=int, default=2, metavar="N", help="samples per dataset (default 2)")
    parser.add_argument("--seed", type=int, default=42, help="seed of the template choice (default 42, the mixtures' seed)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per sample")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from biocurate.preview import preview_samples

    shown = 0
    for item in preview_samples(args.data_dir, datasets=args.dataset, task=args.task, language=args.lang,
                                per_dataset=args.n, seed=args.seed):
        s = item.sample
        shown += 1
        if args.json:
            print(json.dumps({"dataset": item.dataset, "split": item.split, "record_id": item.record_id, "task": s.task,
                              "category": s.category, "language": s.language, "template_id": s.template_id,
                              "conversation": s.conversation}, ensure_ascii=False))
            continue
        print(f"=== {item.dataset} / {item.split} / {item.record_id}  task {s.task} ({s.category}), {s.language}, template {s.template_id}")
        for turn in s.conversation:
            print(f"--- human\n{turn['human']}\n--- assistant\n{turn['assistant']}")
        print()
    if not args.json:
        print(f"{shown} samples shown")
    return 0
