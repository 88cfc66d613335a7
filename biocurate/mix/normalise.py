"""Text normalisation for dedup and decontamination: NFKC, lowercase, whitespace collapsed.

:func:`normalise_text` is the definition. The export normalises every record it spools, so
two faster routes give exactly the same result:

* :func:`normalised_utf8` (one text, as UTF-8) runs a C loop (``biocurate._text``, built with
  the package when a C compiler is there) driven by per-character tables computed here from
  :mod:`unicodedata` and ``str`` methods. A text with a character the tables cannot decide
  alone (combining marks, Hangul jamo, capital sigma, characters beyond the BMP) takes the
  general route.
* :func:`normalise_texts` (many texts) uses that loop when it is built, else numpy over the
  texts joined together.

Why per-character tables are exact: every character ``c`` the tables call safe fully
decomposes (NFKD) to a sequence that starts with a starter that never composes with what
comes before it. Canonical reordering stops at starters and composition cannot reach across
one, so the NFKC form of a text of safe characters is the concatenation of each character's
own NFKC form. ``str.lower`` maps character by character except the capital sigma (context
dependent), which is never safe; whitespace is collapsed on the result.
"""

from __future__ import annotations

import functools
import unicodedata
from array import array
from typing import NamedTuple

import numpy as np

try:  # the optional C loop; everything here works without it
    from biocurate import _text as _c_loops
except ImportError:  # pragma: no cover - depends on the build
    _c_loops = None

#: Full-width ASCII variants (U+FF01-U+FF5E), whose NFKC form is the ASCII character 0xFEE0 below.
_WIDE_FIRST, _WIDE_LAST, _WIDE_SHIFT = 0xFF01, 0xFF5E, 0xFEE0
_IDEOGRAPHIC_SPACE = 0x3000
_BMP = 0x10000
_SAFE, _SPACE, _EXPAND, _IDENTITY = 1, 2, 4, 8
#: Hangul medial vowels and final consonants: they compose with a preceding syllable
#: algorithmically, so unicodedata.decomposition does not list them.
_HANGUL_SECONDS = (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))


def normalise_text(text: str) -> str:
    """NFKC (full-width -> half-width), lowercase, collapse whitespace."""
    # " ".join(s.split()) == re.sub(r"\s+", " ", s).strip(): both split on str.isspace()
    return " ".join(_nfkc(text).lower().split())


def uses_c_loop() -> bool:
    """Whether the C loop (``biocurate._text``) is built; results are the same either way."""
    return _c_loops is not None


def normalised_utf8(text: str | bytes) -> bytes:
    """``normalise_text(text).encode()`` (``text``: a str or UTF-8 bytes), by the C loop when it
    is built and the text allows."""
    if _c_loops is not None:
        tables = char_tables()
        out = _c_loops.normalise_utf8(text, tables.flags, tables.single, tables.offsets, tables.expansions)
        if out is not None:
            return out
    return normalise_text(text.decode() if isinstance(text, bytes) else text).encode()


def normalise_texts(texts: list[str]) -> list[str]:
    """``[normalise_text(t) for t in texts]``, several times faster for many texts."""
    if _c_loops is not None:
        return [normalised_utf8(text).decode() for text in texts]
    return _normalise_joined(texts)


class CharTables(NamedTuple):
    """What the C loop reads, per BMP code point.

    ``flags``: ``_SAFE`` (decided alone), ``_SPACE`` (its normalised form is one whitespace
    character), ``_EXPAND`` (its normalised form is the UTF-8 bytes
    ``expansions[offsets[k]:offsets[k + 1]]`` with ``k = single[cp]``, where the only
    whitespace is ASCII space); otherwise its normalised form is the one character
    ``single[cp]``, flagged ``_IDENTITY`` when that is ``cp`` itself (the C loop then copies
    the character's UTF-8 bytes as they are).
    """

    flags: bytes
    single: bytes  # native uint16 per code point
    offsets: bytes  # native uint32, one more than there are expansions
    expansions: bytes


@functools.cache
def char_tables() -> CharTables:
    """The per-character tables of the running Python's Unicode data (~0.15 s, once per process)."""
    seconds = _composition_seconds()
    flags = bytearray(_BMP)
    single = array("H", bytes(2 * _BMP))
    offsets = array("I", [0])
    expansions = bytearray()
    for cp in range(_BMP):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        first = unicodedata.normalize("NFKD", char)[0]
        nfkc = unicodedata.normalize("NFKC", char)
        if unicodedata.combining(first) or ord(first) in seconds or "\u03a3" in nfkc:
            continue
        out = nfkc.lower()
        if len(out) == 1 and ord(out) < _BMP:
            flags[cp] = _SAFE | (_SPACE if out.isspace() else _IDENTITY if out == char else 0)
            single[cp] = ord(out)
        elif all(ch == " " or not ch.isspace() for ch in out) and len(offsets) < _BMP:
            flags[cp] = _SAFE | _EXPAND
            single[cp] = len(offsets) - 1
            expansions += out.encode()
            offsets.append(len(expansions))
    return CharTables(bytes(flags), single.tobytes(), offsets.tobytes(), bytes(expansions))


def _composition_seconds() -> set[int]:
    """Code points that can be the second of a canonical composition pair (they may combine
    with the character before them)."""
    seconds = set(_HANGUL_SECONDS)
    for cp in range(0x110000):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
    return seconds


# --- the pure-Python route (no C loop) ---------------------------------------------------

def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, fast for the usual case of CJK text.

    CJK text is mostly not NFKC only because of full-width punctuation and the ideographic
    space, and ``normalize`` is slow on such text. Those characters are mapped (vectorised)
    to their NFKC forms first; when the result is NFKC-normalised it *is* the NFKC form of the
    input (the mapped characters are starters whose compatibility decomposition is that one
    ASCII character, so both strings have the same full decomposition). Otherwise the
    general ``normalize`` runs.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    return _nfkc_of_narrowed(_narrow(text))


def _narrow(text: str) -> str:
    """``text`` with its full-width ASCII variants and ideographic spaces mapped to ASCII."""
    return _narrow_table()[np.frombuffer(text.encode("utf-32-le"), dtype="<u4")].tobytes().decode("utf-32-le")


def _nfkc_of_narrowed(text: str) -> str:
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


@functools.cache
def _narrow_table() -> np.ndarray:
    """Code point -> itself, except the full-width ASCII variants and the ideographic space,
    which map to their NFKC forms (see :func:`_nfkc`); 4.4 MB."""
    table = np.arange(0x110000, dtype=np.uint32)
    table[_WIDE_FIRST:_WIDE_LAST + 1] -= _WIDE_SHIFT
    table[_IDEOGRAPHIC_SPACE] = 0x20
    return table


def _normalise_joined(texts: list[str]) -> list[str]:
    """:func:`normalise_texts` without the C loop.

    The full-width characters of all texts are mapped in one numpy pass over the texts joined
    by NUL (a starter that composes with nothing and is not cased, so the NFKC form and the
    lowercase of the joined text are the joins of those of the parts); only a text that is
    still not NFKC-normalised after that goes through ``unicodedata.normalize``.
    """
    joined = "\x00".join(texts)
    if joined.isascii():  # NFKC and lowercase of ASCII need no table
        parts = joined.lower().split("\x00")
        if len(parts) == len(texts):
            return [" ".join(part.split()) for part in parts]
        return [normalise_text(t) for t in texts]
    parts = _narrow(joined).split("\x00")
    if len(parts) != len(texts):  # a text holds a NUL itself
        return [normalise_text(t) for t in texts]
    return [" ".join(_nfkc_of_narrowed(part).lower().split()) for part in parts]
