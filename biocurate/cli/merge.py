"""``biocurate merge``: fold a training run's LoRA adapter into its base model."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "merge",
        help="merge a run's LoRA adapter into the base model (plain transformers folder)",
        description="Load the run's base model in full precision, apply its final adapter (or --adapter), "
        "merge the LoRA weights and save model + tokenizer to --out.",
    )
    parser.add_argument("run_dir", help="a `biocurate train` run directory")
    parser.add_argument("--out", required=True, help="output folder for the merged model")
    parser.add_argument("--adapter", help="merge this adapter folder instead (e.g. RUN_DIR/stage1/adapter)")
    parser.add_argument("--dtype", default="auto", choices=["auto", "float16", "bfloat16", "float32"],
                        help="weight dtype of the merged model (default: bf16/fp16 on CUDA, fp32 on CPU)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from biocurate.training.merge import merge

    out = merge(args.run_dir, args.out, adapter=args.adapter, dtype=args.dtype)
    print(f"merged model written to {out}")
    return 0
