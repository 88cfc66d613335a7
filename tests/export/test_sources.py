"""The manifest hashes every file a dataset's records depend on, side files included, so a
changed side file changes the manifest and stops a resumed export from reusing a stale spool."""

from __future__ import annotations

from pathlib import Path

import pytest

from biocurate.export.sources import Source, source_files
from biocurate.loaders import get_loader

from tests.support import make_root


@pytest.mark.parametrize("folder, dataset, side_file", [
    ("ParaMed-NEJM-zh-en", "paramed", "manual_align_input/doc1.zh"),
    ("CMeIE", "cmeie", "53_schemas.json"),
    ("CHIP-CTC", "chip_ctc", "category.xlsx"),
])
def test_side_files_are_hashed(tmp_path: Path, folder: str, dataset: str, side_file: str) -> None:
    root = make_root(tmp_path, folder)
    loader = get_loader(dataset)(root / folder)
    split = loader.available_splits()[0]
    source = Source(name=dataset, loader=loader, splits=[split], tasks=loader.meta.tasks, folder=root / folder)
    files = source_files(source, [split])
    paths = [f["path"] for f in files]
    assert side_file in paths and len(paths) == len(set(paths))
    with open(root / folder / side_file, "ab") as handle:
        handle.write(b"\n")
    assert source_files(source, [split]) != files  # a resumed export redoes this dataset
