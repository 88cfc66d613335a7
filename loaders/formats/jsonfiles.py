"""JSON array, JSON object member and JSON Lines readers that remember line numbers.

CBLUE ships JSON arrays (``[ {...}, {...} ]``) of tens of MB; :func:`iter_json_array` decodes
one element at a time from a buffered reader instead of loading the whole file.

Text is decoded with the reader's encoding (see :func:`~loaders.formats.common.current_encoding`;
a byte-order mark wins). An element or member holding a byte that cannot be decoded is yielded as
a :class:`~loaders.formats.common.DecodeFailure` in place of its value (file, line, byte offset;
the loader base turns it into a reject) and the other elements are read; a JSON Lines line that
cannot be decoded is a decode error like any malformed line.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from biocurate.errors import LoaderError

from .common import DecodeFailure, current_encoding, iter_text_lines, sniff_encoding

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\r\n]*")
_CHUNK = 1 << 16
#: What ``errors="surrogateescape"`` turns an undecodable byte into.
_ESCAPED = re.compile("[\udc80-\udcff]")


class _BadBytes:
    """Finds the undecodable line of a file at or after a line, reading forward only (elements
    come in file order: one pass over the file however many elements are bad)."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path, self.encoding = path, encoding
        self._lines: Iterator[tuple[int, Any]] | None = None
        self._last: tuple[int, Any] | None = None

    def __call__(self, line: int) -> DecodeFailure:
        if self._lines is None or (self._last is not None and self._last[0] > line):
            self._lines, self._last = iter_text_lines(self.path, self.encoding), None
        if self._last is not None and self._last[0] >= line and isinstance(self._last[1], DecodeFailure):
            return self._last[1]
        for number, text in self._lines:
            self._last = (number, text)
            if number >= line and isinstance(text, DecodeFailure):
                return text
        return DecodeFailure(str(self.path), line, -1, self.encoding, "undecodable byte")  # pragma: no cover - the caller saw one


def _open_text(path: Path, encoding: str | None):  # noqa: ANN202 - a text handle
    """``path`` opened as text in its encoding (a BOM wins and is skipped); an undecodable byte
    reads as a lone surrogate (``surrogateescape``) where the encoding allows it."""
    use, bom = sniff_encoding(path, encoding)
    handle = open(path, encoding=use, errors="strict" if use.startswith(("utf-16", "utf-32")) else "surrogateescape")  # noqa: SIM115
    if bom:
        handle.read(1)  # the mark itself
    return handle, use


def iter_json_array(path: Path, dataset: str | None = None, encoding: str | None = None) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, element)`` for each element of a top-level JSON array, streaming; an element
    holding an undecodable byte is yielded as a :class:`DecodeFailure` in place of its value.

    Raises:
        LoaderError: the file is not a JSON array or an element is malformed (names file and line).
    """
    handle, use = _open_text(path, encoding)
    _bad_bytes = _BadBytes(path, use)
    with handle:
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
                pos += 1
                if skip_space():  # nothing may follow the array: it would be lost unread
                    raise LoaderError(f"data after the end of the JSON array: {buffer[pos:pos + 20]!r}", dataset=dataset, file=str(path), line=line)
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
                    escaped = _ESCAPED.search(buffer, pos, exc.pos + 1)
                    if escaped:
                        raise _bad_bytes(line + buffer.count("\n", pos, escaped.start())) from None
                    raise LoaderError(
                        f"malformed JSON element: {exc.msg}", dataset=dataset, file=str(path), line=line + buffer.count("\n", pos, exc.pos)
                    ) from None
                if end == len(buffer) and fill():
                    continue  # a number may continue in the next chunk
                break
            start_line = line
            line += buffer.count("\n", pos, end)
            escaped = _ESCAPED.search(buffer, pos, end)
            if escaped:
                value = _bad_bytes(start_line + buffer.count("\n", pos, escaped.start()))
            pos = end
            expect_comma = True
            yield start_line, value


def iter_jsonl(path: Path, encoding: str | None = None) -> Iterator[tuple[int, Any | json.JSONDecodeError]]:
    """Yield ``(line, object)`` per non-empty line; a malformed line yields its decode error
    instead (an undecodable byte: the error names its byte offset in the file)."""
    offset = 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            start = offset
            offset += len(line)
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line, start = line[len(codecs.BOM_UTF8):], start + len(codecs.BOM_UTF8)
            if line and not line.isspace():
                yield number, parse_jsonl_line(line, encoding, start)


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


def parse_jsonl_line(line: bytes | str, encoding: str | None = None, offset: int | None = None) -> Any | json.JSONDecodeError:
    """The value on one JSON Lines line, or its decode error (undecodable bytes included: the
    error says at which byte: ``offset``, the line's byte offset in its file, makes it a file
    offset). ``encoding``: see
    :func:`~loaders.formats.common.current_encoding` (JSON Lines is UTF-8 unless told otherwise)."""
    use = current_encoding(encoding)
    try:
        text = line.decode(use) if isinstance(line, bytes) else line
    except UnicodeDecodeError as exc:
        shown = line.decode(use, errors="replace")
        where = len(line[:exc.start].decode(use, errors="replace"))
        at = f"byte offset {offset + exc.start}" if offset is not None else f"byte {exc.start} of the line"
        bad = " ".join(f"0x{b:02x}" for b in line[exc.start:exc.end][:4])
        return json.JSONDecodeError(f"cannot decode as {use}: {exc.reason} at {at} ({bad})", shown, where)
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


def iter_json_members(path: Path, within: str | None = None, encoding: str | None = None) -> Iterator[tuple[int, str | None, Any]]:
    """Yield ``(line, key, value)`` per member of the top-level object/array (key ``None`` in an
    array), or of the container stored under key ``within`` of a top-level object; a value
    holding an undecodable byte is yielded as a :class:`DecodeFailure`.

    Raises:
        LoaderError: malformed JSON or ``within`` missing (names file and line).
    """
    handle, use = _open_text(path, encoding)
    _bad_bytes = _BadBytes(path, use)
    with handle:
        scan = _Scanner(handle.read(), str(path))
    found = within is None

    def value(line: int) -> Any:
        start = scan.pos
        try:
            decoded = scan.decode()
        except LoaderError:
            escaped = _ESCAPED.search(scan.text, start, scan.pos + 1)
            if escaped:
                raise _bad_bytes(line) from None
            raise
        return _bad_bytes(line) if _ESCAPED.search(scan.text, start, scan.pos) else decoded

    def member(line: int, key: str | None) -> tuple[int, str | None, Any]:
        found_value = value(line)
        if key is not None and _ESCAPED.search(key):  # an undecodable key: the member is a stand-in
            return line, key.encode(use, "surrogateescape").decode(use, "replace"), _bad_bytes(line)
        return line, key, found_value

    for line, key in scan.members():
        if within is None:
            yield member(line, key)
        elif key == within:
            found = True
            for line, inner in scan.members():
                yield member(line, inner)
        else:
            scan.decode()
    if not found:
        raise LoaderError(f"no key {within!r} in the top-level object", file=str(path), line=1)
