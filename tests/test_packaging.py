"""The wheel carries every stage: schemas, loaders, templates, training, mixtures, samples."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAPPED = {"biocurate": "biocurate", "biocurate.schemas": "schemas", "biocurate.loaders": "loaders",
          "biocurate.templates": "templates", "biocurate.training": "training"}


def _declared_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return set(config["tool"]["setuptools"]["packages"])


def test_every_python_package_folder_is_declared() -> None:
    found = set()
    for package, folder in MAPPED.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            if "samples" in rel.parts or "__pycache__" in rel.parts:
                continue
            found.add(".".join([package, *rel.parts]))
    assert found - _declared_packages() == set(), "add these to [tool.setuptools] packages in pyproject.toml"


@pytest.mark.slow
def test_wheel_contents(tmp_path: Path) -> None:
    isolation = [] if importlib.util.find_spec("setuptools") is None else ["--no-build-isolation"]
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("biocurate-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "biocurate/cli/__init__.py", "biocurate/schemas/kb.py", "biocurate/schemas/kb.schema.json",
        "biocurate/loaders/cmeee.py", "biocurate/loaders/formats/jsonfiles.py", "biocurate/templates/engine.py",
        "biocurate/templates/ner.zh.yaml", "biocurate/training/__init__.py", "biocurate/mixtures/taiyi-v1.yaml",
        "biocurate/samples/CMeEE/PROVENANCE.md", "biocurate/samples/CMeEE/CMeEE_dev.json",
    ):
        assert expected in names, expected
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
