"""Step 1 of an export, the record-local map: one work unit of raw items -> unit files.

A *work unit* is one part of one split of one dataset. Inside it every item is read,
converted, checked, keyed, signed, checked against the evaluation set and rendered; all of
that depends on one record only, so units run anywhere, in any order, on any number of
processes or machines. Each unit writes, under the export's work folder:

* ``<unit>.records.arrow``: one row per converted record (priority, id key, problems);
* ``<unit>.slots.arrow``: one row per (record, task) *slot* (priority, exact key,
  decontamination reason, near-dup band keys and signature, rendering failure);
* ``<unit>.rows.arrow``: the slot's rendered rows, one Arrow batch per block of items;
* ``<unit>.rejects.jsonl``: conversion rejects, each with its priority;
* ``<unit>.done``: written last, so a resumed export reuses only finished units.

What depends on other records (repeated ids, duplicates, budgets) is decided afterwards by
:mod:`.decisions` from the packed 64-bit *priority* of each record and slot: dataset (in
export order), split, item position, record within the item, task. Lower priority wins, which
is exactly "first seen in reading order".
"""

from __future__ import annotations

import hashlib
import json
import os
import gc
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from biocurate.errors import ExportError
from biocurate.loaders import Reject
from biocurate.loaders._base import Deferred, SourceItem, resolve_item
from biocurate.mix.budget import language_key
from biocurate.mix import quality
from biocurate.mix.content import content_keys, input_texts, normalised_inputs_of
from biocurate.mix.dedup import Decontaminator
from biocurate.mix.spec import MixtureSpec
from biocurate.remote import stage
from biocurate.schemas import Record, check_record
from biocurate.templates.engine import render_record, store_with
from biocurate.templates.views import ViewContext

from .rows import SPOOL_SCHEMA, RowColumns, sample_values
from .sources import Source

#: Raw items per block: a unit of a shared split takes every ``parts``-th block, and each
#: block's rows are one Arrow batch of the unit's rows file.
BLOCK_ITEMS = 256

# The priority: dataset | split | item | record within the item | task, high bits first.
DATASET_BITS, SPLIT_BITS, ITEM_BITS, SUB_BITS, TASK_BITS = 10, 3, 36, 11, 4
TASK_SHIFT = 0
SUB_SHIFT = TASK_BITS
ITEM_SHIFT = SUB_SHIFT + SUB_BITS
SPLIT_SHIFT = ITEM_SHIFT + ITEM_BITS
DATASET_SHIFT = SPLIT_SHIFT + SPLIT_BITS
TASK_MASK = (1 << TASK_BITS) - 1

RECORDS_SCHEMA = pa.schema([
    ("priority", pa.uint64()), ("id_key", pa.binary(16)), ("record_id", pa.string()), ("split", pa.string()),
    ("problems", pa.string()),  # JSON [[field, reason], ...] or null
])
#: the raw ids of the items a unit read deferred (their repeats are decided across units:
#: the loader's own check sees items before they are read); ``priority`` is the item's (record 0)
ITEMS_SCHEMA = pa.schema([
    ("priority", pa.uint64()), ("key_hash", pa.binary(16)), ("key", pa.string()), ("file", pa.string()), ("line", pa.int64()),
])
#: a unit's rows: the sample, the quality gate's verdict (null: passed) and whether its gold
#: answer is empty (the decisions cap those per dataset and task), and its slot
ROWS_SCHEMA = pa.schema(list(SPOOL_SCHEMA) + [pa.field("gate", pa.string()), pa.field("empty", pa.bool_()),
                                              pa.field("slot", pa.int32())])


def record_priority(dataset: int, split: int, item: int, sub: int) -> int:
    """The priority of a record (task bits 0); raises when a position does not fit its bits."""
    if item >= 1 << ITEM_BITS or sub >= 1 << SUB_BITS or dataset >= 1 << DATASET_BITS:
        raise ExportError(f"record position out of range for the export's priority (dataset {dataset}, item {item}, record {sub})")
    return (dataset << DATASET_SHIFT) | (split << SPLIT_SHIFT) | (item << ITEM_SHIFT) | (sub << SUB_SHIFT)


def slots_schema(bands: int, num_perm: int) -> pa.Schema:
    """Columns of a unit's slot table (band keys and signatures are fixed-width bytes)."""
    return pa.schema([
        ("priority", pa.uint64()), ("record", pa.int32()), ("decontaminated", pa.string()),
        ("exact_key", pa.binary(16)), ("error", pa.string()), ("has_signature", pa.bool_()),
        ("band_keys", pa.binary(max(bands, 1) * 8)), ("signature", pa.binary(max(num_perm, 1))),
        ("no_target", pa.int32()),
    ])


@dataclass(frozen=True)
class WorkUnit:
    """Part ``part`` of ``parts`` of one split: blocks ``part, part + parts, ...`` of its items."""

    dataset: str
    dataset_index: int
    split: str
    split_index: int
    part: int
    parts: int

    @property
    def name(self) -> str:
        return f"{self.dataset}.{self.split}.{self.part:03d}-of-{self.parts:03d}"


@dataclass
class MapSettings:
    """What every unit needs besides its source; built once, shipped to every worker."""

    spec: MixtureSpec
    sources: dict[str, Source]
    decontaminator: Decontaminator | None
    exact: bool
    near: Any = None  # a NearDedup (parameters only; nothing kept)
    work: Path = field(default_factory=Path)
    #: raw items per block (read when the settings are made, so workers use the same)
    block_items: int = field(default_factory=lambda: BLOCK_ITEMS)
    #: a user's template folder added to the bundled templates (``export --templates DIR``)
    templates: Path | None = None

    def store(self) -> Any:
        """The template store of this export (None: the bundled templates), loaded once per process."""
        if self.templates is None:
            return None
        key = str(self.templates)
        if key not in _STORES:
            _STORES[key] = store_with(self.templates)
        return _STORES[key]

    def fingerprint(self, unit: WorkUnit) -> str:
        """Changes whenever anything that shapes this unit's files changes (raw files are
        compared separately, see :mod:`.pipeline`)."""
        source = self.sources[unit.dataset]
        near = None if self.near is None else [self.near.threshold, self.near.seed, self.near.num_perm, self.near.ngram]
        payload = json.dumps({"spec": self.spec.model_dump(mode="json"), "unit": unit.name, "block_items": self.block_items, "dataset_index": unit.dataset_index,
                              "tasks": source.tasks, "near": near, "exact": self.exact,
                              "decontamination": self.decontaminator.eval_items if self.decontaminator else 0,
                              "templates": templates_digest(self.templates),
                              "version": _version()}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


_STORES: dict[str, Any] = {}


def templates_digest(folder: Path | None) -> str | None:
    """sha256 over a template folder's files (names and bytes): part of every unit's fingerprint."""
    if folder is None:
        return None
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _version() -> str:
    from biocurate import __version__

    return __version__


def unit_paths(work: Path, unit: WorkUnit) -> dict[str, Path]:
    base = work / "units" / unit.name
    return {kind: base.with_name(f"{unit.name}.{kind}") for kind in UNIT_FILES + ("done",)}


#: the files of a unit besides its done marker
UNIT_FILES = ("records.arrow", "slots.arrow", "items.arrow", "rows.arrow", "rejects.jsonl")


def unit_is_done(settings: MapSettings, unit: WorkUnit) -> bool:
    """Whether the unit's files are complete and were made with today's settings."""
    paths = unit_paths(settings.work, unit)
    if not all(paths[kind].is_file() for kind in UNIT_FILES):  # e.g. made by a version without items.arrow
        return False
    try:
        return json.loads(paths["done"].read_text(encoding="utf-8")).get("fingerprint") == settings.fingerprint(unit)
    except (OSError, ValueError):
        return False


def map_unit(settings: MapSettings, unit: WorkUnit) -> str:
    """Run the record-local step over one unit and write its files (atomically, done marker
    last); returns the unit's name."""
    with fewer_collections():
        return _map_unit(settings, unit)


@contextmanager
def fewer_collections(young: int = 100_000) -> Iterator[None]:
    """Collect young objects less often inside the block (the interpreter-wide thresholds are
    restored after, also on failure): converting and rendering makes many short-lived objects
    and few cycles, and at the default threshold (700) the collector costs several per cent of
    the map step's CPU."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], young), max(old[1], 50), max(old[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _map_unit(settings: MapSettings, unit: WorkUnit) -> str:
    stage_source(settings.sources[unit.dataset])
    paths = unit_paths(settings.work, unit)
    paths["done"].parent.mkdir(parents=True, exist_ok=True)
    builder = _UnitBuilder(settings, unit)
    tmp = {kind: path.with_name(path.name + ".tmp") for kind, path in paths.items()}
    with ExitStack() as files:
        def writer(kind: str, schema: pa.Schema) -> Any:
            sink = files.enter_context(pa.OSFile(str(tmp[kind]), "wb"))
            return files.enter_context(pa.ipc.new_file(sink, schema))

        rows_out = writer("rows.arrow", ROWS_SCHEMA)
        records_out = writer("records.arrow", RECORDS_SCHEMA)
        slots_out = writer("slots.arrow", builder.slots_schema)
        items_out = writer("items.arrow", ITEMS_SCHEMA)
        rejects_out = files.enter_context(open(tmp["rejects.jsonl"], "w", encoding="utf-8"))
        source = settings.sources[unit.dataset]
        blocks = _chunks(source.loader.read_deferred(unit.split), settings.block_items)
        for number, (first, items) in enumerate(blocks):
            if number % unit.parts != unit.part:
                continue
            rows_out.write_batch(builder.block(first, items, rejects_out))
            builder.flush(records_out, slots_out, items_out)  # a block's tables go to disk: memory stays flat
    for kind in UNIT_FILES:
        os.replace(tmp[kind], paths[kind])
    paths["done"].write_text(json.dumps({"fingerprint": settings.fingerprint(unit)}), encoding="utf-8")
    return unit.name


def stage_source(source: Source) -> None:
    """Make sure a remote source's staged folder is complete where this unit runs (on the
    driver's machine a listing finds nothing to copy; on another node of a cluster it copies
    the dataset's folder to the same path)."""
    if source.remote is None:
        return
    url, relative = source.remote
    root = source.folder
    for _ in Path(relative).parts:
        root = root.parent
    stage(url, target=root, subfolder=relative)


def _chunks(items: Any, size: int) -> Any:
    """Consecutive lists of ``size`` items, each with the position of its first item."""
    iterator = iter(items)
    first = 0
    while chunk := list(islice(iterator, size)):
        yield first, chunk
        first += len(chunk)


def _id_key(dataset: str, record_id: str) -> bytes:
    return hashlib.blake2b(f"{dataset}\x00{record_id}".encode(), digest_size=16).digest()


class _UnitBuilder:
    """Accumulates one unit's records, slots and rows, block by block."""

    def __init__(self, settings: MapSettings, unit: WorkUnit) -> None:
        self.settings = settings
        self.unit = unit
        self.source = settings.sources[unit.dataset]
        self.ctx = ViewContext(self.source.meta.label_sets, self.source.meta.label_names)
        self.store = settings.store()
        self.near = settings.near
        self.bands = self.near.bands if self.near is not None else 0
        self.num_perm = self.near.num_perm if self.near is not None else 0
        self.salts = self.near.task_salts(self.source.tasks) if self.near is not None else None
        self._targets: dict[tuple[str, str], str | None] = {}
        self.records: dict[str, list[Any]] = {name: [] for name in RECORDS_SCHEMA.names}
        self.slots: dict[str, list[Any]] = {name: [] for name in slots_schema(0, 0).names}
        self.items: dict[str, list[Any]] = {name: [] for name in ITEMS_SCHEMA.names}
        self.check_keys = self.source.loader.unique_keys
        self._folders: dict[str, str | None] = {}
        self._last_file: tuple[str | None, str] = (None, "")
        self.gate_enabled = settings.spec.quality.enabled
        self.slots_schema = slots_schema(self.bands, self.num_perm)
        self.records_written = 0
        self._item_base = record_priority(unit.dataset_index, unit.split_index, 0, 0)
        self.slots_written = 0
        self._zero_keys = bytes(max(self.bands, 1) * 8)
        self._zero_sig = bytes(max(self.num_perm, 1))

    def block(self, first: int, items: list[Any], rejects: Any) -> pa.RecordBatch:
        """Convert, check, key and render ``items`` (the split's items from ``first`` on);
        returns their rendered rows as one batch."""
        unit, loader = self.unit, self.source.loader
        split, label_sets, check_keys = unit.split, self.source.meta.label_sets, self.check_keys
        record_priority(unit.dataset_index, unit.split_index, first + len(items), 0)  # raises if the block's positions do not fit
        base = self._item_base
        columns = self.records
        add_priority, add_id_key, add_id, add_split, add_problems = (
            columns[name].append for name in ("priority", "id_key", "record_id", "split", "problems"))
        sound: list[tuple[int, Record, int]] = []  # (priority, record, row in the records table) without problems
        for offset, deferred in enumerate(items):
            position = first + offset
            item = resolve_item(deferred)
            if check_keys and type(deferred) is Deferred and type(item) is SourceItem and item.key is not None:
                self._add_item(position, item)
            converted = [item] if isinstance(item, Reject) else loader.convert_item(item, split, position)
            if len(converted) > 1:
                record_priority(unit.dataset_index, unit.split_index, position, len(converted) - 1)  # raises if it does not fit
            item_priority = base | (position << ITEM_SHIFT)
            for sub, record in enumerate(converted):
                priority = item_priority | (sub << SUB_SHIFT)
                if isinstance(record, Reject):
                    rejects.write(json.dumps([priority, self._reject_dict(record)], ensure_ascii=False) + "\n")
                    continue
                problems = [(p.field, p.reason) for p in check_record(record, label_sets)]
                row = self.records_written + len(columns["priority"])
                add_priority(priority)
                add_id_key(_id_key(record.dataset, record.id))
                add_id(record.id)
                add_split(record.split)
                add_problems(json.dumps(problems, ensure_ascii=False) if problems else None)
                if not problems:
                    sound.append((priority, record, row))
        return self._slots_and_rows(sound)

    def _add_item(self, position: int, item: SourceItem) -> None:
        key = str(item.key)
        columns = self.items
        columns["priority"].append(self._item_base | (position << ITEM_SHIFT))
        columns["key_hash"].append(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest())
        columns["key"].append(key)
        columns["file"].append(self._relative(item.file))
        columns["line"].append(item.line)

    def _reject_dict(self, reject: Reject) -> dict[str, Any]:
        """A reject as written to ``rejects.jsonl``: its file relative to the data root (the
        folder above the dataset's folder), so that rejects read the same on every machine."""
        found = reject.to_dict()
        if found.get("file"):
            found["file"] = self._relative(found["file"])
        return found

    def _relative(self, file: str) -> str:
        """``file`` relative to the data root (folders resolved once each: a JSON Lines file
        names hundreds of thousands of items)."""
        if file == self._last_file[0]:  # consecutive items of one file (hundreds of thousands)
            return self._last_file[1]
        folder, name = os.path.split(file)
        if folder not in self._folders:
            try:
                self._folders[folder] = Path(folder).resolve().relative_to(self.source.folder.resolve().parent).as_posix()
            except ValueError:  # not under the data root: left as it is
                self._folders[folder] = None
        relative = self._folders[folder]
        found = file if relative is None else f"{relative}/{name}"
        self._last_file = (file, found)
        return found

    def _slots_and_rows(self, sound: list[tuple[int, Record, int]]) -> pa.RecordBatch:
        records = [record for _, record, _ in sound]
        reasons, signatures = self._filter_inputs(records)
        keys, small = self._near_arrays(signatures)
        exact = content_keys(records, self.source.tasks) if self.settings.exact else None
        rows = RowColumns()
        gates: list[str | None] = []
        empties: list[bool] = []
        slot_of_row: list[int] = []
        licence = self.source.meta.license
        slots = self.slots
        add_priority, add_record, add_decon, add_exact, add_has_sig, add_keys, add_sig, add_error, add_no_target = (
            slots[name].append for name in ("priority", "record", "decontaminated", "exact_key", "has_signature", "band_keys",
                                            "signature", "error", "no_target"))
        tasks = list(enumerate(self.source.tasks))
        render = self._render
        for number, ((priority, record, record_row), reason) in enumerate(zip(sound, reasons)):
            has_sig = keys is not None and keys[number] is not None and reason is None
            for task_index, task in tasks:
                slot = self.slots_written + len(slots["priority"])
                add_priority(priority | task_index)
                add_record(record_row)
                add_decon(reason)
                add_exact(exact[number][task_index] if exact is not None and reason is None else None)
                add_has_sig(has_sig)
                add_keys((keys[number] + self.salts[task_index]).astype("<u8").tobytes() if has_sig else self._zero_keys)
                add_sig(small[number].tobytes() if has_sig else self._zero_sig)
                error, no_target = None, 0
                if reason is None:
                    error, no_target = render(record, task, slot, rows, gates, empties, slot_of_row, licence)
                add_error(error)
                add_no_target(no_target)
        return _rows_batch(rows, gates, empties, slot_of_row)

    def _render(self, record: Record, task: str, slot: int, rows: RowColumns, gates: list, empties: list, slot_of_row: list,
                licence: str) -> tuple[str | None, int]:
        try:
            samples = render_record(record, task, self.settings.spec.seed, self.ctx, self.store)
        except Exception as exc:  # noqa: BLE001 - reported by the decisions only if the slot is kept
            return f"{type(exc).__name__}: {exc}", 0
        no_target = 0
        for index, sample in enumerate(samples):
            key = (sample.category, sample.language)
            if key not in self._targets:
                self._targets[key] = language_key(self.settings.spec, sample.category, sample.language)
            target = self._targets[key]
            if target is None:
                no_target += 1
                continue
            if self.gate_enabled:
                sample, verdict, empty = self._gate(record, sample)
            else:
                verdict, empty = None, False
            rows.add(sample_values(record, sample, index, licence, target))
            gates.append(verdict)
            empties.append(empty)
            slot_of_row.append(slot)
        return None, no_target

    def _gate(self, record: Record, sample: Any) -> tuple[Any, str | None, bool]:
        """The quality gate on one sample (:mod:`biocurate.mix.quality`): the sample (its prompt
        repaired where the gate repairs), the reason it fails (None: passes) and whether its
        gold answer is empty."""
        config = self.settings.spec.quality
        if not config.enabled:
            return sample, None, False
        fields: dict[str, Any] = {"task": sample.task, "language": sample.language, "conversation": sample.conversation,
                                  "answer_format": sample.answer_format, "template_id": sample.template_id,
                                  "parse_context": sample.parse_context, "gold": sample.gold}
        if sample.task in quality.INPUT_TASKS:
            texts = input_texts(record)
            if texts:
                fields["input_text"] = texts[0]
        repaired = quality.repair(fields, config)
        if repaired is not None:
            sample = replace(sample, conversation=repaired["conversation"])
            fields = repaired
        return sample, quality.check(fields, config), quality.is_empty_answer(fields)

    def _filter_inputs(self, records: list[Record]) -> tuple[list[str | None], list[np.ndarray | None]]:
        """Decontamination reasons and near-dup signatures, for all records of a block at once."""
        none: list[Any] = [None] * len(records)
        decon = self.settings.decontaminator
        if decon is None and self.near is None:
            return none, none
        inputs = normalised_inputs_of(records)
        reasons = decon.drop_reasons(inputs) if decon is not None else none
        if self.near is None:
            return reasons, none
        texts = ["" if reason else "\n".join(texts) for texts, reason in zip(inputs, reasons)]
        return reasons, self.near.signatures(texts)

    def _near_arrays(self, signatures: list[np.ndarray | None]) -> tuple[list[np.ndarray | None] | None, list[np.ndarray | None]]:
        """Each record's unsalted band keys and 8-bit signature (None without a signature)."""
        present = [s for s in signatures if s is not None]
        if self.near is None or not present:
            return None, [None] * len(signatures)
        keys, small = self.near.prepare(np.stack(present))
        out_keys: list[np.ndarray | None] = []
        out_small: list[np.ndarray | None] = []
        row = 0
        for signature in signatures:
            if signature is None:
                out_keys.append(None)
                out_small.append(None)
            else:
                out_keys.append(keys[row])
                out_small.append(small[row])
                row += 1
        return out_keys, out_small

    def flush(self, records_out: Any, slots_out: Any, items_out: Any) -> None:
        """Write the records, slots and item ids gathered since the last flush as one batch each."""
        records = pa.RecordBatch.from_pydict(self.records, schema=RECORDS_SCHEMA)
        slots = pa.RecordBatch.from_pydict(self.slots, schema=self.slots_schema)
        records_out.write_batch(records)
        slots_out.write_batch(slots)
        if self.items["priority"]:
            items_out.write_batch(pa.RecordBatch.from_pydict(self.items, schema=ITEMS_SCHEMA))
        self.records_written += records.num_rows
        self.slots_written += slots.num_rows
        for column in (*self.records.values(), *self.slots.values(), *self.items.values()):
            column.clear()


def _rows_batch(rows: RowColumns, gates: list[str | None], empties: list[bool], slots: list[int]) -> pa.RecordBatch:
    batch = rows.to_batch()
    extra = [pa.array(gates, type=pa.string()), pa.array(empties, type=pa.bool_()), pa.array(slots, type=pa.int32())]
    return pa.RecordBatch.from_arrays([*batch.columns, *extra], schema=ROWS_SCHEMA)
