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

from biocurate.loaders import Reject
from biocurate.loaders._base import Deferred, SourceItem, resolve_item
from biocurate.mix.budget import language_key
from biocurate.mix.content import content_keys, normalised_inputs_of
from biocurate.mix.dedup import Decontaminator
from biocurate.mix.spec import MixtureSpec
from biocurate.schemas import Record, check_record
from biocurate.templates.engine import render_record
from biocurate.templates.views import ViewContext

from .rows import RowColumns, sample_values
from .sources import Source
from .spool import FragmentWriter, RowsRef

#: Raw items per block: small enough to keep workers' queues light, large enough that
#: handing a block between processes costs little next to building it.
BLOCK_ITEMS = 256


#: One (record, task) slot: ``(decontaminated, key, targets, no_target, error)``:
#: the decontamination reason or None, the exact-dedup key or None, ``category|language key``
#: of each spooled row of the slot (in row order), samples with no target, and a rendering
#: failure (raised by the spooler only if the slot is kept: a dropped record never renders).
#: Plain tuples: blocks cross process boundaries, and tuples pickle several times faster.
TaskResult = tuple[str | None, bytes | None, list[str], int, BaseException | None]
#: A converted record: ``(id, dataset, split, problems, near_row, tasks)``, where
#: ``problems`` are its schema problems as ``(field, reason)``, ``near_row`` its row in the
#: block's near-dup arrays (None: no near-dup check) and ``tasks`` one :data:`TaskResult` per
#: task of the source (none when it has problems).
RecordResult = tuple[str, str, str, list[tuple[str, str]], int | None, list[TaskResult]]


@dataclass
class Block:
    """The results of ``items`` consecutive raw items of one split, in item order."""

    items: int
    results: list[RecordResult | Reject]
    #: where every rendered row of every slot was written, slot by slot (a batch of a spool
    #: fragment, :data:`~biocurate.export.rows.SPOOL_SCHEMA`); ``row_slots[i]`` is row i's slot
    rows: RowsRef | None
    row_slots: np.ndarray
    slots: int
    #: near-dup band keys and 8-bit signatures (:meth:`NearDedup.prepare`), one row per record
    near_keys: np.ndarray | None = None
    near_small: np.ndarray | None = None
    #: no reject, schema problem, decontaminated slot or rendering failure in the block: if its
    #: ids and keys are all new, every slot is kept (the spooler's fast path)
    clean: bool = False
    #: spooled rows per ``category|language key`` and samples with no target, over all slots
    targets: dict[str, int] = field(default_factory=dict)
    no_target: int = 0


def chunks(items: Iterable[Any], size: int = BLOCK_ITEMS) -> Iterator[tuple[int, list[Any]]]:
    """Consecutive lists of ``size`` items (the last may be shorter), each with the position
    of its first item."""
    iterator = iter(items)
    first = 0
    while chunk := list(islice(iterator, size)):
        yield first, chunk
        first += len(chunk)


class BlockBuilder:
    """Builds the :class:`Block` of raw items of one dataset.

    Args:
        spec: the mixture (seed, targets).
        source: the dataset, its tasks and loader.
        decontaminator: evaluation texts to check against, or None.
        exact: compute exact-dedup keys.
        near: a near-dup filter (:class:`~biocurate.mix.neardup.NearDedup`) for signatures and
            band keys, or None.
    """

    def __init__(self, spec: MixtureSpec, source: Source, decontaminator: Decontaminator | None, exact: bool, near: Any = None) -> None:
        self.spec = spec
        self.source = source
        self.decontaminator = decontaminator
        self.exact = exact
        self.near = near
        self.ctx = ViewContext(source.meta.label_sets, source.meta.label_names)
        #: (category, sample language) -> (target language key, "category|key"), or Nones
        self._targets: dict[tuple[str, str], tuple[str, str] | tuple[None, None]] = {}

    def build(self, split: str, first_index: int, items: list[SourceItem | Reject | Deferred], sink: FragmentWriter) -> Block:
        """Convert, check, key and render ``items`` (the split's items from ``first_index`` on,
        as :meth:`~biocurate.loaders.Loader.read_deferred` yields them); the rows go to ``sink``."""
        loader = self.source.loader
        results: list[Any] = []
        sound: list[tuple[int, Record]] = []  # (position in results, record) of records without problems
        for offset, deferred in enumerate(items):
            item = resolve_item(deferred)
            converted = [item] if isinstance(item, Reject) else loader.convert_item(item, split, first_index + offset)
            for record in converted:
                if isinstance(record, Reject):
                    results.append(record)
                    continue
                problems = [(p.field, p.reason) for p in check_record(record, self.source.meta.label_sets)]
                if problems:  # rejected whatever came before: nothing to key or render
                    results.append((record.id, record.dataset, record.split, problems, None, []))
                else:
                    sound.append((len(results), record))
                    results.append(None)
        decontaminated, signatures = self._filter_inputs([record for _, record in sound])
        near_rows, near_keys, near_small = self._near_arrays(signatures)
        keys = self._keys([record for (_, record), reason in zip(sound, decontaminated) if reason is None])
        rows = RowColumns()
        slots: list[int] = []
        # (record, task) slots are numbered in order: each sound record has one per task
        width = len(self.source.tasks)
        block = Block(len(items), results, None, np.zeros(0, dtype=np.int64), len(sound) * width, near_keys, near_small,
                      clean=len(sound) == len(results))
        for number, ((position, record), reason, near_row) in enumerate(zip(sound, decontaminated, near_rows)):
            record_keys = next(keys) if reason is None else None
            block.clean = block.clean and reason is None
            results[position] = self._record(record, reason, record_keys, near_row, number * width, rows, slots, block)
        block.rows = sink.append(rows.to_batch()) if len(rows) else None
        block.row_slots = np.asarray(slots, dtype=np.int64)
        return block

    def _filter_inputs(self, records: list[Record]) -> tuple[list[str | None], list[np.ndarray | None]]:
        """Decontamination reasons and near-dup signatures of the block's records, computed
        for all of them together (one numpy pass over all their texts)."""
        none: list[Any] = [None] * len(records)
        if self.decontaminator is None and self.near is None:
            return none, none
        inputs = normalised_inputs_of(records)
        reasons = self.decontaminator.drop_reasons(inputs) if self.decontaminator is not None else none
        if self.near is None:
            return reasons, none
        # a decontaminated record is dropped before the near-dup filter: no signature needed
        texts = ["" if reason else "\n".join(texts) for texts, reason in zip(inputs, reasons)]
        return reasons, self.near.signatures(texts)

    def _keys(self, records: list[Record]) -> Iterator[list[bytes | None]]:
        """Exact-dedup keys of the records (one per task), in order; all None without exact dedup."""
        if not self.exact:
            return iter([[None] * len(self.source.tasks)] * len(records))
        return iter(content_keys(records, self.source.tasks))

    def _near_arrays(self, signatures: list[np.ndarray | None]) -> tuple[list[int | None], np.ndarray | None, np.ndarray | None]:
        """Each record's row in the block's near-dup arrays, and the arrays (band keys and
        8-bit signatures, prepared for all records at once)."""
        rows: list[int | None] = []
        present: list[np.ndarray] = []
        for signature in signatures:
            rows.append(None if signature is None else len(present))
            if signature is not None:
                present.append(signature)
        if not present:
            return rows, None, None
        keys, small = self.near.prepare(np.stack(present))
        return rows, keys, small

    def _target(self, category: str, language: str) -> tuple[str, str] | tuple[None, None]:
        """The target a sample of this category and language counts towards (remembered)."""
        target = language_key(self.spec, category, language)
        found = self._targets[(category, language)] = (target, f"{category}|{target}") if target is not None else (None, None)
        return found

    def _record(self, record: Record, decontaminated: str | None, keys: list[bytes | None] | None, near_row: int | None,
                first_slot: int, rows: RowColumns, slots: list[int], block: Block) -> RecordResult:
        licence = self.source.meta.license
        tasks: list[TaskResult] = []
        for number, task in enumerate(self.source.tasks):
            slot = first_slot + number
            if keys is None:  # decontaminated
                tasks.append((decontaminated, None, [], 0, None))
                continue
            key = keys[number]
            try:
                samples = render_record(record, task, self.spec.seed, self.ctx)
            except Exception as exc:  # noqa: BLE001 - re-raised by the spooler if the slot is kept
                tasks.append((None, key, [], 0, exc))
                block.clean = False
                continue
            targets: list[str] = []
            no_target = 0
            counts = block.targets
            for index, sample in enumerate(samples):
                target, group = self._targets.get((sample.category, sample.language)) or self._target(sample.category, sample.language)
                if target is None:
                    no_target += 1
                    continue
                rows.add(sample_values(record, sample, index, licence, target))
                slots.append(slot)
                targets.append(group)
                counts[group] = counts.get(group, 0) + 1
            block.no_target += no_target
            tasks.append((None, key, targets, no_target, None))
        return (record.id, record.dataset, record.split, [], near_row, tasks)
