"""Prints how many corrupted or fuzzed inputs the fault suite tried per raw format."""

from __future__ import annotations

import pytest

from .harness import TRIED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TRIED:
        terminalreporter.write_sep("-", "fault inputs tried per format")
        for fmt, count in sorted(TRIED.items()):
            terminalreporter.write_line(f"{fmt:>14}: {count}")
