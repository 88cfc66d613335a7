"""Load -> validate -> filter -> render for one dataset, spooled to disk with its counts.

Steps are separate generators over the record stream (datatrove-style): :func:`filter_stream`
drops with a reason, :func:`render_stream` turns records into rows. Counts are kept per split
and reason so the manifest can say what happened to every raw record.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from biocurate.loaders import Reject
from biocurate.mix.budget import language_key
from biocurate.mix.dedup import Decontaminator, ExactDedup
from biocurate.mix.spec import MixtureSpec
from biocurate.schemas import IdTracker, Record
from biocurate.templates.engine import render_record
from biocurate.templates.views import ViewContext
from biocurate.validate import validate_stream

from .rows import sample_row
from .sources import Source
from .spool import SpoolWriter


class Filters:
    """The drop-with-reason filters of an export, shared across datasets."""

    def __init__(self, spec: MixtureSpec, decontaminator: Decontaminator | None, near: Any = None) -> None:
        self.exact = ExactDedup() if spec.dedup.exact else None
        self.decontaminator = decontaminator
        self.near = near

    def drop_reason(self, record: Record, task: str) -> str | None:
        if self.decontaminator is not None:
            reason = self.decontaminator.drop_reason(record)
            if reason:
                return reason
        if self.exact is not None:
            reason = self.exact.drop_reason(record, task)
            if reason:
                return reason
        if self.near is not None:
            return self.near.drop_reason(record, task)
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
    meta = source.meta
    ctx = ViewContext(meta.label_sets, meta.label_names)
    writer = SpoolWriter(spool_dir, source.name)
    tracker = IdTracker()
    per_split: dict[str, dict[str, Any]] = {}
    available: Counter = Counter()
    for split in source.splits:
        counts = {"read": 0, "rejected": 0, "records": 0, "samples": 0, "no_target": 0}
        dropped: Counter = Counter()
        reject_reasons: Counter = Counter()
        stream: Iterator[Record | Reject] = validate_stream(source.loader.records(split), meta, tracker)
        for item in tqdm(stream, desc=f"{source.name}/{split}", unit="rec", disable=not progress, leave=False):
            if isinstance(item, Reject):
                counts["rejected"] += 1
                reject_reasons[item.stage] += 1
                rejects.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
                continue
            counts["records"] += 1
            for task in source.tasks:
                reason = filters.drop_reason(item, task)
                if reason:
                    dropped[reason.split(":")[0]] += 1
                    continue
                for index, sample in enumerate(render_record(item, task, spec.seed, ctx)):
                    key = language_key(spec, sample.category, sample.language)
                    if key is None:
                        counts["no_target"] += 1
                        continue
                    writer.write(sample_row(item, sample, index, meta.license, key))
                    counts["samples"] += 1
                    available[f"{sample.category}|{key}"] += 1
        counts["read"] = counts["records"] + counts["rejected"]
        per_split[split] = {**counts, "dropped": _counter_dict(dropped), "rejects_by_stage": _counter_dict(reject_reasons)}
    stats = {"splits": per_split, "available": _counter_dict(available), "spooled": 0}
    stats["spooled"] = sum(available.values())
    writer.close(fingerprint_value, stats)
    return stats
