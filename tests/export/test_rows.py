"""Spool rows: one definition (sample_values, in schema column order) behind the dict form and
the column builder, and the batch equals pyarrow's own conversion of the row dicts."""

from __future__ import annotations

import itertools
import json

import pyarrow as pa

from biocurate.export.rows import EVAL_SCHEMA, ROW_SCHEMA, SPOOL_SCHEMA, RowColumns, eval_row, sample_row, sample_values
from biocurate.loaders import Reject, get_loader
from biocurate.sources import samples_dir
from biocurate.templates.engine import render_record
from biocurate.templates.views import ViewContext


def test_rows_of_real_samples_make_the_batch_pyarrow_makes() -> None:
    dicts, columns = [], RowColumns()
    for name, folder, task in (("cmeee", "CMeEE", "ner"), ("bc5cdr", "BC5CDR", "re"), ("firefly", "Firefly-dummy", "chat")):
        loader = get_loader(name)(samples_dir() / folder)
        ctx = ViewContext(loader.meta.label_sets, loader.meta.label_names)
        split = loader.available_splits()[0]
        for record in itertools.islice((r for r in loader.records(split) if not isinstance(r, Reject)), 5):
            for index, sample in enumerate(render_record(record, task, 1, ctx)):
                values = sample_values(record, sample, index, loader.meta.license, "zh")
                row = sample_row(record, sample, index, loader.meta.license, "zh")
                assert list(row) == SPOOL_SCHEMA.names and tuple(row.values()) == values
                dicts.append(row)
                columns.add(values)
    assert len(columns) == len(dicts) > 10
    expected = pa.RecordBatch.from_pylist(dicts, schema=SPOOL_SCHEMA)
    assert columns.to_batch().equals(expected)
    assert RowColumns().to_batch().num_rows == 0


def test_eval_rows_add_the_scorers_columns_to_the_row() -> None:
    loader = get_loader("cmeee")(samples_dir() / "CMeEE")
    ctx = ViewContext(loader.meta.label_sets, loader.meta.label_names)
    record = next(r for r in loader.records(loader.available_splits()[0]) if not isinstance(r, Reject))
    sample = render_record(record, "ner", 1, ctx)[0]
    row = eval_row(record, sample, 0, loader.meta.license)
    assert list(row) == EVAL_SCHEMA.names
    spooled = sample_row(record, sample, 0, loader.meta.license, "zh")
    assert {k: row[k] for k in ROW_SCHEMA.names} == {k: spooled[k] for k in ROW_SCHEMA.names}
    assert row["answer_format"] == sample.answer_format
    assert json.loads(row["gold"]) == json.loads(json.dumps(sample.gold))
    assert json.loads(row["parse_context"]) == (sample.parse_context or {})
    assert "gold" not in SPOOL_SCHEMA.names  # a training export never writes the scorer's columns
