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


def iter_tsv(path: Path, encoding: str = "utf-8-sig") -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, columns)`` for each non-empty line (``\\r\\n`` and ``\\n`` endings)."""
    with open(path, encoding=encoding, newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if line.strip():
                yield number, line.split("\t")


class TsvIndex:
    """Byte positions of the lines of a TSV file, grouped by the value of one column.

    Args:
        path: the file.
        key_column: the column whose value groups lines (0: the first, e.g. PMID).
    """

    def __init__(self, path: Path, key_column: int = 0, encoding: str = "utf-8") -> None:
        self.path = path
        self.encoding = encoding
        self._where: dict[str, list[tuple[int, int]]] = {}
        offset = 0
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw, offset = raw[len(codecs.BOM_UTF8):], len(codecs.BOM_UTF8)
                cols = raw.split(b"\t")
                if raw.strip() and len(cols) > key_column:
                    key = cols[key_column].strip().decode(encoding, errors="replace")
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
        """``(line, columns)`` of every line with ``key``, in file order."""
        rows = []
        with open(self.path, "rb") as handle:
            for offset, number in self._where.get(key, []):
                handle.seek(offset)
                line = handle.readline().decode(self.encoding).rstrip("\r\n")
                rows.append((number, line.split("\t")))
        return rows
