"""CBLUE file conventions: ``<TASK>_train.json`` / ``_dev.json`` / ``_test.json`` JSON arrays
(CMeIE uses JSON Lines under the same names), and the small checks every CBLUE loader needs.

The official CBLUE distribution names splits train/dev/test; biocurate calls dev ``validation``.
Test files carry no gold (no ``label`` / ``spo_list`` / ``event`` content): loaders declare
``test`` in ``unlabelled_splits`` and represent a missing gold consistently as an empty
``labels`` list (text), an empty ``label`` string (pairs) or no annotations (kb).

Several CBLUE tasks (CMeIE, CHIP-CDEE) give annotated strings without character offsets;
:func:`occurrences` and :func:`locate_nearest` find them in the text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from biocurate.errors import ConversionError, LoaderError

from .jsonfiles import iter_json_array, iter_jsonl


def cblue_splits(prefix: str) -> dict[str, str]:
    """Split -> file glob for a CBLUE task whose files start with ``prefix``."""
    return {"train": f"{prefix}_train.json", "validation": f"{prefix}_dev.json", "test": f"{prefix}_test.json"}


def _unique_ids(items: Iterator[tuple[str, int, object]]) -> Iterator[tuple[str, int, object]]:
    """``items`` with a record whose raw ``id`` repeats an earlier one of the split replaced by a
    :class:`~biocurate.errors.LoaderError` stand-in (field ``id``; the loader rejects it)."""
    seen: dict[str, tuple[str, int]] = {}
    for file, line, element in items:
        key = record_key(element)
        if key is not None:
            if key in seen:
                first_file, first_line = seen[key]
                where = f"line {first_line}" + ("" if first_file == file else f" of {first_file}")
                element = LoaderError(f"record id {key!r} already used on {where}", file=file, line=line, record=key, field="id")
            else:
                seen[key] = (file, line)
        yield file, line, element


def iter_cblue_array(files: list[Path], dataset: str) -> Iterator[tuple[str, int, object]]:
    """Yield ``(file, line, element)`` over the JSON arrays of a split (a repeated ``id``: see
    :func:`_unique_ids`)."""
    return _unique_ids((str(path), line, element) for path in files for line, element in iter_json_array(path, dataset=dataset))


def iter_cblue_lines(files: list[Path]) -> Iterator[tuple[str, int, object]]:
    """Yield ``(file, line, object-or-JSONDecodeError)`` over the JSON Lines files of a split (a
    repeated ``id``: see :func:`_unique_ids`)."""
    return _unique_ids((str(path), line, obj) for path in files for line, obj in iter_jsonl(path))


def record_key(element: Any) -> str | None:
    """The raw ``id`` of a CBLUE record as a string (rejects name it), or None without one."""
    if isinstance(element, dict) and isinstance(element.get("id"), (str, int)) and not isinstance(element.get("id"), bool):
        return str(element["id"])
    return None


def require_str(data: Any, key: str, *, field: str | None = None, empty_ok: bool = False) -> str:
    """``data[key]`` as a string.

    Args:
        data: a decoded JSON object.
        key: the key to read.
        field: the dotted path reported on error (default: ``key``).
        empty_ok: accept an empty string.

    Raises:
        ConversionError: ``data`` is not an object, the key is missing, the value is not a
            string, or it is empty (unless ``empty_ok``).
    """
    field = field or key
    if not isinstance(data, dict):
        raise ConversionError(f"expected a JSON object, got {type(data).__name__}", field=field)
    if key not in data:
        raise ConversionError(f"missing key {key!r}", field=field)
    value = data[key]
    if not isinstance(value, str):
        raise ConversionError(f"{key!r} must be a string, got {type(value).__name__}", field=field)
    if not value and not empty_ok:
        raise ConversionError(f"{key!r} is empty", field=field)
    return value


def require_list(data: Any, key: str, *, field: str | None = None) -> list[Any]:
    """``data[key]`` as a list (see :func:`require_str` for ``field``).

    Raises:
        ConversionError: ``data`` is not an object, the key is missing or not a list.
    """
    field = field or key
    if not isinstance(data, dict):
        raise ConversionError(f"expected a JSON object, got {type(data).__name__}", field=field)
    if key not in data:
        raise ConversionError(f"missing key {key!r}", field=field)
    if not isinstance(data[key], list):
        raise ConversionError(f"{key!r} must be a list, got {type(data[key]).__name__}", field=field)
    return data[key]


def gold_label(data: Any, key: str, allowed: Sequence[str], *, labelled: bool) -> str | None:
    """The gold label under ``key``, checked against ``allowed``.

    Returns ``None`` when an unlabelled split's record has no label (CBLUE test files).

    Raises:
        ConversionError: the label is missing in a labelled split, or not one of ``allowed``.
    """
    if not labelled and isinstance(data, dict) and key not in data:
        return None
    label = require_str(data, key)
    if label not in allowed:
        raise ConversionError(f"unknown label {label!r}; expected one of {list(allowed)}", field=key)
    return label


def occurrences(text: str, mention: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``mention`` in ``text``."""
    starts = []
    start = text.find(mention) if mention else -1
    while start != -1:
        starts.append(start)
        start = text.find(mention, start + 1)
    return starts


def locate_nearest(text: str, mention: str, anchor: int, field: str) -> tuple[int, int]:
    """The ``[start, end)`` span of the occurrence of ``mention`` whose start is nearest to
    ``anchor`` (the earlier one on a tie).

    Raises:
        ConversionError: ``mention`` does not occur in ``text`` (names ``field``).
    """
    starts = occurrences(text, mention)
    if not starts:
        raise ConversionError(f"{mention!r} does not occur in the text", field=field)
    start = min(starts, key=lambda s: (abs(s - anchor), s))
    return start, start + len(mention)
