"""Helpers every raw-format parser shares: located problems, span checks, split file globs.

Parsers in this package never raise on bad *content*: they yield a :class:`Malformed` naming
file, line and field, and a loader turns it into a reject with
``self.reject(split, m.reason, **m.where())``. Unreadable *files* (missing, not JSON at all) still
raise :class:`~biocurate.errors.LoaderError`.

Decoding is a format concern too: every reader takes its text through :func:`iter_text_lines`
(line formats: a line with a byte the encoding cannot decode becomes a :class:`Malformed` naming
file, line and byte offset, and the other lines are read) or :func:`read_text` (whole-file
formats: :class:`DecodeFailure`). The encoding is the reader's ``encoding`` argument, else the
one in effect for the run (:func:`decoding`, set by the loader from its ``DatasetMeta.encoding``
or from ``biocurate convert --encoding``), else UTF-8; a byte-order mark overrides it.
"""

from __future__ import annotations

import codecs
import fnmatch
import functools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from biocurate.errors import LoaderError

_SPACE = re.compile(r"\s+")


@dataclass
class Malformed:
    """A raw item a parser could not read: what is wrong and where."""

    reason: str
    file: str
    line: int | None = None
    field: str | None = None
    key: str | None = None
    raw: str | None = None

    def where(self) -> dict[str, Any]:
        """Keyword arguments for :meth:`Loader.reject`."""
        return {"file": self.file, "line": self.line, "field": self.field, "record": self.key, "raw": self.raw}


_ENCODING: ContextVar[str | None] = ContextVar("biocurate_encoding", default=None)

#: Byte-order marks and the encoding each one announces (UTF-32 before UTF-16: its LE mark
#: starts with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@functools.lru_cache(maxsize=64)
def check_encoding(name: str) -> str:
    """``name`` if Python knows the codec (``utf-8``, ``gb18030``, ``gbk``, ``latin-1``...).

    Raises:
        LoaderError: unknown encoding.
    """
    try:
        codecs.lookup(name)
    except LookupError:
        raise LoaderError(f"unknown text encoding {name!r} (use a Python codec name: utf-8, gb18030, gbk, latin-1...)") from None
    return name


def current_encoding(explicit: str | None = None) -> str:
    """The encoding a reader uses: ``explicit``, else the run's (:func:`decoding`), else UTF-8."""
    return explicit or _ENCODING.get() or "utf-8"


@contextmanager
def decoding(encoding: str | None) -> Iterator[None]:
    """Readers started inside this block decode with ``encoding`` (``None``: keep the current one)."""
    token = _ENCODING.set(check_encoding(encoding) if encoding else _ENCODING.get())
    try:
        yield
    finally:
        _ENCODING.reset(token)


def steps_decoded(items: Iterator[Any], encoding: str, what: str) -> Iterator[Any]:
    """``items`` with ``encoding`` in effect while each one is produced (not between them, so
    interleaved streams keep their own). A ``UnicodeDecodeError`` from code that opened a file
    itself becomes a :class:`LoaderError` saying ``what`` was being read.

    Raises:
        LoaderError: undecodable text outside the format readers.
    """
    iterator = iter(items)
    while True:
        token = _ENCODING.set(encoding)
        try:
            item = next(iterator)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise LoaderError(f"{what}: a raw file cannot be decoded as {encoding} ({exc}); pass the right encoding (biocurate convert --encoding)") from None
        finally:
            _ENCODING.reset(token)
        yield item


@functools.lru_cache(maxsize=64)
def _wide(encoding: str) -> bool:
    """Whether ``\\n`` is not one byte in this encoding (UTF-16/32), so lines cannot be split as bytes."""
    return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


class DecodeFailure(LoaderError):
    """A file holds bytes its encoding cannot decode; names file, line and byte offset."""

    def __init__(self, file: str, line: int, offset: int, encoding: str, detail: str) -> None:
        self.offset = offset
        self.encoding = encoding
        super().__init__(f"byte offset {offset}: cannot decode as {encoding} ({detail})", file=file, line=line, field="encoding")

    def malformed(self, key: str | None = None) -> Malformed:
        """This failure as a :class:`Malformed` (``reason`` starts with the line, as parsers write)."""
        return Malformed(f"line {self.line}: {self.reason}", self.file or "", self.line, "encoding", key)


def _failure(path: str, data: bytes, base: int, line: int, encoding: str, exc: UnicodeDecodeError) -> DecodeFailure:
    """The failure of decoding ``data`` (which starts at byte ``base`` of the file, on ``line``)."""
    shown = " ".join(f"0x{b:02x}" for b in data[exc.start:exc.end][:4])
    if not _wide(encoding):  # whole-file decodes: count the lines before the bad byte
        line += data.count(b"\n", 0, exc.start)
    return DecodeFailure(path, line, base + exc.start, encoding, f"{exc.reason}: {shown}")


def sniff_encoding(path: str | os.PathLike[str], encoding: str | None = None) -> tuple[str, bool]:
    """The encoding to read ``path`` with (its byte-order mark's, else :func:`current_encoding`)
    and whether it opens with a mark."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, True
    return check_encoding(current_encoding(encoding)), False


def _open_bytes(path: str | os.PathLike[str], encoding: str | None) -> tuple[bytes, str, int]:
    """The file's bytes, the encoding to use (a BOM wins) and the BOM's length."""
    with open(path, "rb") as handle:
        data = handle.read()
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data, name, len(bom)
    return data, check_encoding(current_encoding(encoding)), 0


def read_text(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """A whole text file, decoded (BOM-aware, see :func:`current_encoding`), newlines translated
    as text mode does.

    Raises:
        DecodeFailure: a byte the encoding cannot decode (file, line, byte offset).
    """
    data, name, skip = _open_bytes(path, encoding)
    try:
        text = data[skip:].decode(name)
    except UnicodeDecodeError as exc:
        raise _failure(str(path), data[skip:], skip, 1, name, exc) from None
    if "\r" in text:  # universal newlines, as text mode reads them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def iter_text_lines(path: str | os.PathLike[str], encoding: str | None = None) -> Iterator[tuple[int, str | DecodeFailure]]:
    """Yield ``(line, text)`` for every line of a file (1-based; ``\\r\\n`` / ``\\n`` removed),
    or ``(line, DecodeFailure)`` for a line holding a byte the encoding cannot decode; the
    other lines are still read. A byte-order mark is dropped and sets the encoding.
    """
    name = str(path)
    with open(path, "rb") as handle:
        head = handle.read(4)
        found = next(((bom, enc) for bom, enc in _BOMS if head.startswith(bom)), None)
        use = found[1] if found else check_encoding(current_encoding(encoding))
        if _wide(use):
            handle.seek(0)
            yield from _wide_lines(name, handle.read(), use)
            return
        handle.seek(len(found[0]) if found else 0)
        offset = handle.tell()
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode(use)
            except UnicodeDecodeError as exc:
                yield number, _failure(name, raw, offset, number, use, exc)
            else:
                yield number, text.rstrip("\r\n")
            offset += len(raw)


def _wide_lines(name: str, data: bytes, encoding: str) -> Iterator[tuple[int, str | DecodeFailure]]:
    """Lines of a UTF-16/32 file; an undecodable code unit fails its line only."""
    found = next(((bom, enc) for bom, enc in _BOMS if data.startswith(bom)), None)
    skip = len(found[0]) if found else 0
    if codecs.lookup(encoding).name in ("utf-16", "utf-32"):  # no BOM, no byte order: little-endian, as Windows writes
        encoding = codecs.lookup(encoding).name + "-le"
    newline = "\n".encode(encoding)
    unit = len(newline)
    start, number = skip, 1
    while start < len(data):
        end = start
        while True:  # the next newline code unit on a unit boundary
            end = data.find(newline, end)
            if end == -1 or (end - skip) % unit == 0:
                break
            end += 1
        stop = len(data) if end == -1 else end + unit
        raw = data[start:stop]
        try:
            yield number, raw.decode(encoding).rstrip("\r\n")
        except UnicodeDecodeError as exc:
            yield number, _failure(name, raw, start, number, encoding, exc)
        start, number = stop, number + 1


def read_text_file(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """``Path(path).read_text(encoding="utf-8")`` (newlines translated the same way) at a third
    of the cost: for corpora with one small file per document (HoC reads 84,000). Decodes as
    :func:`read_text` does.

    Raises:
        DecodeFailure: a byte the encoding cannot decode (file, line, byte offset).
    """
    return read_text(path, encoding)


def parse_int(value: str) -> int | None:
    """``int(value)`` for a plain non-negative decimal, else ``None``."""
    value = value.strip()
    return int(value) if value.isdigit() else None


def squash(text: str) -> str:
    """``text`` without any whitespace (to compare discontinuous mentions to their pieces)."""
    return _SPACE.sub("", text)


def span_problem(text: str, start: int, end: int, mention: str | None = None) -> str | None:
    """Why ``[start, end)`` is not a valid span of ``text`` (spelling ``mention``), or ``None``."""
    if not 0 <= start <= end <= len(text):
        return f"span [{start}, {end}) is outside the text (length {len(text)})"
    if mention is not None and text[start:end] != mention:
        return f"span [{start}, {end}) is {text[start:end]!r} but the annotation says {mention!r}"
    return None


def pieces_problem(text: str, spans: list[tuple[int, int]], mention: str) -> tuple[list[str], str | None]:
    """Slice each span of a (possibly discontinuous) mention and compare with its text.

    One span must slice to exactly ``mention`` (a newline in the text may read as a space, as
    brat writes it); several spans are compared with whitespace removed, since corpora join
    the pieces with a space (brat, BioC) or with nothing (DDI).

    Returns:
        The pieces, and the reason they do not match (``None`` when they do).
    """
    for start, end in spans:
        problem = span_problem(text, start, end)
        if problem:
            return [], problem
    pieces = [text[s:e] for s, e in spans]
    if len(pieces) == 1:
        if pieces[0] == mention or pieces[0].replace("\n", " ") == mention:
            return pieces, None
    elif squash("".join(pieces)) == squash(mention):
        return pieces, None
    shown = ", ".join(f"[{s}, {e})" for s, e in spans)
    return pieces, f"span(s) {shown} read {' '.join(pieces)!r} but the annotation says {mention!r}"


def split_files(data_dir: Path, splits: dict[str, str], split: str, dataset: str, tree: list[str] | None = None) -> list[Path]:
    """Files of a split whose glob may list alternatives separated by ``|``.

    ``"*CDR_TrainingSet.PubTator.txt | *CDR_sample.PubTator.txt"`` matches either name; each
    alternative is an :mod:`fnmatch` pattern on the path relative to ``data_dir`` (``*`` also
    crosses folders), as in :meth:`Loader.files_for`. ``tree`` is :func:`files_under`
    ``(data_dir)`` when the caller already has it.

    Raises:
        LoaderError: unknown split, or no file matches.
    """
    if split not in splits:
        raise LoaderError(f"unknown split {split!r}; this dataset has {sorted(splits)}", dataset=dataset)
    patterns = [re.compile(fnmatch.translate(p.strip())) for p in splits[split].split("|") if p.strip()]
    names = files_under(data_dir) if tree is None else tree
    files = [data_dir / name for name in names if any(pattern.match(name) for pattern in patterns)]
    if not files:
        raise LoaderError(f"no raw file for split {split!r} in {data_dir} (expected {splits[split]!r})", dataset=dataset)
    return files


def files_under(folder: Path) -> list[str]:
    """Every file below ``folder`` as a sorted relative POSIX path: ``Path.rglob("*")`` filtered
    by ``is_file()`` (symlinked folders are not entered, symlinked files count), from one
    ``os.scandir`` walk that needs no ``stat`` per file (HoC has 84,000 files)."""
    found: list[str] = []

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir() and not entry.is_symlink():
                    walk(entry.path, prefix + entry.name + "/")
                elif entry.is_file():
                    found.append(prefix + entry.name)

    walk(str(folder), "")
    return sorted(found, key=lambda name: name.split("/"))  # the order of sorted Path objects
