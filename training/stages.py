"""The whole run: the manifest's stages in order, each continuing from the previous adapter.

Where it sits: the entry point behind ``biocurate train`` and :func:`biocurate.training.train`.
Taiyi trains in two stages (taiyi-pipeline.md 3.5): stage 1 on non-dialogue tasks for 5 epochs,
stage 2 on everything for 3, starting from stage 1's adapter. Exports without ``stages`` train one
stage over every row.

Run directory layout::

    RUN_DIR/train_config.json     resolved configuration
    RUN_DIR/run.json              base model, format, stage status (read by merge/chat and --resume)
    RUN_DIR/<stage>/checkpoint-N  adapter + optimizer state, for --resume
    RUN_DIR/<stage>/adapter       the stage's final adapter (+ tokenizer files)
    RUN_DIR/adapter               the final adapter (copy of the last stage's)
    RUN_DIR/tokenized/<key>/      the tokenised cache, shared by the stages (training/token_cache.py)
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from biocurate.training.config import TrainConfig, TrainingConfigError
from biocurate.training.model import (
    is_main_process,
    load_tokenizer,
    resolve_quantization,
)
from biocurate.training.shards import read_stages, shard_files
from biocurate.training.trainer import StageResult, train_stage

RUN_FILE = "run.json"


@dataclass
class RunResult:
    """What :func:`train` produced: the run directory, final adapter and per-stage results."""

    run_dir: str
    adapter_dir: str
    stages: list[StageResult] = field(default_factory=list)


def read_run(run_dir: str | Path) -> dict[str, Any]:
    """``RUN_DIR/run.json`` as a dict.

    Raises:
        TrainingConfigError: the folder is not a training run directory.
    """
    path = Path(run_dir) / RUN_FILE
    if not path.is_file():
        raise TrainingConfigError(f"{run_dir} is not a biocurate training run (no {RUN_FILE})")
    return json.loads(path.read_text(encoding="utf-8"))


def _write_run(run_dir: Path, run: dict[str, Any]) -> None:
    if is_main_process():
        tmp = run_dir / (RUN_FILE + ".tmp")
        tmp.write_text(json.dumps(run, indent=2, ensure_ascii=False), encoding="utf-8")
        tmp.replace(run_dir / RUN_FILE)


def _barrier() -> None:
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()


def _start_run(cfg: TrainConfig, run_dir: Path, load_in_4bit: bool) -> dict[str, Any]:
    stages = read_stages(cfg.data, cfg.use_stages)
    fresh = {
        "base_model": cfg.model,
        "format": cfg.format,
        "max_seq_length": cfg.max_seq_length,
        "quantization": "4bit" if load_in_4bit else "none",
        "trust_remote_code": cfg.trust_remote_code,
        "data": str(cfg.data),
        "stages": [
            {"name": s.name, "categories": list(s.categories) if s.categories is not None else None,
             "epochs": cfg.stage_epochs(s.epochs),
             "status": "pending", "global_step": 0, "adapter": None}
            for s in stages
        ],
        "adapter": None,
    }
    if (run_dir / RUN_FILE).is_file():
        if not cfg.resume:
            raise TrainingConfigError(f"{run_dir} already holds a training run: pass --resume to continue it, "
                                      "or choose a new --out")
        old = read_run(run_dir)
        if old.get("base_model") != cfg.model or [s["name"] for s in old["stages"]] != [s.name for s in stages]:
            raise TrainingConfigError(f"--resume: {run_dir} was trained from {old.get('base_model')!r} with stages "
                                      f"{[s['name'] for s in old['stages']]}; this call differs")
        return old
    return fresh


def train(cfg: TrainConfig, callbacks: list[Any] | None = None) -> RunResult:
    """Fine-tune ``cfg.model`` on the export ``cfg.data``, stage by stage, into ``cfg.out``.

    With ``cfg.resume``, finished stages are skipped and the interrupted one continues from its
    newest checkpoint (same global step, optimizer and scheduler state).

    Example:
        >>> from biocurate.training import make_config, train
        >>> result = train(make_config(data="export/", model="Qwen/Qwen-7B", out="runs/taiyi"))  # doctest: +SKIP
    """
    cfg.validate()
    shard_files(cfg.data)  # fail before loading any model
    if int(os.environ.get("WORLD_SIZE", "1")) > 1:
        from accelerate import PartialState

        PartialState()  # join the process group now, so the ranks can agree on run.json below
    run_dir = Path(cfg.out)
    run_dir.mkdir(parents=True, exist_ok=True)
    load_in_4bit = resolve_quantization(cfg.quantization)
    run = _start_run(cfg, run_dir, load_in_4bit)
    _barrier()  # every rank has read the old run.json before rank 0 rewrites it
    _write_run(run_dir, run)
    if is_main_process():
        (run_dir / "train_config.json").write_text(json.dumps(cfg.to_dict(), indent=2, ensure_ascii=False),
                                                   encoding="utf-8")
    tokenizer = load_tokenizer(cfg.model, cfg.trust_remote_code)
    stages = read_stages(cfg.data, cfg.use_stages)
    results: list[StageResult] = []
    previous: str | None = None
    for stage, status in zip(stages, run["stages"]):
        if status["status"] == "done":
            previous = str(run_dir / status["adapter"])
            continue
        stage_dir = run_dir / stage.name
        result = train_stage(cfg, stage, stage_dir, tokenizer, load_in_4bit, init_adapter=previous,
                             resume=cfg.resume, callbacks=callbacks)
        _barrier()
        results.append(result)
        previous = result.adapter_dir
        status.update(status="done", global_step=result.global_step,
                      adapter=str(Path(result.adapter_dir).relative_to(run_dir)))
        _write_run(run_dir, run)
    final = run_dir / "adapter"
    if is_main_process() and previous:
        if final.exists():
            shutil.rmtree(final)
        shutil.copytree(previous, final)
    run["adapter"] = "adapter"
    _write_run(run_dir, run)
    _barrier()
    return RunResult(str(run_dir), str(final), results)
