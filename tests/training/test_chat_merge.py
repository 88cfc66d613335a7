"""Adapter -> reload -> merge -> generate, and the train/merge/chat command-line entry points."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import torch
from biocurate.training.chat import (
    GenerationSettings,
    answer_rows,
    generate,
    load_chat_model,
    repl,
)

from biocurate.cli import chat as chat_cli
from biocurate.cli import merge as merge_cli
from biocurate.cli import train as train_cli

NER_PROMPT = "从下面文本中识别出指定的实体类型：\n患者出现发热和咳嗽。\n实体类型：疾病，症状"


def cli(argv: list[str]) -> int:
    """Run one of the training subcommands the way ``biocurate.cli.main`` does."""
    import argparse

    parser = argparse.ArgumentParser(prog="biocurate")
    sub = parser.add_subparsers(dest="command")
    for module in (train_cli, merge_cli, chat_cli):
        module.register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture(scope="module")
def trained_run(tiny_model: Path, export_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run trained through the CLI (two stages, high LR so the adapter clearly moves)."""
    out = tmp_path_factory.mktemp("cli-run")
    cfg = out / "cfg.yaml"
    cfg.write_text("lora_rank: 8\nmax_seq_length: 128\nlogging_steps: 5\nsave_steps: 1000\n", encoding="utf-8")
    rc = cli(["train", "--data", str(export_dir), "--model", str(tiny_model), "--out", str(out / "run"),
              "--config", str(cfg), "--lr", "5e-3", "--batch-size", "4", "--gradient-accumulation-steps", "1",
              "--max-steps", "40", "--gradient-checkpointing", "false", "--training-arg", "logging_first_step=true"])
    assert rc == 0
    return out / "run"


def test_cli_train_wrote_a_resolved_config(trained_run: Path) -> None:
    cfg = json.loads((trained_run / "train_config.json").read_text())
    assert cfg["learning_rate"] == 5e-3 and cfg["lora_rank"] == 8 and cfg["max_seq_length"] == 128
    assert cfg["gradient_checkpointing"] is False and cfg["training_args"] == {"logging_first_step": True}
    assert cfg["lora_alpha"] == 16.0  # untouched defaults stay Taiyi's


def test_adapter_reload_merge_generate(trained_run: Path, tiny_model: Path, tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM

    adapted = load_chat_model(trained_run)
    base = AutoModelForCausalLM.from_pretrained(str(tiny_model)).eval()
    assert cli(["merge", str(trained_run), "--out", str(tmp_path / "merged")]) == 0
    merged = load_chat_model(tmp_path / "merged")
    assert type(merged.model).__name__ == "Qwen2ForCausalLM"  # plain model, no peft wrapper
    ids = torch.tensor([adapted.builder.prompt_ids([], NER_PROMPT)])
    with torch.no_grad():
        la = adapted.model(input_ids=ids).logits
        lm = merged.model(input_ids=ids).logits
        lb = base(input_ids=ids).logits
    torch.testing.assert_close(la, lm, atol=1e-4, rtol=1e-4)  # merging folds the adapter in exactly
    assert (la - lb).abs().max() > 1e-2  # and the adapter changed the model
    settings = GenerationSettings(max_new_tokens=6)
    replies = generate(merged, [([], NER_PROMPT), ([("医生你好，我咳嗽三天了。", "请问有痰吗？")], "有一点白痰。")], settings)
    assert replies == generate(adapted, [([], NER_PROMPT), ([("医生你好，我咳嗽三天了。", "请问有痰吗？")], "有一点白痰。")],
                               settings)
    assert all(isinstance(r, str) and r for r in replies)


def test_batch_mode_and_prompt(trained_run: Path, tmp_path: Path, capsys) -> None:
    rows = [
        {"id": "ner-1", "conversation": [{"human": NER_PROMPT, "assistant": "症状：发热; 咳嗽"}]},
        {"id": "dlg-1", "conversation": [{"human": "医生你好，我咳嗽三天了。", "assistant": "请问有痰吗？"},
                                         {"human": "有一点白痰。", "assistant": ""}]},
        {"id": "dlg-2", "conversation": [{"human": "I have a headache.", "assistant": ""}, {"human": "No fever."}]},
    ]
    inp = tmp_path / "rows.jsonl"
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "preds.jsonl"
    assert cli(["chat", str(trained_run), "--input", str(inp), "--output", str(out), "--batch-size", "2",
                "--max-new-tokens", "5"]) == 0
    preds = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in preds] == ["ner-1", "dlg-1", "dlg-2"]
    assert all(isinstance(p["prediction"], str) for p in preds)
    assert "turn_predictions" not in preds[1]  # gold history used for the earlier turn
    assert len(preds[2]["turn_predictions"]) == 2 and preds[2]["prediction"] == preds[2]["turn_predictions"][1]
    # batching does not change greedy outputs
    chat = load_chat_model(trained_run)
    single = [answer_rows(chat, [r], GenerationSettings(max_new_tokens=5))[0] for r in rows]
    assert single == preds
    capsys.readouterr()
    assert cli(["chat", str(trained_run), "--prompt", NER_PROMPT, "--max-new-tokens", "5"]) == 0
    assert capsys.readouterr().out.strip() == preds[0]["prediction"]


def test_repl_keeps_history_and_resets(trained_run: Path) -> None:
    chat = load_chat_model(trained_run)
    settings = GenerationSettings(max_new_tokens=4)
    out = io.StringIO()
    repl(chat, io.StringIO("医生你好，我咳嗽三天了。\n\n有一点白痰。\n/reset\n有一点白痰。\n/exit\nignored\n"), out, settings)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and all(line.startswith("Assistant: ") for line in lines)
    fresh = generate(chat, [([], "有一点白痰。")], settings)[0]
    assert lines[2] == f"Assistant: {fresh}"  # after /reset the history is empty again


def test_biocurate_main_and_module_entry_points(trained_run: Path, capsys) -> None:
    import subprocess
    import sys

    from biocurate.cli import main

    assert main(["chat", str(trained_run), "--prompt", NER_PROMPT, "--max-new-tokens", "3"]) == 0
    assert capsys.readouterr().out.strip()
    assert main(["train", "--data", str(trained_run), "--model", "m", "--out", str(trained_run)]) == 1  # no shards
    assert "no Parquet shards" in capsys.readouterr().err
    # the torchrun / accelerate entry point is `biocurate train`
    proc = subprocess.run([sys.executable, "-m", "biocurate.training", "--help"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "--lora-rank" in proc.stdout and "torchrun" in proc.stdout
