"""The exported row: one instruction sample with its provenance, and its fixed Arrow schema.

The schema is declared here once (never inferred from data), so every shard of every export
has the same columns and types.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
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
#: What the map step writes per candidate sample: its row and its target (the evaluation
#: columns are never written by a training export, so they are not spooled either).
SPOOL_SCHEMA = pa.schema(ROW_FIELDS + [GROUP_FIELD])


#: ``json.dumps(value, ensure_ascii=False)`` without building an encoder per call.
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def sample_values(record: Record, sample: RenderedSample, index: int, licence: str, target_language: str) -> tuple[Any, ...]:
    """The spool row of one rendered sample as values in :data:`SPOOL_SCHEMA` column order
    (``index`` numbers samples of one record and task)."""
    return (*_row_values(record, sample, index, licence), target_language)


def sample_row(record: Record, sample: RenderedSample, index: int, licence: str, target_language: str) -> dict[str, Any]:
    """The spool row of one rendered sample as a dict (see :func:`sample_values`)."""
    return dict(zip(SPOOL_SCHEMA.names, sample_values(record, sample, index, licence, target_language)))


def eval_row(record: Record, sample: RenderedSample, index: int, licence: str) -> dict[str, Any]:
    """One rendered sample as an evaluation row (:data:`EVAL_SCHEMA`): its row, the answer
    format, and the gold and parse context as JSON."""
    values = (
        *_row_values(record, sample, index, licence),
        sample.answer_format,
        _to_json(sample.gold),
        _to_json(sample.parse_context) if sample.parse_context else "{}",
    )
    return dict(zip(EVAL_SCHEMA.names, values))


def _row_values(record: Record, sample: RenderedSample, index: int, licence: str) -> tuple[Any, ...]:
    """The :data:`ROW_SCHEMA` values of one rendered sample."""
    return (
        f"{record.dataset}/{record.id}/{sample.task}/{index}",  # id
        record.dataset,
        record.split,
        record.id,  # record_id
        sample.template_id,
        sample.task,
        sample.category,
        sample.language,
        licence,
        sample.conversation,
    )


class RowColumns:
    """Spool rows (:func:`sample_values` tuples) turned into one batch column by column:
    several times faster than ``RecordBatch.from_pylist`` of row dicts, and the same batch."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, values: tuple[Any, ...]) -> None:
        """Add one row given as :func:`sample_values`."""
        self.rows.append(values)

    def to_batch(self) -> pa.RecordBatch:
        columns = list(zip(*self.rows)) if self.rows else [() for _ in SPOOL_SCHEMA]
        arrays = [pa.array(column, type=f.type) for column, f in zip(columns, SPOOL_SCHEMA)]
        return pa.RecordBatch.from_arrays(arrays, schema=SPOOL_SCHEMA)


def take_rows(data: pa.Table | pa.RecordBatch, indices: np.ndarray) -> pa.Table | pa.RecordBatch:
    """``data.take(indices)``, but a run of consecutive rows (nearly always: a block keeps all its
    rows, a stream's rows of a spool table are one run) is a zero-copy slice, not a gather."""
    if len(indices) and (len(indices) == 1 or bool((np.diff(indices) == 1).all())):
        return data.slice(int(indices[0]), len(indices))
    return data.take(pa.array(indices))


def group_rows(batch: pa.RecordBatch | pa.Table, first: str, second: str) -> list[tuple[tuple[str, str], np.ndarray]]:
    """``[((value of first, value of second), row indices in order), ...]`` sorted by the pair."""
    columns = [batch.column(name) for name in (first, second)]
    a, b = (c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in columns)
    a, b = a.dictionary_encode(), b.dictionary_encode()
    width = len(b.dictionary)
    codes = a.indices.to_numpy(zero_copy_only=False).astype(np.int64) * width + b.indices.to_numpy(zero_copy_only=False)
    names_a, names_b = a.dictionary.to_pylist(), b.dictionary.to_pylist()
    groups = [((names_a[c // width], names_b[c % width]), np.flatnonzero(codes == c)) for c in np.unique(codes).tolist()]
    return sorted(groups, key=lambda g: g[0])
