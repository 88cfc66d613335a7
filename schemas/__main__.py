"""``python -m biocurate.schemas [--check]``: write (or check) the JSON Schema files."""

from __future__ import annotations

import argparse
import sys

from .jsonschema_files import check_files, write_files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m biocurate.schemas", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if a checked-in file differs")
    args = parser.parse_args(argv)
    if args.check:
        stale = check_files()
        for name in stale:
            print(f"stale: {name}", file=sys.stderr)
        return 1 if stale else 0
    for path in write_files():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
