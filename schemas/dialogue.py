"""Dialogue schema (biocurate's own; BigBio has none): ordered turns with roles.

Covers Taiyi's multi-round dialogue (patient/doctor), single-turn consultations, general
chat and chain-of-thought data. ``role`` is ``user`` or ``assistant``; ``speaker`` keeps the
corpus's own name for the speaker (患者, 医生, patient, doctor...) when it has one.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ._base import Record, StrictModel


class Turn(StrictModel):
    """One utterance."""

    role: Literal["user", "assistant"]
    text: str
    speaker: str = ""


class DialogueRecord(Record):
    """A conversation: optional context, then turns alternating user/assistant."""

    SCHEMA: ClassVar[str] = "dialogue"

    document_id: str
    context: str = ""
    turns: list[Turn] = Field(min_length=1)
