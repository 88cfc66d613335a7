"""Does the real taiyi-v1 mixture fill its 1,001,788 budget when every source is present?

Exports ``biocurate/mixtures/taiyi-v1.yaml`` itself (not bench/taiyi-v1-bench.yaml: default cap
10,000, no raised caps, no moved targets) from a bench data root and prints, per target, the
target, what the sources gave after dedup and caps, and what the export wrote::

    python bench/generate.py --out /tmp/bench-data --scale 1
    python bench/taiyi_fill.py --data /tmp/bench-data --out /tmp/taiyi-v1-full

Exit status 0 when every target is reached exactly (achieved == target), 1 otherwise. The
figures are read from the export's manifest.json (``targets``), so they are the export's own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import biocurate  # noqa: E402


def fill_table(manifest: dict) -> tuple[list[str], bool]:
    """Lines of the target table of an export manifest, and whether every target was reached exactly."""
    lines = [f"{'category':<18}{'lang':<6}{'target':>10}{'after caps':>12}{'achieved':>10}  sources"]
    exact = True
    for t in manifest["targets"]:
        exact &= t["achieved"] == t["target"]
        mark = "" if t["achieved"] == t["target"] else f"  <- short by {t['target'] - t['achieved']:,}"
        lines.append(f"{t['category']:<18}{t['language']:<6}{t['target']:>10,}{t['after_caps']:>12,}{t['achieved']:>10,}"
                     f"  {len(t['by_dataset'])}{mark}")
    totals = manifest["totals"]
    lines.append(f"{'total':<24}{totals['target']:>10,}{'':>12}{totals['achieved']:>10,}")
    return lines, exact


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="data root (bench/generate.py --out)")
    parser.add_argument("--out", type=Path, required=True, help="export folder to write")
    parser.add_argument("--mix", default="taiyi-v1", help="mixture (default: the real taiyi-v1)")
    parser.add_argument("--workers", type=int, default=None, help="export worker processes (default: the export's)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = biocurate.export(args.mix, args.out, data_dir=args.data, workers=args.workers)
    wall = time.perf_counter() - started
    manifest = json.loads((result.out / "manifest.json").read_text(encoding="utf-8"))
    lines, exact = fill_table(manifest)
    print("\n".join(lines))
    sources = manifest["sources"]
    print(f"{len(sources)} sources; export {wall:.1f} s wall")
    print(f"every target reached exactly: {'yes' if exact else 'no'}")
    return 0 if exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
