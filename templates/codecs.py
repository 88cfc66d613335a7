"""Answer formats: each codec writes a gold structure as answer text and parses it back.

A template names its codec (``answer_format``); rendering calls :meth:`Codec.format` on the
view's gold structure, evaluation calls :meth:`Codec.parse` on the model's text. For every
gold structure a view produces, ``parse(format(gold)) == gold``. Parsers are forgiving about
real model output (full-width punctuation, stray spaces, duplicates, reordered items, garbage
lines, labels outside the label set) and never evaluate model text.

Both functions take ``(value, language, context)``: ``context`` holds the view variables kept
for parsing (``types``, ``relations``, ``choices``, ``options``, ``section_names``,
``event_types``, ``roles``, ``trigger_label``) and the template's ``line`` form.

Gold structures (plain JSON-able values):

* ``typed_mentions``: ``{type: [mention, ...]}`` -- NER (and NEN: mention -> ids), one line per key.
* ``mentions``: ``[mention, ...]`` -- single-type NER, normalisation terms.
* ``typed_pairs``: ``{relation: [[head, tail], ...]}`` -- RE, one line per relation.
* ``pairs``: ``[[head, tail], ...]`` -- single-relation RE.
* ``events``: ``[{"type", "trigger", "arguments": {role: [text, ...]}}]`` -- EE, one line per event.
* ``labels``: ``[label, ...]`` -- classification (``"; "``-joined when multi-label).
* ``label``: ``label`` -- pairs, entailment, yes/no.
* ``choice``: ``"B"`` -- a multiple-choice letter (written ``B. option text``).
* ``sections``: ``{name: text}`` -- report generation, one section per line.
* ``text``: free text -- translation, QA, titles, dialogue.

Empty answers (no entity, no relation, no event, no label) are written ``无`` (zh) / ``none``
(en) and read back as empty; so are ``没有…``, ``None.``, ``[]`` and the like.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .codecs_ie import (
    format_events, format_pairs, format_typed_mentions, format_typed_pairs, parse_events, parse_pairs,
    parse_typed_mentions, parse_typed_pairs,
)
from .textscan import (
    canonical_key, empty_marker, find_choices, fold, is_empty, keys_pattern, quote, same_key, split_items,
)

_ITEM_SPECIALS = ";；，\n"


# --- mentions -----------------------------------------------------------------------------------
def format_mentions(gold: list[str], language: str, context: dict[str, Any]) -> str:
    return "; ".join(quote(m, _ITEM_SPECIALS) for m in gold) if gold else empty_marker(language)


def parse_mentions(text: str, language: str, context: dict[str, Any]) -> list[str]:
    return [] if is_empty(text) else split_items(text)


# --- labels (classification, possibly multi-label) ----------------------------------------------
def format_labels(gold: list[str], language: str, context: dict[str, Any]) -> str:
    if not gold:
        marker = empty_marker(language)
        return "" if marker in (context.get("choices") or []) else marker
    return "; ".join(gold)


def parse_labels(text: str, language: str, context: dict[str, Any]) -> list[str]:
    """Known labels in order of appearance; with none known, the ``;``-separated items as written."""
    choices = list(context.get("choices") or [])
    stripped = text.strip()
    exact = [c for c in choices if same_key(c, stripped)]
    if exact:
        return exact[:1]
    if not stripped or is_empty(stripped):
        return []
    found = find_choices(text, choices) if choices else []
    return found or split_items(text)


# --- one label ----------------------------------------------------------------------------------
def format_label(gold: str, language: str, context: dict[str, Any]) -> str:
    return gold


def parse_label(text: str, language: str, context: dict[str, Any]) -> str:
    """The known label the text states (exactly, or the first one mentioned), else its first line."""
    choices = list(context.get("choices") or [])
    stripped = text.strip()
    lines = stripped.splitlines()
    first = lines[0].strip() if lines else ""
    for candidate in (stripped, first, re.sub(r"[.。!！]+$", "", first)):
        for choice in choices:
            if same_key(choice, candidate):
                return choice
    found = find_choices(stripped, choices) if choices else []
    if found:
        return found[0]
    return re.sub(r"(?<!\d)[.。]+$", "", first).strip()


# --- multiple choice ----------------------------------------------------------------------------
_LETTER_LEAD = re.compile(
    r"^(?:(?:the\s)?(?:correct\s)?(?:answer|option|choice)(?:\sis)?|正确答案|答案|选项|应选|选)?\s*(?:[:：是为]\s*)?"
    r"(?:[(（\[]\s*)?(?P<letter>[A-Z])(?:[ \t]?[)）\]]|[.．、:：,，]|[ \t]*$|[ \t]*\n)",
    re.IGNORECASE,
)
_LETTER_ANYWHERE = re.compile(r"(?i:answer|option|答案|选项|选)\s*(?:(?i:is|是|为|[:：])\s*)?(?:[(（]\s*)?(?P<letter>[A-Z])(?![A-Za-z])")


def format_choice(gold: str, language: str, context: dict[str, Any]) -> str:
    options = dict(_options(context))
    return f"{gold}. {options[gold]}" if gold in options else gold


def _options(context: dict[str, Any]) -> list[tuple[str, str]]:
    return [(str(o[0]), str(o[1])) for o in context.get("options") or [] if isinstance(o, (list, tuple)) and len(o) == 2]


def parse_choice(text: str, language: str, context: dict[str, Any]) -> str:
    """The option letter: a leading letter, else the option text quoted, else "answer is X"."""
    options = dict(_options(context))
    letters = set(options) or set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    stripped = text.strip()
    match = _LETTER_LEAD.match(stripped)
    if match:
        letter = match.group("letter")
        if letter.upper() in letters and (letter.isupper() or re.match(r"[a-z]\s*[.)）]", stripped[match.start("letter") :])):
            return letter.upper()
    by_text = {option: letter for letter, option in options.items() if option}
    found = find_choices(stripped, list(by_text))
    if found:
        return by_text[found[0]]
    for match in _LETTER_ANYWHERE.finditer(stripped):
        if match.group("letter").upper() in letters:
            return match.group("letter").upper()
    return ""


# --- sections (report generation) ---------------------------------------------------------------
def format_sections(gold: dict[str, str], language: str, context: dict[str, Any]) -> str:
    colon = "：" if language == "zh" else ": "
    return "\n".join(f"{name}{colon}{value}" for name, value in gold.items())


def parse_sections(text: str, language: str, context: dict[str, Any]) -> dict[str, str]:
    """Sections by name; lines that start no section continue the previous one."""
    names = list(context.get("section_names") or [])
    key = keys_pattern(names) if names else r"[^\n:：。，,；;]{1,30}?"
    start = re.compile(rf"^[ \t]*(?:[#*-]+[ \t]*)?({key})[ \t]*(?:\*\*[ \t]*)?[:：][ \t]*(?:\*\*)?", re.IGNORECASE)
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.strip().splitlines():
        match = start.match(line)
        if match:
            name = canonical_key(match.group(1), names)
            current = None if name in out else out.setdefault(name, [])
            if current is not None:
                current.append(line[match.end() :].strip())
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip() for name, lines in out.items()}


# --- free text ----------------------------------------------------------------------------------
def format_text(gold: str, language: str, context: dict[str, Any]) -> str:
    return gold


def parse_text(text: str, language: str, context: dict[str, Any]) -> str:
    return text.strip()


@dataclass(frozen=True)
class Codec:
    """A paired writer and reader of one answer format; ``empty`` is what a failed parse gives."""

    name: str
    format: Callable[[Any, str, dict[str, Any]], str]
    parse: Callable[[str, str, dict[str, Any]], Any]
    empty: Callable[[], Any] = str
    #: whether a template's ``line`` form applies (one line per key)
    typed_lines: bool = False


CODECS: dict[str, Codec] = {
    c.name: c
    for c in [
        Codec("typed_mentions", format_typed_mentions, parse_typed_mentions, dict, typed_lines=True),
        Codec("mentions", format_mentions, parse_mentions, list),
        Codec("typed_pairs", format_typed_pairs, parse_typed_pairs, dict, typed_lines=True),
        Codec("pairs", format_pairs, parse_pairs, list),
        Codec("events", format_events, parse_events, list),
        Codec("labels", format_labels, parse_labels, list),
        Codec("label", format_label, parse_label),
        Codec("choice", format_choice, parse_choice),
        Codec("sections", format_sections, parse_sections, dict),
        Codec("text", format_text, parse_text),
    ]
}

__all__ = ["CODECS", "Codec", "fold"]
