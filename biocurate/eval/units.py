"""Scoring units: gold and parsed answer structures as sets of canonical tuples (stage 6).

Each answer format's structure (see :mod:`biocurate.templates.codecs`) becomes the units a
strict micro P/R/F1 counts, the way PromptCBLUE's evaluators turn records into tuples before
set operations:

* entities -- ``(type, mention)``; for ``mentions`` answers the type is the row's
  ``parse_context["type"]`` (``""`` when the row has none, e.g. normalisation terms);
* relations -- ``(relation, head, tail)``; for ``pairs`` the relation is ``parse_context["relation"]``;
* events -- three levels: one tuple per event ``(type, trigger, ((role, value), ...))`` with the
  arguments sorted (the main unit: an event counts only when everything in it is right), one per
  argument ``(type, trigger, role, value)``, and one per trigger ``(type, trigger)``.

Canonical text is NFKC-normalised (full-width letters, digits and punctuation become ASCII)
with runs of white space collapsed and outer space stripped. Keys (types, relations, roles,
labels) are also case-folded; mention texts keep their case (strict matching).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = ["canon", "canon_key", "entity_units", "event_units", "label_set", "relation_units"]

_SPACE = re.compile(r"\s+")


def canon(text: Any) -> str:
    """Canonical form of a mention or answer text (NFKC, collapsed white space)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", str(text if text is not None else ""))).strip()


def canon_key(text: Any) -> str:
    """Canonical form of a key: a type, relation, role or label (also case-folded)."""
    return canon(text).casefold()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def entity_units(answer_format: str, value: Any, context: dict[str, Any]) -> set[tuple[str, str]]:
    """``{(type, mention)}`` of a ``typed_mentions`` or ``mentions`` structure."""
    units: set[tuple[str, str]] = set()
    if answer_format == "typed_mentions":
        items = value.items() if isinstance(value, dict) else []
        for key, mentions in items:
            units.update((canon_key(key), canon(m)) for m in _as_list(mentions) if canon(m))
    else:
        key = canon_key(context.get("type", ""))
        units.update((key, canon(m)) for m in _as_list(value) if canon(m))
    return units


def _pair(item: Any) -> tuple[str, str] | None:
    if isinstance(item, (list, tuple)) and len(item) == 2:
        head, tail = canon(item[0]), canon(item[1])
        if head and tail:
            return head, tail
    return None


def relation_units(answer_format: str, value: Any, context: dict[str, Any]) -> set[tuple[str, str, str]]:
    """``{(relation, head, tail)}`` of a ``typed_pairs`` or ``pairs`` structure."""
    if answer_format == "typed_pairs":
        groups = list(value.items()) if isinstance(value, dict) else []
    else:
        groups = [(context.get("relation", ""), value)]
    units: set[tuple[str, str, str]] = set()
    for key, pairs in groups:
        for item in _as_list(pairs):
            pair = _pair(item)
            if pair:
                units.add((canon_key(key), *pair))
    return units


def event_units(value: Any) -> dict[str, set[tuple[Any, ...]]]:
    """Event-, argument- and trigger-level units of an ``events`` structure.

    Returns:
        ``{"events": {...}, "arguments": {...}, "triggers": {...}}``.
    """
    levels: dict[str, set[tuple[Any, ...]]] = {"events": set(), "arguments": set(), "triggers": set()}
    for event in _as_list(value):
        if not isinstance(event, dict):
            continue
        etype, trigger = canon_key(event.get("type", "")), canon(event.get("trigger", ""))
        arguments = event.get("arguments") if isinstance(event.get("arguments"), dict) else {}
        args = sorted({(canon_key(role), canon(v)) for role, vs in arguments.items() for v in _as_list(vs) if canon(v)})
        levels["events"].add((etype, trigger, tuple(args)))
        levels["arguments"].update((etype, trigger, role, v) for role, v in args)
        levels["triggers"].add((etype, trigger))
    return levels


def label_set(answer_format: str, value: Any) -> frozenset[str]:
    """Canonical labels of a ``labels`` (list) or ``label`` (one string) structure; empty strings dropped."""
    items = _as_list(value) if answer_format == "labels" else [value]
    return frozenset(canon_key(v) for v in items if canon_key(v))
