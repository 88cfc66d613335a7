"""The ``biocurate`` command line.

Each subcommand lives in its own module of this package and exposes
``register(subparsers)``; it adds its parser and sets ``func`` (called with the parsed args,
returning an exit code). Adding a command is adding a module.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from biocurate.errors import BiocurateError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="biocurate",
        description="Curate biomedical NLP corpora (zh/en) into a typed, reproducible instruction-tuning mixture.",
        epilog="Run `biocurate COMMAND --help` for the options of one command.",
    )
    from biocurate import __version__

    parser.add_argument("--version", action="version", version=f"biocurate {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    package = importlib.import_module(__name__)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``biocurate`` script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except BiocurateError as exc:
        print(f"biocurate {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"biocurate {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
