"""JSON array, JSON object member and JSON Lines readers that remember line numbers.

CBLUE ships JSON arrays (``[ {...}, {...} ]``) of tens of MB; :func:`iter_json_array` decodes
one element at a time from a buffered reader instead of loading the whole file.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from biocurate.errors import LoaderError

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\r\n]*")
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


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any | json.JSONDecodeError]]:
    """Yield ``(line, object)`` per non-empty line; a malformed line yields its decode error instead."""
    for number, line in iter_jsonl_lines(path):
        yield number, parse_jsonl_line(line)


def iter_jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Yield ``(line, raw bytes)`` per non-blank line, undecoded (see :func:`parse_jsonl_line`).

    Lines end at ``\n`` (JSON Lines: UTF-8, one value per ``\n``-terminated line; a ``\r``
    before it is whitespace to the parser); a UTF-8 byte-order mark opening the file is dropped.
    Reading bytes lets a caller skip lines it does not parse without decoding them.
    """
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8):]
            if line and not line.isspace():  # (strip() would copy every line)
                yield number, line


def parse_jsonl_line(line: bytes | str) -> Any | json.JSONDecodeError:
    """The value on one JSON Lines line, or its decode error (invalid UTF-8 included)."""
    try:
        text = line.decode("utf-8") if isinstance(line, bytes) else line
    except UnicodeDecodeError as exc:
        shown = line.decode("utf-8", errors="replace")
        return json.JSONDecodeError(f"invalid UTF-8 ({exc.reason} at byte {exc.start})", shown, len(line[:exc.start].decode("utf-8", errors="replace")))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return exc


class _Scanner:
    """Walks a JSON text member by member, tracking line numbers incrementally."""

    def __init__(self, text: str, file: str) -> None:
        self.text, self.file, self.pos = text, file, 0
        self._line, self._line_pos = 1, 0

    def line_at(self, pos: int) -> int:
        if pos < self._line_pos:
            return self._line - self.text.count("\n", pos, self._line_pos)
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def fail(self, reason: str, pos: int | None = None) -> LoaderError:
        return LoaderError(reason, file=self.file, line=self.line_at(self.pos if pos is None else pos))

    def expect(self, chars: str) -> str:
        self.pos = _SPACE.match(self.text, self.pos).end()
        if self.pos >= len(self.text) or self.text[self.pos] not in chars:
            found = repr(self.text[self.pos]) if self.pos < len(self.text) else "end of file"
            raise self.fail(f"expected one of {' '.join(chars)} but found {found}")
        self.pos += 1
        return self.text[self.pos - 1]

    def decode(self) -> Any:
        self.pos = _SPACE.match(self.text, self.pos).end()
        try:
            value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as exc:
            raise self.fail(f"malformed JSON: {exc.msg}", exc.pos) from None
        return value

    def members(self) -> Iterator[tuple[int, str | None]]:
        """Yield ``(line, key)`` per member; the caller must consume the value before resuming."""
        opener = self.expect("{[")
        closer = "}" if opener == "{" else "]"
        self.pos = _SPACE.match(self.text, self.pos).end()
        if self.text.startswith(closer, self.pos):
            self.pos += 1
            return
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()
            start, key = self.pos, None
            if opener == "{":
                key = self.decode()
                if not isinstance(key, str):
                    raise self.fail("object key is not a string", start)
                self.expect(":")
            yield self.line_at(start), key
            if self.expect("," + closer) == closer:
                return


def iter_json_members(path: Path, within: str | None = None) -> Iterator[tuple[int, str | None, Any]]:
    """Yield ``(line, key, value)`` per member of the top-level object/array (key ``None`` in an
    array), or of the container stored under key ``within`` of a top-level object.

    Raises:
        LoaderError: malformed JSON or ``within`` missing (names file and line).
    """
    scan = _Scanner(path.read_text(encoding="utf-8-sig"), str(path))
    found = within is None
    for line, key in scan.members():
        if within is None:
            yield line, key, scan.decode()
        elif key == within:
            found = True
            for line, inner in scan.members():
                yield line, inner, scan.decode()
        else:
            scan.decode()
    if not found:
        raise LoaderError(f"no key {within!r} in the top-level object", file=str(path), line=1)
