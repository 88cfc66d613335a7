"""The order-dependent half of spooling: blocks in record order -> one dataset's spool.

Blocks (:mod:`.blocks`) arrive with every record converted, checked, keyed and rendered. Here,
in record order, repeated ids are rejected and the filters decide each (record, task): drop
with a reason (decontaminated, exact duplicate, near duplicate) or keep, which spools the
slot's rendered rows. Counts are kept per split and reason so the manifest can say what
happened to every raw record.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, TextIO

import numpy as np
from tqdm import tqdm

from biocurate.loaders import Reject
from biocurate.mix.dedup import ExactDedup
from biocurate.mix.spec import MixtureSpec
from biocurate.schemas import IdTracker

from .blocks import Block, TaskResult
from .sources import Source
from .spool import SpoolIndex


class BlockProducer(Protocol):
    """Gives the blocks of one split of one source, in item order."""

    def blocks(self, source: Source, split: str) -> Iterator[Block]: ...


class Filters:
    """The order-dependent filters of an export (exact and near dedup), shared across
    datasets; decontamination needs no order and is decided in the blocks."""

    def __init__(self, spec: MixtureSpec, near: Any = None) -> None:
        self.exact = ExactDedup() if spec.dedup.exact else None
        self.near = near

    def first_reason(self, decontaminated: str | None, key: bytes | None) -> str | None:
        """Why a (record, task) slot is dropped before the near-dup check (None: go on);
        called in record order."""
        if decontaminated:
            return decontaminated
        if self.exact is not None:
            return self.exact.check_key(key)
        return None


def fingerprint(spec: MixtureSpec, source: Source, files: list[dict[str, Any]], version: str) -> str:
    """Changes whenever anything that shapes this dataset's spool changes."""
    payload = json.dumps(
        {"spec": spec.model_dump(mode="json"), "dataset": source.name, "splits": source.splits, "tasks": source.tasks,
         "files": files, "version": version},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _counter_dict(counter: Counter) -> dict[str, int]:
    return dict(sorted(counter.items()))


def spool_dataset(
    spec: MixtureSpec,
    source: Source,
    filters: Filters,
    producer: BlockProducer,
    spool_dir: Path,
    rejects: TextIO,
    fingerprint_value: str,
    progress: bool = True,
) -> dict[str, Any]:
    """Spool every candidate sample of one dataset; returns its counts.

    Counts (per split): ``read`` raw items, ``rejected`` (convert + validate), ``records``
    valid, then per task ``dropped`` by reason, ``samples`` rendered and ``no_target``
    (samples in a language the mixture has no target for); and ``available`` per
    (category, language key) for planning.
    """
    index = SpoolIndex(spool_dir, source.name)
    tracker = IdTracker()
    per_split: dict[str, dict[str, Any]] = {}
    available: Counter = Counter()
    for split in source.splits:
        tally = _SplitTally()
        with tqdm(desc=f"{source.name}/{split}", unit="rec", disable=not progress, leave=False) as bar:
            for block in producer.blocks(source, split):
                keep = _decide(block, source.tasks, filters, tracker, tally, rejects)
                if block.rows is not None and keep.any():
                    index.add(block.rows, np.flatnonzero(keep[block.row_slots]))
                bar.update(len(block.results))
        available.update(tally.available)
        per_split[split] = tally.as_dict()
    stats = {"splits": per_split, "available": _counter_dict(available), "spooled": 0}
    stats["spooled"] = sum(available.values())
    index.close(fingerprint_value, stats)
    return stats


class _SplitTally:
    def __init__(self) -> None:
        self.counts = {"read": 0, "rejected": 0, "records": 0, "samples": 0, "no_target": 0}
        self.dropped: Counter = Counter()
        self.reject_reasons: Counter = Counter()
        self.available: Counter = Counter()

    def as_dict(self) -> dict[str, Any]:
        counts = self.counts
        counts["read"] = counts["records"] + counts["rejected"]
        return {**counts, "dropped": _counter_dict(self.dropped), "rejects_by_stage": _counter_dict(self.reject_reasons)}


def _decide(block: Block, tasks: list[str], filters: Filters, tracker: IdTracker, tally: _SplitTally, rejects: TextIO) -> np.ndarray:
    """Walk a block's records in order: reject, drop or keep each slot; returns the kept slots.

    Two passes with the same outcome as one: repeated ids, decontamination and exact dedup
    first (the exact key of a slot is remembered whatever the near-dup check says later), then
    the near-dup check of the slots that passed, in order, all at once. A clean block whose
    ids and keys are all new (nearly every block) keeps every slot without the walk.
    """
    if block.clean and filters.near is None and _all_new(block, filters, tracker):
        return _keep_all(block, tally)
    keep = np.zeros(block.slots, dtype=bool)
    counts = tally.counts
    passed: list[tuple[int, int, int, TaskResult]] = []  # (slot, task index, near row, result)
    slot = 0
    for result in block.results:
        if isinstance(result, Reject):
            _write_reject(result, tally, rejects)
            continue
        record_id, dataset, split, problems, near_row, task_results = result
        repeated = tracker.check_id(dataset, record_id)
        if repeated or problems:
            problems = [(p.field, p.reason) for p in repeated] + problems
            field, reason = problems[0]
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            reject = Reject(dataset=dataset, split=split, stage="validate", record=record_id, field=field, reason=reason + more)
            _write_reject(reject, tally, rejects)
            slot += len(task_results)
            continue
        counts["records"] += 1
        for task_index, task_result in enumerate(task_results):
            reason = filters.first_reason(task_result[0], task_result[1])
            if reason:
                tally.dropped[reason.split(":")[0]] += 1
            elif filters.near is not None and near_row is not None:
                passed.append((slot, task_index, near_row, task_result))
            else:
                _count_kept(slot, task_result, keep, tally)
            slot += 1
    if passed:
        rows = np.array([p[2] for p in passed])
        salts = filters.near.task_salts(tasks)[[p[1] for p in passed]]
        keys = block.near_keys[rows] + salts[:, None]
        for (slot, _, _, task_result), reason in zip(passed, filters.near.check_many(keys, block.near_small[rows])):
            if reason:
                tally.dropped[reason] += 1
            else:
                _count_kept(slot, task_result, keep, tally)
    return keep


def _all_new(block: Block, filters: Filters, tracker: IdTracker) -> bool:
    """Whether no id of the (clean) block was seen before or repeats in it, and likewise its
    exact-dedup keys; if so, they are remembered as the record-by-record walk would."""
    if not block.results:
        return True
    dataset = block.results[0][1]
    ids = [result[0] for result in block.results]
    if not tracker.all_new(dataset, ids):
        return False
    if filters.exact is not None:
        keys = [task_result[1] for result in block.results for task_result in result[5]]
        if not filters.exact.all_new(keys):
            return False
        filters.exact.add_keys(keys)
    tracker.add_ids(dataset, ids)
    return True


def _keep_all(block: Block, tally: _SplitTally) -> np.ndarray:
    """Count a block whose every slot is kept (see :func:`_all_new`)."""
    counts = tally.counts
    counts["records"] += len(block.results)
    counts["no_target"] += block.no_target
    counts["samples"] += sum(block.targets.values())
    available = tally.available
    for target, n in block.targets.items():
        available[target] += n
    return np.ones(block.slots, dtype=bool)


def _count_kept(slot: int, task_result: TaskResult, keep: np.ndarray, tally: _SplitTally) -> None:
    _, _, targets, no_target, error = task_result
    if error is not None:
        raise error
    keep[slot] = True
    tally.counts["no_target"] += no_target
    tally.counts["samples"] += len(targets)
    available = tally.available
    for target in targets:  # Counter.update would first check isinstance(targets, Mapping)
        available[target] += 1


def _write_reject(reject: Reject, tally: _SplitTally, rejects: TextIO) -> None:
    tally.counts["rejected"] += 1
    tally.reject_reasons[reject.stage] += 1
    rejects.write(json.dumps(reject.to_dict(), ensure_ascii=False) + "\n")
