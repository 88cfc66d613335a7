"""DDI Extraction 2013 XML: one ``<document>`` per file, one ``<sentence>`` per sentence.

::

    <document id="DDI-MedLine.d78">
      <sentence id="DDI-MedLine.d78.s1" text="The fluoroquinolones are ...">
        <entity id="DDI-MedLine.d78.s1.e0" charOffset="4-19" type="group" text="fluoroquinolones"/>
        <pair id="DDI-MedLine.d78.s1.p0" e1="...s1.e0" e2="...s1.e1" ddi="true" type="effect"/>
      </sentence>
    </document>

``charOffset`` is relative to the sentence text and INCLUSIVE at both ends; a discontinuous
entity lists several ranges separated by ``;`` and its ``text`` joins the pieces without a
separator (``"44-46;70-86"`` -> ``"mu-selective opioids"``). Sentence texts keep their escaped
``&#xd;&#xa;``. ``ddi="false"`` pairs are candidate pairs without an interaction; ``ddi="true"``
pairs carry ``type`` (mechanism, effect, advise, int).

:func:`iter_ddi` reads each file with :func:`~loaders.formats.xmlstream.iterparse_lines`;
converted spans are end-exclusive. A bad entity or pair makes the document a
:class:`~loaders.formats.common.Malformed` naming the line of that element.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .common import Malformed, pieces_problem
from .xmlstream import iterparse_lines

_RANGE = re.compile(r"^(\d+)-(\d+)$")


@dataclass
class DDIEntity:
    id: str
    type: str
    spans: list[tuple[int, int]]
    pieces: list[str]
    text: str
    line: int


@dataclass
class DDIPair:
    id: str
    e1: str
    e2: str
    ddi: bool
    type: str | None
    line: int


@dataclass
class DDISentence:
    id: str
    text: str
    line: int
    entities: list[DDIEntity] = field(default_factory=list)
    pairs: list[DDIPair] = field(default_factory=list)


@dataclass
class DDIDocument:
    id: str
    file: str
    sentences: list[DDISentence] = field(default_factory=list)


class _Bad(Exception):
    def __init__(self, reason: str, line: int, where: str) -> None:
        super().__init__(reason)
        self.reason, self.line, self.where = reason, line, where


def _entity(element: ET.Element, sentence: DDISentence, line: int) -> DDIEntity:
    ent_id = element.get("id", "")
    spans = []
    for fragment in (element.get("charOffset") or "").split(";"):
        match = _RANGE.match(fragment.strip())
        if not match:
            raise _Bad(f"entity {ent_id!r}: charOffset fragment {fragment!r} is not 'start-end'", line, "charOffset")
        spans.append((int(match[1]), int(match[2]) + 1))  # inclusive end -> exclusive
    pieces, problem = pieces_problem(sentence.text, spans, element.get("text", ""))
    if problem:
        raise _Bad(f"entity {ent_id!r} (charOffset ends are inclusive): {problem}", line, "charOffset")
    return DDIEntity(ent_id, element.get("type", ""), spans, pieces, element.get("text", ""), line)


def _pair(element: ET.Element, entity_ids: set[str], line: int) -> DDIPair:
    pair_id, ddi = element.get("id", ""), element.get("ddi", "")
    if ddi not in ("true", "false"):
        raise _Bad(f"pair {pair_id!r}: ddi={ddi!r} is not 'true' or 'false'", line, "ddi")
    for role in ("e1", "e2"):
        if element.get(role) not in entity_ids:
            raise _Bad(f"pair {pair_id!r}: {role}={element.get(role)!r} is not an entity of the sentence", line, role)
    return DDIPair(pair_id, element.get("e1", ""), element.get("e2", ""), ddi == "true", element.get("type"), line)


def read_ddi(path: Path) -> DDIDocument | Malformed:
    """Read one DDI XML file."""
    lines: dict[ET.Element, int] = {}
    doc: DDIDocument | None = None
    try:
        for item in iterparse_lines(path):
            if isinstance(item, Malformed):
                item.key = doc.id if doc else None
                return item
            event, element, line = item
            if event == "start":
                lines[element] = line
                if element.tag == "document":
                    doc = DDIDocument(element.get("id", ""), str(path))
                continue
            if element.tag != "sentence" or doc is None:
                continue
            sentence = DDISentence(element.get("id", ""), element.get("text", ""), lines[element])
            sentence.entities = [_entity(e, sentence, lines[e]) for e in element.findall("entity")]
            ids = {e.id for e in sentence.entities}
            sentence.pairs = [_pair(p, ids, lines[p]) for p in element.findall("pair")]
            doc.sentences.append(sentence)
            element.clear()
    except _Bad as bad:
        return Malformed(f"line {bad.line}: {bad.reason}", str(path), bad.line, bad.where, doc.id if doc else None)
    if doc is None:
        return Malformed("no <document> element", str(path), 1, "document")
    return doc


def iter_ddi(files: Iterable[Path]) -> Iterator[DDIDocument | Malformed]:
    """Yield each document of a list of DDI XML files, one file at a time."""
    for path in files:
        yield read_ddi(path)
