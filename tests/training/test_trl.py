"""TRL's SFTTrainer trains on an export as it is: ``load_dataset(EXPORT)``, no column mapping."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from biocurate.cli import main

from tests.support import make_root, write_mix

trl = pytest.importorskip("trl")


def test_sft_trainer_reads_the_messages_column(tmp_path: Path, tiny_model: Path) -> None:
    import datasets
    from transformers import AutoModelForCausalLM, AutoTokenizer

    datasets.disable_progress_bars()
    root = make_root(tmp_path, "CMeEE", "PromptCBLUE-toy")
    mix = write_mix(tmp_path, targets={"ner": {"zh": 8}, "dialogue": {"zh": 4}}, caps={"default": 8})
    out = tmp_path / "export"
    assert main(["export", "--mix", str(mix), "--data-dir", str(root), "--out", str(out), "--quiet"]) == 0

    rows = datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "cache"))
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    config = trl.SFTConfig(output_dir=str(tmp_path / "run"), max_steps=2, per_device_train_batch_size=2, use_cpu=True,
                           report_to="none", max_length=96, logging_steps=1, save_strategy="no")
    trainer = trl.SFTTrainer(model=AutoModelForCausalLM.from_pretrained(tiny_model), args=config,
                             train_dataset=rows, processing_class=tokenizer)
    # TRL took the rows as conversations: its ids are the chat template over each row's messages
    first = trainer.train_dataset[0]["input_ids"]
    assert first == tokenizer.apply_chat_template(rows[0]["messages"], tokenize=True, return_dict=True)["input_ids"][:96]
    result = trainer.train()
    assert trainer.state.global_step == 2 and math.isfinite(result.training_loss)
