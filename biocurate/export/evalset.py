"""Evaluation exports: every labelled record of one split rendered as a prompt, gold kept aside.

``biocurate export --mix NAME --split test`` writes ``<dataset>.jsonl`` per dataset (no budgets,
no dedup: an evaluation set is used whole) and a ``manifest.json``. Each line has the prompt
conversation (the gold answer as its last assistant turn, which a generator must not see), and
what the scorer needs: ``answer_format``, ``gold`` (the structure the answer encodes, as JSON)
and ``parse_context`` (label options etc., as JSON).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from biocurate.progress import tqdm  # log lines when stderr is not a terminal

from biocurate.loaders import Reject
from biocurate.mix.spec import MixtureSpec
from biocurate.schemas import IdTracker
from biocurate.templates.engine import render_record
from biocurate.templates.views import ViewContext
from biocurate.validate import validate_stream

from .manifest import _versions, write_json
from .rows import eval_row
from .sources import file_sha256, find_sources, source_files

EVAL_COLUMNS = ("id", "dataset", "split", "record_id", "template_id", "task", "category", "language", "licence",
                "conversation", "answer_format", "gold", "parse_context")


@dataclass
class EvalExportOptions:
    out: Path
    split: str
    data_root: Path | None = None
    limit: int | None = None
    exclude_licences: list[str] | None = None
    progress: bool = True


def run_eval_export(spec: MixtureSpec, options: EvalExportOptions) -> dict[str, Any]:
    """Write one JSON Lines file per dataset with the evaluation prompts of ``options.split``."""
    from biocurate.errors import ExportError

    sources, skipped = find_sources(spec, options.data_root, [options.split], options.exclude_licences or [])
    if not sources:
        raise ExportError(f"no dataset has a labelled {options.split!r} split for mixture {spec.name!r}: {skipped}")
    options.out.mkdir(parents=True, exist_ok=True)
    datasets: dict[str, Any] = {}
    for source in sources:
        meta = source.meta
        ctx = ViewContext(meta.label_sets, meta.label_names)
        path = options.out / f"{source.name}.jsonl"
        tmp = path.with_suffix(".jsonl.tmp")
        counts: Counter = Counter()
        with open(tmp, "w", encoding="utf-8") as handle:
            stream = validate_stream(source.loader.records(options.split), meta, IdTracker())
            for item in tqdm(stream, desc=f"{source.name}/{options.split}", unit="rec", disable=not options.progress, leave=False):
                if isinstance(item, Reject):
                    counts["rejected"] += 1
                    continue
                if options.limit is not None and counts["records"] >= options.limit:
                    break
                counts["records"] += 1
                for task in source.tasks:
                    for index, sample in enumerate(render_record(item, task, spec.seed, ctx)):
                        row = eval_row(item, sample, index, meta.license)
                        if len(sample.conversation) > 1 and sample.answer_format == "text":
                            # Multi-turn: the model answers the last human turn, so that reply is the gold.
                            row["gold"] = json.dumps(sample.conversation[-1]["assistant"], ensure_ascii=False)
                        handle.write(json.dumps({k: row[k] for k in EVAL_COLUMNS}, ensure_ascii=False) + "\n")
                        counts[f"prompts:{task}"] += 1
        os.replace(tmp, path)
        datasets[source.name] = {
            "file": path.name, "sha256": file_sha256(path), "licence": meta.license, "split": options.split,
            "counts": dict(sorted(counts.items())), "sources": source_files(source, [options.split]),
        }
    manifest = {"kind": "eval", "name": spec.name, "seed": spec.seed, "split": options.split, "versions": _versions(),
                "datasets": datasets, "skipped_sources": dict(sorted(skipped.items()))}
    write_json(options.out / "manifest.json", manifest)
    return manifest
