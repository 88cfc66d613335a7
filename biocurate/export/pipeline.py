"""The export: mixture spec + data root -> Parquet shards, manifest, dataset card, rejects.

An export is this list of named steps, read top to bottom in :func:`run_export`:

1. ``map``: every work unit (a part of a dataset split) is parsed, validated, keyed, signed,
   checked against the evaluation set and rendered, wherever the runner puts it
   (:mod:`.units`);
2. ``decide``: repeated ids, exact and near duplicates as order-free group-by rules over keys
   and priorities (:mod:`.decisions`);
3. ``plan``: the water-fill of the targets (:mod:`biocurate.mix.budget`);
4. ``select``: the seeded choice within each (dataset, category, language) group;
5. ``write``: rows in priority order to the writers (Parquet shards get their ``messages``
   column here), then rejects, manifest, card and LLaMA-Factory's ``dataset_info.json``.

The output is a function of the inputs and the seed alone: the same bytes for any runner and
any number of workers.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from biocurate.errors import ExportError
from biocurate.remote import is_url
from biocurate.loaders import Reject
from biocurate.mix.budget import GroupPlan, plan
from biocurate.mix.dedup import Decontaminator
from biocurate.mix.spec import MixtureSpec
from biocurate.templates.engine import store_with

from .card import write_card
from .decisions import Decisions, decide
from .llamafactory import write_dataset_info
from .manifest import build_manifest, write_json
from .outdir import OutputFolder
from .rows import SHARD_SCHEMA, with_messages
from .runners import Runner, default_workers, make_runner
from .select import selection, write_outputs
from .sources import Source, find_sources, source_files
from .units import MapSettings, WorkUnit, map_unit, unit_is_done, unit_paths
from .writers import WRITERS, ParquetShardWriter, Writer

#: Below this many bytes of raw files, worker processes cost more than they save.
PARALLEL_MIN_BYTES = 32 << 20
#: A split of a loader that defers parsing is dealt into one part per worker from this size on.
SHARED_SPLIT_BYTES = 1 << 20


@dataclass
class ExportOptions:
    """How to run an export (the mixture says *what*; these say *where* and *how*)."""

    out: Path
    #: a folder, or a URL (``s3://``, ``gs://``, ``hdfs://``, ``file://``, any fsspec protocol) staged first
    data_root: Path | str | None = None
    formats: list[str] = field(default_factory=lambda: ["parquet"])
    shard_rows: int = 100_000
    exclude_licences: list[str] = field(default_factory=list)
    resume: bool = False
    progress: bool = True
    near_dedup: Any = None
    #: processes for the map step; None: one per CPU when the raw data is large enough to pay for them
    workers: int | None = None
    #: ``local`` (default) or ``ray``
    engine: str = "local"
    ray_address: str | None = None
    #: write into a non-empty folder that holds no biocurate export
    overwrite: bool = False
    #: a folder of the user's template files, added to the bundled ones (checked like them, sandboxed)
    templates: Path | None = None


@dataclass
class ExportResult:
    out: Path
    manifest: dict[str, Any]
    plans: list[GroupPlan]


def build_decontaminator(spec: MixtureSpec, sources: list[Source]) -> Decontaminator | None:
    """Evaluation texts from the ``decontaminate.splits`` of every source (labelled or not):
    the n-gram set broadcast to every work unit."""
    if not spec.decontaminate.enabled or not spec.decontaminate.splits:
        return None
    decon = Decontaminator()
    for source in sources:
        for split in spec.decontaminate.splits:
            if split in spec.splits or split not in source.loader.available_splits():
                continue
            for item in source.loader.records(split):
                if not isinstance(item, Reject):
                    decon.add_eval_record(item)
    return decon


def split_sizes(sources: list[Source]) -> dict[tuple[str, str], int]:
    """Bytes of raw files of every (dataset, split), listed once (a file-per-document corpus
    has tens of thousands of files to stat)."""
    return {(source.name, split): sum(path.stat().st_size for path in source.loader.input_files(split))
            for source in sources for split in source.splits}


def work_units(sources: list[Source], parallelism: int, sizes: dict[tuple[str, str], int]) -> list[WorkUnit]:
    """Every (dataset, split) as one unit, or, for a large split of a loader that defers
    parsing (skipping another part's items is cheap), one part per worker."""
    units = []
    for dataset_index, source in enumerate(sources):
        for split_index, split in enumerate(source.splits):
            shared = parallelism > 1 and source.loader.defers_parsing and sizes[(source.name, split)] >= SHARED_SPLIT_BYTES
            parts = parallelism if shared else 1
            units.extend(WorkUnit(source.name, dataset_index, split, split_index, part, parts) for part in range(parts))
    return units


def choose_workers(options: ExportOptions, sizes: dict[tuple[str, str], int]) -> int:
    if options.workers is not None:
        return max(1, options.workers)
    if options.engine == "ray":
        return default_workers()
    return default_workers() if sum(sizes.values()) >= PARALLEL_MIN_BYTES else 1


def _raw_files(sources: list[Source]) -> dict[str, list]:
    return {source.name: source_files(source, source.splits) for source in sources}


def map_step(spec: MixtureSpec, sources: list[Source], options: ExportOptions, runner: Runner, work: Path,
             sizes: dict[tuple[str, str], int]) -> tuple[MapSettings, list[WorkUnit], dict[str, list]]:
    """Step 1 (``map``): run every unit not already done; returns the settings, all units and
    the raw files' hashes."""
    # Raw files are hashed in a thread (hashlib and reads release the GIL) while units run;
    # a resumed export needs them first, to tell which datasets' files changed.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="biocurate-hash") as hashing:
        hashes = hashing.submit(_raw_files, sources)
        near = options.near_dedup.fresh() if options.near_dedup is not None else None
        templates = Path(options.templates).resolve() if options.templates is not None else None
        settings = MapSettings(spec, {s.name: s for s in sources}, build_decontaminator(spec, sources), spec.dedup.exact, near, work,
                               templates=templates)
        units = work_units(sources, runner.parallelism, sizes)
        files_record = work / "sources.json"
        todo = units
        if options.resume:
            previous = json.loads(files_record.read_text(encoding="utf-8")) if files_record.is_file() else {}
            unchanged = {name for name, files in hashes.result().items() if previous.get(name) == files}
            todo = [u for u in units if not (u.dataset in unchanged and unit_is_done(settings, u))]
        # largest splits first, so that no worker is left with a big one at the end
        todo = sorted(todo, key=lambda u: -sizes[(u.dataset, u.split)] / u.parts)
        for unit in todo:
            unit_paths(work, unit)["done"].unlink(missing_ok=True)
        try:
            runner.map(map_unit, settings, todo, options.progress)
        finally:  # also when interrupted: a resume compares the raw files with these
            if hashes.exception() is None:  # compact: json's C encoder (indented output is pure Python)
                files_record.write_text(json.dumps(hashes.result(), ensure_ascii=False), encoding="utf-8")
        files = hashes.result()
    return settings, units, files


def available_counts(stats: dict[str, dict]) -> dict[tuple[str, str, str], int]:
    """``{(category, language key, dataset): kept rows}`` from the decisions' counts."""
    out = {}
    for dataset, s in stats.items():
        for key, n in s["available"].items():
            category, lang = key.split("|")
            out[(category, lang, dataset)] = n
    return out


def open_writers(spec: MixtureSpec, options: ExportOptions) -> list[Writer]:
    writers: list[Writer] = []
    for fmt in options.formats:
        cls = WRITERS[fmt]
        if cls is ParquetShardWriter:  # shards get the messages column, derived as they are written
            writers.append(ParquetShardWriter(options.out, options.shard_rows, SHARD_SCHEMA, spec.system, with_messages))
        else:
            writers.append(cls(options.out, options.shard_rows, spec.system))
    return writers


def write_rejects(units: list[WorkUnit], decisions: Decisions, work: Path, target: Path) -> int:
    """Conversion and validation rejects, per dataset in priority order, into one file."""
    count = 0
    by_dataset: dict[str, list[tuple[int, dict]]] = {}
    for unit in units:
        with open(unit_paths(work, unit)["rejects.jsonl"], encoding="utf-8") as handle:
            found = (tuple(json.loads(line)) for line in handle)
            by_dataset.setdefault(unit.dataset, []).extend(r for r in found if not decisions.repeated(r[0]))  # type: ignore[misc]
    with open(target, "w", encoding="utf-8") as out:
        for dataset in dict.fromkeys(u.dataset for u in units):
            for _, reject in sorted(by_dataset.get(dataset, []) + decisions.rejects.get(dataset, []), key=lambda r: r[0]):
                out.write(json.dumps(reject, ensure_ascii=False) + "\n")
                count += 1
    return count


def _sources_or_fail(spec: MixtureSpec, options: ExportOptions) -> tuple[list[Source], dict[str, str]]:
    sources, skipped = find_sources(spec, options.data_root, spec.splits, options.exclude_licences)
    if not sources:
        raise ExportError(f"no dataset under {options.data_root or 'the bundled samples'} can feed mixture {spec.name!r}: {skipped}")
    return sources, skipped


def _holds_at_least(folder: Path, limit: int) -> bool:
    """Whether the files under ``folder`` add up to ``limit`` bytes (stops as soon as they do)."""
    total, pending = 0, [folder]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=True):
                        pending.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=True):
                        total += entry.stat().st_size
                        if total >= limit:
                            return True
        except OSError:
            continue
    return False


def early_runner(options: ExportOptions) -> Runner | None:
    """The local process pool, started before the sources are listed when it will be wanted
    (its workers' start-up, about a second, then overlaps the listing); None otherwise."""
    if options.engine != "local":
        return None
    if options.workers is not None:
        workers = max(1, options.workers)
    elif options.data_root is not None and not is_url(options.data_root) and _holds_at_least(Path(options.data_root), PARALLEL_MIN_BYTES):
        workers = default_workers()
    else:
        return None
    return make_runner("local", workers) if workers > 1 else None


def map_and_decide(spec: MixtureSpec, options: ExportOptions, work: Path) -> tuple[list[Source], dict[str, str], MapSettings, list[WorkUnit], dict[str, list], Decisions]:
    """Find the sources, then steps 1 (``map``, on the chosen runner) and 2 (``decide``)."""
    runner = early_runner(options)
    try:
        sources, skipped = _sources_or_fail(spec, options)
        sizes = split_sizes(sources)
        workers = choose_workers(options, sizes)
        if runner is not None and runner.parallelism != workers:  # e.g. a large root, but the mixture's part of it is small
            runner.close()
            runner = None
        if runner is None:
            runner = make_runner(options.engine, workers, options.ray_address)
        settings, units, files = map_step(spec, sources, options, runner, work, sizes)
    finally:
        if runner is not None:
            runner.close()
    return sources, skipped, settings, units, files, decide(settings, units, [s.name for s in sources])


def plan_only(spec: MixtureSpec, options: ExportOptions) -> tuple[list[Source], dict[str, str], list[GroupPlan]]:
    """Steps 1-3 into ``options.out`` (a scratch folder): what ``biocurate plan`` prints."""
    with OutputFolder(options.out, options.overwrite) as folder:
        sources, skipped, _, _, _, decisions = map_and_decide(spec, options, folder.work)
        folder.remove_work()
    return sources, skipped, plan(spec, available_counts(decisions.stats))


def run_export(spec: MixtureSpec, options: ExportOptions) -> ExportResult:
    """Run a whole export; see the module docstring for the steps.

    Raises:
        ExportError: unknown output format, nothing under the data root can feed the mixture,
            another export writing to the same folder, a foreign non-empty folder, a full disk.
    """
    bad = [f for f in options.formats if f not in WRITERS]
    if bad:
        raise ExportError(f"unknown format(s) {bad}; available: {', '.join(WRITERS)}")
    if options.templates is not None:
        store_with(options.templates)  # a bad folder or template fails here, before any work
    out = options.out
    with OutputFolder(out, options.overwrite) as folder:
        if not options.resume:
            folder.reset_work()
        sources, skipped, settings, units, files, decisions = map_and_decide(spec, options, folder.work)  # 1-2. map, decide
        plans = plan(spec, available_counts(decisions.stats))                                      # 3. plan
        chosen = selection(spec, plans)                                                            # 4. select
        folder.clear_previous()                                                                    # 5. write
        writers = open_writers(spec, options)
        by_dataset = {s.name: [u for u in units if u.dataset == s.name] for s in sources}
        achieved = write_outputs(settings, by_dataset, decisions.kept, chosen, writers, options.progress)
        written = sorted(path for writer in writers for path in writer.close())
        rejects_total = write_rejects(units, decisions, folder.work, out / "rejects.jsonl")
        # the unit files are read for the last time: freed (gigabytes at scale) while the
        # manifest and card are written
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="biocurate-cleanup") as cleanup:
            removed = cleanup.submit(folder.remove_work)
            manifest = build_manifest(spec, sources, skipped, decisions.stats, files, plans, achieved, written, out, rejects_total)
            write_json(out / "manifest.json", manifest)
            write_card(out, spec, manifest)
            write_dataset_info(out, spec.name, options.formats, spec.system is not None)
            removed.result()
    return ExportResult(out, manifest, plans)


def read_manifest(export_dir: Path) -> dict[str, Any]:
    return json.loads((export_dir / "manifest.json").read_text(encoding="utf-8"))
