"""The order-free half of spooling: a block of raw items -> checked, keyed, rendered rows.

Everything done here depends on one record only (conversion, schema rules, decontamination
against the fixed evaluation set, exact-dedup keys, near-dup signatures, template rendering),
so blocks can be built in worker processes in any order. What depends on the records that
came before (repeated ids, exact and near dedup) is decided afterwards in record order by
:mod:`.spooling`, which keeps or drops each (record, task) *slot* of a block and its rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np
import pyarrow as pa

from biocurate.loaders import Reject
from biocurate.loaders._base import SourceItem
from biocurate.mix.budget import language_key
from biocurate.mix.content import content_key
from biocurate.mix.dedup import Decontaminator
from biocurate.mix.spec import MixtureSpec
from biocurate.schemas import Record, check_record
from biocurate.templates.engine import render_record
from biocurate.templates.views import ViewContext

from .rows import SPOOL_SCHEMA, sample_row
from .sources import Source

#: Raw items per block: small enough to keep workers' queues light, large enough that
#: handing a block between processes costs little next to building it.
BLOCK_ITEMS = 256


@dataclass
class TaskResult:
    """One (record, task) slot: what the order-dependent filters need, and its rows' targets."""

    decontaminated: str | None
    key: bytes | None
    #: ``category|language key`` of each spooled row of this slot, in row order
    targets: list[str] = field(default_factory=list)
    no_target: int = 0
    #: a rendering failure, raised only if the slot is kept (a dropped record never renders)
    error: BaseException | None = None


@dataclass
class RecordResult:
    """A converted record: its id, its schema problems and one :class:`TaskResult` per task."""

    id: str
    dataset: str
    split: str
    problems: list[tuple[str, str]]
    signature: np.ndarray | None = None
    tasks: list[TaskResult] = field(default_factory=list)


@dataclass
class Block:
    """The results of ``items`` consecutive raw items of one split, in item order."""

    items: int
    results: list[RecordResult | Reject]
    #: every rendered row of every slot, slot by slot; ``row_slots[i]`` is row i's slot
    rows: pa.RecordBatch | None
    row_slots: np.ndarray


def chunks(items: Iterable[Any], size: int = BLOCK_ITEMS) -> Iterator[list[Any]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class BlockBuilder:
    """Builds the :class:`Block` of raw items of one dataset.

    Args:
        spec: the mixture (seed, targets).
        source: the dataset, its tasks and loader.
        decontaminator: evaluation texts to check against, or None.
        exact: compute exact-dedup keys.
        near: a near-dup filter whose :meth:`signature_of` gives signatures, or None.
    """

    def __init__(self, spec: MixtureSpec, source: Source, decontaminator: Decontaminator | None, exact: bool, near: Any = None) -> None:
        self.spec = spec
        self.source = source
        self.decontaminator = decontaminator
        self.exact = exact
        self.near = near
        self.ctx = ViewContext(source.meta.label_sets, source.meta.label_names)

    def build(self, split: str, first_index: int, items: list[SourceItem | Reject]) -> Block:
        """Convert, check, key and render ``items`` (the split's items from ``first_index`` on)."""
        loader = self.source.loader
        results: list[RecordResult | Reject] = []
        rows: list[dict[str, Any]] = []
        slots: list[int] = []
        slot = 0
        for offset, item in enumerate(items):
            converted = [item] if isinstance(item, Reject) else loader.convert_item(item, split, first_index + offset)
            for record in converted:
                if isinstance(record, Reject):
                    results.append(record)
                    continue
                result = self._record(record, rows, slots, slot)
                slot += len(result.tasks)
                results.append(result)
        batch = pa.RecordBatch.from_pylist(rows, schema=SPOOL_SCHEMA) if rows else None
        return Block(len(items), results, batch, np.asarray(slots, dtype=np.int64))

    def _record(self, record: Record, rows: list[dict[str, Any]], slots: list[int], first_slot: int) -> RecordResult:
        problems = [(p.field, p.reason) for p in check_record(record, self.source.meta.label_sets)]
        result = RecordResult(record.id, record.dataset, record.split, problems)
        if problems:
            return result  # rejected whatever came before: nothing to key or render
        decontaminated = self.decontaminator.drop_reason(record) if self.decontaminator is not None else None
        if self.near is not None and decontaminated is None:
            result.signature = self.near.signature_of(record)
        meta = self.source.meta
        for offset, task in enumerate(self.source.tasks):
            task_result = TaskResult(decontaminated, content_key(record, task) if self.exact and decontaminated is None else None)
            result.tasks.append(task_result)
            if decontaminated is not None:
                continue
            try:
                samples = render_record(record, task, self.spec.seed, self.ctx)
            except Exception as exc:  # noqa: BLE001 - re-raised by the spooler if the slot is kept
                task_result.error = exc
                continue
            for index, sample in enumerate(samples):
                key = language_key(self.spec, sample.category, sample.language)
                if key is None:
                    task_result.no_target += 1
                    continue
                rows.append(sample_row(record, sample, index, meta.license, key))
                slots.append(first_slot + offset)
                task_result.targets.append(f"{sample.category}|{key}")
        return result
