"""TrainConfig: Taiyi defaults, file < CLI precedence, errors, and torch-free imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from biocurate.training.config import TrainConfig, TrainingConfigError, make_config


def test_defaults_are_taiyi_recipe() -> None:
    cfg = TrainConfig()
    assert cfg.per_device_train_batch_size == 12 and cfg.gradient_accumulation_steps == 2
    assert cfg.learning_rate == 2e-4 and cfg.max_seq_length == 1024
    assert cfg.lr_scheduler_type == "constant_with_warmup" and cfg.warmup_ratio == 0.1
    assert (cfg.lora_rank, cfg.lora_alpha, cfg.lora_dropout) == (64, 16.0, 0.05)
    assert cfg.lora_target_modules == "all-linear"
    assert (cfg.weight_decay, cfg.max_grad_norm, cfg.seed) == (0.0, 0.3, 42)
    assert cfg.gradient_checkpointing is True
    assert cfg.stage_epochs(None) == 3.0  # Taiyi's 3 epochs when the manifest says nothing
    assert cfg.stage_epochs(5.0) == 5.0  # the manifest's stage epochs win over the default


def test_file_then_cli_precedence(tmp_path: Path) -> None:
    yml = tmp_path / "cfg.yaml"
    yml.write_text("data: e\nmodel: m\nout: o\nlr: 1.0e-3\nlora_rank: 8\npacking: true\nepochs: 2\n"
                   "lora_target_modules: [q_proj, v_proj]\n", encoding="utf-8")
    cfg = make_config(yml, {"lora-rank": "16", "max_seq_length": "512"})
    assert cfg.learning_rate == 1e-3 and cfg.lora_rank == 16 and cfg.max_seq_length == 512
    assert cfg.packing is True and cfg.stage_epochs(5.0) == 2.0
    assert cfg.lora_target_modules == ["q_proj", "v_proj"]
    js = tmp_path / "cfg.json"
    js.write_text(json.dumps({"model_name_or_path": "m", "output_dir": "o", "data": "e",
                              "per_device_train_batch_size": 6, "training_args": {"fp16": False}}), encoding="utf-8")
    cfg = make_config(js, {"gradient_checkpointing": "false", "lora_target_modules": "q_proj,k_proj"})
    assert cfg.per_device_train_batch_size == 6 and cfg.training_args == {"fp16": False}
    assert cfg.gradient_checkpointing is False and cfg.lora_target_modules == ["q_proj", "k_proj"]


def test_errors_name_the_field() -> None:
    with pytest.raises(TrainingConfigError, match="learning_rate"):
        make_config(data="e", model="m", out="o", learning_rat=1)
    with pytest.raises(TrainingConfigError, match="'model'"):
        make_config(data="e", out="o")
    with pytest.raises(TrainingConfigError, match="quantization"):
        make_config(data="e", model="m", out="o", quantization="8bit")
    with pytest.raises(TrainingConfigError, match="lora_rank"):
        make_config(data="e", model="m", out="o", lora_rank="eight")


def test_import_and_cli_parser_do_not_import_torch() -> None:
    code = ("import argparse, sys, biocurate.training\n"
            "from biocurate.cli import chat, merge, train\n"
            "sub = argparse.ArgumentParser().add_subparsers()\n"
            "for m in (chat, merge, train): m.register(sub)\n"
            "print(sorted(m for m in ('torch', 'transformers', 'peft') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
