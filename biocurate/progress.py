"""Progress bars that turn into periodic log lines when stderr is not a terminal.

A drop-in for ``tqdm.tqdm``: ``from biocurate.progress import tqdm``. On a terminal it is tqdm
unchanged. Writing to a file or pipe (a batch job's log, ``2> export.log``), tqdm would redraw
its bar with carriage returns, which a log keeps as one huge line; this one writes a whole line
(``cmeee/train: 12000rec [00:04, 2950rec/s]``) at most every :data:`LOG_INTERVAL` seconds, plus
the final count when the bar closes. ``BIOCURATE_PROGRESS_INTERVAL`` (seconds) changes the period.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from tqdm import tqdm as _tqdm

#: Seconds between two log lines of one bar when the stream is not a terminal.
LOG_INTERVAL = 30.0


def _interval() -> float:
    try:
        return float(os.environ.get("BIOCURATE_PROGRESS_INTERVAL", LOG_INTERVAL))
    except ValueError:
        return LOG_INTERVAL


def is_terminal(stream: Any) -> bool:
    """Whether ``stream`` is an interactive terminal."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class tqdm(_tqdm):  # noqa: N801 - named like the class it replaces
    """``tqdm.tqdm`` that logs whole lines, periodically, to a stream that is not a terminal."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        stream = kwargs.get("file") or sys.stderr
        self._as_log = not is_terminal(stream)
        self._logged_n: int | None = None
        self._log = stream
        if self._as_log:
            kwargs.setdefault("mininterval", _interval())
            kwargs.setdefault("maxinterval", max(kwargs["mininterval"], _interval()))
            kwargs.setdefault("ascii", True)
        super().__init__(*args, **kwargs)
        if self._as_log and not self.disable:
            self.fp = _NoRedraw(self.fp)  # tqdm's own "\n" / "\r" after a bar

    def display(self, msg: str | None = None, pos: int | None = None) -> None:
        if not getattr(self, "_as_log", False):
            super().display(msg, pos)
            return
        line = (str(self) if msg is None else msg).strip()
        if line and self.n != self._logged_n:  # '' is tqdm clearing the bar; the same count adds nothing
            self._logged_n = self.n
            self._log.write(line + "\n")
            self._log.flush()

    def close(self) -> None:
        if getattr(self, "_as_log", False) and not self.disable and not getattr(self, "_closed_logged", False):
            self._closed_logged = True
            self.display()  # the final count, even for leave=False bars
        super().close()


class _NoRedraw:
    """A stream wrapper that drops tqdm's bare redraw characters."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return 0 if text in ("", "\n", "\r") else self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


__all__ = ["LOG_INTERVAL", "is_terminal", "tqdm"]
