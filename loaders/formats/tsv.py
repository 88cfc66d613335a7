"""Tab-separated files read line by line, and an index to fetch one key's lines on demand.

Corpora such as ChemProt and DrugProt spread one document over several TSV files (abstracts,
entities, relations) whose lines are grouped by PMID but not in the same order.
:class:`TsvIndex` makes one pass over a file remembering only where each key's lines start
(byte offset and line number), then :meth:`TsvIndex.rows` reads those lines back when the
document is converted: no file is held in memory.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from .common import DecodeFailure, current_encoding, iter_text_lines


def iter_tsv(path: Path, encoding: str | None = None) -> Iterator[tuple[int, list[str] | DecodeFailure]]:
    """Yield ``(line, columns)`` for each non-empty line (``\\r\\n`` and ``\\n`` endings), or
    ``(line, DecodeFailure)`` for a line that cannot be decoded (the other lines are read)."""
    for number, line in iter_text_lines(path, encoding):
        if isinstance(line, DecodeFailure):
            yield number, line
        elif line.strip():
            yield number, line.split("\t")


class TsvIndex:
    """Byte positions of the lines of a TSV file, grouped by the value of one column.

    Args:
        path: the file.
        key_column: the column whose value groups lines (0: the first, e.g. PMID).
    """

    def __init__(self, path: Path, key_column: int = 0, encoding: str | None = None) -> None:
        self.path = path
        self.encoding = current_encoding(encoding)
        self._where: dict[str, list[tuple[int, int]]] = {}
        offset = 0
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw, offset = raw[len(codecs.BOM_UTF8):], len(codecs.BOM_UTF8)
                cols = raw.split(b"\t")
                if raw.strip() and len(cols) > key_column:
                    key = cols[key_column].strip().decode(self.encoding, errors="replace")
                    self._where.setdefault(key, []).append((offset, number))
                offset += len(raw)

    def keys(self) -> list[str]:
        """Every key, in order of first appearance."""
        return list(self._where)

    def first_line(self, key: str) -> int | None:
        """Line number of the first line with ``key`` (``None`` if absent)."""
        where = self._where.get(key)
        return where[0][1] if where else None

    def rows(self, key: str) -> list[tuple[int, list[str]]]:
        """``(line, columns)`` of every line with ``key``, in file order.

        Raises:
            DecodeFailure: one of those lines cannot be decoded (file, line, byte offset).
        """
        rows = []
        with open(self.path, "rb") as handle:
            for offset, number in self._where.get(key, []):
                handle.seek(offset)
                raw = handle.readline()
                try:
                    line = raw.decode(self.encoding).rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    raise DecodeFailure(str(self.path), number, offset + exc.start, self.encoding, exc.reason) from None
                rows.append((number, line.split("\t")))
        return rows
