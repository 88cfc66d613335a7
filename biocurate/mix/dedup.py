"""Dedup and decontamination filters: each answers keep, or drop with a reason.

* :class:`ExactDedup` drops a (record, task) whose normalised content was already kept.
* :class:`Decontaminator` drops a training record that overlaps an evaluation item: the same
  normalised text (catches short test items such as one-line queries), or, for longer texts, a
  shared n-gram of 13 words (English) or 13 characters (Chinese), hashed to keep memory small.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from biocurate.schemas import Record

from .content import content_key, input_texts, normalise_text

_CJK = re.compile(r"[\u3400-\u9fff]")
NGRAM = 13
#: Texts shorter than this (normalised characters) are matched whole, not by n-grams.
SHORT_TEXT = 40


class ExactDedup:
    """Keeps the first copy of each (task, normalised content)."""

    def __init__(self) -> None:
        self._seen: set[bytes] = set()
        self._new: list[bytes] = []

    def drop_reason(self, record: Record, task: str) -> str | None:
        key = content_key(record, task)
        if key in self._seen:
            return "exact duplicate"
        self._seen.add(key)
        self._new.append(key)
        return None

    def take_new_keys(self) -> bytes:
        """Keys kept since the last call, concatenated (saved beside a finished spool)."""
        data, self._new = b"".join(self._new), []
        return data

    def load_keys(self, data: bytes) -> None:
        """Restore keys saved by :meth:`take_new_keys` (when resuming an export)."""
        self._seen.update(data[i : i + 16] for i in range(0, len(data), 16))


def _ngrams(text: str) -> Iterable[str]:
    """Character n-grams for Chinese-heavy text, word n-grams otherwise."""
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


class Decontaminator:
    """Remembers evaluation texts and flags training records that overlap them."""

    def __init__(self) -> None:
        self._whole: set[bytes] = set()
        self._grams: set[bytes] = set()
        self.eval_items = 0

    def add_eval_record(self, record: Record) -> None:
        self.eval_items += 1
        for text in input_texts(record):
            norm = normalise_text(text)
            if not norm:
                continue
            self._whole.add(_digest(norm))
            if len(norm) >= SHORT_TEXT:
                self._grams.update(_digest(g) for g in _ngrams(norm))

    def drop_reason(self, record: Record) -> str | None:
        if not self.eval_items:
            return None
        for text in input_texts(record):
            norm = normalise_text(text)
            if _digest(norm) in self._whole:
                return "contaminated: same text as an evaluation item"
            if self._grams and len(norm) >= NGRAM:
                for gram in _ngrams(norm):
                    if _digest(gram) in self._grams:
                        return f"contaminated: shares a {NGRAM}-gram with an evaluation item"
        return None
