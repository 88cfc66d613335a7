"""Fixtures for the training tests: a tiny offline Qwen2 + BPE tokenizer and a small export (no downloads)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("peft")

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread() -> None:
    # The tiny model gains nothing from threads, and on a busy 2-core CI box two spinning OpenMP
    # threads made the suite 5-8x slower (measured: 100-step run 4.9 s with 1 thread, 38 s with 2).
    import torch

    torch.set_num_threads(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    import torch

    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA device")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder with a random 2-layer, hidden-64 Qwen2 and its byte-level BPE tokenizer (ChatML template)."""
    from biocurate.training.testing import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-qwen2"))


@pytest.fixture(scope="session")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 39-row zh/en export (2 shards) with Taiyi's two stages in manifest.json."""
    from biocurate.training.testing import write_export

    return write_export(tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="session")
def tokenizer(tiny_model: Path):
    from biocurate.training.model import load_tokenizer

    return load_tokenizer(str(tiny_model))


@pytest.fixture
def tiny_cfg(tiny_model: Path, export_dir: Path, tmp_path: Path):
    """Factory of TrainConfigs for a tiny run (a second or two each) in a fresh run directory."""
    from biocurate.training import make_config

    def make(out: Path | None = None, **kw):
        base = {"data": str(export_dir), "model": str(tiny_model), "out": str(out or tmp_path / "run"),
                    "per_device_train_batch_size": 4, "gradient_accumulation_steps": 1, "lora_rank": 8, "lora_alpha": 16,
                    "max_seq_length": 128, "logging_steps": 1, "save_steps": 1000, "max_steps": 4}
        base.update(kw)
        return make_config(**base)

    return make
