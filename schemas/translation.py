"""Translation schema: a parallel text pair, in BigBio's ``t2t`` layout.

BigBio stores translation as ``t2t`` with the language codes as the text names
(``text_1_name="zh"``, ``text_2_name="en"``); this model keeps that layout and checks the
names are language codes. Direction at render time is chosen by the task (zh→en or en→zh).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from ._base import Record


class TranslationRecord(Record):
    """Two parallel texts with their language codes."""

    SCHEMA: ClassVar[str] = "t2t"

    document_id: str
    text_1: str
    text_2: str
    text_1_name: Literal["zh", "en"]
    text_2_name: Literal["zh", "en"]

    def text_in(self, language: str) -> str:
        """The side written in ``language`` (``zh`` or ``en``)."""
        if self.text_1_name == language:
            return self.text_1
        if self.text_2_name == language:
            return self.text_2
        raise KeyError(language)
