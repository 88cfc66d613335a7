"""The exported row: one instruction sample with its provenance, and its fixed Arrow schema.

The schema is declared here once (never inferred from data), so every shard of every export
has the same columns and types.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from biocurate.schemas import Record
from biocurate.templates.engine import RenderedSample

CONVERSATION_TYPE = pa.list_(pa.struct([("human", pa.string()), ("assistant", pa.string())]))

#: Columns of a training row, in order.
ROW_FIELDS: list[pa.Field] = [
    pa.field("id", pa.string()),
    pa.field("dataset", pa.string()),
    pa.field("split", pa.string()),
    pa.field("record_id", pa.string()),
    pa.field("template_id", pa.string()),
    pa.field("task", pa.string()),
    pa.field("category", pa.string()),
    pa.field("language", pa.string()),
    pa.field("licence", pa.string()),
    pa.field("conversation", CONVERSATION_TYPE),
]
#: Extra columns of evaluation rows: what the scorer needs to parse and score an answer.
EVAL_FIELDS: list[pa.Field] = [
    pa.field("answer_format", pa.string()),
    pa.field("gold", pa.string()),
    pa.field("parse_context", pa.string()),
]
#: Spool-only column: which target (category, language key) a row counts towards.
GROUP_FIELD = pa.field("target_language", pa.string())

ROW_SCHEMA = pa.schema(ROW_FIELDS)
EVAL_SCHEMA = pa.schema(ROW_FIELDS + EVAL_FIELDS)
SPOOL_SCHEMA = pa.schema(ROW_FIELDS + EVAL_FIELDS + [GROUP_FIELD])


def sample_row(record: Record, sample: RenderedSample, index: int, licence: str, target_language: str) -> dict[str, Any]:
    """The spool row of one rendered sample (``index`` numbers samples of one record and task)."""
    return {
        "id": f"{record.dataset}/{record.id}/{sample.task}/{index}",
        "dataset": record.dataset,
        "split": record.split,
        "record_id": record.id,
        "template_id": sample.template_id,
        "task": sample.task,
        "category": sample.category,
        "language": sample.language,
        "licence": licence,
        "conversation": sample.conversation,
        "answer_format": sample.answer_format,
        "gold": json.dumps(sample.gold, ensure_ascii=False),
        "parse_context": json.dumps(sample.parse_context, ensure_ascii=False),
        "target_language": target_language,
    }
