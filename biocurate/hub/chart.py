"""The mixture chart of a dataset card: target vs achieved samples per category and language.

Drawn with matplotlib (the optional ``chart`` extra: ``pip install "biocurate[chart]"``) into a
PNG beside the card, which links it. Without matplotlib :func:`write_mixture_chart` returns
``None`` and the card keeps only its counts table. The PNG carries no software/date metadata,
so the same targets give the same bytes with the same matplotlib.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: File name of the chart inside an export folder.
CHART_FILE = "mixture.png"


def chart_available() -> bool:
    """Whether matplotlib is installed (the ``chart`` extra)."""
    return importlib.util.find_spec("matplotlib") is not None


def write_mixture_chart(targets: Sequence[dict[str, Any]], path: Path, title: str = "") -> Path | None:
    """Draw target vs achieved per (category, language) row of a manifest's ``targets``.

    Bars use a log scale: targets run to hundreds of thousands while a small export achieves
    tens. Returns the path written, or ``None`` when matplotlib is missing or there is no row.
    """
    if not targets or not chart_available():
        return None
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state

    labels = [f"{t['category']} / {t['language']}" for t in targets]
    wanted = [max(int(t["target"]), 0) for t in targets]
    got = [max(int(t["achieved"]), 0) for t in targets]
    height = 0.38
    fig = Figure(figsize=(8, 1.2 + 0.42 * len(labels)), dpi=100)
    ax = fig.add_subplot()
    ys = range(len(labels))
    ax.barh([y - height / 2 for y in ys], wanted, height, label="target", color="#9ab6d8")
    ax.barh([y + height / 2 for y in ys], got, height, label="achieved", color="#2c6fb7")
    for y, (w, g) in enumerate(zip(wanted, got)):
        share = f" ({g / w:.0%})" if w and g >= w / 10 else f" ({g / w:.1%})" if w else ""
        ax.text(max(g, 1) * 1.1, y + height / 2, f"{g:,}{share}", va="center", fontsize=7)
    ax.set_yticks(list(ys), labels, fontsize=8)
    ax.invert_yaxis()
    if any(v > 0 for v in wanted + got):
        ax.set_xscale("log")
        ax.set_xlim(left=1)  # a zero bar's label stays inside the axes
    ax.set_xlabel("samples (log scale)")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title or "mixture: target vs achieved samples", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata={"Software": None})
    return path


__all__ = ["CHART_FILE", "chart_available", "write_mixture_chart"]
