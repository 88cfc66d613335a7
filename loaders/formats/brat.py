"""brat / BioNLP Shared Task standoff: ``<doc>.txt`` plus ``<doc>.ann`` (or ``.a1`` + ``.a2``).

Each annotation line starts with an id whose first letter gives its kind::

    T1<TAB>Protein 137 164<TAB>tumor necrosis factor alpha       text-bound (entity or trigger)
    T3<TAB>Entity 10 15;20 25<TAB>left right                     discontinuous: ';'-separated spans
    E1<TAB>Positive_regulation:T11 Theme:E2 Cause:T2             event: type:trigger role:ref ...
    R1<TAB>Part-of Arg1:T1 Arg2:T2                               binary relation
    M1<TAB>Negation E3   /   A1<TAB>Speculation E3 [value]        attribute (modification)
    *<TAB>Equiv T1 T2                                           equivalence set
    N1<TAB>Reference T1 Wikipedia:534366<TAB>Barack Obama         normalisation
    #1<TAB>AnnotatorNotes T1<TAB>note                            note (kept, unused)

Offsets are 0-based, end-exclusive character offsets into the ``.txt`` file (read as UTF-8,
newlines kept). The BioNLP-ST releases split annotations into ``.a1`` (given entities) and
``.a2`` (triggers, events, modifications); the brat copies merge them into ``.ann``.

:func:`iter_brat` reads one document at a time. Every span must lie inside the text and spell
the annotation's text, and every id an annotation refers to must exist; otherwise the document
comes out as a :class:`~loaders.formats.common.Malformed` naming the annotation file, the line
and the field (``E2.Theme``, ``T4.offsets``...).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .common import DecodeFailure, Malformed, iter_text_lines, parse_int, pieces_problem, read_text


@dataclass
class TextBound:
    id: str
    type: str
    spans: list[tuple[int, int]]
    pieces: list[str]
    text: str
    file: str
    line: int


@dataclass
class BratEvent:
    id: str
    type: str
    trigger: str
    arguments: list[tuple[str, str]]
    file: str
    line: int


@dataclass
class BratRelation:
    id: str
    type: str
    arguments: list[tuple[str, str]]
    file: str
    line: int


@dataclass
class BratAttribute:
    id: str
    type: str
    target: str
    value: str | None
    file: str
    line: int


@dataclass
class BratEquivalence:
    type: str
    ids: list[str]
    file: str
    line: int


@dataclass
class BratNormalization:
    id: str
    type: str
    target: str
    resource: str
    concept: str
    text: str
    file: str
    line: int


@dataclass
class BratDocument:
    id: str
    text: str
    txt_file: str
    ann_files: list[str]
    text_bounds: dict[str, TextBound] = field(default_factory=dict)
    events: dict[str, BratEvent] = field(default_factory=dict)
    relations: list[BratRelation] = field(default_factory=list)
    attributes: list[BratAttribute] = field(default_factory=list)
    equivalences: list[BratEquivalence] = field(default_factory=list)
    normalizations: list[BratNormalization] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Bad(Exception):
    def __init__(self, reason: str, file: str, line: int, where: str, raw: str | None = None) -> None:
        super().__init__(reason)
        self.malformed = Malformed(f"line {line}: {reason}", file, line, where, None, raw)


def annotation_files(txt: Path) -> list[Path]:
    """``.ann`` beside ``txt`` if present, else whichever of ``.a1`` and ``.a2`` exist."""
    ann = txt.with_suffix(".ann")
    if ann.is_file():
        return [ann]
    return [p for p in (txt.with_suffix(".a1"), txt.with_suffix(".a2")) if p.is_file()]


def _pairs(items: Iterable[str], file: str, line: int, ann_id: str, raw: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        role, sep, ref = item.partition(":")
        if not sep or not role or not ref:
            raise _Bad(f"{ann_id}: argument {item!r} is not 'Role:id'", file, line, f"{ann_id}.arguments", raw)
        pairs.append((role, ref))
    return pairs


def _text_bound(doc: BratDocument, cols: list[str], file: str, line: int, raw: str) -> None:
    ann_id = cols[0]
    head = cols[1].split(" ", 1) if len(cols) > 1 else []
    if len(cols) < 3 or len(head) != 2:
        raise _Bad(f"{ann_id}: expected 'id<TAB>type start end<TAB>text'", file, line, f"{ann_id}.columns", raw)
    spans = []
    for fragment in head[1].split(";"):
        bounds = fragment.split()
        numbers = [parse_int(b) for b in bounds]
        if len(bounds) != 2 or None in numbers:
            raise _Bad(f"{ann_id}: span {fragment!r} is not 'start end'", file, line, f"{ann_id}.offsets", raw)
        spans.append((numbers[0], numbers[1]))
    pieces, problem = pieces_problem(doc.text, spans, cols[2])
    if problem:
        raise _Bad(f"{ann_id}: {problem}", file, line, f"{ann_id}.offsets", raw)
    doc.text_bounds[ann_id] = TextBound(ann_id, head[0], spans, pieces, cols[2], file, line)


def _read_line(doc: BratDocument, raw: str, file: str, line: int) -> None:
    cols = raw.split("\t")
    ann_id, kind = cols[0].strip(), cols[0][:1]
    body = cols[1].split() if len(cols) > 1 else []
    if kind == "T":
        _text_bound(doc, cols, file, line, raw)
    elif kind == "E":
        if not body or ":" not in body[0]:
            raise _Bad(f"{ann_id}: expected 'Type:trigger role:id ...'", file, line, f"{ann_id}.trigger", raw)
        event_type, trigger = body[0].split(":", 1)
        doc.events[ann_id] = BratEvent(ann_id, event_type, trigger, _pairs(body[1:], file, line, ann_id, raw), file, line)
    elif kind == "R":
        if not body:
            raise _Bad(f"{ann_id}: expected 'Type Arg1:id Arg2:id'", file, line, f"{ann_id}.type", raw)
        doc.relations.append(BratRelation(ann_id, body[0], _pairs(body[1:], file, line, ann_id, raw), file, line))
    elif kind in ("M", "A"):
        if len(body) not in (2, 3):
            raise _Bad(f"{ann_id}: expected 'Type target [value]'", file, line, f"{ann_id}.target", raw)
        doc.attributes.append(BratAttribute(ann_id, body[0], body[1], body[2] if len(body) == 3 else None, file, line))
    elif kind == "*":
        if len(body) < 3:
            raise _Bad("equivalence needs a type and at least two ids", file, line, "*.ids", raw)
        doc.equivalences.append(BratEquivalence(body[0], body[1:], file, line))
    elif kind == "N":
        if len(body) != 3 or ":" not in body[2]:
            raise _Bad(f"{ann_id}: expected 'Type target Resource:id<TAB>text'", file, line, f"{ann_id}.target", raw)
        resource, concept = body[2].split(":", 1)
        doc.normalizations.append(BratNormalization(ann_id, body[0], body[1], resource, concept, cols[2] if len(cols) > 2 else "", file, line))
    elif kind == "#":
        doc.notes.append(raw)
    else:
        raise _Bad(f"unknown annotation id {ann_id!r} (expected T, E, R, M, A, N, * or #)", file, line, "id", raw)


def _check_references(doc: BratDocument) -> None:
    known = set(doc.text_bounds) | set(doc.events)
    for event in doc.events.values():
        if event.trigger not in doc.text_bounds:
            raise _Bad(f"{event.id}: trigger {event.trigger!r} is not a text-bound (T) annotation", event.file, event.line, f"{event.id}.trigger")
        for role, ref in event.arguments:
            if ref not in known:
                raise _Bad(f"{event.id}: {role} argument {ref!r} names no annotation of the document", event.file, event.line, f"{event.id}.{role}")
    for rel in doc.relations:
        for role, ref in rel.arguments:
            if ref not in known:
                raise _Bad(f"{rel.id}: {role} argument {ref!r} names no annotation of the document", rel.file, rel.line, f"{rel.id}.{role}")
    for item in doc.attributes + doc.normalizations:
        if item.target not in known:
            raise _Bad(f"{item.id}: target {item.target!r} names no annotation of the document", item.file, item.line, f"{item.id}.target")
    for eq in doc.equivalences:
        for ref in eq.ids:
            if ref not in doc.text_bounds:
                raise _Bad(f"{eq.type}: {ref!r} is not a text-bound (T) annotation", eq.file, eq.line, "*.ids")


#: Suffixes of brat annotation files.
ANNOTATION_SUFFIXES = (".ann", ".a1", ".a2")


def read_brat(txt: Path, encoding: str | None = None) -> BratDocument | Malformed:
    """Read one document: ``txt`` and its annotation file(s).

    The document is a :class:`Malformed` when it has no annotation file (field ``companion``),
    when a byte of the text or of an annotation line cannot be decoded (field ``encoding``:
    offsets into a text that cannot be read are meaningless), or when an annotation is bad.
    """
    ann_files = annotation_files(txt)
    if not ann_files:
        reason = f"{txt.name} has no annotation file beside it (expected {txt.stem}.ann, or {txt.stem}.a1 / .a2)"
        return Malformed(reason, str(txt), None, "companion", txt.stem)
    try:
        text = read_text(txt, encoding)
    except DecodeFailure as failure:
        return failure.malformed(txt.stem)
    doc = BratDocument(txt.stem, text, str(txt), [str(p) for p in ann_files])
    try:
        for path in ann_files:
            for number, line in iter_text_lines(path, encoding):
                if isinstance(line, DecodeFailure):
                    return line.malformed(doc.id)
                if line.strip():
                    _read_line(doc, line, str(path), number)
        _check_references(doc)
    except _Bad as bad:
        bad.malformed.key = doc.id
        return bad.malformed
    return doc


def orphan_annotations(txt_files: Iterable[Path]) -> list[Path]:
    """Annotation files in the folders of ``txt_files`` whose ``.txt`` is not among them, sorted."""
    texts = {Path(t) for t in txt_files}
    orphans = set()
    for folder in {t.parent for t in texts}:
        for path in folder.iterdir():
            if path.suffix in ANNOTATION_SUFFIXES and path.with_suffix(".txt") not in texts and path.is_file():
                orphans.add(path)
    return sorted(orphans)


def iter_brat(txt_files: Iterable[Path], encoding: str | None = None) -> Iterator[BratDocument | Malformed]:
    """Yield each document of a list of ``.txt`` files, one at a time, then a :class:`Malformed`
    (field ``companion``) for each annotation file of their folders that has no ``.txt``."""
    texts = list(txt_files)
    for txt in texts:
        yield read_brat(txt, encoding)
    for orphan in orphan_annotations(texts):
        reason = f"annotation file {orphan.name} has no text file {orphan.with_suffix('.txt').name}: its annotations cannot be read"
        yield Malformed(reason, str(orphan), None, "companion", orphan.stem)
