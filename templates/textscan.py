"""Text helpers shared by the answer codecs: quoting, quote-aware splitting, loose matching.

Answers keep Taiyi's plain look (``疾病：A; B``). An item that would be ambiguous in that look
(it contains a separator, starts with a quote, has outer spaces, or reads as an empty answer)
is written in double quotes with inner quotes doubled, CSV style: ``"A; B"``. Parsers accept
quoted and bare items, ASCII and full-width punctuation, and never evaluate model text.

Example:
    >>> split_top('"A; B"; C', ";；")
    ['"A; B"', ' C']
    >>> split_items('"A; B"; C；C')
    ['A; B', 'C']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

#: Opening quote -> closing quote. Only ``"`` is written; the others are read from models.
QUOTES = {'"': '"', "“": "”", "「": "」"}
#: A quote opens an item only at the start of the text or after one of these (spaces skipped).
_OPENS_AFTER = frozenset(":：;；,，、[【［(（\n")
#: A quoted item ends only where one of these (or the end of the text) follows its closing quote.
_CLOSES_BEFORE = frozenset(";；,，、\n]】］)）")

#: How an empty answer is written, per language.
EMPTY = {"zh": "无", "en": "none"}
_EMPTY_RE = re.compile(
    r"^(?:无|没有\w*|暂无\w*|无相关\w*|不存在\w*|非上述类型|none(?:\s+of\s+the\s+above)?|no\s+\w+(?:\s+\w+)?|"
    r"n/?a|null|nil|nothing|empty|\[\s*\]|\{\s*\})[\s.。!！]*$",
    re.IGNORECASE,
)

# Full-width punctuation folded to ASCII one character for one character, so positions survive.
_FOLD = str.maketrans({"：": ":", "；": ";", "，": ",", "（": "(", "）": ")", "【": "[", "】": "]", "［": "[", "］": "]", "\u3000": " "})

_LOOSE = {
    ":": r"\s*[:：]\s*", ";": r"\s*[;；]\s*", ",": r"\s*[,，、]\s*", "(": r"\s*[(（]\s*", ")": r"\s*[)）]\s*",
    "[": r"\s*[\[【［]\s*", "]": r"\s*[\]】］]\s*", ".": r"\s*[.。]\s*", "!": r"\s*[!！]\s*", "?": r"\s*[?？]\s*",
}
for _ascii, _wide in {":": "：", ";": "；", ",": "，", "(": "（", ")": "）", "[": "【", "]": "】", ".": "。", "!": "！", "?": "？"}.items():
    _LOOSE[_wide] = _LOOSE[_ascii]


def empty_marker(language: str) -> str:
    """The text of an empty answer (``无`` / ``none``)."""
    return EMPTY.get(language, EMPTY["en"])


def is_empty(text: str) -> bool:
    """True when ``text`` says "nothing" (``无``, ``none``, ``没有对应的实体``, ``[]``...)."""
    return bool(_EMPTY_RE.match(text.strip()))


def fold(text: str) -> str:
    """Full-width punctuation as ASCII, same length (for matching, never for output)."""
    return text.translate(_FOLD)


def same_key(a: str, b: str) -> bool:
    """Keys compare equal ignoring case, outer spaces and full-width punctuation."""
    return fold(a).strip().casefold() == fold(b).strip().casefold()


def needs_quotes(item: str, specials: str) -> bool:
    """Whether ``item`` must be quoted to read back exactly where ``specials`` separate items."""
    return (
        not item or item != item.strip() or item[0] in QUOTES
        or _any_of(specials).search(item) is not None or is_empty(item)
    )


@functools.cache
def _any_of(chars: str) -> re.Pattern[str]:
    """A pattern matching any one of ``chars`` (never matches when there are none)."""
    return re.compile(f"[{re.escape(chars)}]" if chars else r"(?!)")


def quote(item: str, specials: str, *, force: bool = False) -> str:
    """``item`` as written in an answer: bare when unambiguous, else ``"..."`` with ``""`` escapes."""
    if not force and not needs_quotes(item, specials):
        return item
    return '"' + item.replace('"', '""') + '"'


def opens(text: str, i: int) -> bool:
    """Whether a quote at ``text[i]`` can open an item (start of text or after a separator)."""
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] in _OPENS_AFTER


def read_quoted(text: str, i: int) -> tuple[str, int] | None:
    """Read the quoted item opening at ``text[i]``: (content, index after the closing quote).

    Returns None when the quote is never closed, or when text other than a separator follows
    the closing quote (then the quote is an ordinary character).
    """
    closer = QUOTES[text[i]]
    parts: list[str] = []
    j = i + 1
    while True:
        k = text.find(closer, j)
        if k < 0:
            return None
        if closer == '"' and text.startswith('"', k + 1):
            parts.append(text[j : k + 1])
            j = k + 2
            continue
        end = k + 1
        rest = end
        while rest < len(text) and text[rest] in " \t":
            rest += 1
        if rest < len(text) and text[rest] not in _CLOSES_BEFORE:
            return None
        parts.append(text[j:k])
        return "".join(parts), end


def split_top(text: str, seps: str, accept: Callable[[str, int], bool] | None = None) -> list[str]:
    """Split ``text`` at characters of ``seps`` that are not inside a quoted item.

    Args:
        text: the text to split.
        seps: separator characters.
        accept: optional test ``accept(text, index_after_separator)``; a separator only splits
            where it returns True (e.g. "a role name and a colon follow").
    """
    parts: list[str] = []
    start = i = 0
    while i < len(text):
        ch = text[i]
        if ch in seps and (accept is None or accept(text, i + 1)):
            parts.append(text[start:i])
            start = i = i + 1
            continue
        if ch in QUOTES and opens(text, i):
            got = read_quoted(text, i)
            if got is not None:
                i = got[1]
                continue
        i += 1
    parts.append(text[start:])
    return parts


def unquote(segment: str) -> tuple[str, bool]:
    """A segment's item text and whether it was quoted (outer spaces dropped)."""
    s = segment.strip()
    if s and s[0] in QUOTES:
        got = read_quoted(s, 0)
        if got is not None and not s[got[1] :].strip():
            return got[0], True
    return s, False


def split_items(text: str, seps: str = ";；，\n") -> list[str]:
    """Items separated by ``seps``: unquoted, deduplicated, empties and bare "none" dropped."""
    out: list[str] = []
    for segment in split_top(text, seps):
        item, quoted = unquote(segment)
        if item and (quoted or not is_empty(item)) and item not in out:
            out.append(item)
    return out


def loose(literal: str) -> str:
    """A regex matching ``literal`` with any spacing and ASCII or full-width punctuation."""
    out: list[str] = []
    for ch in literal:
        token = r"\s*" if ch.isspace() else _LOOSE.get(ch, re.escape(ch))
        if token.startswith(r"\s*") and out and out[-1].endswith(r"\s*"):
            token = token[3:]
        if token:
            out.append(token)
    return "".join(out)


def keys_pattern(keys: Sequence[str]) -> str:
    """Alternation of known keys, longest first, each matched loosely."""
    ordered = sorted({k for k in keys if k}, key=len, reverse=True)
    return "|".join(loose(k) for k in ordered)


def canonical_key(raw: str, keys: Sequence[str], suffixes: Sequence[str] = ()) -> str:
    """The known key ``raw`` stands for (case, width and a trailing suffix ignored), else ``raw``."""
    raw = raw.strip()
    for key in keys:
        if same_key(raw, key):
            return key
    for suffix in suffixes:
        if fold(raw).casefold().endswith(suffix.casefold()) and len(raw) > len(suffix):
            stem = raw[: len(raw) - len(suffix)]
            for key in keys:
                if same_key(stem, key):
                    return key
    return raw


def find_choices(text: str, choices: Sequence[str]) -> list[str]:
    """Known labels found in ``text``, in order of appearance.

    Longer labels win overlaps (``dissimilar`` hides ``similar``); labels that start or end with
    an ASCII letter or digit must stand as words; case and full-width punctuation are ignored.
    """
    folded = fold(text)
    claimed = bytearray(len(folded))
    found: list[tuple[int, str]] = []
    for choice in sorted({c for c in choices if c}, key=len, reverse=True):
        pattern = re.escape(fold(choice))
        if choice[0].isascii() and choice[0].isalnum():
            pattern = r"(?<![A-Za-z0-9])" + pattern
        if choice[-1].isascii() and choice[-1].isalnum():
            pattern += r"(?![A-Za-z0-9])"
        first = None
        for match in re.finditer(pattern, folded, re.IGNORECASE):
            if any(claimed[match.start() : match.end()]):
                continue
            claimed[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
            first = match.start() if first is None else first
        if first is not None:
            found.append((first, choice))
    return [choice for _, choice in sorted(found)]
