"""PubTator text format (BC5CDR, NCBI disease, many BioCreative corpora).

One document is a title line, an abstract line, then annotation lines, documents separated
by a blank line::

    26094|t|Antihypertensive drugs and depression: a reappraisal.
    26094|a|Eighty-nine new referral hypertensive out-patients ...
    26094<TAB>27<TAB>37<TAB>depression<TAB>Disease<TAB>D003866
    26094<TAB>CID<TAB>D008750<TAB>D003866

Mention lines are ``PMID start end mention type [id [extra...]]`` with 0-based, end-exclusive
character offsets into ``title + " " + abstract``; BC5CDR adds a seventh column naming the
individual mentions of a composite mention and ends lines with a tab. Relation lines are
``PMID TYPE ID1 ID2`` (the second column is not a number). The NCBI disease corpus writes
``PMID |t| title`` with a space on either side of the marker; that space belongs to the
marker, not to the title.

:func:`iter_pubtator` streams one :class:`PubTatorDocument` at a time; a document with a line it
cannot read (wrong column count, a non-numeric offset, a span outside the text or spelling a
different mention, a PMID that changes mid-document) comes out as a
:class:`~loaders.formats.common.Malformed` naming that line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .common import DecodeFailure, Malformed, iter_text_lines, parse_int, span_problem

_TEXT_LINE = re.compile(r"^(?P<pmid>[^|\t]*?)(?P<gap>[ ]*)\|(?P<kind>[ta])\|(?P<text>.*)$")


@dataclass
class PubTatorMention:
    """A mention line (``ids`` is the raw identifier column, ``""`` when absent)."""

    line: int
    start: int
    end: int
    text: str
    type: str
    ids: str = ""
    extra: list[str] = field(default_factory=list)


@dataclass
class PubTatorRelation:
    """A document-level relation line: its type and the identifiers it links."""

    line: int
    type: str
    args: list[str]


@dataclass
class PubTatorDocument:
    pmid: str
    line: int
    title: str = ""
    abstract: str | None = None
    mentions: list[PubTatorMention] = field(default_factory=list)
    relations: list[PubTatorRelation] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The string mention offsets index into."""
        return self.title if self.abstract is None else f"{self.title} {self.abstract}"


def _numeric(value: str) -> bool:
    return value.strip().lstrip("-").isdigit()


def _read_line(doc: PubTatorDocument, number: int, line: str, path: str) -> Malformed | None:
    """Add one annotation line to ``doc``; the problem when it is unreadable."""
    cols = line.split("\t")

    def bad(reason: str, where: str) -> Malformed:
        return Malformed(f"line {number}: {reason}", path, number, where, doc.pmid, line)

    if cols[0].strip() != doc.pmid:
        return bad(f"PMID {cols[0]!r} inside document {doc.pmid!r}", "pmid")
    if len(cols) >= 4 and not _numeric(cols[1]) and (len(cols) < 6 or not _numeric(cols[2])):
        doc.relations.append(PubTatorRelation(number, cols[1].strip(), [c.strip() for c in cols[2:] if c.strip()]))
        return None
    if len(cols) < 5:
        return bad(f"expected at least 5 tab-separated columns (PMID start end mention type), got {len(cols)}", "columns")
    start, end = parse_int(cols[1]), parse_int(cols[2])
    if start is None or end is None:
        return bad(f"offsets {cols[1]!r}-{cols[2]!r} are not non-negative integers", "offsets")
    problem = span_problem(doc.text, start, end, cols[3])
    if problem:
        return bad(problem, "offsets")
    extra = [c for c in cols[6:] if c.strip()]
    doc.mentions.append(PubTatorMention(number, start, end, cols[3], cols[4].strip(), cols[5].strip() if len(cols) > 5 else "", extra))
    return None


def iter_pubtator(path: Path, encoding: str | None = None) -> Iterator[PubTatorDocument | Malformed]:
    """Yield each document of a PubTator file (or the problem of an unreadable one), streaming.

    A line that cannot be decoded (see :func:`~loaders.formats.common.iter_text_lines`) makes its
    document a :class:`Malformed`; a PMID seen before in the file makes the later document one
    (naming the line of the first).
    """
    name = str(path)
    doc: PubTatorDocument | None = None
    problem: Malformed | None = None
    first_seen: dict[str, int] = {}

    def finish() -> Iterator[PubTatorDocument | Malformed]:
        if doc is not None:
            earlier = first_seen.setdefault(doc.pmid, doc.line)
            if problem is None and earlier != doc.line:
                yield Malformed(f"line {doc.line}: PMID {doc.pmid!r} again (its first document starts on line {earlier})", name, doc.line, "pmid", doc.pmid)
            else:
                yield problem or doc

    for number, line in iter_text_lines(path, encoding):
        if isinstance(line, DecodeFailure):
            if doc is None:
                doc = PubTatorDocument("", number)
            problem = problem or line.malformed(doc.pmid or None)
            continue
        if not line.strip():
            yield from finish()
            doc, problem = None, None
            continue
        match = _TEXT_LINE.match(line) if "\t" not in line.split("|", 1)[0] else None
        if match:
            text = match["text"]
            if match["gap"] and text.startswith(" "):
                text = text[1:]  # "PMID |t| title": the space after the marker is the marker's
            pmid = match["pmid"].strip()
            if doc is None or (match["kind"] == "t" and (doc.pmid != pmid or doc.title or doc.mentions)):
                yield from finish()
                doc, problem = PubTatorDocument(pmid, number), None
            if doc.pmid != pmid:
                reason = f"line {number}: abstract of PMID {pmid!r} inside document {doc.pmid!r}"
                problem = problem or Malformed(reason, name, number, "pmid", doc.pmid, line)
            elif match["kind"] == "t":
                doc.title = text
            else:
                doc.abstract = text
            continue
        if doc is None:
            doc = PubTatorDocument(line.split("\t", 1)[0].strip(), number)
            problem = Malformed(f"line {number}: annotation before any '|t|' title line", name, number, "title", doc.pmid, line)
            continue
        if problem is None:
            problem = _read_line(doc, number, line, name)
    yield from finish()
