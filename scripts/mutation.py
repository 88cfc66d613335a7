"""Mutation testing without touching the working tree: plant one small bug at a time in a module
and see whether the given tests notice.

Each mutant is the module's source with one AST change (a comparison flipped ``<`` <-> ``<=``,
``==`` <-> ``!=``; ``+`` <-> ``-``; an integer constant ``n`` -> ``n + 1``; ``and`` <-> ``or``;
``True`` <-> ``False``; ``not x`` -> ``x``). It is written to a temporary folder and the tests run
in a fresh interpreter whose import system loads the mutant in place of the real module (a
meta-path finder installed by ``-p scripts.mutation``): the shared source tree is never edited.
A mutant *survives* when the tests still pass.

Usage::

    .venv/bin/python scripts/mutation.py biocurate.schemas.checks tests/schemas tests/conformance \\
        [--max 60] [--seed 0] [--timeout 120] [--line 70 ...]

    .venv/bin/python scripts/mutation.py all     # every module of PRESETS with its tests (~35 min)

Prints one line per surviving mutant (line, what changed) and the totals; exit 1 when any survive.
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib.abc
import importlib.util
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_ENV = "BIOCURATE_MUTANT"  # "module.name=/path/to/mutant.py" in the test interpreter

_COMPARE_SWAP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
                 ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_BINOP_SWAP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult, ast.Div: ast.Mult}


def mutation_points(tree: ast.AST) -> list[tuple[int, str]]:
    """``(node index in ast.walk order, description)`` of every mutation of ``tree``."""
    points = []
    for index, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _COMPARE_SWAP:
            points.append((index, f"line {line}: {type(node.ops[0]).__name__} -> {_COMPARE_SWAP[type(node.ops[0])].__name__}"))
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAP:
            points.append((index, f"line {line}: {type(node.op).__name__} -> {_BINOP_SWAP[type(node.op)].__name__}"))
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            points.append((index, f"line {line}: {node.value} -> {node.value + 1}"))
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            points.append((index, f"line {line}: {node.value} -> {not node.value}"))
        elif isinstance(node, ast.BoolOp):
            points.append((index, f"line {line}: {type(node.op).__name__} -> {'Or' if isinstance(node.op, ast.And) else 'And'}"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            points.append((index, f"line {line}: not x -> x"))
    return points


def mutate(tree: ast.AST, target: int) -> ast.AST:
    """A copy of ``tree`` with the mutation at node ``target`` (an index of ``mutation_points``)."""
    tree = copy.deepcopy(tree)
    for index, node in enumerate(ast.walk(tree)):
        if index != target:
            continue
        if isinstance(node, ast.Compare):
            node.ops[0] = _COMPARE_SWAP[type(node.ops[0])]()
        elif isinstance(node, ast.BinOp):
            node.op = _BINOP_SWAP[type(node.op)]()
        elif isinstance(node, ast.Constant) and type(node.value) is bool:
            node.value = not node.value
        elif isinstance(node, ast.Constant):
            node.value += 1
        elif isinstance(node, ast.BoolOp):
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif isinstance(node, ast.UnaryOp):
            return _replace(tree, node, node.operand)
        break
    return tree


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> ast.AST:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
            elif isinstance(value, list):
                for k, item in enumerate(value):
                    if item is old:
                        value[k] = new
    return tree


class _MutantFinder(importlib.abc.MetaPathFinder):
    """Loads the mutant file for one module name; everything else imports as usual."""

    def __init__(self, name: str, path: str) -> None:
        self.name, self.path = name, path

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001, ANN201 - importlib's signature
        if fullname == self.name:
            return importlib.util.spec_from_file_location(fullname, self.path)
        return None


if os.environ.get(_ENV):  # imported as a pytest plugin (-p scripts.mutation) in the test interpreter
    _name, _path = os.environ[_ENV].split("=", 1)
    sys.meta_path.insert(0, _MutantFinder(_name, _path))


def run(module: str, tests: list[str], max_mutants: int | None, seed: int, timeout: float, lines: list[int] | None = None) -> int:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        raise SystemExit(f"cannot find module {module}")
    source = Path(spec.origin).read_text(encoding="utf-8")
    tree = ast.parse(source)
    points = mutation_points(tree)
    if lines:
        points = [p for p in points if int(p[1].split(":")[0].removeprefix("line ")) in lines]
    chosen = points if max_mutants is None or len(points) <= max_mutants else sorted(random.Random(seed).sample(points, max_mutants))
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-p", "scripts.mutation", *tests]
    baseline = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=timeout * 3)
    if baseline.returncode != 0:
        raise SystemExit(f"the tests fail without any mutant:\n{baseline.stdout[-2000:]}")
    survived, killed, timed_out = [], 0, 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutant-") as folder:
        for index, what in chosen:
            path = Path(folder) / Path(spec.origin).name
            path.write_text(ast.unparse(mutate(tree, index)), encoding="utf-8")
            env = {**os.environ, _ENV: f"{module}={path}"}
            try:
                result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=timeout, env=env)
            except subprocess.TimeoutExpired:
                timed_out += 1  # an endless loop is noticed: counted as killed
                continue
            if result.returncode == 0:
                survived.append(what)
                print(f"SURVIVED {module} {what}", flush=True)
            else:
                killed += 1
    total = len(chosen)
    print(f"{module}: {total} mutants of {len(points)} ({time.monotonic() - started:.0f} s): "
          f"{killed + timed_out} killed ({timed_out} by timeout), {len(survived)} survived")
    return 1 if survived else 0


_FILL = "tests/mix/test_fill.py::"
#: module -> (tests that should notice its bugs, mutants tried: None = all); ``all`` runs these.
PRESETS: dict[str, tuple[list[str], int | None]] = {
    "biocurate.mix.budget": (["tests/mix/test_budget_sources.py", _FILL + "test_without_fill_each_target_keeps_its_shortfall",
                              _FILL + "test_fill_moves_the_shortfall_in_proportion_to_the_targets",
                              _FILL + "test_fill_stops_at_what_the_sources_hold_and_respects_caps"], None),
    "biocurate.mix.neardup": (["tests/mix/test_neardup.py", "tests/mix/test_neardup_threshold.py", "tests/mix/test_neardup_signatures.py",
                               "tests/mix/test_neardup_merge.py", "tests/regressions/test_near_decisions.py"], 40),
    "biocurate.mix.dedup": (["tests/mix/test_dedup_by_hand.py", "tests/mix/test_batch_filters.py"], None),
    "biocurate.schemas.checks": (["tests/schemas", "tests/conformance/test_loaders.py"], None),
    "biocurate.export.select": (["tests/regressions/test_selection.py", "tests/export/test_parquet_writer.py",
                                 "tests/regressions/test_multi_task_export.py", "tests/regressions/test_write_batches.py"], None),
    "biocurate.export.writers": (["tests/export/test_writers_by_hand.py", "tests/export/test_parquet_writer.py"], None),
    "biocurate.eval.metrics": (["tests/eval/test_metrics.py", "tests/eval/test_scores.py", "tests/regressions/test_metrics_by_hand.py"], None),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="dotted module name, e.g. biocurate.schemas.checks")
    parser.add_argument("tests", nargs="*", help="pytest paths that should notice a planted bug (none with 'all')")
    parser.add_argument("--max", type=int, default=None, help="try at most this many mutants (a seeded sample)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per test run")
    parser.add_argument("--line", type=int, action="append", help="only mutants on this source line (repeatable)")
    args = parser.parse_args(argv)
    if args.module == "all":
        return max(run(module, tests, most if args.max is None else args.max, args.seed, args.timeout)
                   for module, (tests, most) in PRESETS.items())
    if not args.tests:
        parser.error("give the tests to run (or the module 'all')")
    return run(args.module, args.tests, args.max, args.seed, args.timeout, args.line)


if __name__ == "__main__":
    sys.exit(main())
