"""Step 2 of an export: the order-free decisions, as group-by rules over keys and priorities.

Input: the record and slot tables of every work unit (:mod:`.units`). Each rule keeps, per
key, the member with the lowest packed priority, so its outcome depends on the inputs alone,
never on the order units finished in:

0. repeated raw ids: per (dataset, split, raw id) of the items a loader read deferred (so its
   own check could not see them) the first item stays; each later one becomes one read-stage
   reject naming the first (as the loader's check words it), and its records are not counted;
1. repeated ids: per (dataset, record id) the first record stays; later ones and records with
   schema problems become validate-stage rejects;
2. decontamination: decided record-locally already (the reason travels in the slot table);
3. exact duplicates: per (task, normalised content) key the first surviving slot stays;
4. near duplicates (:mod:`.components`): slots sharing a band key fall into one bucket; buckets joined by a shared
   member form connected components; inside each component the greedy MinHash check of
   :class:`~biocurate.mix.neardup.NearDedup` is replayed in priority order. A slot that shares
   no band key with any other is kept without a check (the greedy would keep it too).

Output: which slots are kept, the validate rejects, and the per-split counts of the manifest.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from biocurate.errors import ExportError

from biocurate.loaders._keys import repeat_reason

from .components import near_duplicates
from .units import DATASET_SHIFT, ITEM_SHIFT, SPLIT_BITS, SPLIT_SHIFT, TASK_MASK, MapSettings, WorkUnit, unit_paths

_SPLIT_MASK = np.uint64((1 << SPLIT_BITS) - 1)


@dataclass
class Decisions:
    """What the rules decided: per unit the kept rows, validate rejects, per-dataset counts."""

    #: per unit, whether each of its rows (in file order) is kept
    kept: dict[str, np.ndarray]
    #: ``(priority, reject dict)`` of validate-stage rejects, per dataset
    rejects: dict[str, list[tuple[int, dict[str, Any]]]]
    stats: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: sorted item prefixes (priority >> ITEM_SHIFT) of repeated raw items (rule 0)
    repeated_items: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))

    def repeated(self, priority: int) -> bool:
        """Whether a unit's convert reject of this priority came from a repeated raw item (rule
        0 replaced the item by its read reject, so the loader's other rejects of it go)."""
        return _member(np.array([priority >> ITEM_SHIFT], np.uint64), self.repeated_items)[0]


def _member(values: np.ndarray, ordered: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is in the sorted array ``ordered``."""
    if not len(ordered):
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return ordered[at] == values


def _read(path: Any) -> pa.Table:
    with pa.OSFile(str(path), "rb") as source:
        return pa.ipc.open_file(source).read_all()


def _fixed_bytes(column: pa.ChunkedArray | pa.Array, width: int) -> np.ndarray:
    """A fixed-size binary column as an ``(n, width)`` uint8 matrix."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if len(array) == 0 or array.buffers()[1] is None:
        return np.zeros((len(array), width), dtype=np.uint8)
    data = np.frombuffer(array.buffers()[1], dtype=np.uint8)
    return data[array.offset * width:(array.offset + len(array)) * width].reshape(len(array), width)


def first_per_key(keys: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """For rows with a key each (a matrix of uint64 words per row), whether the row has the
    lowest priority among the rows with its key."""
    return group_first(keys, priority) == np.arange(len(priority))


def group_first(keys: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """For rows with a key each (a matrix of uint64 words per row), the row number of the
    lowest-priority row with the same key.

    A row whose last word (a hash word in every key here) no other row has is alone in its
    group; only rows sharing it (duplicates, and the rare collision of one word) go through
    the full sort: a sort of one word costs a tenth of a lexsort of three."""
    out = np.arange(len(priority), dtype=np.int64)
    if len(priority) < 2:
        return out
    order = np.argsort(keys[:, -1])
    lead = keys[order, -1]
    same = lead[1:] == lead[:-1]
    del lead
    shared = np.zeros(len(order), dtype=bool)
    shared[1:] |= same
    shared[:-1] |= same
    rows = order[shared]
    if len(rows):
        out[rows] = rows[_group_first_by_sort(keys[rows], priority[rows])]
    return out


def _group_first_by_sort(keys: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """:func:`group_first` by one lexsort over every word and the priority."""
    order = np.lexsort((priority, *[keys[:, i] for i in range(keys.shape[1] - 1, -1, -1)]))
    ordered = keys[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    del ordered
    out = np.empty(len(order), dtype=np.int64)
    out[order] = order[np.flatnonzero(starts)[np.cumsum(starts) - 1]]
    return out


class _Tables:
    """The record and slot tables of all units as flat arrays, with each slot's unit.

    Each fixed-width column is copied once, unit by unit, from the memory-mapped unit files
    into one preallocated array (concatenating Arrow tables first would hold every column
    twice); string columns stay in the files and are read only for the rows a reject or an
    error names (:meth:`strings`)."""

    def __init__(self, settings: MapSettings, units: list[WorkUnit]) -> None:
        self.work = settings.work
        bands = max(settings.near.bands if settings.near is not None else 0, 1)
        perm = max(settings.near.num_perm if settings.near is not None else 0, 1)
        counts = [tuple(_rows_in(unit_paths(self.work, u)[kind]) for kind in ("records.arrow", "slots.arrow", "items.arrow")) for u in units]
        n_records, n_slots, n_items = (sum(c[i] for c in counts) for i in range(3))
        self.unit_slots: list[tuple[WorkUnit, int, int]] = []  # unit, first slot, slot count
        self.unit_records: list[tuple[WorkUnit, int, int]] = []  # unit, first record, record count
        self.unit_items: list[tuple[WorkUnit, int, int]] = []  # unit, first item, item count
        self.item_priority = np.zeros(n_items, np.uint64)
        self.item_keys = np.zeros((n_items, 3), np.uint64)  # dataset and split, then the raw id's hash
        self.record_priority = np.zeros(n_records, np.uint64)
        self.id_keys = np.zeros((n_records, 2), np.uint64)
        self.has_problems = np.zeros(n_records, bool)
        self.priority = np.zeros(n_slots, np.uint64)
        self.record = np.zeros(n_slots, np.int64)
        self.decontaminated = np.zeros(n_slots, bool)
        self.has_exact = np.zeros(n_slots, bool)
        self.exact_keys = np.zeros((n_slots, 2), np.uint64)
        self.has_error = np.zeros(n_slots, bool)
        self.has_signature = np.zeros(n_slots, bool)
        self.band_keys: np.ndarray | None = np.zeros((n_slots, bands), np.uint64)
        self.small: np.ndarray | None = np.zeros((n_slots, perm), np.uint8)
        self.no_target = np.zeros(n_slots, np.int32)
        record_base = slot_base = item_base = 0
        for unit, (n_rec, n_slot, n_item) in zip(units, counts):
            paths = unit_paths(self.work, unit)
            if n_item:
                with pa.memory_map(str(paths["items.arrow"])) as source:
                    items = pa.ipc.open_file(source).read_all()
                    at = slice(item_base, item_base + n_item)
                    self.item_priority[at] = _numbers(items.column("priority"))
                    self.item_keys[at, 0] = self.item_priority[at] >> np.uint64(SPLIT_SHIFT)
                    self.item_keys[at, 1:] = _fixed_bytes(items.column("key_hash"), 16).view("<u8")
                    del items
            self.unit_items.append((unit, item_base, n_item))
            item_base += n_item
            with pa.memory_map(str(paths["records.arrow"])) as source:
                rec = pa.ipc.open_file(source).read_all()
                at = slice(record_base, record_base + n_rec)
                self.record_priority[at] = _numbers(rec.column("priority"))
                self.id_keys[at] = _fixed_bytes(rec.column("id_key"), 16).view("<u8")
                self.has_problems[at] = _valid(rec.column("problems"))
                del rec
            with pa.memory_map(str(paths["slots.arrow"])) as source:
                sl = pa.ipc.open_file(source).read_all()
                at = slice(slot_base, slot_base + n_slot)
                self.priority[at] = _numbers(sl.column("priority"))
                self.record[at] = _numbers(sl.column("record")) + record_base
                self.decontaminated[at] = _valid(sl.column("decontaminated"))
                exact = sl.column("exact_key")
                self.has_exact[at] = _valid(exact)
                self.exact_keys[at] = _fixed_bytes(exact, 16).view("<u8")  # null slots: whatever bytes, never read
                self.has_error[at] = _valid(sl.column("error"))
                self.has_signature[at] = _numbers(sl.column("has_signature"))
                self.band_keys[at] = _fixed_bytes(sl.column("band_keys"), bands * 8).view("<u8")
                self.small[at] = _fixed_bytes(sl.column("signature"), perm)
                self.no_target[at] = _numbers(sl.column("no_target"))
                del sl, exact
            self.unit_records.append((unit, record_base, n_rec))
            self.unit_slots.append((unit, slot_base, n_slot))
            record_base += n_rec
            slot_base += n_slot

    def strings(self, kind: str, column: str, rows: np.ndarray) -> list[Any]:
        """The values of a string ``column`` of the ``kind`` table (``records`` or ``slots``)
        at global ``rows``, each unit's file opened once."""
        spans = {"records": self.unit_records, "slots": self.unit_slots, "items": self.unit_items}[kind]
        starts = np.array([start for _, start, _ in spans], dtype=np.int64)
        out: list[Any] = [None] * len(rows)
        owner = np.searchsorted(starts, rows, side="right") - 1
        for index in np.unique(owner).tolist():
            unit, start, _ = spans[index]
            mine = np.flatnonzero(owner == index)
            with pa.memory_map(str(unit_paths(self.work, unit)[f"{kind}.arrow"])) as source:
                values = pa.ipc.open_file(source).read_all().column(column).take(pa.array(rows[mine] - start)).to_pylist()
            for position, value in zip(mine.tolist(), values):
                out[position] = value
        return out


def _rows_in(path: Any) -> int:
    with pa.memory_map(str(path)) as source:
        reader = pa.ipc.open_file(source)
        return sum(reader.get_batch(i).num_rows for i in range(reader.num_record_batches))


def _numbers(column: pa.ChunkedArray) -> np.ndarray:
    return column.to_numpy() if column.num_chunks != 1 else column.chunk(0).to_numpy(zero_copy_only=False)


def _valid(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(column.is_valid()) if len(column) else np.zeros(0, bool)


def decide(settings: MapSettings, units: list[WorkUnit], dataset_names: list[str]) -> Decisions:
    """Apply the rules of the module docstring to the units' tables."""
    t = _Tables(settings, units)
    # 0. repeated raw ids of deferred items: the item's records go, one read reject stays
    repeated_items, read_rejects = _repeated_items(t, settings, dataset_names)
    repeated_record = _member(t.record_priority >> np.uint64(ITEM_SHIFT), repeated_items)
    # 1. repeated ids and schema problems
    first_id = np.ones(len(t.record_priority), bool)
    sound = np.flatnonzero(~repeated_record)
    first_id[sound] = first_per_key(t.id_keys[sound], t.record_priority[sound])
    rejected_record = (~first_id | t.has_problems) & ~repeated_record
    rejects = _validate_rejects(t, np.flatnonzero(rejected_record), first_id, dataset_names)
    for dataset, found in read_rejects.items():
        rejects[dataset] = sorted(rejects.get(dataset, []) + found, key=lambda r: r[0])
    # 2-4. slot drops, in the order the old walk applied them
    reason = np.zeros(len(t.priority), dtype=np.int8)  # 0 kept, 1 contaminated, 2 exact, 3 near, 4 record rejected
    reason[(rejected_record | repeated_record)[t.record]] = 4
    reason[(reason == 0) & t.decontaminated] = 1
    if settings.exact:
        candidates = np.flatnonzero((reason == 0) & t.has_exact)
        reason[candidates[~first_per_key(t.exact_keys[candidates], t.priority[candidates])]] = 2
    if settings.near is not None:
        candidates = np.flatnonzero((reason == 0) & t.has_signature)
        band_keys, small = t.band_keys[candidates], t.small[candidates]
        t.band_keys = t.small = None  # the copies above are all the near step reads: free the rest
        near = near_duplicates(settings.near, t.priority[candidates], band_keys, small)
        del band_keys, small
        reason[candidates[near]] = 3
    t.band_keys = t.small = None
    kept = reason == 0
    _raise_kept_errors(t, kept, dataset_names, settings)
    slot_masks = {unit.name: kept[start:start + count] for unit, start, count in t.unit_slots}
    decisions = Decisions({}, rejects, repeated_items=repeated_items)
    decisions.stats = _stats(settings, t, reason, rejected_record, repeated_record, decisions, slot_masks, dataset_names)
    return decisions


def _repeated_items(t: _Tables, settings: MapSettings, names: list[str]) -> tuple[np.ndarray, dict[str, list[tuple[int, dict]]]]:
    """Rule 0: the sorted prefixes of the repeated items and their read rejects per dataset."""
    first = group_first(t.item_keys, t.item_priority)
    later = np.flatnonzero(first != np.arange(len(first)))
    if not len(later):
        return np.zeros(0, np.uint64), {}
    keys, files, lines = (t.strings("items", column, later) for column in ("key", "file", "line"))
    first_files, first_lines = (t.strings("items", column, first[later]) for column in ("file", "line"))
    out: dict[str, list[tuple[int, dict]]] = {}
    for row, key, file, line, first_file, first_line in zip(later.tolist(), keys, files, lines, first_files, first_lines):
        priority = int(t.item_priority[row])
        dataset = names[priority >> DATASET_SHIFT]
        split = settings.sources[dataset].splits[(priority >> SPLIT_SHIFT) & ((1 << SPLIT_BITS) - 1)]
        reject = {"dataset": dataset, "split": split, "reason": repeat_reason(key, first_file, first_line, file), "stage": "read",
                  "file": file, "line": line, "record": key, "field": "id", "raw": None}
        out.setdefault(dataset, []).append((priority, reject))
    return np.unique(t.item_priority[later] >> np.uint64(ITEM_SHIFT)), out


def _validate_rejects(t: _Tables, rows: np.ndarray, first_id: np.ndarray, names: list[str]) -> dict[str, list[tuple[int, dict]]]:
    out: dict[str, list[tuple[int, dict]]] = {}
    record_ids, splits, stored_problems = (t.strings("records", column, rows) for column in ("record_id", "split", "problems"))
    for row, record_id, split, stored in zip(rows.tolist(), record_ids, splits, stored_problems):
        priority = int(t.record_priority[row])
        dataset = names[priority >> DATASET_SHIFT]
        problems = [] if first_id[row] else [["id", f"id {record_id!r} already used in dataset {dataset!r}"]]
        problems += json.loads(stored) if stored else []
        field_name, why = problems[0]
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        reject = {"dataset": dataset, "split": split, "reason": why + more, "stage": "validate",
                  "file": None, "line": None, "record": record_id, "field": field_name, "raw": None}
        out.setdefault(dataset, []).append((priority, reject))
    return out


def _raise_kept_errors(t: _Tables, kept: np.ndarray, names: list[str], settings: MapSettings) -> None:
    """A kept slot that failed to render stops the export (a template bug, not a data one)."""
    failed = np.flatnonzero(kept & t.has_error)
    if len(failed):
        slot = int(failed[np.argmin(t.priority[failed])])
        priority = int(t.priority[slot])
        dataset = names[priority >> DATASET_SHIFT]
        task = settings.sources[dataset].tasks[priority & TASK_MASK]
        [record_id] = t.strings("records", "record_id", t.record[[slot]])
        [error] = t.strings("slots", "error", np.array([slot]))
        raise ExportError(f"{dataset}: rendering record {record_id!r} for task {task!r} failed: {error}")


_DROP_NAMES = {2: "exact duplicate", 3: "near duplicate"}


def _stats(settings: MapSettings, t: _Tables, reason: np.ndarray, rejected_record: np.ndarray, repeated_record: np.ndarray,
           decisions: Decisions, slot_masks: dict[str, np.ndarray], names: list[str]) -> dict[str, dict[str, Any]]:
    """The manifest's counts per dataset and split (same layout as ever)."""
    def split_of(priority: np.ndarray) -> np.ndarray:
        return ((priority >> np.uint64(SPLIT_SHIFT)) & _SPLIT_MASK).astype(np.int64)

    def dataset_of(priority: np.ndarray) -> np.ndarray:
        return (priority >> np.uint64(DATASET_SHIFT)).astype(np.int64)

    tallies: dict[tuple[int, int], dict[str, Any]] = {}

    def tally(ds: int, sp: int) -> dict[str, Any]:
        return tallies.setdefault((ds, sp), {"records": 0, "rejected": 0, "samples": 0, "no_target": 0,
                                            "dropped": Counter(), "stages": Counter(), "available": Counter()})

    ds_r, sp_r = dataset_of(t.record_priority), split_of(t.record_priority)
    counted = ~(rejected_record | repeated_record)  # a repeated item's records: its read reject counts instead
    for (ds, sp), n in Counter(zip(ds_r[counted].tolist(), sp_r[counted].tolist())).items():
        tally(ds, sp)["records"] += n
    for (ds, sp), n in Counter(zip(ds_r[rejected_record].tolist(), sp_r[rejected_record].tolist())).items():
        tally(ds, sp)["rejected"] += n
        tally(ds, sp)["stages"]["validate"] += n
    for found in decisions.rejects.values():
        for priority, reject in found:
            if reject["stage"] == "read":  # rule 0's
                x = tally(priority >> DATASET_SHIFT, (priority >> SPLIT_SHIFT) & ((1 << SPLIT_BITS) - 1))
                x["rejected"] += 1
                x["stages"]["read"] += 1
    ds_s, sp_s = dataset_of(t.priority), split_of(t.priority)
    for code in (1, 2, 3):
        chosen = reason == code
        for (ds, sp), n in Counter(zip(ds_s[chosen].tolist(), sp_s[chosen].tolist())).items():
            tally(ds, sp)["dropped"][_DROP_NAMES.get(code) or "contaminated"] += n
    kept = reason == 0
    for (ds, sp), n in _sum_by(ds_s[kept], sp_s[kept], t.no_target[kept]).items():
        tally(ds, sp)["no_target"] += n
    for unit, _, _ in t.unit_slots:
        _count_convert_rejects(unit_paths(settings.work, unit)["rejects.jsonl"], tally(unit.dataset_index, unit.split_index), decisions)
    decisions.kept = _gate_rows(settings, [u for u, _, _ in t.unit_slots], slot_masks, tally, names)
    for unit, _, _ in t.unit_slots:
        _count_rows(unit_paths(settings.work, unit)["rows.arrow"], decisions.kept[unit.name], tally(unit.dataset_index, unit.split_index))
    stats = {}
    for index, name in enumerate(names):
        source = settings.sources[name]
        per_split: dict[str, Any] = {}
        available: Counter = Counter()
        for split_index, split in enumerate(source.splits):
            x = tally(index, split_index)
            available.update(x["available"])
            per_split[split] = {"read": x["records"] + x["rejected"], "rejected": x["rejected"], "records": x["records"],
                                "samples": x["samples"], "no_target": x["no_target"], "dropped": dict(sorted(x["dropped"].items())),
                                "rejects_by_stage": dict(sorted(x["stages"].items()))}
        stats[name] = {"splits": per_split, "available": dict(sorted(available.items())), "spooled": sum(available.values())}
    return stats


def _sum_by(ds: np.ndarray, sp: np.ndarray, values: np.ndarray) -> dict[tuple[int, int], int]:
    out: Counter = Counter()
    for key, value in zip(zip(ds.tolist(), sp.tolist()), values.tolist()):
        if value:
            out[key] += value
    return out


def _count_convert_rejects(path: Any, tally: dict[str, Any], decisions: Decisions) -> None:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            priority, reject = json.loads(line)
            if decisions.repeated(priority):
                continue
            tally["rejected"] += 1
            tally["stages"][reject["stage"]] += 1


def _rows_of(path: Any, columns: list[str]) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all().select(columns)


def _gate_rows(settings: MapSettings, all_units: list[WorkUnit], slot_masks: dict[str, np.ndarray],
               tally: Any, names: list[str]) -> dict[str, np.ndarray]:
    """Which rows of each unit are kept: their slot is kept, they passed the quality gate,
    and, if their gold answer is empty, the (dataset, task)'s empty-answer quota keeps them
    (at most ``max_empty_share`` of its kept rows; which ones by a seeded rank of their ids).
    Gate drops count as ``quality: REASON``, quota drops as ``empty answer quota``."""
    from biocurate.mix.quality import empty_allowance, keep_empty

    config = settings.spec.quality
    masks: dict[str, np.ndarray] = {}
    non_empty: Counter = Counter()
    empties: dict[tuple[str, str], list[tuple[str, str, int]]] = {}  # (dataset, task) -> (row id, unit, row)
    for unit in all_units:
        path = unit_paths(settings.work, unit)["rows.arrow"]
        if not config.enabled:  # every row of a kept slot is kept
            slots = _rows_of(path, ["slot"]).column("slot").to_numpy()
            masks[unit.name] = slot_masks[unit.name][slots] if len(slots) else np.zeros(0, bool)
            continue
        rows = _rows_of(path, ["id", "task", "gate", "empty", "slot"])
        if not rows.num_rows:
            masks[unit.name] = np.zeros(0, bool)
            continue
        slot_kept = slot_masks[unit.name][rows.column("slot").to_numpy()]
        gate = rows.column("gate")
        failed = slot_kept & np.asarray(gate.is_valid())
        if failed.any():
            for why, n in Counter(gate.filter(pa.array(failed)).to_pylist()).items():
                tally(unit.dataset_index, unit.split_index)["dropped"][f"quality: {why}"] += n
        mask = slot_kept & ~failed
        empty = rows.column("empty").to_numpy(zero_copy_only=False)
        full = pa.table({"task": rows.column("task")}).filter(pa.array(mask & ~empty))
        for task, n in zip(*(full.group_by("task").aggregate([([], "count_all")]).column(c).to_pylist() for c in ("task", "count_all"))):
            non_empty[(unit.dataset, task)] += n
        wanted = np.flatnonzero(mask & empty)
        if len(wanted):
            picked = rows.select(["id", "task"]).take(pa.array(wanted))
            for row, row_id, task in zip(wanted.tolist(), picked.column("id").to_pylist(), picked.column("task").to_pylist()):
                empties.setdefault((unit.dataset, task), []).append((row_id, unit.name, row))
        masks[unit.name] = mask
    split_of = {unit.name: (unit.dataset_index, unit.split_index) for unit in all_units}
    for (dataset, task), members in empties.items():
        allowance = empty_allowance(non_empty[(dataset, task)], config.empty_share(task))
        if allowance >= len(members):
            continue
        keep = keep_empty([row_id for row_id, _, _ in members], allowance, settings.spec.seed)
        for row_id, unit_name, row in members:
            if row_id not in keep:
                masks[unit_name][row] = False
                tally(*split_of[unit_name])["dropped"]["empty answer quota"] += 1
    return masks


def _count_rows(path: Any, kept_rows: np.ndarray, tally: dict[str, Any]) -> None:
    """Count a unit's kept rows per ``category|target language`` (what planning needs)."""
    rows = _rows_of(path, ["category", "target_language"])
    if not rows.num_rows or not kept_rows.any():
        return
    groups = rows.filter(pa.array(kept_rows))
    counts = groups.group_by(["category", "target_language"]).aggregate([([], "count_all")])
    for c, lang, n in zip(*(counts.column(name).to_pylist() for name in ("category", "target_language", "count_all"))):
        tally["available"][f"{c}|{lang}"] += n
    tally["samples"] += int(kept_rows.sum())
