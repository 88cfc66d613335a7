"""Decontamination: :class:`Decontaminator` drops a training record that overlaps an evaluation
item: the same normalised text (catches short test items such as one-line queries), or, for
longer texts, a shared n-gram of 13 words (English) or 13 characters (Chinese), hashed to keep
memory small (64-bit substring hashes computed with numpy, filtered through a bitmap, then
looked up in one set).

Exact dedup is a group-by in the export's decision step (``export/decisions.py``: per
:func:`~biocurate.mix.content.content_key`, the first surviving slot in priority order stays).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

from biocurate.schemas import Record

from .content import input_texts, normalise_text, normalised_inputs

_CJK = re.compile(r"[\u3400-\u9fff]")
NGRAM = 13
#: Texts shorter than this (normalised characters) are matched whole, not by n-grams.
SHORT_TEXT = 40
#: The evaluation n-grams' bitmap has 2^27 bits (16 MiB): few false hits per text even with
#: millions of evaluation n-grams.
_BITMAP_BITS = 27
_BITMAP_SHIFT = np.uint64(64 - _BITMAP_BITS)


def _ngrams(text: str) -> Iterable[str]:
    """Character n-grams for Chinese-heavy text, word n-grams otherwise (the reference
    definition; :meth:`_SubstringHasher.ngram_hashes` computes the same n-grams' hashes vectorised)."""
    if len(_CJK.findall(text)) * 3 > len(text):
        units: list[str] = [c for c in text if not c.isspace()]
        joiner = ""
    else:
        units = text.split()
        joiner = " "
    for i in range(max(0, len(units) - NGRAM + 1)):
        yield joiner.join(units[i : i + NGRAM])


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=8).digest()


class _SubstringHasher:
    """64-bit polynomial hashes of substrings, vectorised with numpy.

    With ``Q[i] = sum(c[k] * B^-k for k < i)`` (mod 2^64; ``B`` odd, so invertible),
    ``(Q[e] - Q[s]) * B^s = sum(c[k] * B^-(k-s) for s <= k < e)``: the hash of ``text[s:e]``
    does not depend on where the substring sits, so every n-gram of a text costs a few
    vector operations instead of a Python slice, join and digest.
    """

    BASE = 0x9E3779B97F4A7C15  # odd
    BASE_INV = pow(BASE, -1, 1 << 64)

    def __init__(self) -> None:
        self._inv = np.ones(1, dtype=np.uint64)
        self._pow = np.ones(1, dtype=np.uint64)

    def _powers(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self._inv) < n + 1:
            size = max(n + 1, 2 * len(self._inv))
            with np.errstate(over="ignore"):
                self._inv = np.cumprod(np.full(size, self.BASE_INV, dtype=np.uint64))
                self._inv[1:] = self._inv[:-1].copy()
                self._inv[0] = 1
                self._pow = np.cumprod(np.full(size, self.BASE, dtype=np.uint64))
                self._pow[1:] = self._pow[:-1].copy()
                self._pow[0] = 1
        return self._inv, self._pow

    def ngram_hashes(self, text: str) -> np.ndarray:
        """Hashes of the :func:`_ngrams` of a normalised text (same n-grams, same order)."""
        codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        cjk = np.count_nonzero((codes - np.uint32(0x3400)) <= np.uint32(0x9FFF - 0x3400))
        words = cjk * 3 <= len(codes)
        if not words:
            codes = codes[codes != 32]  # a normalised text has no other whitespace than U+0020
        n = len(codes)
        inv, pw = self._powers(n)
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(codes * inv[:n], out=prefix[1:])
        if not words:  # NGRAM consecutive non-space characters
            if n < NGRAM:
                return prefix[:0]
            return (prefix[NGRAM:] - prefix[: n - NGRAM + 1]) * pw[: n - NGRAM + 1]
        # NGRAM consecutive words of a normalised text = the substring from the first word's
        # start to the last word's end (words are separated by exactly one space)
        spaces = np.flatnonzero(codes == 32)
        if len(spaces) + 1 < NGRAM:
            return prefix[:0]
        starts = np.concatenate(([0], spaces + 1))[: len(spaces) + 2 - NGRAM]
        ends = np.concatenate((spaces, [n]))[NGRAM - 1 :]
        return (prefix[ends] - prefix[starts]) * pw[starts]


    def ngram_hashes_many(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`ngram_hashes` of many normalised texts at once: all hashes, and the index of
        the text each comes from (``hashes[owners == i]`` are text i's, in order). The hash of a substring does not depend on where it
        sits, so one prefix sum over the joined texts serves them all."""
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype="<u4")
        owner = np.repeat(np.arange(len(texts)), lengths)
        cjk = np.bincount(owner, weights=(codes - np.uint32(0x3400)) <= np.uint32(0x9FFF - 0x3400), minlength=len(texts))
        words = cjk * 3 <= lengths  # per text: word n-grams, else character n-grams without spaces
        keep = ~((codes == 32) & ~words[owner])
        codes, owner = codes[keep], owner[keep]
        n = len(codes)
        inv, pw = self._powers(n)
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(codes * inv[:n], out=prefix[1:])
        # character mode: NGRAM consecutive characters of one text
        start = np.arange(max(n - NGRAM + 1, 0))
        chars = (owner[start] == owner[start + NGRAM - 1]) & ~words[owner[start]]
        char_starts = start[chars]
        char_hashes = (prefix[char_starts + NGRAM] - prefix[char_starts]) * pw[char_starts]
        # word mode (normalised text: words separated by single spaces): from a word's start
        # to the end of the word NGRAM - 1 words later, inside one text
        counts = np.bincount(owner, minlength=len(texts))
        first_of_text = np.zeros(n + 1, dtype=bool)
        first_of_text[np.cumsum(counts) - counts] = True
        last_of_text = np.zeros(n + 1, dtype=bool)
        last_of_text[(np.cumsum(counts) - 1)[counts > 0]] = True
        space = codes == 32
        solid = words[owner] & ~space
        after_space = np.concatenate(([True], space[:-1]))
        before_space = np.concatenate((space[1:], [True]))
        starts = np.flatnonzero(solid & (first_of_text[:n] | after_space))
        ends = np.flatnonzero(solid & (last_of_text[:n] | before_space)) + 1
        span = np.arange(max(len(starts) - NGRAM + 1, 0))
        same = owner[starts[span]] == owner[ends[span + NGRAM - 1] - 1]
        ws, we = starts[span[same]], ends[span[same] + NGRAM - 1]
        word_hashes = (prefix[we] - prefix[ws]) * pw[ws]
        # each text is in one mode, so a text's hashes keep their order (texts interleave)
        return np.concatenate((char_hashes, word_hashes)), np.concatenate((owner[char_starts], owner[ws]))


class Decontaminator:
    """Remembers evaluation texts and flags training records that overlap them.

    Checking a text's n-grams goes through a bitmap of the evaluation n-grams' top bits first
    (one vectorised gather per text); only the few n-grams whose bit is set are looked up in
    the exact set. The bitmap is built at the first check after evaluation records were added.
    """

    def __init__(self) -> None:
        self._whole: set[bytes] = set()
        self._hasher = _SubstringHasher()
        self._grams: set[int] = set()
        self._bitmap: np.ndarray | None = None
        self.eval_items = 0

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_bitmap": None}  # rebuilt where it is used (16 MiB)

    def add_eval_record(self, record: Record) -> None:
        self.eval_items += 1
        self._bitmap = None
        for text in input_texts(record):
            norm = normalise_text(text)
            if not norm:
                continue
            self._whole.add(_digest(norm))
            if len(norm) >= SHORT_TEXT:
                self._grams.update(self._hasher.ngram_hashes(norm).tolist())

    def _maybe(self, hashes: np.ndarray) -> np.ndarray:
        """Which hashes may be evaluation n-grams (their bit is set): a superset, checked exactly after."""
        if self._bitmap is None:
            keys = np.fromiter(self._grams, dtype=np.uint64, count=len(self._grams))
            self._bitmap = np.zeros(1 << (_BITMAP_BITS - 3), dtype=np.uint8)
            slots = keys >> _BITMAP_SHIFT
            np.bitwise_or.at(self._bitmap, slots >> np.uint64(3), np.left_shift(np.uint8(1), (slots & np.uint64(7)).astype(np.uint8)))
        slots = hashes >> _BITMAP_SHIFT
        return ((self._bitmap[slots >> np.uint64(3)] >> (slots & np.uint64(7)).astype(np.uint8)) & np.uint8(1)).astype(bool)

    def drop_reasons(self, inputs: list[list[str]]) -> list[str | None]:
        """:meth:`drop_reason` of many records at once, given their normalised input texts
        (:func:`~biocurate.mix.content.normalised_inputs`): the n-grams of all texts are hashed
        and looked up together."""
        reasons: list[str | None] = [None] * len(inputs)
        if not self.eval_items:
            return reasons
        flat = [(record, text) for record, texts in enumerate(inputs) for text in texts]
        shares = [False] * len(flat)
        long = [i for i, (_, text) in enumerate(flat) if len(text) >= NGRAM]
        if self._grams and long:
            hashes, owners = self._hasher.ngram_hashes_many([flat[i][1] for i in long])
            for owner in np.unique(owners[self._maybe(hashes)]).tolist():
                shares[long[owner]] = not self._grams.isdisjoint(hashes[owners == owner].tolist())
        decided = [False] * len(inputs)
        for (record, text), gram in zip(flat, shares):
            if decided[record]:
                continue
            if _digest(text) in self._whole:
                reasons[record], decided[record] = "contaminated: same text as an evaluation item", True
            elif gram:
                reasons[record], decided[record] = f"contaminated: shares a {NGRAM}-gram with an evaluation item", True
        return reasons

    def drop_reason(self, record: Record) -> str | None:
        """Why a training record is dropped (it overlaps an evaluation item), or None."""
        return self.drop_reasons([normalised_inputs(record)])[0]
