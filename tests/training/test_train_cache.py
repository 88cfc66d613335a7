"""The tokenised cache in real runs: next to the run, shared by stages, reused by --resume, --no-cache."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from biocurate.training import train
from transformers import TrainerCallback


class CrashAt(TrainerCallback):
    def __init__(self, step: int) -> None:
        self.step = step

    def on_step_end(self, args, state, control, **kw):
        if state.global_step == self.step:
            raise RuntimeError("simulated interruption")


def test_stages_share_the_run_cache_and_a_second_run_reuses_it(tiny_cfg, tmp_path: Path, capsys) -> None:
    train(tiny_cfg(tmp_path / "a", max_steps=1))
    err = capsys.readouterr().err
    assert "stage stage1: tokenised 27 rows" in err
    assert "stage stage2: tokenised 12 rows" in err  # only the dialogue and QA rows stage 1 did not need
    keys = list((tmp_path / "a" / "tokenized").iterdir())
    assert len(keys) == 1 and (keys[0] / "key.json").is_file() and list(keys[0].rglob("*.arrow"))
    # a second run pointed at the first run's cache tokenises nothing
    train(tiny_cfg(tmp_path / "b", max_steps=1, tokenized_cache=str(tmp_path / "a" / "tokenized")))
    err = capsys.readouterr().err
    assert "tokenised" not in err.replace("from the tokenised cache", "")
    assert err.count("parts from the tokenised cache") == 2
    assert not (tmp_path / "b" / "tokenized").exists()


def test_resume_loads_the_cache_and_no_cache_tokenises_again(tiny_cfg, tmp_path: Path, capsys) -> None:
    common = {"use_stages": False, "max_steps": 4, "save_steps": 2, "gradient_checkpointing": False}
    with pytest.raises(RuntimeError, match="simulated"):
        train(tiny_cfg(tmp_path / "run", **common), callbacks=[CrashAt(3)])
    assert "stage all: tokenised 39 rows" in capsys.readouterr().err
    result = train(tiny_cfg(tmp_path / "run", resume=True, **common))
    assert result.stages[0].global_step == 4
    assert "stage all: all " in capsys.readouterr().err
    train(tiny_cfg(tmp_path / "fresh", cache=False, tokenized_cache=str(tmp_path / "run" / "tokenized"), **common))
    assert "stage all: tokenised 39 rows" in capsys.readouterr().err


def test_cli_flags_reach_the_config(tiny_model, export_dir, tmp_path: Path) -> None:
    from biocurate.cli.train import config_from_args, register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    base = ["train", "--data", str(export_dir), "--model", str(tiny_model), "--out", str(tmp_path / "r")]
    cfg = config_from_args(parser.parse_args(base))
    assert cfg.cache is True and cfg.preprocess_workers == 0 and cfg.tokenized_cache == ""
    cfg = config_from_args(parser.parse_args([*base, "--no-cache", "--preprocess-workers", "3"]))
    assert cfg.cache is False and cfg.preprocess_workers == 3


def test_negative_workers_are_refused() -> None:
    from biocurate.training import TrainingConfigError, make_config

    with pytest.raises(TrainingConfigError, match="preprocess_workers"):
        make_config(data="e", model="m", out="o", preprocess_workers=-1)
