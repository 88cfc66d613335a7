"""Text classification schema (BigBio ``text``): one text, one or more labels."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ._base import Record


class TextRecord(Record):
    """A text with its labels (a list: multi-label corpora such as HoC use several)."""

    SCHEMA: ClassVar[str] = "text"

    document_id: str
    text: str
    labels: list[str] = Field(default_factory=list)
