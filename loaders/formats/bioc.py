"""BioC XML (BioCreative's interchange format; BC5CDR ships it beside PubTator).

A ``<collection>`` holds ``<document>`` elements, each with an ``<id>``, ``<infon key=..>``
pairs, ``<passage>`` elements and ``<relation>`` elements::

    <document><id>26094</id>
      <passage><infon key="type">title</infon><offset>0</offset><text>...</text>
        <annotation id="0"><infon key="type">Disease</infon><infon key="MESH">D003866</infon>
          <location offset="27" length="10"/><text>depression</text></annotation>
      </passage>
      <relation id="R0"><infon key="relation">CID</infon>...<node refid="0" role=""/></relation>
    </document>

Offsets are document-level: a passage's ``<offset>`` is where it starts in the document and a
``<location>`` offset is document-level too (not relative to its passage). An annotation with
several locations is discontinuous; its ``<text>`` joins the pieces with spaces. Passages made
of ``<sentence>`` elements instead of a ``<text>`` are not supported (reported, not guessed).

Some converted files get passage offsets wrong: BC5CDR's BioC was generated from PubTator and
its location offsets index ``title + " " + abstract``, but the abstract's ``<offset>`` was
computed on the XML-escaped title (``&apos;`` counted as 6 characters; PMID 2224762 says 102
where the abstract starts at 97). ``iter_bioc(path, passage_offsets="joined")`` ignores the
declared offsets and places passages one space apart, as BigBio's BC5CDR loader does in effect.

:func:`iter_bioc` streams documents (elements are cleared once read) and checks every location
against its passage text; a bad document comes out as a
:class:`~loaders.formats.common.Malformed` naming the line of the offending element.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .common import Malformed, parse_int, pieces_problem
from .xmlstream import iterparse_lines

_TRACKED = {"document", "passage", "annotation", "relation", "location"}


@dataclass
class BioCAnnotation:
    """An annotation; ``spans`` are relative to its passage's text, ``pieces`` their text."""

    id: str
    infons: dict[str, str]
    spans: list[tuple[int, int]]
    pieces: list[str]
    text: str
    line: int


@dataclass
class BioCPassage:
    """A passage; ``offset`` is where it starts in the document as used (see ``declared``)."""

    infons: dict[str, str]
    offset: int
    declared: int
    text: str
    line: int
    annotations: list[BioCAnnotation] = field(default_factory=list)


@dataclass
class BioCRelation:
    id: str
    infons: dict[str, str]
    nodes: list[tuple[str, str]]
    line: int


@dataclass
class BioCDocument:
    id: str
    infons: dict[str, str]
    line: int
    passages: list[BioCPassage] = field(default_factory=list)
    relations: list[BioCRelation] = field(default_factory=list)


class _Bad(Exception):
    def __init__(self, reason: str, line: int, where: str) -> None:
        super().__init__(reason)
        self.reason, self.line, self.where = reason, line, where


def _infons(element: ET.Element) -> dict[str, str]:
    return {i.get("key", ""): (i.text or "") for i in element.findall("infon")}


def _annotation(element: ET.Element, passage: BioCPassage, lines: dict[ET.Element, int]) -> BioCAnnotation:
    line = lines.get(element, passage.line)
    ann_id = element.get("id", "")
    spans, shown = [], []
    for location in element.findall("location"):
        start, length = parse_int(location.get("offset", "")), parse_int(location.get("length", ""))
        if start is None or length is None:
            raw = f"offset={location.get('offset')!r} length={location.get('length')!r}"
            raise _Bad(f"annotation {ann_id!r}: location {raw} are not integers", lines.get(location, line), "location")
        spans.append((start - passage.offset, start - passage.offset + length))
        shown.append(f"offset={start} length={length}")
    if not spans:
        raise _Bad(f"annotation {ann_id!r} has no <location>", line, "location")
    text = element.findtext("text") or ""
    pieces, problem = pieces_problem(passage.text, spans, text)
    if problem:
        where = f"location {', '.join(shown)} in the passage starting at {passage.offset}"
        raise _Bad(f"annotation {ann_id!r}, {where}: {problem} (spans relative to the passage)", line, "location")
    return BioCAnnotation(ann_id, _infons(element), spans, pieces, text, line)


def _document(element: ET.Element, lines: dict[ET.Element, int], joined: bool) -> BioCDocument:
    doc = BioCDocument(element.findtext("id") or "", _infons(element), lines.get(element, 0))
    position = 0
    for p in element.findall("passage"):
        line = lines.get(p, doc.line)
        offset = parse_int(p.findtext("offset") or "")
        if offset is None:
            raise _Bad(f"passage offset {p.findtext('offset')!r} is not an integer", line, "offset")
        if p.find("text") is None and p.find("sentence") is not None:
            raise _Bad("sentence-level passages are not supported", line, "sentence")
        text = p.findtext("text") or ""
        passage = BioCPassage(_infons(p), position if joined else offset, offset, text, line)
        position += len(text) + 1
        passage.annotations = [_annotation(a, passage, lines) for a in p.findall("annotation")]
        doc.passages.append(passage)
        doc.relations += [_relation(r, lines, doc.line) for r in p.findall("relation")]
    if element.findall("annotation"):
        raise _Bad("document-level annotations (outside passages) are not supported", doc.line, "annotation")
    doc.relations += [_relation(r, lines, doc.line) for r in element.findall("relation")]
    return doc


def _relation(element: ET.Element, lines: dict[ET.Element, int], default: int) -> BioCRelation:
    nodes = [(n.get("refid", ""), n.get("role", "")) for n in element.findall("node")]
    return BioCRelation(element.get("id", ""), _infons(element), nodes, lines.get(element, default))


def iter_bioc(path: Path, passage_offsets: str = "declared") -> Iterator[BioCDocument | Malformed]:
    """Yield each ``<document>`` of a BioC XML file (or why it could not be read), streaming.

    Args:
        path: the file.
        passage_offsets: ``"declared"`` (BioC semantics: each passage starts at its
            ``<offset>``) or ``"joined"`` (passages laid end to end, one space apart).
    """
    if passage_offsets not in ("declared", "joined"):
        raise ValueError(f"passage_offsets must be 'declared' or 'joined', got {passage_offsets!r}")
    lines: dict[ET.Element, int] = {}
    root: ET.Element | None = None
    for item in iterparse_lines(path):
        if isinstance(item, Malformed):
            yield item
            return
        event, element, line = item
        if root is None:
            root = element
        if event == "start":
            if element.tag in _TRACKED:
                lines[element] = line
            continue
        if element.tag != "document":
            continue
        try:
            yield _document(element, lines, passage_offsets == "joined")
        except _Bad as bad:
            doc_id = element.findtext("id")
            yield Malformed(f"line {bad.line}: {bad.reason}", str(path), bad.line, bad.where, doc_id, None)
        lines.clear()
        root.clear()
