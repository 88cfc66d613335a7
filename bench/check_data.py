"""Load every dataset of a generated data root and count records and rejects per split.

    python bench/check_data.py /tmp/bench-data
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from biocurate.loaders import Reject, get_loader

from biocurate.sources import datasets_in


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    only = set(argv[1].split(",")) if len(argv) > 1 else None
    bad = 0
    for name, folder in sorted(datasets_in(root).items()):
        if only and name not in only:
            continue
        loader = get_loader(name)(folder)
        for split in loader.available_splits():
            started = time.perf_counter()
            records, reasons = 0, Counter()
            for item in loader.records(split):
                if isinstance(item, Reject):
                    reasons[f"{item.field}: {item.reason[:70]}"] += 1
                else:
                    records += 1
            rejects = sum(reasons.values())
            bad += rejects if split == "train" else 0
            print(f"{name:<26} {folder.name:<30} {split:<10} {records:>8} ok {rejects:>6} rejected  {time.perf_counter() - started:5.1f} s")
            for reason, n in reasons.most_common(3):
                print(f"      {n:>6} x {reason}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
