"""General chat data -> dialogue turns: the Firefly, ShareGPT and alpaca shapes.

Used by the general-data loaders (stage 2) ``firefly``, ``chat_jsonl``, ``chatdoctor``. One raw
object per conversation, in one of three shapes (detected by their keys):

* **Firefly** (also Taiyi's released instruction data): ``{"conversation": [{"human": str,
  "assistant": str}, ...], "system"?: str, ...}``; each element is one user/assistant round.
* **ShareGPT**: ``{"conversations": [{"from": "system"|"human"|"gpt", "value": str}, ...],
  "system"?: str}``; ``user``/``assistant`` (and ``chatgpt``/``bard``/``bing``/``model``) are read
  as aliases; a leading ``system`` message becomes the context.
* **alpaca**: ``{"instruction": str, "input"?: str, "output": str, "system"?: str,
  "history"?: [[user, assistant], ...]}``; the user turn is the instruction, then the input on
  the next line when there is one.

A conversation must end with an assistant turn; one with no assistant reply is rejected.
Files may be JSON Lines or one JSON array (:func:`is_json_array_file` tells them apart).

Example:
    >>> parse_chat({"instruction": "Add 2 and 3.", "output": "5"}).turns[1].text
    '5'
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from biocurate.schemas import Turn

from biocurate.errors import ConversionError, LoaderError

from .jsonfiles import iter_json_array

try:  # optional C loops (see biocurate/_text.c); the numpy route gives the same counts
    from biocurate import _text as _c_loops
except ImportError:  # pragma: no cover - depends on the build
    _c_loops = None

__all__ = [
    "CHAT_SHAPES", "Chat", "detect_shape", "parse_chat", "detect_language", "is_json_array_file", "iter_chat_array", "read_error",
]

CHAT_SHAPES: tuple[str, ...] = ("firefly", "sharegpt", "alpaca")

_SHAREGPT_ROLES = {"human": "user", "user": "user", **dict.fromkeys(("gpt", "assistant", "chatgpt", "bard", "bing", "model"), "assistant")}
#: CJK Unified Ideographs (extension A, base block) and compatibility ideographs.
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@dataclass
class Chat:
    """A parsed conversation: optional system-style context, then turns."""

    shape: str
    turns: list[Turn]
    context: str = ""


def detect_shape(obj: Any) -> str | None:
    """``firefly``, ``sharegpt`` or ``alpaca`` by the object's keys, or None."""
    if isinstance(obj, dict):
        if "conversation" in obj or "conversations" in obj:
            return "firefly" if "conversation" in obj else "sharegpt"
        if "instruction" in obj and "output" in obj:
            return "alpaca"
    return None


def _text(obj: dict, key: str, parent: str = "", *, required: bool = True, nonempty: bool = False) -> str:
    """``obj[key]`` as a string; an error names the field ``parent.key`` (``key`` at the top).
    Called for every turn of every conversation: the field name is built only for an error,
    and emptiness is checked without copying the text (``isspace`` rather than ``strip``)."""
    value = obj.get(key)
    if type(value) is str and not (nonempty and (not value or value.isspace())):
        return value
    where = f"{parent}.{key}" if parent else key
    if value is None:
        if required:
            raise ConversionError(f"missing key {key!r}", field=where)
        return ""
    if not isinstance(value, str):
        raise ConversionError(f"expected a string, got {type(value).__name__}", field=where)
    if nonempty and (not value or value.isspace()):
        raise ConversionError(f"empty {key!r}", field=where)
    return value


def _firefly(obj: dict) -> tuple[str, list[Turn]]:
    rounds = obj["conversation"]
    if not isinstance(rounds, list) or not rounds:
        raise ConversionError("'conversation' must be a non-empty list of {human, assistant}", field="conversation")
    turns = []
    for i, rnd in enumerate(rounds):
        if not isinstance(rnd, dict):
            raise ConversionError("expected an object {human, assistant}", field=f"conversation[{i}]")
        parent = f"conversation[{i}]"
        human = _text(rnd, "human", parent, nonempty=True)
        reply = _text(rnd, "assistant", parent, nonempty=True)
        turns += [Turn(role="user", text=human), Turn(role="assistant", text=reply)]
    return _text(obj, "system", required=False), turns


def _sharegpt(obj: dict) -> tuple[str, list[Turn]]:
    messages = obj["conversations"]
    if not isinstance(messages, list) or not messages:
        raise ConversionError("'conversations' must be a non-empty list of {from, value}", field="conversations")
    context = _text(obj, "system", required=False)
    turns: list[Turn] = []
    for i, msg in enumerate(messages):
        where = f"conversations[{i}]"
        if not isinstance(msg, dict):
            raise ConversionError("expected an object {from, value}", field=where)
        speaker = _text(msg, "from", where)
        value = _text(msg, "value", where, nonempty=speaker != "system")
        if speaker == "system":
            if turns:
                raise ConversionError("a system message after the first turn", field=f"{where}.from")
            context = value
            continue
        if speaker.lower() not in _SHAREGPT_ROLES:
            raise ConversionError(f"unknown speaker {speaker!r}; expected human/gpt/system", field=f"{where}.from")
        turns.append(Turn(role=_SHAREGPT_ROLES[speaker.lower()], text=value))
    return context, turns


def _alpaca(obj: dict, instruction_as_context: bool) -> tuple[str, list[Turn]]:
    instruction = _text(obj, "instruction")
    extra_input = _text(obj, "input", required=False)
    output = _text(obj, "output", nonempty=True)
    context = _text(obj, "system", required=False)
    if instruction_as_context:
        context, user, user_field = instruction, extra_input, "input"
    else:
        user, user_field = "\n".join(part for part in (instruction, extra_input) if part.strip()), "instruction"
    turns = []
    for i, pair in enumerate(obj.get("history") or []):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise ConversionError("history items must be [user, assistant] string pairs", field=f"history[{i}]")
        turns += [Turn(role="user", text=pair[0]), Turn(role="assistant", text=pair[1])]
    if not user.strip():
        raise ConversionError("empty user message", field=user_field)
    turns += [Turn(role="user", text=user), Turn(role="assistant", text=output)]
    return context, turns


def parse_chat(obj: Any, shape: str | None = None, *, instruction_as_context: bool = False) -> Chat:
    """Parse one raw conversation object into turns.

    Args:
        obj: the decoded JSON object.
        shape: force a shape; by default it is detected with :func:`detect_shape`.
        instruction_as_context: alpaca only: the instruction is a fixed system-style prompt
            (ChatDoctor): put it in ``context`` and use ``input`` alone as the user turn.

    Raises:
        ConversionError: unknown shape, missing or empty fields, or no final assistant turn
            (``field`` names the offending key, e.g. ``conversation[2].assistant``).
    """
    found = detect_shape(obj)
    if shape is not None and found != shape:
        raise ConversionError(f"not a {shape} object (keys: {sorted(obj) if isinstance(obj, dict) else type(obj).__name__})", field=None)
    if found is None:
        raise ConversionError(
            "unknown chat shape: expected 'conversation' (Firefly), 'conversations' (ShareGPT) or 'instruction'+'output' (alpaca)"
        )
    context, turns = _firefly(obj) if found == "firefly" else _sharegpt(obj) if found == "sharegpt" else _alpaca(obj, instruction_as_context)
    key = {"firefly": "conversation", "sharegpt": "conversations", "alpaca": "output"}[found]
    if not any(t.role == "assistant" for t in turns):
        raise ConversionError("the conversation has no assistant turn", field=key)
    if turns[-1].role != "assistant":
        raise ConversionError("the conversation ends with a user turn that has no assistant reply", field=key)
    return Chat(shape=found, turns=turns, context=context)


def detect_language(text: str, threshold: float = 0.2) -> str:
    """``zh`` when CJK characters make up at least ``threshold`` of CJK + Latin letters, else ``en``.

    A CJK character carries about a word, a Latin word about five letters, so 0.2 keeps Chinese
    text with English terms or code as ``zh`` and English text quoting a Chinese name as ``en``.
    """
    if text.isascii():
        return "en"
    if _c_loops is not None:  # the C loop, when built
        _, cjk, latin = _c_loops.class_counts(text, _letter_classes(), 3)
    else:  # one table lookup per code point and one bincount: the counts of the two regexes, ~10x faster
        counts = np.bincount(_letter_classes()[np.frombuffer(text.encode("utf-32-le"), dtype="<u4")], minlength=3)
        cjk, latin = int(counts[_CJK]), int(counts[_LATIN])
    return "zh" if cjk and cjk >= threshold * (cjk + latin) else "en"


_CJK, _LATIN = 1, 2
_CLASSES: list[np.ndarray] = []


def _letter_classes() -> np.ndarray:
    """Code point -> 1 (CJK ideograph), 2 (ASCII letter) or 0; 1.1 MB, built on first use."""
    if not _CLASSES:
        table = np.zeros(0x110000, dtype=np.uint8)
        for first, last in _CJK_RANGES:
            table[first:last + 1] = _CJK
        table[ord("a"):ord("z") + 1] = table[ord("A"):ord("Z") + 1] = _LATIN
        _CLASSES.append(table)
    return _CLASSES[0]


def is_json_array_file(path: Path) -> bool:
    """Whether a chat file is one JSON array (else JSON Lines): its first non-blank character is ``[``."""
    with open(path, "rb") as handle:  # bytes: a bad UTF-8 byte is the reader's to report, with its line
        return handle.read(4096).removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"[")


def iter_chat_array(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, object)`` per element of a JSON array file; a malformed element yields a
    :class:`~biocurate.errors.LoaderError` and ends the file (the rest cannot be read)."""
    try:
        yield from iter_json_array(path)
    except LoaderError as exc:
        yield exc.line or 1, exc


def read_error(obj: Any) -> str | None:
    """The reason when an object read from a chat file is a read error, else None."""
    if isinstance(obj, json.JSONDecodeError):
        return f"malformed JSON: {obj.msg} (column {obj.colno})"
    if isinstance(obj, LoaderError):
        return obj.reason
    return None
