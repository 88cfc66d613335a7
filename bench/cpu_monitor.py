"""How busy the cores are during one export: the CPU use of the export and of each process it
starts, sampled every half second, and the idle core-seconds of the whole run.

    python bench/cpu_monitor.py --data-dir /tmp/bench-data [--near] [--workers N] [--every 0.5]

Runs ``bench/cpu_split.py`` with the same options in a child process and prints one line per
sample (seconds since start, then ``pid:cores`` per process; 1.00 = one core busy for the whole
interval), then the idle core-seconds (cores x wall time minus what the processes used). A
line whose total is well below the number of cores is time the export leaves a core idle:
start-up, waiting, a stall.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--near", action="store_true")
    parser.add_argument("--workers", type=int)
    parser.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    args = parser.parse_args(argv)
    command = [sys.executable, str(ROOT / "bench" / "cpu_split.py"), "--data-dir", str(args.data_dir)]
    command += ["--near"] if args.near else []
    command += ["--workers", str(args.workers)] if args.workers else []
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    root = psutil.Process(child.pid)
    last: dict[int, tuple[float, float]] = {}  # pid -> (cpu seconds, when)
    idle = 0.0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    while child.poll() is None:
        time.sleep(args.every)
        now = time.monotonic() - started
        used, shown = 0.0, []
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            total = times.user + times.system
            before, when = last.get(process.pid, (0.0, now - args.every))
            last[process.pid] = (total, now)
            rate = (total - before) / max(now - when, 1e-3)
            used += rate
            shown.append(f"{process.pid}:{rate:4.2f}")
        idle += max(cores - used, 0.0) * args.every
        print(f"{now:6.1f}  total {used:4.2f}  " + " ".join(shown), flush=True)
    output = child.stdout.read() if child.stdout else ""
    print(output.strip().splitlines()[-1] if output.strip() else "(no output)")
    print(f"idle core-seconds: {idle:.1f} ({cores} cores)")
    return child.returncode or 0


if __name__ == "__main__":
    raise SystemExit(main())
