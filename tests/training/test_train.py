"""End-to-end training on the tiny model: loss goes down, stages chain, resume continues, streaming, packing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from biocurate.training import TrainingConfigError, train
from biocurate.training.model import CPU_FALLBACK_MESSAGE, cuda_available
from transformers import TrainerCallback


class Recorder(TrainerCallback):
    """Records the steps a Trainer runs and the LoRA B-matrix norm when training begins."""

    def __init__(self, crash_at: int | None = None) -> None:
        self.steps: list[int] = []
        self.lora_b_norm: list[float] = []
        self.crash_at = crash_at

    def on_train_begin(self, args, state, control, model=None, **kw):
        self.lora_b_norm.append(sum(float(p.detach().norm()) for n, p in model.named_parameters() if "lora_B" in n))

    def on_step_end(self, args, state, control, **kw):
        self.steps.append(state.global_step)
        if self.crash_at is not None and state.global_step == self.crash_at:
            raise RuntimeError("simulated interruption")


def test_loss_decreases_over_100_steps(tiny_cfg) -> None:
    cfg = tiny_cfg(use_stages=False, max_steps=100, learning_rate=2e-3, logging_steps=10, gradient_checkpointing=False)
    result = train(cfg)
    losses = result.stages[0].losses
    assert len(losses) == 10
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3 - 0.3, losses


def test_two_stages_run_in_order_and_stage2_continues_stage1(tiny_cfg, capsys) -> None:
    rec = Recorder()
    result = train(tiny_cfg(max_steps=3), callbacks=[rec])
    assert [s.name for s in result.stages] == ["stage1", "stage2"]
    assert [s.rows for s in result.stages] == [27, 39]  # stage 1: non-dialogue rows only; stage 2: all
    assert rec.lora_b_norm[0] == 0.0 and rec.lora_b_norm[1] > 0.0  # fresh LoRA, then stage 1's adapter
    run = json.loads((Path(result.run_dir) / "run.json").read_text())
    assert [(s["name"], s["status"], s["global_step"], s["epochs"]) for s in run["stages"]] == [
        ("stage1", "done", 3, 5.0), ("stage2", "done", 3, 3.0)]
    final = Path(result.adapter_dir)
    assert (final / "adapter_config.json").is_file() and (final / "adapter_model.safetensors").is_file()
    assert not (final / "model.safetensors").exists()  # adapter only
    assert (final / "adapter_model.safetensors").read_bytes() == (
        Path(result.run_dir) / "stage2" / "adapter" / "adapter_model.safetensors").read_bytes()
    if not cuda_available():
        assert CPU_FALLBACK_MESSAGE in capsys.readouterr().err


def test_resume_continues_from_the_saved_step(tiny_cfg, tmp_path: Path) -> None:
    common = {"use_stages": False, "max_steps": 8, "save_steps": 4, "gradient_checkpointing": False}
    with pytest.raises(RuntimeError, match="simulated"):
        train(tiny_cfg(tmp_path / "run", **common), callbacks=[Recorder(crash_at=6)])
    assert (tmp_path / "run" / "all" / "checkpoint-4").is_dir()
    with pytest.raises(TrainingConfigError, match="--resume"):
        train(tiny_cfg(tmp_path / "run", **common))
    rec = Recorder()
    result = train(tiny_cfg(tmp_path / "run", resume=True, **common), callbacks=[rec])
    assert rec.steps == [5, 6, 7, 8]  # continues after checkpoint-4, does not restart at 1
    assert result.stages[0].global_step == 8
    # the resumed model starts from checkpoint-4's adapter weights, not from a fresh LoRA
    from safetensors.torch import load_file

    saved = load_file(str(tmp_path / "run" / "all" / "checkpoint-4" / "adapter_model.safetensors"))
    assert rec.lora_b_norm[0] == pytest.approx(sum(float(t.norm()) for k, t in saved.items() if "lora_B" in k))
    assert rec.lora_b_norm[0] > 0
    state = json.loads((tmp_path / "run" / "all" / "checkpoint-8" / "trainer_state.json").read_text())
    assert [h["step"] for h in state["log_history"] if "loss" in h] == list(range(1, 9))


def test_streaming_estimates_steps_from_row_counts(tiny_cfg, monkeypatch) -> None:
    import datasets

    # datasets sleeps 5 s after each pass over shuffled shards (an Arrow thread-shutdown workaround)
    monkeypatch.setattr(datasets.config, "SLEEP_TIME_ON_THREADS_SHUTDOWN", 0)
    result = train(tiny_cfg(streaming="true", max_steps=-1, num_train_epochs=1))
    # ceil(27 / 4) and ceil(39 / 4) optimizer steps for one epoch of each stage
    assert [s.global_step for s in result.stages] == [7, 10]


def test_packing_and_chat_template_train(tiny_cfg, capsys) -> None:
    result = train(tiny_cfg(use_stages=False, packing=True, format="chat_template", max_steps=2))
    assert result.stages[0].global_step == 2
    assert "training rows (packed)" in capsys.readouterr().err
    run = json.loads((Path(result.run_dir) / "run.json").read_text())
    assert run["format"] == "chat_template"


def test_forced_4bit_on_cpu(tiny_cfg) -> None:
    pytest.importorskip("bitsandbytes")
    rec = Recorder()
    result = train(tiny_cfg(use_stages=False, quantization="4bit", max_steps=2), callbacks=[rec])
    run = json.loads((Path(result.run_dir) / "run.json").read_text())
    assert run["quantization"] == "4bit" and result.stages[0].global_step == 2


def test_missing_export_fails_before_loading_a_model(tiny_cfg, tmp_path: Path) -> None:
    from biocurate.training.shards import ExportReadError

    with pytest.raises(ExportReadError, match="no Parquet shards"):
        train(tiny_cfg(data=str(tmp_path)))
