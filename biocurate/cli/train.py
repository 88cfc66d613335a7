"""``biocurate train``: QLoRA fine-tune on an export directory (Taiyi's recipe by default).

Every field of :class:`biocurate.training.TrainConfig` is an option (``--learning-rate 1e-4`` or
``--learning_rate 1e-4``); precedence is defaults < ``--config`` file < options. Needs the
``train`` extra; the parser itself does not import torch.
"""

from __future__ import annotations

import argparse
import dataclasses

from biocurate.training.config import ALIASES, FIELDS, TrainingConfigError

_REQUIRED = ("data", "model", "out")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="QLoRA fine-tune a causal LM on an export (Taiyi recipe; staged; resumable)",
        description="Fine-tune a base model with (Q)LoRA on an export directory (manifest.json + data/**.parquet), "
        "following the manifest's stages. 4-bit NF4 QLoRA on CUDA; without CUDA, full-precision LoRA on the CPU. "
        "Writes adapters, checkpoints and run.json to --out. Multi-GPU: "
        "torchrun --nproc_per_node=N -m biocurate.training --data ... (see docs/training.md).",
        epilog="Defaults are Taiyi-1's: 3 epochs, batch 12 x accumulation 2, lr 2e-4, max_seq_length 1024, "
        "constant_with_warmup with warmup ratio 0.1, LoRA r 64 / alpha 16 / dropout 0.05 on all linear layers, "
        "weight decay 0, max_grad_norm 0.3, seed 42.",
    )
    parser.add_argument("--config", help="JSON or YAML file of options (same names as below)")
    parser.add_argument("--training-arg", action="append", default=[], metavar="KEY=VALUE",
                        help="extra transformers.TrainingArguments field (repeatable; VALUE parsed as JSON if it can be)")
    short = {v: k for k, v in ALIASES.items() if k in ("epochs", "lr", "batch_size")}
    for name, f in FIELDS.items():
        if name == "training_args":
            continue
        flags = [f"--{name.replace('_', '-')}"] + ([f"--{name}"] if "_" in name else [])
        if name in short:
            flags.append(f"--{short[name].replace('_', '-')}")
        default = f.default if f.default is not dataclasses.MISSING else None
        kwargs = {"dest": name, "default": argparse.SUPPRESS, "metavar": name.upper() if name not in _REQUIRED else "PATH",
                  "help": f"{f.metadata.get('help', '')}" + ("" if name in _REQUIRED else f" (default: {default})")}
        if isinstance(default, bool):
            kwargs.update(nargs="?", const="true", metavar="BOOL")
        parser.add_argument(*flags, **kwargs)
    parser.add_argument("--no-cache", dest="cache", action="store_const", const="false", default=argparse.SUPPRESS,
                        help="tokenise every stage afresh instead of reusing the tokenised cache (same as --cache false)")
    parser.set_defaults(func=run)


def config_from_args(args: argparse.Namespace):
    """Build the TrainConfig from parsed options (defaults < --config < options)."""
    import json

    from biocurate.training.config import make_config

    overrides = {name: getattr(args, name) for name in FIELDS if hasattr(args, name) and name != "training_args"}
    extra = {}
    for item in args.training_arg:
        key, sep, value = item.partition("=")
        if not sep:
            raise TrainingConfigError(f"--training-arg {item!r}: expected KEY=VALUE")
        try:
            extra[key] = json.loads(value)
        except json.JSONDecodeError:
            extra[key] = value
    cfg = make_config(args.config, overrides)
    cfg.training_args = {**cfg.training_args, **extra}
    return cfg


def run(args: argparse.Namespace) -> int:
    from biocurate.training.model import is_main_process
    from biocurate.training.stages import train

    result = train(config_from_args(args))
    if not is_main_process():
        return 0
    for stage in result.stages:
        last = f", last logged loss {stage.losses[-1]:.4f}" if stage.losses else ""
        print(f"{stage.name}: {stage.global_step} steps{last} -> {stage.adapter_dir}")
    print(f"adapter: {result.adapter_dir}")
    return 0
