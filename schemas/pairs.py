"""Text-pair schema (BigBio ``pairs``): similarity and pair classification.

Labels are strings, scores included (BIOSSES ``"2.6"``), exactly as BigBio stores them.
"""

from __future__ import annotations

from typing import ClassVar

from ._base import Record


class PairsRecord(Record):
    """Two texts and the label of the pair."""

    SCHEMA: ClassVar[str] = "pairs"

    document_id: str
    text_1: str
    text_2: str
    label: str
