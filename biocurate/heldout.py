"""Which sources feed training from a held-out (validation or test) split, for the card and run summary.

The bundled samples are mostly dev excerpts, so a mixture that lists ``validation`` among its
splits trains on CBLUE's dev sets, BC2GM's ``devel.tsv``... A researcher comparing against
Taiyi or PromptCBLUE must know this, since those splits are what papers evaluate on.
:func:`held_out_sources` finds them from an export's manifest (the splits each source used and
how many samples each split gave), or exactly from the written rows
(:func:`rows_by_split`); :func:`held_out_note` words it for the card and the run summary.

Example:
    >>> manifest = {"sources": {"cmeee": {"splits_used": ["validation"], "per_split": {"validation": {"samples": 919}}},
    ...                         "paramed": {"splits_used": ["train"], "per_split": {"train": {"samples": 944}}}}}
    >>> held_out_sources(manifest)
    {'cmeee': {'validation': 919}}
    >>> held_out_note(held_out_sources(manifest))
    'Training rows come from a held-out split for 1 source: cmeee (validation: 919).'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["HELD_OUT_SPLITS", "held_out_note", "held_out_sources", "rows_by_split"]

#: Splits that papers evaluate on; training rows from them deserve a warning.
HELD_OUT_SPLITS = ("validation", "test")


def held_out_sources(
    manifest: Mapping[str, Any], rows: Mapping[tuple[str, str], int] | None = None
) -> dict[str, dict[str, int]]:
    """``{dataset: {split: samples}}`` for every source whose training rows come from a held-out split.

    Args:
        manifest: an export's ``manifest.json`` (``sources.<name>.splits_used`` and
            ``per_split.<split>.samples``, the samples a split gave before selection).
        rows: exact written rows per ``(dataset, split)`` (:func:`rows_by_split`); when given,
            they are counted instead of the manifest's samples.
    """
    out: dict[str, dict[str, int]] = {}
    if rows is not None:
        for (dataset, split), n in sorted(rows.items()):
            if split in HELD_OUT_SPLITS and n:
                out.setdefault(dataset, {})[split] = n
        return out
    for name, source in sorted((manifest.get("sources") or {}).items()):
        per_split = source.get("per_split") or {}
        for split in source.get("splits_used") or []:
            samples = int((per_split.get(split) or {}).get("samples", 0))
            if split in HELD_OUT_SPLITS and samples:
                out.setdefault(name, {})[split] = samples
    return out


def rows_by_split(export_dir: str | Path, files: list[str] | None = None) -> Counter:
    """Written rows of a Parquet export per ``(dataset, split)`` (reads only those two columns).

    ``files``: the export's Parquet files relative to ``export_dir`` (its manifest's list;
    default every ``data/**/*.parquet``, which may include files that are not the export's)."""
    from biocurate.categories import count_by

    return count_by(export_dir, files, ["dataset", "split"])


def held_out_note(held_out: Mapping[str, Mapping[str, int]]) -> str | None:
    """One sentence naming every such source and split with its count; None when there is none."""
    if not held_out:
        return None
    parts = [f"{name} ({', '.join(f'{split}: {n:,}' for split, n in splits.items())})" for name, splits in held_out.items()]
    noun = "source" if len(parts) == 1 else "sources"
    return f"Training rows come from a held-out split for {len(parts)} {noun}: {'; '.join(parts)}."
