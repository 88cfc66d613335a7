"""Task views: turn a schema record into the variables templates see and the gold answers.

One function per fine task. Each returns a list of :class:`View`; a view has a ``unit``
(``whole`` for the usual one-sample-per-record view, ``per_type``/``per_relation`` for Taiyi's
task decomposition, ``zh2en``/``en2zh`` for translation directions), the Jinja variables, and
the gold answer under each answer format it supports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from biocurate.schemas import (
    DialogueRecord, KBRecord, PairsRecord, QARecord, Record, T2TRecord, TERecord, TextRecord, TranslationRecord,
)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass
class View:
    """What one sample is rendered from."""

    unit: str
    vars: dict[str, Any]
    golds: dict[str, Any]
    #: turns after the first exchange, for multi-turn conversations: [(human, assistant), ...]
    extra_turns: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ViewContext:
    """Dataset facts a view needs: declared label sets and label words."""

    label_sets: dict[str, list[str]] = field(default_factory=dict)
    label_names: dict[str, str] = field(default_factory=dict)

    def word(self, label: str) -> str:
        return self.label_names.get(label, label)


def _mention(texts: Sequence[str]) -> str:
    return " ".join(texts)


def _ordered(declared: Sequence[str] | None, found: Sequence[str]) -> list[str]:
    order = list(declared or [])
    return order + [t for t in dict.fromkeys(found) if t not in order]


def view_ner(record: KBRecord, ctx: ViewContext) -> list[View]:
    if not record.entities:
        return []
    text = record.full_text()
    types = _ordered(ctx.label_sets.get("entity_types"), [e.type for e in record.entities])
    by_type: dict[str, list[str]] = {t: [] for t in types}
    for entity in sorted(record.entities, key=lambda e: (e.offsets[0][0], e.offsets[0][1])):
        mention = _mention(entity.text)
        if mention not in by_type[entity.type]:
            by_type[entity.type].append(mention)
    gold = {t: ms for t, ms in by_type.items() if ms}
    views = [View("whole", {"text": text, "types": types}, {"typed_mentions": gold})]
    views += [View("per_type", {"text": text, "type": t, "types": [t]}, {"mentions": ms}) for t, ms in gold.items()]
    return views


def view_re(record: KBRecord, ctx: ViewContext) -> list[View]:
    if not record.relations:
        return []
    text = record.full_text()
    names = {e.id: _mention(e.text) for e in record.entities}
    relations = _ordered(ctx.label_sets.get("relation_types"), [r.type for r in record.relations])
    by_rel: dict[str, list[list[str]]] = {r: [] for r in relations}
    for rel in record.relations:
        pair = [names[rel.arg1_id], names[rel.arg2_id]]
        if pair not in by_rel[rel.type]:
            by_rel[rel.type].append(pair)
    gold = {r: ps for r, ps in by_rel.items() if ps}
    views = [View("whole", {"text": text, "relations": relations}, {"typed_pairs": gold})]
    views += [View("per_relation", {"text": text, "relation": r, "relations": [r]}, {"pairs": ps}) for r, ps in gold.items()]
    return views


def view_ee(record: KBRecord, ctx: ViewContext) -> list[View]:
    if not record.events:
        return []
    text = record.full_text()
    names = {e.id: _mention(e.text) for e in record.entities}
    events = []
    roles: list[str] = []
    for event in record.events:
        arguments: dict[str, str] = {}
        for arg in event.arguments:
            value = names.get(arg.ref_id, arg.text or arg.ref_id)
            arguments[arg.role] = f"{arguments[arg.role]}, {value}" if arg.role in arguments else value
            roles.append(arg.role)
        events.append({"type": event.type, "trigger": _mention(event.trigger.text), "arguments": arguments})
    event_types = _ordered(ctx.label_sets.get("event_types"), [e.type for e in record.events])
    role_types = _ordered(ctx.label_sets.get("role_types"), roles)
    return [View("whole", {"text": text, "event_types": event_types, "roles": role_types}, {"events": events})]


def view_nen(record: KBRecord, ctx: ViewContext) -> list[View]:
    terms = list(dict.fromkeys(n.db_id for e in record.entities for n in e.normalized))
    if not terms:
        return []
    return [View("whole", {"text": record.full_text()}, {"mentions": terms})]


def view_tc(record: TextRecord, ctx: ViewContext) -> list[View]:
    choices = [ctx.word(label) for label in ctx.label_sets.get("labels", [])]
    gold = [ctx.word(label) for label in record.labels]
    return [View("whole", {"text": record.text, "choices": choices}, {"labels": gold, "label": "; ".join(gold)})]


def view_sts(record: PairsRecord, ctx: ViewContext) -> list[View]:
    choices = [ctx.word(label) for label in ctx.label_sets.get("labels", [])]
    return [View("whole", {"text_1": record.text_1, "text_2": record.text_2, "choices": choices}, {"label": ctx.word(record.label)})]


def view_te(record: TERecord, ctx: ViewContext) -> list[View]:
    choices = [ctx.word(label) for label in ctx.label_sets.get("labels", [])]
    return [View("whole", {"premise": record.premise, "hypothesis": record.hypothesis, "choices": choices}, {"label": ctx.word(record.label)})]


def view_mt(record: TranslationRecord, ctx: ViewContext) -> list[View]:
    zh, en = record.text_in("zh"), record.text_in("en")
    return [
        View("zh2en", {"source": zh, "source_language": "zh", "target_language": "en"}, {"text": en}),
        View("en2zh", {"source": en, "source_language": "en", "target_language": "zh"}, {"text": zh}),
    ]


def view_qa_choice(record: QARecord, ctx: ViewContext) -> list[View]:
    if record.type != "multiple_choice":
        return []
    options = list(zip(LETTERS, record.choices))
    gold = LETTERS[record.choices.index(record.answer[0])]
    vars_ = {"question": record.question, "context": record.context, "options": options, "choices": record.choices}
    return [View("whole", vars_, {"choice": gold, "text": record.answer[0]})]


def view_qa_yesno(record: QARecord, ctx: ViewContext) -> list[View]:
    if record.type != "yesno":
        return []
    vars_ = {"question": record.question, "context": record.context, "choices": record.choices}
    return [View("whole", vars_, {"label": record.answer[0], "text": " ".join(record.long_answer) or record.answer[0]})]


def view_qa_context(record: QARecord, ctx: ViewContext) -> list[View]:
    if record.type in ("multiple_choice", "yesno") or not record.context:
        return []
    return _qa_text(record)


def view_qa_free(record: QARecord, ctx: ViewContext) -> list[View]:
    if record.type in ("multiple_choice", "yesno") or record.context:
        return []
    return _qa_text(record)


def _qa_text(record: QARecord) -> list[View]:
    answer = "; ".join(record.answer) if record.type == "list" else (record.answer[0] if record.answer else "")
    if record.type == "summary" or not answer:
        answer = " ".join(record.long_answer) or answer
    return [View("whole", {"question": record.question, "context": record.context}, {"text": answer})]


def view_t2t(record: T2TRecord, ctx: ViewContext) -> list[View]:
    """Title/summary and report generation (``sections`` gold only when the record has sections)."""
    golds: dict[str, Any] = {"text": record.text_2}
    if record.sections:
        golds["sections"] = {s.name: s.text for s in record.sections}
    vars_ = {"text": record.text_1, "section_names": [s.name for s in record.sections]}
    return [View("whole", vars_, golds)]


def view_dialogue(record: DialogueRecord, ctx: ViewContext) -> list[View]:
    turns = record.turns
    pairs: list[tuple[str, str]] = []
    pending: list[str] = []
    for turn in turns:
        if turn.role == "user":
            pending.append(turn.text)
        else:
            pairs.append(("\n".join(pending), turn.text))
            pending = []
    first_user, first_reply = pairs[0]
    vars_ = {"first": first_user, "context": record.context, "num_turns": len(pairs)}
    return [View("whole", vars_, {"text": first_reply}, extra_turns=pairs[1:])]


VIEWS: dict[str, Callable[[Any, ViewContext], list[View]]] = {
    "ner": view_ner,
    "re": view_re,
    "ee": view_ee,
    "nen": view_nen,
    "tc": view_tc,
    "sts": view_sts,
    "te": view_te,
    "mt": view_mt,
    "qa_choice": view_qa_choice,
    "qa_yesno": view_qa_yesno,
    "qa_context": view_qa_context,
    "qa_free": view_qa_free,
    "title_gen": view_t2t,
    "report_gen": view_t2t,
    "dialogue": view_dialogue,
    "cot": view_dialogue,
    "chat": view_dialogue,
}


def views_for(task: str, record: Record, ctx: ViewContext) -> list[View]:
    """All views of ``record`` for a fine task."""
    return VIEWS[task](record, ctx)
