"""pytest plugin for CI (``.ci/run`` loads it with ``-p tests.ci_strict``): a test skipped
because a *declared* dependency cannot be imported fails instead.

A broken or missing torch would otherwise turn every training and evaluation-loop test into a
skip while the run still passes. Skips are turned into failures when their reason is pytest's
``importorskip`` message (``could not import 'X'``) and ``X`` is a distribution the project
declares (``[project] dependencies`` or any extra); tests marked ``gpu`` (CUDA) may still skip.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

_IMPORT = re.compile(r"could not import '([^']+)'")
#: Import names of declared distributions that are spelt differently (normalised names).
IMPORT_NAMES = {"sklearn": "scikit_learn", "yaml": "pyyaml", "PIL": "pillow"}
_ROOT = Path(__file__).resolve().parents[1]


def declared() -> set[str]:
    """Normalised names of every declared distribution (``rouge-chinese`` -> ``rouge_chinese``)."""
    project = tomllib.loads((_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        lines += [line for line in extra if not line.startswith("biocurate")]
    return {Requirement(line).name.lower().replace("-", "_") for line in lines}


_DECLARED = declared()


def missing_declared(reason: str) -> str | None:
    """The declared module a skip reason says could not be imported, or None."""
    match = _IMPORT.search(reason)
    if not match:
        return None
    module = match.group(1).split(".")[0]
    distribution = IMPORT_NAMES.get(module, module).lower()
    return module if distribution in _DECLARED else None


def _fail(report: pytest.CollectReport | pytest.TestReport, module: str) -> None:
    report.outcome = "failed"
    report.longrepr = f"CI: declared dependency {module!r} cannot be imported; the test would have been skipped ({report.longrepr})"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):  # noqa: ANN201 - hook wrapper
    outcome = yield
    report = outcome.get_result()
    if report.skipped:
        module = missing_declared(str(report.longrepr))
        if module:
            _fail(report, module)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # noqa: ANN201 - hook wrapper
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("gpu") is None:
        module = missing_declared(str(report.longrepr))
        if module:
            _fail(report, module)
