"""One training stage: data -> (Q)LoRA model -> Hugging Face Trainer -> adapter.

Where it sits: :mod:`biocurate.training.stages` calls :func:`train_stage` once per manifest stage.
The loss is the model's own shifted cross-entropy over ``labels`` (``-100`` ignored), which is
Firefly's ``TargetLMLoss``; checkpoints and the final save hold the LoRA adapter only (the Trainer
saves a ``PeftModel`` that way), plus optimizer/scheduler state in checkpoints for ``--resume``.
"""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from biocurate.training.config import TrainConfig, TrainingConfigError
from biocurate.training.data import SequenceBuilder, SFTCollator, pack_batch
from biocurate.training.model import (
    add_lora,
    cuda_available,
    is_main_process,
    load_base_model,
    load_lora,
    resolve_dtype,
)
from biocurate.training.shards import Stage, count_rows, load_conversations, shard_files
from biocurate.training.token_cache import TokenCache


@dataclass
class StageResult:
    """What one stage produced: its adapter folder, final global step and logged losses."""

    name: str
    adapter_dir: str
    global_step: int
    losses: list[float] = field(default_factory=list)
    rows: int = 0


def last_checkpoint(stage_dir: Path) -> str | None:
    """The newest ``checkpoint-N`` folder of a stage (None when there is none)."""
    ckpts = [p for p in stage_dir.glob("checkpoint-*") if p.is_dir() and p.name.split("-")[-1].isdigit()]
    return str(max(ckpts, key=lambda p: int(p.name.split("-")[-1]))) if ckpts else None


def _say(msg: str) -> None:
    if is_main_process():
        print(f"biocurate train: {msg}", file=sys.stderr, flush=True)


def build_dataset(cfg: TrainConfig, stage: Stage, builder: SequenceBuilder, training_args: Any) -> tuple[Any, int, bool]:
    """Tokenized (and optionally packed) dataset of one stage; returns (dataset, source rows, streaming).

    Map-style data comes from the run's tokenised cache (:mod:`biocurate.training.token_cache`):
    only the parts no earlier stage or run tokenised are tokenised, by ``preprocess_workers``
    processes. Streaming data is tokenised on the fly, batch by batch.
    """
    files = shard_files(cfg.data)
    rows = count_rows(files, stage.categories)
    if rows == 0:
        raise TrainingConfigError(f"stage {stage.name!r}: no rows in {cfg.data} for categories {stage.categories}")
    streaming = cfg.streaming == "true" or (
        cfg.streaming == "auto" and not cfg.cache and rows > cfg.streaming_threshold_rows)
    if streaming and cfg.packing and cfg.max_steps < 1:
        raise TrainingConfigError("packing while streaming: the step count is unknown in advance; set max_steps")
    with training_args.main_process_first(desc="tokenizing"):
        if streaming:
            ds = load_conversations(files, stage.categories, streaming, cfg.seed, cfg.shuffle_buffer)
            ds = ds.map(builder.encode_batch, batched=True, remove_columns=["conversation", "category"])
            if cfg.packing:
                ds = ds.map(pack_batch, batched=True, batch_size=1000, fn_kwargs={"max_seq_length": cfg.max_seq_length})
        else:
            cache = TokenCache(cache_root(cfg), cfg.data, files, builder, fresh=not cfg.cache and is_main_process())
            parts = cache.parts(stage.categories)
            cache.build(parts, cfg.preprocess_workers, say=lambda msg: _say(f"stage {stage.name}: {msg}"))
            ds = cache.dataset(parts, packing=cfg.packing)
    if not streaming:
        if len(ds) == 0:
            raise TrainingConfigError(f"stage {stage.name!r}: no sample keeps a trained token after truncation")
        _say(f"stage {stage.name}: {rows} rows -> {len(ds)} training {'rows (packed)' if cfg.packing else 'samples'}")
    else:
        _say(f"stage {stage.name}: streaming {rows} rows from {len(files)} shards")
    return ds, rows, streaming


def cache_root(cfg: TrainConfig) -> Path:
    """The tokenised cache folder of a run: ``tokenized_cache``, else ``RUN_DIR/tokenized``."""
    return Path(cfg.tokenized_cache) if cfg.tokenized_cache else Path(cfg.out) / "tokenized"


def build_training_args(cfg: TrainConfig, output_dir: Path, epochs: float, max_steps: int, load_in_4bit: bool) -> Any:
    """``TrainingArguments`` for one stage from the config (transformers 5 names)."""
    import torch
    from transformers import TrainingArguments

    dtype = resolve_dtype(cfg.compute_dtype)
    on_cuda = cuda_available()
    optim = cfg.optim
    if optim == "auto":
        optim = "paged_adamw_32bit" if (load_in_4bit and on_cuda) else "adamw_torch"
    kwargs: dict[str, Any] = {
        "output_dir": str(output_dir),
        "num_train_epochs": epochs,
        "max_steps": max_steps,
        "per_device_train_batch_size": cfg.per_device_train_batch_size,
        "gradient_accumulation_steps": cfg.gradient_accumulation_steps,
        "learning_rate": cfg.learning_rate,
        "lr_scheduler_type": cfg.lr_scheduler_type,
        "warmup_steps": cfg.warmup_ratio,  # a float in [0, 1) is a ratio in transformers 5
        "weight_decay": cfg.weight_decay,
        "max_grad_norm": cfg.max_grad_norm,
        "seed": cfg.seed,
        "optim": optim,
        "logging_steps": cfg.logging_steps,
        "save_strategy": "steps",
        "save_steps": cfg.save_steps,
        "save_total_limit": cfg.save_total_limit,
        "activation_checkpointing": cfg.gradient_checkpointing,
        "activation_checkpointing_kwargs": {"use_reentrant": False} if cfg.gradient_checkpointing else None,
        "bf16": on_cuda and dtype == torch.bfloat16,
        "fp16": on_cuda and dtype == torch.float16,
        "use_cpu": not on_cuda,
        "remove_unused_columns": False,
        "ddp_find_unused_parameters": False,
        "dataloader_num_workers": cfg.dataloader_num_workers,
        "report_to": cfg.report_to,
        "disable_tqdm": not sys.stderr.isatty(),
    }
    kwargs.update(cfg.training_args)
    return TrainingArguments(**kwargs)


def train_stage(
    cfg: TrainConfig,
    stage: Stage,
    stage_dir: Path,
    tokenizer: Any,
    load_in_4bit: bool,
    init_adapter: str | None = None,
    resume: bool = False,
    callbacks: list[Any] | None = None,
) -> StageResult:
    """Train one stage and save its adapter to ``stage_dir/adapter``.

    Args:
        cfg: the run's configuration.
        stage: which categories and how many epochs.
        stage_dir: checkpoints (``checkpoint-N``) and the final ``adapter`` go here.
        tokenizer: the base model's tokenizer (pad = eod).
        load_in_4bit: load the base model in 4-bit NF4 (QLoRA).
        init_adapter: continue from this adapter (stage 2 starts from stage 1's); None = fresh LoRA.
        resume: continue from the newest checkpoint in ``stage_dir`` when there is one.
        callbacks: extra ``TrainerCallback`` objects.
    """
    from transformers import Trainer

    stage_dir.mkdir(parents=True, exist_ok=True)
    epochs = cfg.stage_epochs(stage.epochs)
    builder = SequenceBuilder(tokenizer, cfg.max_seq_length, cfg.format)
    probe_args = build_training_args(cfg, stage_dir, epochs, cfg.max_steps, load_in_4bit)
    dataset, rows, streaming = build_dataset(cfg, stage, builder, probe_args)
    max_steps = cfg.max_steps
    if streaming and max_steps < 1:
        world = int(os.environ.get("WORLD_SIZE", "1"))
        per_step = cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps * world
        max_steps = max(1, math.ceil(math.ceil(rows / per_step) * epochs))
        _say(f"stage {stage.name}: streaming, {max_steps} steps estimated from the row count")
    args = build_training_args(cfg, stage_dir, epochs, max_steps, load_in_4bit)

    model = load_base_model(cfg.model, load_in_4bit, resolve_dtype(cfg.compute_dtype), cfg.trust_remote_code,
                            cfg.attn_implementation)
    if cfg.packing and not type(model).__module__.startswith("transformers."):
        raise TrainingConfigError(f"packing: {type(model).__name__} is remote code that may ignore packed position_ids "
                                  "(attention would leak across samples); train without --packing")
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else builder.eod
    model.config.pad_token_id = pad_id
    model.config.use_cache = False
    if init_adapter:
        model = load_lora(model, init_adapter, load_in_4bit, trainable=True,
                          gradient_checkpointing=cfg.gradient_checkpointing)
    else:
        model = add_lora(model, cfg, load_in_4bit)
    if is_main_process():
        trainable, total = model.get_nb_trainable_parameters()
        _say(f"stage {stage.name}: {'4-bit QLoRA' if load_in_4bit else 'LoRA'}, "
             f"{trainable:,} trainable of {total:,} parameters, epochs {epochs}, max_steps {max_steps}")

    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=dataset,
        data_collator=SFTCollator(pad_id, cfg.max_seq_length),
        processing_class=tokenizer,
        callbacks=callbacks,
    )
    checkpoint = last_checkpoint(stage_dir) if resume else None
    if checkpoint:
        _say(f"stage {stage.name}: resuming from {checkpoint}")
    trainer.train(resume_from_checkpoint=checkpoint)
    adapter_dir = stage_dir / "adapter"
    trainer.save_model(str(adapter_dir))
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    if trainer.is_world_process_zero():
        (stage_dir / "log_history.json").write_text(json.dumps(trainer.state.log_history, indent=1), encoding="utf-8")
    return StageResult(stage.name, str(adapter_dir), trainer.state.global_step, losses, rows)
