"""Task views: turn a schema record into the variables templates see and the gold answers.

One function per fine task. Each returns a list of :class:`View`; a view has a ``unit``
(``whole`` for the usual one-sample-per-record view, ``per_type``/``per_relation`` for Taiyi's
task decomposition, ``zh2en``/``en2zh`` for translation directions), the Jinja variables
(exactly :data:`VIEW_VARIABLES` ``[task][unit]``), and the gold answer under each answer
format it supports. Labels (entity, relation, event and role types, class labels) are shown
as the dataset's label words (:attr:`ViewContext.label_names`), so gold answers use them too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from biocurate.schemas import (
    DialogueRecord, Entity, KBRecord, PairsRecord, QARecord, Record, T2TRecord, TERecord, TextRecord, TranslationRecord,
)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

#: Role names that mean "the trigger" (PromptCBLUE's CHIP-CDEE calls it 主体词).
_TRIGGER_ROLES = ("主体词", "触发词", "Trigger")

_DIALOGUE_VARS = frozenset({"first", "context", "num_turns"})
_QA_TEXT_VARS = frozenset({"question", "context"})
_T2T_VARS = frozenset({"text", "section_names"})

#: The variables each view provides, by task and unit: what a template's prompt may use.
VIEW_VARIABLES: dict[str, dict[str, frozenset[str]]] = {
    "ner": {"whole": frozenset({"text", "types"}), "per_type": frozenset({"text", "type", "types"})},
    "re": {"whole": frozenset({"text", "relations"}), "per_relation": frozenset({"text", "relation", "relations"})},
    "ee": {"whole": frozenset({"text", "event_types", "roles", "trigger_label"})},
    "nen": {"whole": frozenset({"text", "mentions", "types", "db_names"})},
    "tc": {"whole": frozenset({"text", "choices"})},
    "sts": {"whole": frozenset({"text_1", "text_2", "choices"})},
    "te": {"whole": frozenset({"premise", "hypothesis", "choices"})},
    "mt": {u: frozenset({"source", "source_language", "target_language"}) for u in ("zh2en", "en2zh")},
    "qa_choice": {"whole": frozenset({"question", "context", "options", "choices"})},
    "qa_yesno": {"whole": frozenset({"question", "context", "choices"})},
    "qa_context": {"whole": _QA_TEXT_VARS},
    "qa_free": {"whole": _QA_TEXT_VARS},
    "title_gen": {"whole": _T2T_VARS},
    "report_gen": {"whole": _T2T_VARS},
    "dialogue": {"whole": _DIALOGUE_VARS},
    "cot": {"whole": _DIALOGUE_VARS},
    "chat": {"whole": _DIALOGUE_VARS},
}


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
    """Dataset facts a view needs: declared label sets and label words.

    Attributes:
        label_sets: the loader's label vocabularies (``entity_types``, ``relation_types``,
            ``event_types``, ``role_types``, ``labels``; ``ner_types`` when NER asks for fewer
            types than the records hold); they fix the order labels are listed in.
        label_names: raw label -> the word shown and answered. The key ``"trigger"`` names the
            event trigger slot (default: a role called 主体词/触发词/Trigger, else 触发词/Trigger).
        empty_answers: render extraction records with nothing to extract (answer ``无``/``none``)
            when the label set is known; False skips them.
    """

    label_sets: dict[str, list[str]] = field(default_factory=dict)
    label_names: dict[str, str] = field(default_factory=dict)
    empty_answers: bool = True

    def word(self, label: str) -> str:
        return self.label_names.get(label, label)

    def words(self, key: str) -> list[str]:
        """A declared label set as label words (empty when not declared)."""
        return [self.word(label) for label in self.label_sets.get(key, [])]


def _mention(texts: Sequence[str]) -> str:
    return " ".join(texts)


def _ordered(declared: Sequence[str], found: Sequence[str]) -> list[str]:
    order = list(dict.fromkeys(declared))
    return order + [t for t in dict.fromkeys(found) if t not in order]


def _start(offsets: Sequence[Sequence[int]]) -> tuple[int, int]:
    return (offsets[0][0], offsets[0][1]) if offsets else (-1, -1)


_SENTENCE_END = tuple(".?!。？！…")


def display_text(record: KBRecord) -> str:
    """The text a prompt shows: the passages joined by a space (the record's ``full_text()``),
    except after a title without final punctuation (CMeIE's topic heading), which gets its own
    line. Answers name mentions by their strings, so this needs no offsets."""
    parts: list[str] = []
    for k, passage in enumerate(record.passages):
        if k:
            previous = record.passages[k - 1]
            heading = previous.type == "title" and not previous.text[0].rstrip().endswith(_SENTENCE_END)
            parts.append("\n" if heading else " ")
        parts.append(passage.text[0])
    return "".join(parts)


def ner_entities(record: KBRecord, ctx: ViewContext) -> list[Entity]:
    """The entities NER asks for: those of the ``ner_types`` label set when the loader declares
    one (BioNLP GE annotates ``Entity`` mentions only where an event uses them as a site, so
    only its exhaustively annotated ``Protein`` mentions make an NER answer), else all."""
    ner_types = ctx.label_sets.get("ner_types")
    return [e for e in record.entities if ner_types is None or e.type in ner_types]


def view_ner(record: KBRecord, ctx: ViewContext) -> list[View]:
    text = display_text(record)
    entities = ner_entities(record, ctx)
    types = _ordered(ctx.words("ner_types") or ctx.words("entity_types"), [ctx.word(e.type) for e in entities])
    by_type: dict[str, list[str]] = {t: [] for t in types}
    for entity in sorted(entities, key=lambda e: _start(e.offsets)):
        mention = _mention(entity.text)
        if mention not in by_type[ctx.word(entity.type)]:
            by_type[ctx.word(entity.type)].append(mention)
    gold = {t: ms for t, ms in by_type.items() if ms}
    if not gold and not (types and ctx.empty_answers):
        return []
    views = [View("whole", {"text": text, "types": types}, {"typed_mentions": gold})]
    views += [View("per_type", {"text": text, "type": t, "types": [t]}, {"mentions": ms}) for t, ms in gold.items()]
    return views


def _concepts(record: KBRecord) -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, ...], str]]:
    """Entity id -> its concept (sorted knowledge-base ids, empty when not normalised), and each
    concept's first mention in text order (the name an answer uses for it)."""
    concept: dict[str, tuple[str, ...]] = {}
    first: dict[tuple[str, ...], str] = {}
    for entity in sorted(record.entities, key=lambda e: _start(e.offsets)):
        ids = tuple(sorted({f"{n.db_name}:{n.db_id}" for n in entity.normalized if n.db_id.strip() and n.db_id != "-1"}))
        concept[entity.id] = ids
        if ids:
            first.setdefault(ids, _mention(entity.text))
    return concept, first


def view_re(record: KBRecord, ctx: ViewContext) -> list[View]:
    """Relations as ``{relation: [[head, tail], ...]}``.

    Relations between normalised entities are concept-level (BC5CDR's CID is annotated per
    document as a pair of MeSH ids and expanded to every mention pair by the loader, as BigBio
    does): such a pair is named once, by the first mention of each concept in the text, not
    once per surface variant ("dipyridamole"/"Dipyridamole").
    """
    text = display_text(record)
    names = {e.id: _mention(e.text) for e in record.entities}
    concept, first = _concepts(record)
    relations = _ordered(ctx.words("relation_types"), [ctx.word(r.type) for r in record.relations])
    by_rel: dict[str, list[list[str]]] = {r: [] for r in relations}
    for rel in record.relations:
        if rel.arg1_id not in names or rel.arg2_id not in names:
            continue
        head, tail = concept[rel.arg1_id], concept[rel.arg2_id]
        pair = [first[head] if head else names[rel.arg1_id], first[tail] if tail else names[rel.arg2_id]]
        if pair not in by_rel[ctx.word(rel.type)]:
            by_rel[ctx.word(rel.type)].append(pair)
    gold = {r: ps for r, ps in by_rel.items() if ps}
    if not gold and not (relations and ctx.empty_answers):
        return []
    views = [View("whole", {"text": text, "relations": relations}, {"typed_pairs": gold})]
    views += [View("per_relation", {"text": text, "relation": r, "relations": [r]}, {"pairs": ps}) for r, ps in gold.items()]
    return views


def view_ee(record: KBRecord, ctx: ViewContext) -> list[View]:
    """Events as ``{"type", "trigger", "arguments": {role: [text, ...]}}`` in record order.

    An argument is shown as its entity's mention, the event it points to written out in full
    (``Gene_expression(Trigger: expression, Theme: IL-2)``), or its own ``text`` (values that
    are not spans, ``ref_id=""``). The trigger slot is named by
    ``label_names["trigger"]``, else by a role called 主体词/触发词/Trigger (CHIP-CDEE's 主体词),
    else 触发词/Trigger; arguments in that role fill the trigger.
    """
    all_roles = _ordered(ctx.words("role_types"), [ctx.word(a.role) for e in record.events for a in e.arguments])
    default = "触发词" if record.language == "zh" else "Trigger"
    trigger_label = ctx.label_names.get("trigger") or next((r for r in all_roles if r in _TRIGGER_ROLES), default)
    names = {e.id: _mention(e.text) for e in record.entities}
    by_id = {e.id: e for e in record.events}
    events: list[dict[str, Any]] = []
    for event in record.events:
        gold = _event_gold(event, names, by_id, ctx, trigger_label, ())
        if gold not in events:
            events.append(gold)
    event_types = _ordered(ctx.words("event_types"), [e["type"] for e in events])
    if not events and not (event_types and ctx.empty_answers):
        return []
    vars_ = {
        "text": display_text(record),
        "event_types": event_types,
        "roles": [r for r in all_roles if r != trigger_label],
        "trigger_label": trigger_label,
    }
    return [View("whole", vars_, {"events": events})]


def _event_gold(
    event: Any, names: dict[str, str], by_id: dict[str, Any], ctx: ViewContext, trigger_label: str, path: tuple[str, ...]
) -> dict[str, Any]:
    """One event as ``{"type", "trigger", "arguments"}``; an argument that is another event is
    written out in full (:func:`_nested_event`), never as that event's bare trigger word."""
    trigger = _mention(event.trigger.text)
    arguments: dict[str, list[str]] = {}
    for arg in event.arguments:
        if arg.ref_id in names:
            value = names[arg.ref_id]
        elif arg.ref_id in by_id and arg.ref_id not in path:
            nested = _event_gold(by_id[arg.ref_id], names, by_id, ctx, trigger_label, (*path, event.id))
            value = _nested_event(nested, trigger_label)
        else:
            value = arg.text or arg.ref_id
        role = ctx.word(arg.role)
        if role == trigger_label:
            trigger = trigger or value
            continue
        if value and value not in arguments.setdefault(role, []):
            arguments[role].append(value)
    return {"type": ctx.word(event.type), "trigger": trigger, "arguments": {r: v for r, v in arguments.items() if v}}


def _nested_event(gold: dict[str, Any], trigger_label: str) -> str:
    """A nested event as an argument value, in the answer's own event notation:
    ``Gene_expression(Trigger: overexpression, Theme: IL-2)`` (BioNLP GE's Regulation events
    take events as Theme/Cause; two events sharing a trigger word stay distinct)."""
    slots = [f"{trigger_label}: {gold['trigger']}"]
    slots += [f"{role}: {value}" for role, values in gold["arguments"].items() for value in values]
    return f"{gold['type']}({', '.join(slots)})"


def view_nen(record: KBRecord, ctx: ViewContext) -> list[View]:
    """Mentions and the knowledge-base ids (or standard terms) they normalise to."""
    by_mention: dict[str, list[str]] = {}
    db_names: list[str] = []
    for entity in sorted(record.entities, key=lambda e: _start(e.offsets)):
        ids = [n.db_id for n in entity.normalized if n.db_id.strip() and n.db_id != "-1"]
        if not ids:
            continue
        bucket = by_mention.setdefault(_mention(entity.text), [])
        bucket.extend(i for i in ids if i not in bucket)
        for norm in entity.normalized:  # each terminology named once, in first-seen order
            if norm.db_name and norm.db_name not in db_names:
                db_names.append(norm.db_name)
    if not by_mention:
        return []
    terms = list(dict.fromkeys(i for ids in by_mention.values() for i in ids))
    mentions = list(by_mention)
    vars_ = {"text": display_text(record), "mentions": mentions, "types": mentions, "db_names": db_names}
    return [View("whole", vars_, {"typed_mentions": by_mention, "mentions": terms})]


def view_tc(record: TextRecord, ctx: ViewContext) -> list[View]:
    gold = [ctx.word(label) for label in record.labels]
    return [View("whole", {"text": record.text, "choices": ctx.words("labels")}, {"labels": gold, "label": "; ".join(gold)})]


def view_sts(record: PairsRecord, ctx: ViewContext) -> list[View]:
    vars_ = {"text_1": record.text_1, "text_2": record.text_2, "choices": ctx.words("labels")}
    return [View("whole", vars_, {"label": ctx.word(record.label)})]


def view_te(record: TERecord, ctx: ViewContext) -> list[View]:
    vars_ = {"premise": record.premise, "hypothesis": record.hypothesis, "choices": ctx.words("labels")}
    return [View("whole", vars_, {"label": ctx.word(record.label)})]


def view_mt(record: TranslationRecord, ctx: ViewContext) -> list[View]:
    zh, en = record.text_in("zh").strip(), record.text_in("en").strip()
    return [
        View("zh2en", {"source": zh, "source_language": "zh", "target_language": "en"}, {"text": en}),
        View("en2zh", {"source": en, "source_language": "en", "target_language": "zh"}, {"text": zh}),
    ]


def view_qa_choice(record: QARecord, ctx: ViewContext) -> list[View]:
    if record.type != "multiple_choice" or not record.answer or record.answer[0] not in record.choices:
        return []
    if len(record.choices) > len(LETTERS):
        return []
    options = list(zip(LETTERS, record.choices))
    gold = LETTERS[record.choices.index(record.answer[0])]
    vars_ = {"question": record.question, "context": record.context, "options": options, "choices": record.choices}
    return [View("whole", vars_, {"choice": gold, "text": record.answer[0]})]


def view_qa_yesno(record: QARecord, ctx: ViewContext) -> list[View]:
    if record.type != "yesno" or not record.answer:
        return []
    choices = [ctx.word(c) for c in record.choices]
    label = ctx.word(record.answer[0])
    vars_ = {"question": record.question, "context": record.context, "choices": choices}
    return [View("whole", vars_, {"label": label, "text": " ".join(record.long_answer).strip() or label})]


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
    if record.type == "summary" or not answer.strip():
        answer = " ".join(record.long_answer) or answer
    if not answer.strip():
        return []
    return [View("whole", {"question": record.question, "context": record.context}, {"text": answer.strip()})]


def view_t2t(record: T2TRecord, ctx: ViewContext) -> list[View]:
    """Title/summary and report generation (``sections`` gold only when the record has sections)."""
    golds: dict[str, Any] = {"text": record.text_2.strip()}
    if record.sections:
        golds["sections"] = {s.name: s.text.strip() for s in record.sections}
    vars_ = {"text": record.text_1, "section_names": [s.name for s in record.sections]}
    return [View("whole", vars_, golds)]


def view_dialogue(record: DialogueRecord, ctx: ViewContext) -> list[View]:
    """The first user turn is templated; later turns pass through as they are.

    Consecutive turns of one role are joined by a newline; assistant turns before the first
    user turn and user turns after the last reply are left out.
    """
    pairs: list[tuple[str, str]] = []
    user: list[str] = []
    reply: list[str] = []
    for turn in record.turns:
        if turn.role == "user":
            if reply and user:
                pairs.append(("\n".join(user), "\n".join(reply)))
                user, reply = [], []
            elif reply:
                reply = []
            user.append(turn.text)
        else:
            reply.append(turn.text)
    if user and reply:
        pairs.append(("\n".join(user), "\n".join(reply)))
    if not pairs:
        return []
    first_user, first_reply = pairs[0]
    vars_ = {"first": first_user, "context": record.context, "num_turns": len(pairs)}
    return [View("whole", vars_, {"text": first_reply.strip()}, extra_turns=pairs[1:])]


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
