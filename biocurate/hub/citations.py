"""De-duplicated BibTeX for a dataset card: one entry per citation key, with who cites it.

Several sources share a citation (every CBLUE task cites the CBLUE paper; BC2GM cites its
task paper and a multi-task NER paper). The card lists each BibTeX entry once, under the
names of all the sources that cite it, in the order the sources come.

Example:
    >>> cites = {"A": "@article{x,\\n title={X}\\n}", "B": "@article{x,\\n title={X}\\n}\\n@misc{y, title={Y}}"}
    >>> [(e.key, e.cited_by) for e in group_citations(cites)]
    [('x', ['A', 'B']), ('y', ['B'])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ENTRY_START = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s]*)\s*,", re.ASCII)


@dataclass
class CitationEntry:
    """One BibTeX entry and the sources (display names) citing it."""

    key: str
    text: str
    cited_by: list[str] = field(default_factory=list)


def split_entries(bibtex: str) -> list[tuple[str, str]]:
    """``(key, text)`` per ``@type{key, ...}`` entry of a BibTeX string, in order.

    Text without any ``@type{key,`` entry (a plain reference) is one entry keyed by its own
    whitespace-normalised text, so equal plain references still merge.
    """
    text = bibtex.strip()
    if not text:
        return []
    starts = [m.start() for m in _ENTRY_START.finditer(text)]
    if not starts:
        return [(" ".join(text.split()), text)]
    if text[: starts[0]].strip():  # prose before the first entry stays with it
        starts[0] = 0
    bounds = [*starts, len(text)]
    out = []
    for begin, end in zip(bounds, bounds[1:]):
        chunk = text[begin:end].strip()
        match = _ENTRY_START.search(chunk)
        key = match.group(2) if match and match.group(2) else " ".join(chunk.split())
        out.append((key, chunk))
    return out


def group_citations(citations: dict[str, str]) -> list[CitationEntry]:
    """Entries of every source's citation, each once (first text of a key wins), with citing sources."""
    entries: dict[str, CitationEntry] = {}
    for source, bibtex in citations.items():
        for key, text in split_entries(bibtex):
            entry = entries.setdefault(key, CitationEntry(key, text))
            if source not in entry.cited_by:
                entry.cited_by.append(source)
    return list(entries.values())


__all__ = ["CitationEntry", "group_citations", "split_entries"]
