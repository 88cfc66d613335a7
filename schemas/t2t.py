"""Text-to-text schema (BigBio ``t2t``): summaries, titles, reports.

``text_1_name``/``text_2_name`` say what each side is (``abstract``/``title``,
``dialogue``/``report``). Report generation keeps its named sections in ``sections``
(biocurate extra, e.g. 主诉/现病史/辅助检查/既往史/诊断/建议) while ``text_2`` holds the
report as one text, so the record still casts to BigBio's ``t2t``.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ._base import Record, StrictModel

#: Section names of a Chinese medical report (IMCS-V2-MRG), in report order.
REPORT_SECTIONS_ZH: tuple[str, ...] = ("主诉", "现病史", "辅助检查", "既往史", "诊断", "建议")


class Section(StrictModel):
    """One named section of a structured output."""

    name: str
    text: str


class T2TRecord(Record):
    """An input text and the text to generate from it."""

    SCHEMA: ClassVar[str] = "t2t"
    EXTRA_FIELDS: ClassVar[tuple[str, ...]] = ("dataset", "split", "language", "sections")

    document_id: str
    text_1: str
    text_2: str
    text_1_name: str
    text_2_name: str
    sections: list[Section] = Field(default_factory=list)
