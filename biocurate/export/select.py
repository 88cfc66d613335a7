"""Steps 4 and 5 of an export: seeded selection per group, then the write in priority order.

Selection: within each (dataset, category, language) group the kept rows are numbered in
priority order; the plan's quota takes every row ``quota // n`` times and ``quota % n`` more
rows chosen by a generator seeded from (seed, dataset, category, language).

Write: each dataset's kept rows are read back in priority order (the blocks of a split's
units interleave as they were dealt out), cut into tables of :data:`BATCH_ROWS` rows and handed
to the writers with the positions of their chosen rows; the writers' streams, shard
boundaries and Parquet options are fixed, so the bytes depend on the rows alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import numpy as np
import pyarrow as pa
from biocurate.progress import tqdm

from biocurate.mix.budget import GroupPlan
from biocurate.mix.spec import MixtureSpec
from biocurate.templates.engine import stable_seed

from .rows import ROW_SCHEMA, SPOOL_SCHEMA, group_rows, take_rows
from .units import MapSettings, WorkUnit, unit_paths
from .writers import Writer

#: Rows per table handed to the writers (part of what fixes the shards' row groups).
BATCH_ROWS = 2048


def selection(spec: MixtureSpec, plans: list[GroupPlan]) -> dict[tuple[str, str, str], np.ndarray]:
    """For each (dataset, category, language key): how many times each kept row is taken."""
    chosen = {}
    for group in plans:
        for dataset, quota in group.quotas.items():
            n = group.available[dataset]
            times = np.full(n, quota // n if n else 0, dtype=np.int32)
            rest = quota - int(times.sum())
            if rest:
                rng = np.random.default_rng(stable_seed(f"{spec.seed}|select|{dataset}|{group.category}|{group.language}"))
                times[rng.choice(n, rest, replace=False)] += 1
            chosen[(dataset, group.category, group.language)] = times
    return chosen


def kept_rows(settings: MapSettings, units: list[WorkUnit], kept: dict[str, np.ndarray]) -> Iterator[pa.Table]:
    """One dataset's kept rows (``units``: all its units) in priority order, in tables of
    :data:`BATCH_ROWS` rows (the last may be shorter)."""
    columns = SPOOL_SCHEMA.names
    pending: list[pa.RecordBatch] = []
    waiting = 0
    for unit_name, first, batch in _blocks_in_order(settings, units):
        if not batch.num_rows:
            continue
        keep = np.flatnonzero(kept[unit_name][first:first + batch.num_rows])
        if not len(keep):
            continue
        pending.append(take_rows(batch.select(columns), keep))
        waiting += len(keep)
        while waiting >= BATCH_ROWS:
            table, pending = _cut(pending, BATCH_ROWS)
            waiting -= BATCH_ROWS
            yield table
    if waiting:
        yield _cut(pending, waiting)[0]


def _blocks_in_order(settings: MapSettings, units: list[WorkUnit]) -> Iterator[tuple[str, int, pa.RecordBatch]]:
    """Every block batch of the units in reading order, with its unit and the unit's row number
    of its first row: per split, block ``j * parts + p`` is batch ``j`` of part ``p``."""
    by_split: dict[int, list[WorkUnit]] = {}
    for unit in units:
        by_split.setdefault(unit.split_index, []).append(unit)
    for split_index in sorted(by_split):
        parts = sorted(by_split[split_index], key=lambda u: u.part)
        with ExitStack() as stack:
            # read, not memory-mapped: mapped pages of every unit would count as resident memory
            readers = [pa.ipc.open_file(stack.enter_context(pa.OSFile(str(unit_paths(settings.work, u)["rows.arrow"]), "rb")))
                       for u in parts]
            rounds = max(r.num_record_batches for r in readers)
            offsets = [0] * len(parts)
            for j in range(rounds):
                for number, (unit, reader) in enumerate(zip(parts, readers)):
                    if j < reader.num_record_batches:
                        batch = reader.get_batch(j)
                        yield unit.name, offsets[number], batch
                        offsets[number] += batch.num_rows


def _cut(batches: list[Any], rows: int) -> tuple[pa.Table, list[pa.RecordBatch]]:
    """The first ``rows`` rows of ``batches`` as a table, and the rest (zero-copy slices)."""
    table = pa.Table.from_batches(batches)
    rest = table.slice(rows)
    return table.slice(0, rows), rest.to_batches() if rest.num_rows else []


def write_outputs(settings: MapSettings, units_by_dataset: dict[str, list[WorkUnit]], kept: dict[str, np.ndarray],
                  chosen: dict, writers: list[Writer], progress: bool) -> Counter:
    """Write every dataset's chosen rows (repeated when a quota exceeds what is kept), in
    dataset order; returns the rows written per (category, language, dataset)."""
    achieved: Counter = Counter()
    columns = [f.name for f in ROW_SCHEMA]
    for dataset, units in tqdm(units_by_dataset.items(), desc="write", unit="dataset", disable=not progress, leave=False):
        cursor: Counter = Counter()
        for batch in kept_rows(settings, units, kept):
            reps = np.zeros(batch.num_rows, dtype=np.int64)
            for (cat, lang), rows in group_rows(batch, "category", "target_language"):
                key = (dataset, cat, lang)
                k = cursor[key]
                cursor[key] += len(rows)
                times = chosen.get(key)
                if times is not None:
                    taken = times[k:k + len(rows)]
                    reps[rows] = taken
                    if taken.any():
                        achieved[(cat, lang, dataset)] += int(taken.sum())
            if reps.any():
                positions = np.repeat(np.arange(batch.num_rows, dtype=np.int64), reps)
                for writer in writers:
                    writer.write(batch.select(columns), positions)
        for writer in writers:  # a dataset is done: buffered rows go out (bounds memory)
            writer.flush()
    return achieved
