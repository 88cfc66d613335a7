"""Progress bars: whole periodic lines when the stream is not a terminal, tqdm unchanged on one."""

from __future__ import annotations

import io

import pytest

from biocurate import progress
from biocurate.progress import tqdm


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_log_lines_without_carriage_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIOCURATE_PROGRESS_INTERVAL", "0")
    out = io.StringIO()
    for _ in tqdm(range(2500), desc="cmeee/train", unit="rec", file=out, leave=False, miniters=1000):
        pass
    text = out.getvalue()
    assert "\r" not in text and text.endswith("\n")
    lines = text.splitlines()
    assert all(line.startswith("cmeee/train: ") for line in lines)
    assert "2500/2500" in lines[-1]  # the final count, although leave=False
    assert len(lines) == len(set(lines)) >= 2


def test_default_period_keeps_a_log_short() -> None:
    out = io.StringIO()
    with tqdm(desc="spool", unit="rec", file=out) as bar:
        for _ in range(100_000):
            bar.update(1)
    lines = out.getvalue().splitlines()
    assert progress.LOG_INTERVAL >= 10 and len(lines) <= 3 and lines[-1].startswith("spool: 100000rec")


def test_terminal_keeps_tqdm_redrawing() -> None:
    out = _Terminal()
    for _ in tqdm(range(50), desc="x", file=out, mininterval=0):
        pass
    assert "\r" in out.getvalue()


def test_disabled_bar_writes_nothing() -> None:
    out = io.StringIO()
    for _ in tqdm(range(10), file=out, disable=True):
        pass
    assert out.getvalue() == ""
