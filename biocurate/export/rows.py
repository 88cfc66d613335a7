"""The exported row: one instruction sample with its provenance, and its fixed Arrow schema.

The schema is declared here once (never inferred from data), so every shard of every export
has the same columns and types.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

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
MESSAGE_TYPE = pa.struct([("role", pa.string()), ("content", pa.string())])
#: ``[{role, content}, ...]``: the conversational layout TRL, transformers' chat templates and
#: LLaMA-Factory/axolotl read (roles ``system``, ``user``, ``assistant``).
MESSAGES_TYPE = pa.list_(MESSAGE_TYPE)
#: Extra columns of evaluation rows: what the scorer needs to parse and score an answer.
EVAL_FIELDS: list[pa.Field] = [
    pa.field("answer_format", pa.string()),
    pa.field("gold", pa.string()),
    pa.field("parse_context", pa.string()),
]
#: Spool-only column: which target (category, language key) a row counts towards.
GROUP_FIELD = pa.field("target_language", pa.string())

ROW_SCHEMA = pa.schema(ROW_FIELDS)
#: Columns of a Parquet shard of a training export: the row and its ``messages``, derived from
#: ``conversation`` when the shard is written (:func:`with_messages`).
SHARD_SCHEMA = pa.schema(ROW_FIELDS + [pa.field("messages", MESSAGES_TYPE)])
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


ROLES = pa.array(["user", "assistant", "system"], pa.string())


def system_prompt(system: str | dict[str, str] | None, language: str) -> str | None:
    """The system prompt of a row in ``language`` (see ``MixtureSpec.system``)."""
    if system is None or isinstance(system, str):
        return system
    return system.get(language, system.get("default"))


def messages_array(conversation: pa.Array | pa.ChunkedArray, systems: list[str | None] | None = None) -> pa.ListArray:
    """``conversation`` (``[{human, assistant}, ...]`` per row) as ``messages``
    (``[{role, content}, ...]``), an optional system message first where ``systems[i]`` is set.

    Built with array arithmetic (one gather of the strings), not row by row: it runs on every
    written row."""
    if isinstance(conversation, pa.ChunkedArray):
        conversation = conversation.combine_chunks()
    offsets = np.asarray(conversation.offsets, dtype=np.int64)
    offsets = offsets - offsets[0]
    turns = conversation.flatten()
    rows, total_turns = len(conversation), len(turns)
    per_row = np.diff(offsets)
    has_system = np.zeros(rows, dtype=np.int64) if systems is None else np.fromiter((s is not None for s in systems), np.int64, rows)
    starts = np.concatenate([[0], np.cumsum(2 * per_row + has_system)])
    size = int(starts[-1])
    # where each string of [human..., assistant..., system...] goes, and which role it has
    source = np.empty(size, dtype=np.int64)
    role = np.empty(size, dtype=np.int64)
    row_of_turn = np.repeat(np.arange(rows), per_row)
    turn_in_row = np.arange(total_turns) - offsets[row_of_turn]
    user_at = starts[row_of_turn] + has_system[row_of_turn] + 2 * turn_in_row
    source[user_at], role[user_at] = np.arange(total_turns), 0
    source[user_at + 1], role[user_at + 1] = total_turns + np.arange(total_turns), 1
    system_rows = np.flatnonzero(has_system)
    source[starts[system_rows]], role[starts[system_rows]] = 2 * total_turns + system_rows, 2
    system_texts = pa.array(systems if systems is not None else [], pa.string())
    strings = pa.concat_arrays([turns.field("human").cast(pa.string()), turns.field("assistant").cast(pa.string()), system_texts])
    content = strings.take(pa.array(source)) if size else pa.array([], pa.string())
    roles = ROLES.take(pa.array(role)) if size else pa.array([], pa.string())
    messages = pa.StructArray.from_arrays([roles, content], fields=list(MESSAGE_TYPE))
    return pa.ListArray.from_arrays(pa.array(starts, pa.int32()), messages, type=MESSAGES_TYPE)


def with_messages(table: pa.Table, system: str | dict[str, str] | None = None) -> pa.Table:
    """``table`` (training rows) with its ``messages`` column appended (:data:`SHARD_SCHEMA`)."""
    systems = None
    if system is not None:
        by_language = {lang: system_prompt(system, lang) for lang in pc.unique(table.column("language")).to_pylist()}
        systems = [by_language[lang] for lang in table.column("language").to_pylist()]
    return table.append_column(SHARD_SCHEMA.field("messages"), messages_array(table.column("conversation"), systems))
