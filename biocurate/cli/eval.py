"""``biocurate eval``: score model predictions against an evaluation export."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="score predictions ({id, prediction} JSON lines) against an evaluation export",
        description="Parse each prediction with the inverse of the template that wrote its prompt and score it per "
        "dataset and task: strict micro-F1 for entities, relations and events; accuracy / macro-F1 for "
        "classification, pairs, yes/no and multiple choice; BLEU for translation; ROUGE-L for generation. "
        "Predictions are matched by id; a missing one scores as an empty answer.",
        epilog="Example: biocurate export --mix taiyi-v1 --split validation --out eval/dev && "
        "biocurate chat runs/taiyi --input eval/dev/cmeee.jsonl --output preds.jsonl && "
        "biocurate eval --predictions preds.jsonl --gold eval/dev/cmeee.jsonl --report report.json",
    )
    parser.add_argument("--predictions", type=Path, required=True, help="JSON lines with 'id' and 'prediction'")
    parser.add_argument("--gold", type=Path, required=True,
                        help="evaluation export folder (every *.jsonl in it) or one <dataset>.jsonl file")
    parser.add_argument("--report", type=Path, help="write the full JSON report here")
    parser.add_argument("--datasets", metavar="NAMES", help="comma-separated datasets of --gold to score (default: all)")
    parser.add_argument("--profile", choices=("default", "promptcblue"), default="default",
                        help="promptcblue: PromptCBLUE's scorer (its main metric per task, empty-answer rules, rouge_chinese)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from biocurate.eval import (
        evaluate,
        format_table,
        load_eval_rows,
        load_predictions,
        write_report,
    )

    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()] if args.datasets else None
    rows = load_eval_rows(args.gold, datasets)
    predictions = load_predictions(args.predictions)
    report = evaluate(rows, predictions, profile=args.profile)
    report["gold"], report["predictions"] = str(args.gold), str(args.predictions)
    print(format_table(report))
    if args.report:
        print(f"report written to {write_report(args.report, report)}")
    return 0
