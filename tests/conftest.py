"""Shared fixtures: the bundled real corpus samples and an isolated HF cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from biocurate.sources import samples_dir


@pytest.fixture(scope="session")
def samples() -> Path:
    """Root of the bundled real excerpts (one folder per corpus, with PROVENANCE.md)."""
    return samples_dir()


@pytest.fixture(autouse=True, scope="session")
def _isolated_hf(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Keep datasets/hub caches out of the user's home and never reach the network.
    cache = tmp_path_factory.mktemp("hf")
    os.environ.setdefault("HF_HOME", str(cache))
    os.environ.setdefault("HF_DATASETS_CACHE", str(cache / "datasets"))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
