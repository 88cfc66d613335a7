"""Samples an export dropped, per reason: the dataset card's "Dropped samples" section.

The export counts every sample it drops per source, split and reason in its manifest
(``sources.<name>.dropped_by_reason``: ``exact duplicate``, ``contaminated``, ``quality:
fragment``, ``empty answer quota``...). :func:`drop_counts` gathers them by reason and
:func:`drops_section` words them for the card, with the quality gate's settings
(:mod:`biocurate.mix.quality`) the export ran with.

Example:
    >>> manifest = {"sources": {
    ...     "bc2gm": {"dropped_by_reason": {"empty answer quota": 1029, "quality: fragment": 43}},
    ...     "ddi_corpus": {"dropped_by_reason": {"empty answer quota": 40}}}}
    >>> drop_counts(manifest)["empty answer quota"]
    {'bc2gm': 1029, 'ddi_corpus': 40}
    >>> print(drops_section(manifest).splitlines()[6].rsplit(" | ", 2)[1:])
    ['1,069', 'bc2gm 1,029; ddi_corpus 40 |']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["drop_counts", "drops_section"]

#: What each reason means, for the card (reasons not listed are shown as they are).
REASON_NOTES: dict[str, str] = {
    "exact duplicate": "same normalised input as a record kept",
    "near duplicate": "MinHash near-duplicate of a record kept",
    "contaminated": "input overlaps an evaluation split (decontamination)",
    "empty answer quota": "empty answer (`无` / `none`) over the task's allowed share",
    "quality: prompt_language": "prompt not in its row's language",
    "quality: answer_language": "answer not in its row's language (translation: target side)",
    "quality: fragment": "input is a sentence-splitting fragment",
    "quality: tokenised": "input still tokenised",
}


def drop_counts(manifest: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """``{reason: {dataset: samples}}`` over an export's sources, reasons by falling total and
    datasets by falling count (ties by name)."""
    by_reason: dict[str, dict[str, int]] = {}
    for name, source in (manifest.get("sources") or {}).items():
        for reason, n in (source.get("dropped_by_reason") or {}).items():
            if n:
                by_reason.setdefault(reason, {})[name] = by_reason.get(reason, {}).get(name, 0) + int(n)
    ordered = sorted(by_reason.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return {reason: dict(sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))) for reason, per in ordered}


def _settings(manifest: Mapping[str, Any]) -> str | None:
    quality = (manifest.get("mixture") or {}).get("quality")
    if not quality:
        return None
    if not quality.get("enabled", True):
        return "The quality gate was off (mixture `quality: {enabled: false}`)."
    shown = ", ".join(f"`{k}` {v}" for k, v in quality.items() if k != "enabled" and v not in ({}, None))
    return f"Quality gate settings (mixture `quality:`): {shown}."


def drops_section(manifest: Mapping[str, Any]) -> str:
    """The card's Markdown section listing every dropped sample by reason and dataset."""
    counts = drop_counts(manifest)
    lines = ["## Dropped samples", "",
             "Samples rendered from the sources but not written, by reason (counted per split in "
             "`manifest.json`, `sources.<name>.dropped_by_reason`).", ""]
    if not counts:
        lines += ["None.", ""]
    else:
        lines += ["| reason | meaning | samples | by dataset |", "|---|---|---:|---|"]
        for reason, per in counts.items():
            by_dataset = "; ".join(f"{d} {n:,}" for d, n in per.items())
            lines.append(f"| {reason} | {REASON_NOTES.get(reason, '')} | {sum(per.values()):,} | {by_dataset} |")
        lines.append("")
    settings = _settings(manifest)
    if settings:
        lines += [settings, ""]
    return "\n".join(lines)
