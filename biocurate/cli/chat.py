"""``biocurate chat``: talk to a trained run, or generate predictions for a JSONL file.

Three modes: interactive (lines from stdin, multi-turn, ``/reset`` and ``/exit``), ``--prompt TEXT``
(one reply to stdout) and batch (``--input rows.jsonl --output preds.jsonl``: each row's
``conversation`` in, ``{"id", "prediction"}`` out; used by evaluation).
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "chat",
        help="chat with a trained run (REPL), answer one --prompt, or batch-generate --input JSONL",
        description="Generate with a run directory (base model + adapter) or a merged model, in the prompt format "
        "the run was trained with (<eod>human<eod>... for Taiyi). Batch mode reads rows with 'id' and "
        "'conversation' ([{human, assistant}, ...]) and writes {'id', 'prediction'} per line: the reply to the "
        "last human turn, given earlier turns' assistant text (generated first where empty).",
    )
    parser.add_argument("path", help="`biocurate train` run directory or `biocurate merge` output")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--prompt", help="answer this single message and exit")
    mode.add_argument("--input", help="JSON Lines rows with 'id' and 'conversation' (batch mode)")
    parser.add_argument("--output", help="batch mode: predictions JSONL (default: stdout)")
    parser.add_argument("--adapter", help="use this adapter folder of the run instead of the final one")
    parser.add_argument("--batch-size", type=int, default=8, help="batch mode: rows generated together (default 8)")
    parser.add_argument("--max-new-tokens", type=int, default=512, help="default 512")
    parser.add_argument("--sample", action="store_true", help="sample instead of greedy decoding")
    parser.add_argument("--temperature", type=float, default=0.3, help="with --sample (default 0.3, Taiyi's)")
    parser.add_argument("--top-p", type=float, default=0.9, help="with --sample (default 0.9)")
    parser.add_argument("--repetition-penalty", type=float, default=1.0, help="default 1.0")
    parser.add_argument("--load-4bit", action="store_true", help="load the base model in 4-bit NF4")
    parser.add_argument("--dtype", default="auto", choices=["auto", "float16", "bfloat16", "float32"])
    parser.add_argument("--device", help="cuda or cpu (default: cuda when available)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from biocurate.training.chat import (
        GenerationSettings,
        generate,
        load_chat_model,
        read_jsonl,
        repl,
        run_batch,
    )

    if args.output and not args.input:
        raise SystemExit("biocurate chat: --output needs --input")
    settings = GenerationSettings(max_new_tokens=args.max_new_tokens, do_sample=args.sample,
                                  temperature=args.temperature, top_p=args.top_p,
                                  repetition_penalty=args.repetition_penalty)
    chat = load_chat_model(args.path, adapter=args.adapter, load_in_4bit=args.load_4bit, dtype=args.dtype,
                           device=args.device)
    if args.prompt is not None:
        print(generate(chat, [([], args.prompt)], settings)[0])
        return 0
    if args.input:
        if args.output:
            with open(args.output, "w", encoding="utf-8") as out:
                n = run_batch(chat, read_jsonl(args.input), out, args.batch_size, settings)
            print(f"wrote {n} predictions to {args.output}", file=sys.stderr)
        else:
            run_batch(chat, read_jsonl(args.input), sys.stdout, args.batch_size, settings)
        return 0
    repl(chat, settings=settings)
    return 0
