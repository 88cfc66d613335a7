"""Fixtures for export tests: small data roots built from the bundled real samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import make_root


@pytest.fixture
def small_root(tmp_path: Path) -> Path:
    return make_root(tmp_path, "CMeEE", "KUAKE-QIC")
