"""JSON array and JSON Lines readers that stream and remember line numbers.

CBLUE ships JSON arrays (``[ {...}, {...} ]``) of tens of MB; :func:`iter_json_array` decodes
one element at a time from a buffered reader instead of loading the whole file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from biocurate.errors import LoaderError

_DECODER = json.JSONDecoder()
_CHUNK = 1 << 16


def iter_json_array(path: Path, dataset: str | None = None, encoding: str = "utf-8-sig") -> Iterator[tuple[int, Any]]:
    """Yield ``(line, element)`` for each element of a top-level JSON array, streaming.

    Raises:
        LoaderError: the file is not a JSON array or an element is malformed (names file and line).
    """
    with open(path, encoding=encoding) as handle:
        buffer = ""
        line = 1
        pos = 0
        started = False

        def fill() -> bool:
            nonlocal buffer, pos
            chunk = handle.read(_CHUNK)
            if not chunk:
                return False
            buffer = buffer[pos:] + chunk
            pos = 0
            return True

        def skip_space() -> bool:
            nonlocal pos, line
            while True:
                while pos < len(buffer) and buffer[pos] in " \t\r\n":
                    if buffer[pos] == "\n":
                        line += 1
                    pos += 1
                if pos < len(buffer):
                    return True
                if not fill():
                    return False

        fill()
        if not skip_space() or buffer[pos] != "[":
            raise LoaderError("expected a JSON array ('[' at the start)", dataset=dataset, file=str(path), line=line)
        pos += 1
        started = True
        expect_comma = False
        while started:
            if not skip_space():
                raise LoaderError("unexpected end of file inside the JSON array", dataset=dataset, file=str(path), line=line)
            char = buffer[pos]
            if char == "]":
                return
            if expect_comma:
                if char != ",":
                    raise LoaderError(f"expected ',' or ']' but found {char!r}", dataset=dataset, file=str(path), line=line)
                pos += 1
                if not skip_space():
                    raise LoaderError("unexpected end of file after ','", dataset=dataset, file=str(path), line=line)
            while True:
                try:
                    value, end = _DECODER.raw_decode(buffer, pos)
                except json.JSONDecodeError as exc:
                    # Either the element is cut by the buffer end (read more) or truly malformed.
                    if fill():
                        continue
                    raise LoaderError(
                        f"malformed JSON element: {exc.msg}", dataset=dataset, file=str(path), line=line + buffer.count("\n", pos, exc.pos)
                    ) from None
                if end == len(buffer) and fill():
                    continue  # a number may continue in the next chunk
                break
            start_line = line
            line += buffer.count("\n", pos, end)
            pos = end
            expect_comma = True
            yield start_line, value


def iter_jsonl(path: Path, encoding: str = "utf-8-sig") -> Iterator[tuple[int, Any | json.JSONDecodeError]]:
    """Yield ``(line, object)`` per non-empty line; a malformed line yields its decode error instead."""
    with open(path, encoding=encoding) as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                yield number, json.loads(text)
            except json.JSONDecodeError as exc:
                yield number, exc
