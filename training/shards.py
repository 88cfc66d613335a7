"""Reading an export directory: manifest stages, Parquet shards, category filtering.

Where it sits: between ``biocurate export`` (which writes ``EXPORT_DIR/manifest.json`` and
``EXPORT_DIR/data/**.parquet``) and the sequence builder in :mod:`biocurate.training.data`.
Each row has string columns (``id``, ``dataset``, ``category``, ...) and ``conversation``:
``list<struct<human: string, assistant: string>>``. Only ``conversation`` (and ``category`` for
stage filtering) is read for training.

Small exports load as a memory-mapped ``datasets.Dataset``; large ones (or ``streaming=true``)
as a ``datasets.IterableDataset`` that reads shards lazily.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from biocurate.errors import BiocurateError

#: Taiyi's stage-1 categories (non-dialogue tasks, taiyi-pipeline.md 3.5).
NON_DIALOGUE = ("ner", "re", "ee", "tc", "pair", "mt", "other")


class ExportReadError(BiocurateError):
    """The export directory is missing, empty or does not follow the export contract."""


@dataclass(frozen=True)
class Stage:
    """One training stage: a name, the categories it trains on (None = all) and its epochs (None = config's)."""

    name: str
    categories: tuple[str, ...] | None = None
    epochs: float | None = None


def read_manifest(export_dir: str | Path) -> dict[str, Any]:
    """Return ``manifest.json`` of an export (``{}`` when the file is absent)."""
    path = Path(export_dir) / "manifest.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ExportReadError(f"file {path}: not valid JSON ({exc})") from exc


def read_stages(export_dir: str | Path, use_stages: bool = True) -> list[Stage]:
    """The stages to train, in order: the manifest's ``stages`` list, or one stage over everything."""
    manifest = read_manifest(export_dir)
    raw = manifest.get("stages") if use_stages else None
    if not raw:
        return [Stage("all")]
    stages = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or "name" not in item:
            raise ExportReadError(f"file {Path(export_dir) / 'manifest.json'}: stages[{i}] needs a 'name'")
        cats = item.get("categories")
        epochs = item.get("epochs")
        stages.append(Stage(str(item["name"]), tuple(cats) if cats is not None else None,
                            float(epochs) if epochs is not None else None))
    names = [s.name for s in stages]
    if len(set(names)) != len(names):
        raise ExportReadError(f"file {Path(export_dir) / 'manifest.json'}: duplicate stage names {names}")
    return stages


def shard_files(export_dir: str | Path) -> list[str]:
    """Every Parquet shard under ``EXPORT_DIR/data`` (sorted), as strings.

    Raises:
        ExportReadError: the directory or its shards are missing.
    """
    root = Path(export_dir)
    if not root.is_dir():
        raise ExportReadError(f"export directory {root} not found")
    files = sorted(str(p) for p in (root / "data").rglob("*.parquet"))
    if not files:
        raise ExportReadError(f"export directory {root}: no Parquet shards under {root / 'data'}")
    return files


def count_rows(files: list[str], categories: tuple[str, ...] | None = None) -> int:
    """Rows in ``files`` whose category is in ``categories`` (all rows when None); reads metadata or one column."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    total = 0
    for f in files:
        if categories is None:
            total += pq.ParquetFile(f).metadata.num_rows
        else:
            col = pq.read_table(f, columns=["category"]).column("category")
            total += int(pc.sum(pc.is_in(col, value_set=_pa_strings(categories))).as_py() or 0)
    return total


def _pa_strings(values: tuple[str, ...]) -> Any:
    import pyarrow as pa

    return pa.array(list(values), type=pa.string())


def check_schema(files: list[str]) -> None:
    """Fail early, naming the shard, when the ``conversation`` or ``category`` column is missing."""
    import pyarrow.parquet as pq

    for f in files:
        names = pq.read_schema(f).names
        for col in ("conversation", "category"):
            if col not in names:
                raise ExportReadError(f"file {f}: column {col!r} missing (found {names})")


def load_conversations(
    files: list[str], categories: tuple[str, ...] | None, streaming: bool, seed: int = 42, shuffle_buffer: int = 10_000
) -> Any:
    """Load the ``conversation`` column of the rows of ``categories`` as a ``datasets`` dataset.

    Args:
        files: Parquet shards (see :func:`shard_files`).
        categories: keep rows whose ``category`` is listed; None keeps all.
        streaming: return an ``IterableDataset`` (shuffled with a buffer) instead of a map-style one.
        seed: shuffle seed for the streaming buffer (map-style data is shuffled by the Trainer's sampler).
        shuffle_buffer: buffer size of the streaming shuffle.

    Returns:
        A dataset with the columns ``conversation`` and ``category``.
    """
    from datasets import load_dataset

    check_schema(files)
    ds = load_dataset("parquet", data_files={"train": files}, split="train", streaming=streaming,
                      columns=["conversation", "category"])
    if categories is not None:
        keep = set(categories)
        ds = ds.filter(lambda batch: [c in keep for c in batch["category"]], batched=True)
    if streaming:
        ds = ds.shuffle(seed=seed, buffer_size=shuffle_buffer)
    return ds
