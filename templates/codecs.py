"""Answer formats: each codec writes a gold structure as answer text and parses it back.

A template names its codec (``answer_format``); rendering calls :meth:`Codec.format` on the
record's gold structure, evaluation calls :meth:`Codec.parse` on the model's text. Parsers are
forgiving about what real model output looks like (full-width punctuation, stray spaces,
duplicates, reordered items, garbage lines) and never evaluate model text.

Gold structures (plain JSON-able values):

* ``typed_mentions``: ``{type: [mention, ...]}`` -- NER, one line per type.
* ``mentions``: ``[mention, ...]`` -- single-type NER, normalisation terms.
* ``typed_pairs``: ``{relation: [[head, tail], ...]}`` -- RE, one line per relation.
* ``pairs``: ``[[head, tail], ...]`` -- single-relation RE.
* ``events``: ``[{"type", "trigger", "arguments": {role: text}}]`` -- EE, one line per event.
* ``labels``: ``[label, ...]`` -- classification (``"; "``-joined when multi-label).
* ``label``: ``label`` -- pairs, yes/no.
* ``choice``: ``"B"`` -- a multiple-choice letter (the option text is shown after it).
* ``sections``: ``{name: text}`` -- report generation, one section per line.
* ``text``: free text -- translation, QA, titles, dialogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Full-width and variant punctuation a model may emit, mapped to the ASCII form parsers use.
_PUNCT = str.maketrans({"：": ":", "；": ";", "，": ",", "【": "[", "】": "]", "（": "(", "）": ")", "［": "[", "］": "]", "、": ","})


def normalise(text: str) -> str:
    """Fold full-width punctuation to ASCII and trim every line."""
    return "\n".join(line.strip() for line in text.translate(_PUNCT).strip().splitlines())


def _colon(language: str) -> str:
    return "：" if language == "zh" else ": "


def _split_items(text: str) -> list[str]:
    items = [i.strip() for i in re.split(r"[;\n]", text)]
    return list(dict.fromkeys(i for i in items if i))


def _split_key(line: str) -> tuple[str, str] | None:
    if ":" not in line:
        return None
    key, _, rest = line.partition(":")
    return key.strip(), rest.strip()


# --- typed mentions (NER) -------------------------------------------------------------------
def format_typed_mentions(gold: dict[str, list[str]], language: str, view: dict[str, Any]) -> str:
    return "\n".join(f"{t}{_colon(language)}{'; '.join(ms)}" for t, ms in gold.items() if ms)


def parse_typed_mentions(text: str, language: str, view: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in normalise(text).splitlines():
        kv = _split_key(line)
        if kv is None or not kv[0]:
            continue
        out.setdefault(kv[0], [])
        for item in _split_items(kv[1]):
            if item not in out[kv[0]]:
                out[kv[0]].append(item)
    return {k: v for k, v in out.items() if v}


# --- mentions ---------------------------------------------------------------------------------
def format_mentions(gold: list[str], language: str, view: dict[str, Any]) -> str:
    return "; ".join(gold) if gold else ("无" if language == "zh" else "none")


def parse_mentions(text: str, language: str, view: dict[str, Any]) -> list[str]:
    items = _split_items(normalise(text))
    return [i for i in items if i not in ("无", "none", "None")]


# --- typed pairs (RE) -------------------------------------------------------------------------
_PAIR = re.compile(r"\[([^\[\]]*?),\s*([^\[\]]*?)\]")


def _format_pairs(pairs: list[list[str]]) -> str:
    return "; ".join(f"[{h}, {t}]" for h, t in pairs)


def _parse_pairs(text: str) -> list[list[str]]:
    seen: list[list[str]] = []
    for head, tail in _PAIR.findall(text):
        pair = [head.strip(), tail.strip()]
        if pair[0] and pair[1] and pair not in seen:
            seen.append(pair)
    return seen


def format_typed_pairs(gold: dict[str, list[list[str]]], language: str, view: dict[str, Any]) -> str:
    return "\n".join(f"{r}{_colon(language)}{_format_pairs(ps)}" for r, ps in gold.items() if ps)


def parse_typed_pairs(text: str, language: str, view: dict[str, Any]) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for line in normalise(text).splitlines():
        key, sep, rest = line.partition(":")
        if not sep or "[" in key:
            continue
        pairs = _parse_pairs(rest)
        if pairs:
            bucket = out.setdefault(key.strip(), [])
            bucket.extend(p for p in pairs if p not in bucket)
    return out


def format_pairs(gold: list[list[str]], language: str, view: dict[str, Any]) -> str:
    return _format_pairs(gold) if gold else ("无" if language == "zh" else "none")


def parse_pairs(text: str, language: str, view: dict[str, Any]) -> list[list[str]]:
    return _parse_pairs(normalise(text))


# --- events (EE) ------------------------------------------------------------------------------
def format_events(gold: list[dict[str, Any]], language: str, view: dict[str, Any]) -> str:
    lines = []
    for event in gold:
        parts = [f"{'触发词' if language == 'zh' else 'Trigger'}{_colon(language).strip()} {event['trigger']}".replace(": ", ": ").replace("： ", "：")]
        parts += [f"{role}{_colon(language).strip()} {value}".replace("： ", "：") for role, value in event["arguments"].items()]
        sep = "；" if language == "zh" else ", "
        lines.append(f"{event['type']}{_colon(language)}({sep.join(parts)})")
    return "\n".join(lines) if lines else ("无" if language == "zh" else "none")


def parse_events(text: str, language: str, view: dict[str, Any]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for line in normalise(text).splitlines():
        match = re.match(r"^(.*?):\s*\((.*)\)\s*$", line)
        if not match:
            continue
        event: dict[str, Any] = {"type": match.group(1).strip(), "trigger": "", "arguments": {}}
        for part in re.split(r";|,\s(?=[^,:]+:)", match.group(2)):
            kv = _split_key(part)
            if kv is None:
                continue
            role, value = kv
            if role in ("触发词", "Trigger"):
                event["trigger"] = value
            elif role:
                event["arguments"][role] = value
        if event not in events:
            events.append(event)
    return events


# --- labels -----------------------------------------------------------------------------------
def format_labels(gold: list[str], language: str, view: dict[str, Any]) -> str:
    return "; ".join(gold)


def parse_labels(text: str, language: str, view: dict[str, Any]) -> list[str]:
    text = normalise(text)
    choices = view.get("choices") or []
    items = _split_items(text.replace(",", ";")) if not choices else _split_items(text)
    if choices:
        # Keep known labels, in the order they appear; fall back to substring matches.
        known = [i for i in items if i in choices]
        if not known:
            known = [c for c in sorted(choices, key=len, reverse=True) if c in text]
        return list(dict.fromkeys(known))
    return items


def format_label(gold: str, language: str, view: dict[str, Any]) -> str:
    return gold


def parse_label(text: str, language: str, view: dict[str, Any]) -> str:
    text = normalise(text)
    choices = view.get("choices") or []
    first = text.splitlines()[0].strip().rstrip(".。") if text else ""
    if not choices or first in choices:
        return first
    for choice in sorted(choices, key=len, reverse=True):
        if choice in text:
            return choice
    return first


# --- multiple choice --------------------------------------------------------------------------
def format_choice(gold: str, language: str, view: dict[str, Any]) -> str:
    options = dict(view.get("options", []))
    return f"{gold}. {options[gold]}" if gold in options else gold


def parse_choice(text: str, language: str, view: dict[str, Any]) -> str:
    text = normalise(text)
    options = dict(view.get("options", []))
    match = re.match(r"^\s*(?:答案|answer)?\s*[:是为]?\s*\(?([A-Z])\)?(?:[.)\s:]|$)", text, re.IGNORECASE)
    if match and match.group(1).upper() in options:
        return match.group(1).upper()
    for letter, option in sorted(options.items(), key=lambda kv: len(kv[1]), reverse=True):
        if option and option in text:
            return letter
    return ""


# --- sections (report generation) -------------------------------------------------------------
def format_sections(gold: dict[str, str], language: str, view: dict[str, Any]) -> str:
    return "\n".join(f"{name}{_colon(language)}{value}" for name, value in gold.items())


def parse_sections(text: str, language: str, view: dict[str, Any]) -> dict[str, str]:
    names = view.get("section_names") or []
    out: dict[str, str] = {}
    for line in text.strip().splitlines():
        kv = _split_key(line.translate(_PUNCT).strip())
        if kv and (not names or kv[0] in names):
            out[kv[0]] = line.strip()[len(kv[0]) + 1:].strip()
    return out


# --- free text --------------------------------------------------------------------------------
def format_text(gold: str, language: str, view: dict[str, Any]) -> str:
    return gold


def parse_text(text: str, language: str, view: dict[str, Any]) -> str:
    return text.strip()


@dataclass(frozen=True)
class Codec:
    """A paired writer and reader of one answer format."""

    name: str
    format: Callable[[Any, str, dict[str, Any]], str]
    parse: Callable[[str, str, dict[str, Any]], Any]


CODECS: dict[str, Codec] = {
    c.name: c
    for c in [
        Codec("typed_mentions", format_typed_mentions, parse_typed_mentions),
        Codec("mentions", format_mentions, parse_mentions),
        Codec("typed_pairs", format_typed_pairs, parse_typed_pairs),
        Codec("pairs", format_pairs, parse_pairs),
        Codec("events", format_events, parse_events),
        Codec("labels", format_labels, parse_labels),
        Codec("label", format_label, parse_label),
        Codec("choice", format_choice, parse_choice),
        Codec("sections", format_sections, parse_sections),
        Codec("text", format_text, parse_text),
    ]
}
