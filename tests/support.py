"""Helpers shared by test modules (import as ``from tests.support import ...``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from biocurate.sources import samples_dir


def make_root(tmp_path: Path, *folders: str) -> Path:
    """A data root holding copies of the given bundled sample folders."""
    root = tmp_path / "data"
    root.mkdir(exist_ok=True)
    for folder in folders:
        shutil.copytree(samples_dir() / folder, root / folder)
    return root


def write_mix(tmp_path: Path, name: str = "small", **overrides) -> Path:
    """A small mixture YAML (targets sized for the real samples)."""
    spec = {
        "name": name,
        "seed": 7,
        "targets": {"ner": {"zh": 300}, "tc": {"zh": 200}},
        "caps": {"default": 150, "uncapped_categories": ["ner"]},
        "splits": ["train", "validation"],
        "decontaminate": {"splits": ["test"]},
        "stages": [{"name": "stage1", "categories": ["ner"], "epochs": 1}, {"name": "stage2", "categories": None, "epochs": 1}],
    }
    spec.update(overrides)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path
