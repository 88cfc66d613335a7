"""QLoRA fine-tuning on a biocurate export (Taiyi/Firefly recipe); the optional ``train`` extra.

Where it sits: the last pipeline stage. ``biocurate export`` writes Parquet shards plus a manifest;
this package turns them into ``<eod>``-delimited training sequences, trains a (Q)LoRA adapter stage
by stage, merges it and chats with it.

Importing this package does not import torch; the heavy modules load on first use::

    from biocurate.training import make_config, train
    result = train(make_config(data="export/", model="Qwen/Qwen-7B", out="runs/taiyi"))

Modules: ``config`` (TrainConfig), ``shards`` (export reading), ``data`` (sequences, masks,
collator), ``encode`` (batched tokenisation), ``token_cache`` (the run's tokenised cache, worker
processes), ``packing`` (first-fit-decreasing), ``model`` (loading, 4-bit, LoRA), ``trainer`` (one stage), ``stages`` (the run),
``chat`` (inference), ``merge`` (adapter folding), ``testing`` (tiny offline model and export).
"""

from __future__ import annotations

import importlib
from typing import Any

from biocurate.training.config import TrainConfig, TrainingConfigError, make_config

_LAZY = {
    "train": "biocurate.training.stages",
    "read_run": "biocurate.training.stages",
    "RunResult": "biocurate.training.stages",
    "merge": "biocurate.training.merge",
    "load_chat_model": "biocurate.training.chat",
    "generate": "biocurate.training.chat",
    "answer_rows": "biocurate.training.chat",
    "GenerationSettings": "biocurate.training.chat",
    "SequenceBuilder": "biocurate.training.data",
    "SFTCollator": "biocurate.training.data",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'biocurate.training' has no attribute {name!r}")


__all__ = [  # noqa: RUF022 - eager names first, then the lazy ones
    "TrainConfig", "TrainingConfigError", "make_config", "train", "read_run", "RunResult", "merge", "load_chat_model",
    "generate", "answer_rows", "GenerationSettings", "SequenceBuilder", "SFTCollator",
]
