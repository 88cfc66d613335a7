"""Answer codecs for information extraction: typed lines (NER, RE), entity pairs, events.

Each ``format_*`` writes a gold structure as Taiyi writes answers, each ``parse_*`` reads it
back (``parse(format(gold)) == gold``) and reads real model output leniently. Items are
quoted only where the plain form would be ambiguous (see :mod:`.textscan`).

Typed answers have one line per key (entity type, relation). A template may set the line's
wording with ``line`` (placeholders ``{key}`` and ``{value}``), e.g.
``上述文本中包含的{key}为：{value}``; the default is ``{key}：{value}`` / ``{key}: {value}``.
Lines in the default form are read too, whatever the template's ``line``.

Events (EE) are one line per event:

* zh (PromptCBLUE/Taiyi CHIP-CDEE style, every role slot listed, several values joined by
  ``，``; an ``事件类型`` slot leads when the view has more than one event type)::

      主体词：疼痛；发生状态：否定；描述词：胀痛，持续性；解剖部位：腹

* en (Taiyi style, only filled roles, a role repeated per value)::

      Positive_regulation: (Trigger: activated, Theme: NF-kappaB, Theme: p65)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .textscan import (
    QUOTES, canonical_key, empty_marker, is_empty, keys_pattern, loose, opens, quote, read_quoted, same_key,
    split_items, split_top, unquote,
)

_ITEM_SPECIALS = ";；，\n"
_KEY_SUFFIXES = ("实体", "类实体", "关系", " entities", " entity", " mentions", " relation", " relations", "s")


# --- typed lines --------------------------------------------------------------------------------
def default_line(language: str) -> str:
    return "{key}：{value}" if language == "zh" else "{key}: {value}"


def _render_line(pattern: str, key: str, value: str) -> str:
    return re.sub(r"\{(key|value)\}", lambda m: key if m.group(1) == "key" else value, pattern)


def _compile(literal: str) -> re.Pattern[str]:
    """A loose literal without leading optional spaces (so searching it stays linear)."""
    return re.compile(loose(literal.strip()).removeprefix(r"\s*"), re.IGNORECASE)


def _match_line(line: str, pattern: str, keys: list[str], value_ok: Callable[[str], bool]) -> tuple[str, str] | None:
    """(key, value) when ``line`` reads as ``pattern``: a known key first, else any text before the middle."""
    prefix, rest = pattern.split("{key}", 1)
    middle, suffix = rest.split("{value}", 1)
    line = line.strip()
    pos, end = 0, len(line)
    if prefix.strip():
        match = _compile(prefix).match(line)
        if match is None:
            return None
        pos = match.end()
    if suffix.strip():
        match = re.compile(r"\s*(?:" + _compile(suffix).pattern + r")\Z", re.IGNORECASE).search(line, pos)
        end = match.start() if match else end
    middle_rx = _compile(middle)
    start = pos + len(line[pos:end]) - len(line[pos:end].lstrip())
    for key in sorted(keys, key=len, reverse=True):
        match = re.compile(loose(key) + r"\s*(?:" + middle_rx.pattern + ")", re.IGNORECASE).match(line, start, end)
        if match and value_ok(line[match.end() : end].strip()):
            return key, line[match.end() : end].strip()
    for match in middle_rx.finditer(line, start, end):
        key, value = line[start : match.start()].strip(), line[match.end() : end].strip()
        if key and value_ok(value):
            return canonical_key(key, keys, _KEY_SUFFIXES), value
    return None


def _read_lines(text: str, language: str, context: dict[str, Any], keys: list[str], value_ok: Callable[[str], bool]) -> list[tuple[str, str]]:
    """(key, value text) for every line in the template's line form or the default form."""
    patterns = list(dict.fromkeys([context.get("line") or default_line(language), default_line(language)]))
    found = []
    for line in split_top(text, "\n"):
        for pattern in patterns:
            got = _match_line(line, pattern, keys, value_ok)
            if got is not None:
                found.append(got)
                break
    return found


def format_typed_mentions(gold: dict[str, list[str]], language: str, context: dict[str, Any]) -> str:
    pattern = context.get("line") or default_line(language)
    lines = [_render_line(pattern, key, "; ".join(quote(m, _ITEM_SPECIALS) for m in items)) for key, items in gold.items() if items]
    return "\n".join(lines) if lines else empty_marker(language)


def parse_typed_mentions(text: str, language: str, context: dict[str, Any]) -> dict[str, list[str]]:
    if is_empty(text):
        return {}
    out: dict[str, list[str]] = {}
    for key, value in _read_lines(text, language, context, list(context.get("types") or []), lambda v: True):
        bucket = out.setdefault(key, [])
        bucket.extend(m for m in split_items(value) if m not in bucket)
    return {k: v for k, v in out.items() if v}


# --- entity pairs -------------------------------------------------------------------------------
_PAIR_OPEN = {"[": "]", "【": "】", "［": "］"}
_PAIR_CLOSE = frozenset("]】］")
_PAIR_SPECIALS = ";；\n，[]【】［］"


def _quote_elem(elem: str) -> str:
    ambiguous = re.search(r",\s", elem) or elem.startswith(",") or elem.endswith(",")
    return quote(elem, _PAIR_SPECIALS, force=bool(ambiguous))


def _format_pairs(pairs: list[list[str]]) -> str:
    return "; ".join(f"[{_quote_elem(h)}, {_quote_elem(t)}]" for h, t in pairs)


def _pair_end(text: str, start: int) -> int:
    """Index of the bracket closing a pair whose content starts at ``start`` (quote-aware)."""
    i = start
    while i < len(text):
        ch = text[i]
        if ch in _PAIR_CLOSE or ch == "\n":
            return i
        if ch in QUOTES and opens(text, i):
            got = read_quoted(text, i)
            if got is not None:
                i = got[1]
                continue
        i += 1
    return len(text)


def _split_pair(inner: str) -> tuple[str, str] | None:
    s = inner.strip()
    if s[:1] in QUOTES:
        got = read_quoted(s, 0)
        if got is not None:
            rest = s[got[1] :].lstrip()
            if rest[:1] in (",", "，"):
                return got[0], unquote(rest[1:])[0]
    match = re.search(r"，|,(?=\s)", s) or re.search(r",", s)
    if match is None:
        return None
    return s[: match.start()].strip(), unquote(s[match.end() :])[0]


def _parse_pairs(text: str) -> list[list[str]]:
    pairs: list[list[str]] = []
    i = 0
    while True:
        match = re.compile(r"[\[【［]").search(text, i)
        if match is None:
            return pairs
        end = _pair_end(text, match.end())
        pair = _split_pair(text[match.end() : end])
        if pair and pair[0] and pair[1] and list(pair) not in pairs:
            pairs.append(list(pair))
        i = end + 1


def format_pairs(gold: list[list[str]], language: str, context: dict[str, Any]) -> str:
    return _format_pairs(gold) if gold else empty_marker(language)


def parse_pairs(text: str, language: str, context: dict[str, Any]) -> list[list[str]]:
    return [] if is_empty(text) else _parse_pairs(text)


def format_typed_pairs(gold: dict[str, list[list[str]]], language: str, context: dict[str, Any]) -> str:
    pattern = context.get("line") or default_line(language)
    lines = [_render_line(pattern, key, _format_pairs(pairs)) for key, pairs in gold.items() if pairs]
    return "\n".join(lines) if lines else empty_marker(language)


def parse_typed_pairs(text: str, language: str, context: dict[str, Any]) -> dict[str, list[list[str]]]:
    if is_empty(text):
        return {}
    out: dict[str, list[list[str]]] = {}
    def starts_pairs(value: str) -> bool:
        return not value or value[0] in _PAIR_OPEN or is_empty(value)

    for key, value in _read_lines(text, language, context, list(context.get("relations") or []), starts_pairs):
        bucket = out.setdefault(key, [])
        bucket.extend(p for p in _parse_pairs(value) if p not in bucket)
    return {k: v for k, v in out.items() if v}


# --- events -------------------------------------------------------------------------------------
_TRIGGER_ALIASES = ("触发词", "主体词", "Trigger")
_TYPE_SLOT = {"zh": "事件类型", "en": "Type"}
_TYPE_ALIASES = ("事件类型", "类型", "Type", "Event type", "Event Type")
_VALUE_SPECIALS = ",，;；\n"


def trigger_label(language: str, context: dict[str, Any]) -> str:
    return context.get("trigger_label") or ("触发词" if language == "zh" else "Trigger")


def format_events(gold: list[dict[str, Any]], language: str, context: dict[str, Any]) -> str:
    if not gold:
        return empty_marker(language)
    trigger = trigger_label(language, context)
    roles = list(context.get("roles") or [])
    types = list(context.get("event_types") or [])
    lines = []
    for event in gold:
        arguments: dict[str, list[str]] = event["arguments"]
        if language == "zh":
            slots = [] if types == [event["type"]] else [f"事件类型：{quote(event['type'], _VALUE_SPECIALS)}"]
            slots.append(f"{trigger}：{quote(event['trigger'], _VALUE_SPECIALS) if event['trigger'] else ''}")
            for role in roles + [r for r in arguments if r not in roles]:
                slots.append(f"{role}：{'，'.join(quote(v, _VALUE_SPECIALS) for v in arguments.get(role, []))}")
            lines.append("；".join(slots))
        else:
            slots = [f"{trigger}: {quote(event['trigger'], _VALUE_SPECIALS) if event['trigger'] else ''}"]
            slots += [f"{role}: {quote(v, _VALUE_SPECIALS)}" for role, values in arguments.items() for v in values]
            lines.append(f"{event['type']}: ({', '.join(slots)})")
    return "\n".join(lines)


def parse_events(text: str, language: str, context: dict[str, Any]) -> list[dict[str, Any]]:
    if is_empty(text):
        return []
    trigger = trigger_label(language, context)
    roles = list(context.get("roles") or [])
    types = list(context.get("event_types") or [])
    slot_keys = [trigger, *_TRIGGER_ALIASES, *_TYPE_ALIASES, *roles]
    generic = r"[^\s,，;；:：()（）\"“][^,，;；:：()（）\"“\n]{0,40}?"
    known = keys_pattern(slot_keys)
    # a comma starts a new slot only before a known key (any key when the roles are unknown)
    splits_at = re.compile(rf"\s*(?:{known}{'' if roles else '|' + generic})\s*[:：]", re.IGNORECASE)
    slot = re.compile(rf"\s*({known}|{generic})\s*[:：]", re.IGNORECASE)
    events: list[dict[str, Any]] = []
    for line in split_top(text, "\n"):
        event_type, body, en_style = None, line, False
        head = _en_head(line, types, slot_keys)
        if head is not None:
            event_type, body, en_style = head[0], head[1], True
            body = body.rstrip()
            body = body[:-1] if body[-1:] in (")", "）") else body
        event = _read_event(body, en_style, splits_at, slot, trigger, roles)
        if event is None:
            continue
        if event_type is not None:
            event["type"] = event_type
        elif not event["type"]:
            event["type"] = types[0] if len(types) == 1 else ""
        if event not in events:
            events.append(event)
    return events


def _en_head(line: str, types: list[str], slot_keys: list[str]) -> tuple[str, str] | None:
    """(event type, text inside the parentheses) of a ``Type: (...)`` line, else None."""
    s = line.strip()
    for event_type in sorted(types, key=len, reverse=True):
        match = re.compile(loose(event_type) + r"\s*[:：]\s*[(（]", re.IGNORECASE).match(s)
        if match:
            return event_type, s[match.end() :]
    colon = re.search(r"[:：]", s)
    if colon is None:
        return None
    head, rest = s[: colon.start()].strip(), s[colon.end() :].lstrip()
    if not head or rest[:1] not in ("(", "（") or any(c in head for c in "(（") or any(same_key(head, k) for k in slot_keys):
        return None
    return canonical_key(head, types), rest[1:]


def _read_event(
    body: str, en_style: bool, splits_at: re.Pattern[str], slot_rx: re.Pattern[str], trigger: str, roles: list[str]
) -> dict[str, Any] | None:
    """The event in one line's slots, or None when a slot-style line has no trigger slot.

    Slots are split at ``；`` always in the slot style (zh), and at a comma or semicolon only
    where a key follows in the parenthesised style (en), so values may hold commas.
    """
    event: dict[str, Any] = {"type": "", "trigger": None, "arguments": {}}

    def before_key(text: str, i: int) -> bool:
        return splits_at.match(text, i) is not None

    if en_style:
        slots = split_top(body, ",，;；", before_key)
    else:
        slots = [s for part in split_top(body, ";；") for s in split_top(part, ",，", before_key)]
    for slot in slots:
        match = slot_rx.match(slot)
        if match is None:
            continue
        key, value = match.group(1).strip(), slot[match.end() :]
        role = canonical_key(key, roles)
        if same_key(key, trigger) or (role not in roles and any(same_key(key, k) for k in _TRIGGER_ALIASES)):
            event["trigger"] = unquote(value)[0]
        elif role not in roles and any(same_key(key, k) for k in _TYPE_ALIASES):
            event["type"] = unquote(value)[0]
        else:
            values = [unquote(value)[0]] if en_style else split_items(value, ",，")
            bucket = event["arguments"].setdefault(role, [])
            bucket.extend(v for v in values if v and v not in bucket)
    if event["trigger"] is None and not en_style:
        return None
    event["trigger"] = event["trigger"] or ""
    event["arguments"] = {r: vs for r, vs in event["arguments"].items() if vs}
    return event
