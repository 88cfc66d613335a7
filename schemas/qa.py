"""Question-answering schema (BigBio ``qa``): yes/no, multiple choice, factoid, list, free QA.

``type`` is one of :data:`QA_TYPES`. For ``multiple_choice`` and ``yesno`` the ``choices``
are required and every answer must be one of them. ``long_answer`` (biocurate extra) keeps an
explanation such as PubMedQA's long answer or MedMCQA's explanation.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ._base import Record

QAType = Literal["yesno", "multiple_choice", "factoid", "list", "summary", "sqa", "cqa"]
QA_TYPES: tuple[str, ...] = ("yesno", "multiple_choice", "factoid", "list", "summary", "sqa", "cqa")


class QARecord(Record):
    """A question with optional context and choices, and its gold answer(s)."""

    SCHEMA: ClassVar[str] = "qa"
    EXTRA_FIELDS: ClassVar[tuple[str, ...]] = ("dataset", "split", "language", "long_answer")

    question_id: str
    document_id: str
    question: str
    type: QAType
    choices: list[str] = Field(default_factory=list)
    context: str = ""
    answer: list[str]
    long_answer: list[str] = Field(default_factory=list)
