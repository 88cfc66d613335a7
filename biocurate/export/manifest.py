"""The export manifest: versions, seed, sources (files, hashes, licences), counts, targets.

Everything in it is a function of the inputs (no timestamps, no absolute paths), so the same
inputs and seed give a byte-identical manifest.
"""

from __future__ import annotations

import json
import platform
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from biocurate import __version__
from biocurate.mix.budget import GroupPlan
from biocurate.mix.spec import MixtureSpec

from .sources import Source, file_sha256

#: 2: the quality gate drops samples (language, fragments, tokenised input) and caps empty answers;
#: 3: Parquet shards carry a ``messages`` column beside ``conversation``
FORMAT_VERSION = 3
#: packages whose version can change an export's bytes (numpy: row selection, dedup hashing)
_PACKAGES = ("numpy", "pyarrow", "pydantic", "jinja2", "datasets")


def _versions() -> dict[str, str]:
    out = {"biocurate": __version__, "python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def _file_entry(path: Path, out: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": path.relative_to(out).as_posix(), "bytes": path.stat().st_size, "sha256": file_sha256(path)}
    if path.suffix == ".parquet":
        entry["rows"] = pq.ParquetFile(path).metadata.num_rows
    else:
        with open(path, "rb") as handle:
            entry["rows"] = sum(1 for _ in handle)
    return entry


def build_manifest(
    spec: MixtureSpec,
    sources: list[Source],
    skipped: dict[str, str],
    stats: dict[str, dict],
    files: dict[str, list],
    plans: list[GroupPlan],
    achieved: Counter,
    written: list[Path],
    out: Path,
    rejects_total: int,
) -> dict[str, Any]:
    """The manifest as a dict (see the module docstring)."""
    selected_by_dataset: Counter = Counter()
    for (_, _, dataset), n in achieved.items():
        selected_by_dataset[dataset] += n
    source_entries = {}
    for source in sources:
        meta = source.meta
        s = stats[source.name]
        splits = s["splits"]
        totals = {k: sum(v[k] for v in splits.values()) for k in ("read", "rejected", "records", "samples", "no_target")}
        dropped: Counter = Counter()
        for v in splits.values():
            dropped.update(v["dropped"])
        source_entries[source.name] = {
            "display_name": meta.display_name,
            "version": meta.version,
            "licence": meta.license,
            "homepage": meta.homepage,
            "citation": meta.citation,
            "languages": meta.languages,
            "tasks": source.tasks,
            "splits_used": source.splits,
            "files": files[source.name],
            "counts": {
                "in": totals["read"],
                "rejected": totals["rejected"],
                "records": totals["records"],
                "deduplicated": dropped.get("exact duplicate", 0) + dropped.get("near duplicate", 0),
                "decontaminated": dropped.get("contaminated", 0),
                "samples": totals["samples"],
                "out": selected_by_dataset[source.name],
            },
            "dropped_by_reason": dict(sorted(dropped.items())),
            "per_split": splits,
        }
    targets = []
    for group in plans:
        got = sum(n for (c, lang, _), n in achieved.items() if c == group.category and lang == group.language)
        targets.append({
            "category": group.category, "language": group.language, "target": group.target,
            "available": sum(group.available.values()), "after_caps": sum(group.capped.values()),
            "planned": group.planned, "achieved": got, "shortfall": max(0, group.target - got),
            "by_dataset": {d: q for d, q in sorted(group.quotas.items()) if q},
        })
    return {
        "format_version": FORMAT_VERSION,
        "name": spec.name,
        "seed": spec.seed,
        "versions": _versions(),
        "mixture": spec.model_dump(mode="json"),
        "totals": {"target": sum(t["target"] for t in targets), "achieved": sum(t["achieved"] for t in targets),
                   "rejected": rejects_total},
        "targets": targets,
        "stages": [st.model_dump(mode="json") for st in spec.stages],
        "sources": source_entries,
        "skipped_sources": dict(sorted(skipped.items())),
        "files": [_file_entry(p, out) for p in written],
        "rejects_file": "rejects.jsonl",
    }
