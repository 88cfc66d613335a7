"""The ``biocurate`` command line.

Each subcommand lives in its own module of this package and exposes
``register(subparsers)``; it adds its parser and sets ``func`` (called with the parsed args,
returning an exit code). Adding a command is adding a module.

Only the module of the command being run is imported: ``biocurate list`` never imports the
export's pyarrow stack. The top-level ``--help`` lists every command with the summary line of
its module docstring (read from the source file, not imported).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import pkgutil
import re
import sys
from pathlib import Path

from biocurate import __version__
from biocurate.errors import BiocurateError


def command_names() -> list[str]:
    """The subcommands: one per public module of this package, sorted."""
    return sorted(i.name for i in pkgutil.iter_modules(__path__) if not i.name.startswith("_"))


def command_summary(name: str) -> str:
    """A command's one-line help: its module docstring's first sentence, without importing it."""
    source = (Path(__file__).parent / f"{name}.py").read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source)) or ""
    first = re.sub(r"^``biocurate [^`]*``:\s*", "", doc.split("\n\n", 1)[0].replace("\n", " ")).strip()
    return first.rstrip(".")


def build_parser(command: str | None = None, *, lazy: bool = False) -> argparse.ArgumentParser:
    """The ``biocurate`` parser.

    Args:
        command: with ``lazy``, the one command whose module is imported and registered in full.
        lazy: register the other commands as name + summary only (for ``main``; cheap).
    """
    parser = argparse.ArgumentParser(
        prog="biocurate",
        description="Curate biomedical NLP corpora (zh/en) into a typed, reproducible instruction-tuning mixture.",
        epilog="Run `biocurate COMMAND --help` for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"biocurate {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_names():
        if lazy and name != command:
            subparsers.add_parser(name, help=command_summary(name), add_help=False)
            continue
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``biocurate`` script."""
    argv = sys.argv[1:] if argv is None else [*argv]  # (`list` here is the list command module)
    parser = build_parser(next((a for a in argv if not a.startswith("-")), None), lazy=True)
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
