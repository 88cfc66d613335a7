"""The BioCreative ChemProt / DrugProt TSV triple: abstracts, entities, relations per split.

* ``*_abstracts.tsv`` (DrugProt spells it ``*_abstracs.tsv``): ``PMID<TAB>title<TAB>abstract``.
* ``*_entities.tsv``: ``PMID<TAB>T<n><TAB>type<TAB>start<TAB>end<TAB>text``; 0-based,
  end-exclusive offsets into ``title + " " + abstract``.
* ``*_relations.tsv``: ``PMID<TAB>label...<TAB>Arg1:T<n><TAB>Arg2:T<m>``. ChemProt has three
  label columns (``CPR:4``, the evaluated flag ``"Y "``/``"N "`` with its trailing space, the
  fine type ``INHIBITOR``); DrugProt and ChemProt's gold-standard file have one.

Entity and relation lines are grouped by PMID but need not follow the abstracts' order, so
:func:`iter_abstract_bundles` indexes them (:class:`~loaders.formats.tsv.TsvIndex`) and reads
each document's lines when it reaches the abstract. A bad line (column count, offsets, a span
that does not spell the entity, a relation argument that names no entity of the document)
makes the document a :class:`~loaders.formats.common.Malformed` naming file and line, and
annotation lines whose PMID has no abstract are reported the same way after the last document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .common import DecodeFailure, Malformed, parse_int, span_problem
from .tsv import TsvIndex, iter_tsv


@dataclass
class TsvEntity:
    id: str
    type: str
    start: int
    end: int
    text: str
    line: int


@dataclass
class TsvRelation:
    labels: list[str]
    arg1: str
    arg2: str
    line: int


@dataclass
class AbstractBundle:
    """One abstract with its entity and relation lines."""

    pmid: str
    title: str
    abstract: str
    line: int
    entities: list[TsvEntity] = field(default_factory=list)
    relations: list[TsvRelation] = field(default_factory=list)

    @property
    def text(self) -> str:
        return f"{self.title} {self.abstract}"


class _Bad(Exception):
    def __init__(self, reason: str, file: Path, line: int, where: str, raw: str) -> None:
        super().__init__(reason)
        self.malformed = Malformed(f"line {line}: {reason}", str(file), line, where, None, raw)


def sibling(abstracts: Path, part: str) -> Path:
    """The ``entities``/``relations`` file beside an abstracts file (same split, same naming)."""
    name = abstracts.name
    for stem in ("abstracts", "abstracs"):
        if stem in name:
            return abstracts.with_name(name.replace(stem, part, 1))
    raise ValueError(f"{abstracts} is not named like an abstracts file (*_abstracts.tsv)")


def _entities(path: Path, rows: list[tuple[int, list[str]]], text: str) -> list[TsvEntity]:
    entities = []
    for number, cols in rows:
        raw = "\t".join(cols)
        if len(cols) != 6:
            raise _Bad(f"expected 6 columns (PMID, id, type, start, end, text), got {len(cols)}", path, number, "columns", raw)
        start, end = parse_int(cols[3]), parse_int(cols[4])
        if start is None or end is None:
            raise _Bad(f"offsets {cols[3]!r}-{cols[4]!r} are not non-negative integers", path, number, "offsets", raw)
        problem = span_problem(text, start, end, cols[5])
        if problem:
            raise _Bad(f"entity {cols[1]}: {problem}", path, number, "offsets", raw)
        entities.append(TsvEntity(cols[1].strip(), cols[2].strip(), start, end, cols[5], number))
    return entities


def _relations(path: Path, rows: list[tuple[int, list[str]]], ids: set[str]) -> list[TsvRelation]:
    relations = []
    for number, cols in rows:
        raw = "\t".join(cols)
        args = {c.split(":", 1)[0]: c.split(":", 1)[1].strip() for c in cols[1:] if c.startswith(("Arg1:", "Arg2:"))}
        labels = [c for c in cols[1:] if not c.startswith(("Arg1:", "Arg2:"))]
        if set(args) != {"Arg1", "Arg2"} or not labels:
            raise _Bad("expected a label and 'Arg1:T<n>' 'Arg2:T<m>' columns", path, number, "columns", raw)
        for role in ("Arg1", "Arg2"):
            if args[role] not in ids:
                raise _Bad(f"{role} {args[role]!r} is not an entity of this document", path, number, role, raw)
        relations.append(TsvRelation(labels, args["Arg1"], args["Arg2"], number))
    return relations


def iter_abstract_bundles(abstracts: Path, entities: Path, relations: Path | None) -> Iterator[AbstractBundle | Malformed]:
    """Yield each abstract with its annotations (or why it could not be read), in file order."""
    entity_index = TsvIndex(entities)
    relation_index = TsvIndex(relations) if relations is not None and relations.is_file() else None
    seen: set[str] = set()
    pmid_on_line: dict[int, str] | None = None
    for number, cols in iter_tsv(abstracts):
        if isinstance(cols, DecodeFailure):
            if pmid_on_line is None:  # the PMIDs by line, read as bytes (the bad byte is elsewhere)
                index = TsvIndex(abstracts)
                pmid_on_line = {index.first_line(key): key for key in index.keys()}
            pmid = pmid_on_line.get(number)
            if pmid is not None:
                seen.add(pmid)  # its annotations are not "without an abstract": the abstract is the reject
            yield cols.malformed(pmid)
            continue
        pmid = cols[0].strip()
        seen.add(pmid)
        if len(cols) != 3:
            reason = f"line {number}: expected 3 columns (PMID, title, abstract), got {len(cols)}"
            yield Malformed(reason, str(abstracts), number, "columns", pmid, "\t".join(cols))
            continue
        bundle = AbstractBundle(pmid, cols[1], cols[2], number)
        try:
            bundle.entities = _entities(entities, entity_index.rows(pmid), bundle.text)
            if relation_index is not None:
                bundle.relations = _relations(relations, relation_index.rows(pmid), {e.id for e in bundle.entities})
        except _Bad as bad:
            bad.malformed.key = pmid
            yield bad.malformed
            continue
        except DecodeFailure as failure:
            yield failure.malformed(pmid)
            continue
        yield bundle
    for path, index in ((entities, entity_index), (relations, relation_index)):
        for key in index.keys() if index is not None else []:
            if key not in seen:
                line = index.first_line(key)
                yield Malformed(f"line {line}: PMID {key} has annotations but no abstract in {abstracts.name}", str(path), line, "pmid", key)
