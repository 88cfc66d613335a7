"""CBLUE file conventions: ``<TASK>_train.json`` / ``_dev.json`` / ``_test.json`` JSON arrays
(CMeIE uses JSON Lines under the same names).

The official CBLUE distribution names splits train/dev/test; biocurate calls dev ``validation``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .jsonfiles import iter_json_array, iter_jsonl


def cblue_splits(prefix: str) -> dict[str, str]:
    """Split -> file glob for a CBLUE task whose files start with ``prefix``."""
    return {"train": f"{prefix}_train.json", "validation": f"{prefix}_dev.json", "test": f"{prefix}_test.json"}


def iter_cblue_array(files: list[Path], dataset: str) -> Iterator[tuple[str, int, object]]:
    """Yield ``(file, line, element)`` over the JSON arrays of a split."""
    for path in files:
        for line, element in iter_json_array(path, dataset=dataset):
            yield str(path), line, element


def iter_cblue_lines(files: list[Path]) -> Iterator[tuple[str, int, object]]:
    """Yield ``(file, line, object-or-JSONDecodeError)`` over the JSON Lines files of a split."""
    for path in files:
        for line, obj in iter_jsonl(path):
            yield str(path), line, obj
