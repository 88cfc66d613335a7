"""Real 4-bit QLoRA on CUDA (skipped without a GPU; scripts/gpu_check.sh is the longer version)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.gpu


def test_qlora_4bit_on_cuda(tiny_cfg) -> None:
    import bitsandbytes as bnb
    from biocurate.training import train
    from transformers import TrainerCallback

    seen = {}

    class Inspect(TrainerCallback):
        def on_train_begin(self, args, state, control, model=None, **kw):
            seen["4bit"] = any(isinstance(m, bnb.nn.Linear4bit) for m in model.modules())
            seen["device"] = next(model.parameters()).device.type

    result = train(tiny_cfg(use_stages=False, max_steps=5), callbacks=[Inspect()])
    run = json.loads((Path(result.run_dir) / "run.json").read_text())
    assert run["quantization"] == "4bit" and seen == {"4bit": True, "device": "cuda"}
    assert result.stages[0].global_step == 5
