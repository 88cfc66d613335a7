"""Textual entailment schema (BigBio ``te``): premise, hypothesis, label.

BigBio's ``te`` Features have no ``document_id``; neither does this model.
"""

from __future__ import annotations

from typing import ClassVar

from ._base import Record


class TERecord(Record):
    """A premise/hypothesis pair with an entailment label (entailment/neutral/contradiction)."""

    SCHEMA: ClassVar[str] = "te"

    premise: str
    hypothesis: str
    label: str
