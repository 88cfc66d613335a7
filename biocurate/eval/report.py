"""The evaluation report: a terminal table and a JSON file (stage 6).

Values in the JSON report are fractions in [0, 1]; the table prints them as percentages with
one decimal, the way the Taiyi and PromptCBLUE papers report them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["format_table", "write_report"]

_COLUMNS = ("dataset", "task", "lang", "n", "metric", "value", "fail", "empty", "missing", "off-set")


def _row(result: dict[str, Any]) -> tuple[str, ...]:
    return (
        result["dataset"], result["task"], result["language"], str(result["n"]), result["main"],
        f"{100 * result['value']:.1f}", str(result["parse_failures"]), str(result["empty"]),
        str(result["missing"]), str(result["out_of_label_set"]),
    )


def format_table(report: dict[str, Any]) -> str:
    """The report as a fixed-width table with a summary of id problems underneath.

    Columns: dataset, task, language, rows, main metric, its value in percent, parse failures,
    empty answers, missing predictions, and answers outside the label set. Groups whose main
    metric differs under the other scoring profile get a line each below the table.
    """
    rows = [_COLUMNS] + [_row(r) for r in report["results"]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(_COLUMNS))]
    numeric = {3, 5, 6, 7, 8, 9}
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    others = [r for r in report["results"] if r.get("other_profile")]
    if others:
        profile = others[0]["other_profile"]["profile"]
        lines.append("")
        lines.append(f"where the {profile} profile differs:")
        for r in others:
            o = r["other_profile"]
            lines.append(f"  {r['dataset']} {r['task']} {r['language']}: {o['main']} {100 * o['value']:.1f}"
                         f" ({report.get('profile', 'default')}: {r['main']} {100 * r['value']:.1f})")
    totals = report["totals"]
    lines.append("")
    lines.append(f"{totals['rows']} rows in {totals['groups']} groups; mean of main metrics "
                 f"{100 * report['mean_main_metric']:.1f}; {totals['parse_failures']} parse failures, "
                 f"{totals['missing']} missing, {totals['empty']} empty")
    problems = [(totals["unknown_ids"], "prediction ids not in the gold set"),
                (totals["duplicate_ids"], "repeated prediction ids (the last one was used)"),
                (totals["garbled_lines"], "garbled prediction lines skipped"),
                (totals["unscorable"], "gold rows that cannot be scored")]
    for count, what in problems:
        if count:
            lines.append(f"warning: {count} {what}")
    unpredicted = sorted({r["dataset"] for r in report["results"]}
                         - {r["dataset"] for r in report["results"] if r["missing"] < r["n"]})
    if unpredicted and len(unpredicted) < len({r["dataset"] for r in report["results"]}):
        lines.append(f"warning: no prediction at all for {', '.join(unpredicted)} "
                     "(score one dataset with --gold EVAL_DIR/<dataset>.jsonl or --datasets)")
    return "\n".join(lines)


def write_report(path: str | Path, report: dict[str, Any]) -> Path:
    """Write the JSON report atomically (a temporary file, then rename); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
