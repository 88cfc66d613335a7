"""Typed records for every task family (stage 1 of the pipeline).

Field names and layout follow BigBio's kb/qa/text/pairs/t2t/te schemas; biocurate adds
``dataset``, ``split`` and ``language`` (and a few per-family extras) that
:meth:`Record.to_bigbio` drops. JSON Schema files generated from these models sit beside
this module (``<name>.schema.json``); ``python -m biocurate.schemas`` rewrites them.

Example:
    >>> from biocurate.schemas import TextRecord
    >>> r = TextRecord(id="0", dataset="kuake_qic", split="validation", language="zh",
    ...                document_id="s1", text="心肌缺血如何治疗？", labels=["治疗方案"])
    >>> r.to_bigbio()["labels"]
    ['治疗方案']
"""

from __future__ import annotations

from ._base import Record
from .checks import IdTracker, Problem, check_record
from .dialogue import DialogueRecord, Turn
from .kb import Coreference, Entity, Event, EventArgument, KBRecord, Normalization, Passage, Relation, Trigger
from .pairs import PairsRecord
from .qa import QA_TYPES, QARecord
from .t2t import REPORT_SECTIONS_ZH, Section, T2TRecord
from .te import TERecord
from .text import TextRecord
from .translation import TranslationRecord

#: Schema name -> record model. ``translation`` and ``dialogue`` are biocurate's own names.
SCHEMAS: dict[str, type[Record]] = {
    "kb": KBRecord,
    "qa": QARecord,
    "text": TextRecord,
    "pairs": PairsRecord,
    "te": TERecord,
    "t2t": T2TRecord,
    "translation": TranslationRecord,
    "dialogue": DialogueRecord,
}


def model_for(schema: str) -> type[Record]:
    """The record model of a schema name; raises ``KeyError`` listing the known names."""
    try:
        return SCHEMAS[schema]
    except KeyError:
        raise KeyError(f"unknown schema {schema!r}; known: {', '.join(SCHEMAS)}") from None


__all__ = [
    "SCHEMAS", "model_for", "Record", "KBRecord", "Passage", "Entity", "Normalization", "Relation",
    "Event", "Trigger", "EventArgument", "Coreference", "QARecord", "QA_TYPES", "TextRecord",
    "PairsRecord", "TERecord", "T2TRecord", "Section", "REPORT_SECTIONS_ZH", "TranslationRecord",
    "DialogueRecord", "Turn", "check_record", "Problem", "IdTracker",
]
