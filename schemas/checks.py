"""Checks beyond types, as BigBio's harness does them and stricter.

:func:`check_record` returns a list of :class:`Problem` (empty when the record is sound):
offsets slice the joined passage text to exactly the entity/trigger text, ids are unique in
the record, relation/event/coreference references resolve, QA answers are among the choices
for multiple choice and yes/no, labels are within the loader's declared label set.
:class:`IdTracker` checks record ids are unique across a whole dataset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ._base import Record
from .dialogue import DialogueRecord
from .kb import KBRecord
from .pairs import PairsRecord
from .qa import QARecord
from .te import TERecord
from .text import TextRecord


@dataclass(frozen=True)
class Problem:
    """One broken rule: which field (dotted path) and why."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


def _spans_match(texts: Sequence[str], offsets: Sequence[Sequence[int]], doc: str) -> bool:
    """Whether every span is inside ``doc`` and slices to its text piece (the usual case:
    :func:`_check_spans` then has nothing to report, and no field path is built)."""
    if len(texts) != len(offsets):
        return False
    size = len(doc)
    for piece, (start, end) in zip(texts, offsets):
        if not 0 <= start <= end <= size or doc[start:end] != piece:
            return False
    return True


def _check_spans(path: str, texts: Sequence[str], offsets: Sequence[Sequence[int]], doc: str) -> list[Problem]:
    problems = []
    if len(texts) != len(offsets):
        return [Problem(path, f"{len(texts)} text pieces but {len(offsets)} offsets")]
    for i, (piece, (start, end)) in enumerate(zip(texts, offsets)):
        if not 0 <= start <= end <= len(doc):
            problems.append(Problem(f"{path}.offsets[{i}]", f"span [{start}, {end}) outside text of length {len(doc)}"))
        elif doc[start:end] != piece:
            problems.append(
                Problem(f"{path}.offsets[{i}]", f"span [{start}, {end}) is {doc[start:end]!r}, text says {piece!r}")
            )
    return problems


def check_kb(record: KBRecord, label_sets: Mapping[str, Sequence[str]]) -> list[Problem]:
    """Offsets, id uniqueness, references and label sets of a KB record."""
    problems: list[Problem] = []
    doc = record.full_text()
    position = 0
    for i, passage in enumerate(record.passages):
        start, end = passage.offsets[0]
        if (start, end) != (position, position + len(passage.text[0])):
            problems.append(
                Problem(f"passages[{i}].offsets", f"expected [{position}, {position + len(passage.text[0])}), got [{start}, {end})")
            )
        position += len(passage.text[0]) + 1

    seen: set[str] = set()
    for family in ("passages", "entities", "events", "coreferences", "relations"):
        for i, item in enumerate(getattr(record, family)):
            if item.id in seen:
                problems.append(Problem(f"{family}[{i}].id", f"id {item.id!r} used twice in the record"))
            seen.add(item.id)

    entity_ids = {e.id for e in record.entities}
    event_ids = {e.id for e in record.events}
    entity_types = label_sets.get("entity_types")
    for i, entity in enumerate(record.entities):
        if not _spans_match(entity.text, entity.offsets, doc):
            problems += _check_spans(f"entities[{i}]", entity.text, entity.offsets, doc)
        if entity_types is not None and entity.type not in entity_types:
            problems.append(Problem(f"entities[{i}].type", f"{entity.type!r} not in declared entity types"))
    relation_types = label_sets.get("relation_types")
    for i, relation in enumerate(record.relations):
        for arg in ("arg1_id", "arg2_id"):
            if getattr(relation, arg) not in entity_ids:
                problems.append(Problem(f"relations[{i}].{arg}", f"{getattr(relation, arg)!r} is not an entity id"))
        if relation_types is not None and relation.type not in relation_types:
            problems.append(Problem(f"relations[{i}].type", f"{relation.type!r} not in declared relation types"))
    event_types = label_sets.get("event_types")
    for i, event in enumerate(record.events):
        if not _spans_match(event.trigger.text, event.trigger.offsets, doc):
            problems += _check_spans(f"events[{i}].trigger", event.trigger.text, event.trigger.offsets, doc)
        if event_types is not None and event.type not in event_types:
            problems.append(Problem(f"events[{i}].type", f"{event.type!r} not in declared event types"))
        for j, argument in enumerate(event.arguments):
            if argument.ref_id == "":
                if not argument.text:
                    problems.append(Problem(f"events[{i}].arguments[{j}]", "an argument needs a ref_id or, when not a span, a text"))
                continue
            if argument.ref_id not in entity_ids and argument.ref_id not in event_ids:
                problems.append(
                    Problem(f"events[{i}].arguments[{j}].ref_id", f"{argument.ref_id!r} is neither an entity nor an event id")
                )
    for i, chain in enumerate(record.coreferences):
        for ref in chain.entity_ids:
            if ref not in entity_ids:
                problems.append(Problem(f"coreferences[{i}].entity_ids", f"{ref!r} is not an entity id"))
    return problems


def check_qa(record: QARecord, label_sets: Mapping[str, Sequence[str]]) -> list[Problem]:
    """Choices present for choice types, answers among them."""
    problems: list[Problem] = []
    if record.type in ("multiple_choice", "yesno"):
        if not record.choices:
            problems.append(Problem("choices", f"type {record.type!r} needs choices"))
        for i, answer in enumerate(record.answer):
            if record.choices and answer not in record.choices:
                problems.append(Problem(f"answer[{i}]", f"{answer!r} is not one of the choices {record.choices}"))
    elif record.choices and record.type not in ("factoid", "list"):
        problems.append(Problem("type", f"choices given but type is {record.type!r}"))
    if len(set(record.choices)) != len(record.choices):
        problems.append(Problem("choices", "duplicate choices"))
    if not record.answer:
        problems.append(Problem("answer", "no answer"))
    return problems


def _check_labels(field: str, labels: Sequence[str], allowed: Sequence[str] | None) -> list[Problem]:
    if allowed is None:
        return []
    return [Problem(f"{field}[{i}]", f"{label!r} not in declared labels") for i, label in enumerate(labels) if label not in allowed]


def check_record(record: Record, label_sets: Mapping[str, Sequence[str]] | None = None) -> list[Problem]:
    """Every rule beyond types that applies to ``record``.

    Args:
        record: a validated schema record.
        label_sets: the loader's declared label sets (``entity_types``, ``relation_types``,
            ``event_types``, ``labels``); a missing key means "not restricted".

    Returns:
        The problems found, empty when the record is sound.
    """
    label_sets = label_sets or {}
    if isinstance(record, KBRecord):
        return check_kb(record, label_sets)
    if isinstance(record, QARecord):
        return check_qa(record, label_sets)
    if isinstance(record, TextRecord):
        problems = _check_labels("labels", record.labels, label_sets.get("labels"))
        if len(set(record.labels)) != len(record.labels):
            problems.append(Problem("labels", "duplicate labels"))
        return problems
    if isinstance(record, (PairsRecord, TERecord)):
        # an empty label is "no gold" (unlabelled splits such as CBLUE test files), not a label
        return _check_labels("label", [record.label] if record.label else [], label_sets.get("labels"))
    if isinstance(record, DialogueRecord):
        if record.turns[-1].role != "assistant":
            return [Problem("turns", "a dialogue must end with an assistant turn")]
        return []
    return []


class IdTracker:
    """Remembers record ids per dataset and reports a repeated one."""

    def __init__(self) -> None:
        self._seen: dict[str, set[str]] = {}

    def check(self, record: Record) -> list[Problem]:
        """Problems (zero or one) for a record whose id was already seen in its dataset."""
        return self.check_id(record.dataset, record.id)

    def check_id(self, dataset: str, record_id: str) -> list[Problem]:
        """:meth:`check` given the dataset and id only."""
        seen = self._seen.setdefault(dataset, set())
        if record_id in seen:
            return [Problem("id", f"id {record_id!r} already used in dataset {dataset!r}")]
        seen.add(record_id)
        return []

    def all_new(self, dataset: str, record_ids: list[str]) -> bool:
        """Whether :meth:`check_id` would find none of ``record_ids`` repeated (in order)."""
        distinct = set(record_ids)
        return len(distinct) == len(record_ids) and self._seen.get(dataset, set()).isdisjoint(distinct)

    def add_ids(self, dataset: str, record_ids: list[str]) -> None:
        """Remember ids as :meth:`check_id` does (``record_ids``: :meth:`all_new`)."""
        self._seen.setdefault(dataset, set()).update(record_ids)
