"""The wheel carries every stage: schemas, loaders, templates, training, mixtures, samples."""

from __future__ import annotations

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


def _build_requirements_met() -> bool:
    """Whether the installed build backend satisfies ``[build-system] requires`` (then the wheel
    can be built without isolation; a too-old setuptools, e.g. Python 3.11's bundled 65.5, cannot
    read ``license = "Apache-2.0"`` and must not be used)."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import Requirement

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for line in config["build-system"]["requires"]:
        requirement = Requirement(line)
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            return False
        if not requirement.specifier.contains(installed, prereleases=True):
            return False
    return True


def test_build_requirement_is_the_setuptools_that_reads_spdx_licences() -> None:
    # setuptools < 77 rejects the PEP 639 string licence this pyproject uses
    from packaging.requirements import Requirement

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert isinstance(config["project"]["license"], str)
    (setuptools,) = [Requirement(r) for r in config["build-system"]["requires"] if Requirement(r).name == "setuptools"]
    assert not setuptools.specifier.contains("76.9") and setuptools.specifier.contains("77.0")


@pytest.mark.slow
def test_wheel_contents(tmp_path: Path) -> None:
    isolation = ["--no-build-isolation"] if _build_requirements_met() else []
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("biocurate-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "biocurate/cli/__init__.py", "biocurate/schemas/kb.py", "biocurate/schemas/kb.schema.json",
        "biocurate/loaders/cmeee.py", "biocurate/loaders/formats/jsonfiles.py", "biocurate/templates/engine.py",
        "biocurate/templates/ner.zh.yaml", "biocurate/training/__init__.py", "biocurate/mixtures/taiyi-v1.yaml",
        "biocurate/samples/CMeEE/PROVENANCE.md", "biocurate/samples/CMeEE/CMeEE_dev.json", "biocurate/archives.py",
    ):
        assert expected in names, expected
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "Requires-Dist: defusedxml" in metadata  # the XML readers import it
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
