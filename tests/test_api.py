"""The notebook API on the bundled samples: plan -> DataFrame, export, load -> DatasetDict, records."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import datasets
import pandas as pd
import pytest

import biocurate
from biocurate.errors import ExportError, MixtureError

from tests.support import make_root, write_mix


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("api")
    return make_root(tmp, "CMeEE", "CHIP-CTC"), write_mix(tmp)


def test_import_is_lazy() -> None:
    code = "import sys, biocurate; print(sorted(m for m in ('pyarrow', 'pandas', 'datasets', 'biocurate.loaders') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_plan_is_a_dataframe_matching_the_export(small: tuple[Path, Path], tmp_path: Path) -> None:
    root, mix = small
    table = biocurate.plan(mix, data_dir=root)
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == list(biocurate.api.PLAN_COLUMNS)
    assert set(zip(table.category, table.language)) == {("ner", "zh"), ("tc", "zh")}
    assert (table.shortfall == (table.target - table.planned).clip(lower=0)).all()
    result = biocurate.export(mix, tmp_path / "out", data_dir=root)
    achieved = {(t["category"], t["language"]): t["achieved"] for t in result.manifest["targets"]}
    assert {(r.category, r.language): r.planned for r in table.itertuples()} == achieved
    assert sum(table.by_dataset.iloc[0].values()) == table.planned.iloc[0]

    loaded = biocurate.load(result.out)
    assert isinstance(loaded, datasets.DatasetDict) and loaded["train"].num_rows == result.manifest["totals"]["achieved"]
    assert biocurate.load(result.out, "tc")["train"].num_rows == achieved[("tc", "zh")]


def test_overrides_and_errors(small: tuple[Path, Path], tmp_path: Path) -> None:
    root, mix = small
    table = biocurate.plan(mix, data_dir=root, size=100)
    assert table.target.sum() == 100
    only = biocurate.plan(mix, data_dir=root, datasets=["cmeee"]).set_index("category")
    assert only.available["ner"] > 0 and only.available["tc"] == 0  # CHIP-CTC left out
    with pytest.raises(MixtureError, match="not a licence key or tag"):
        biocurate.plan(mix, data_dir=root, exclude_licence=["no-such-tag"])
    with pytest.raises(ExportError, match="README.md"):
        biocurate.load(tmp_path)


def test_records_as_dataframe_and_dataset() -> None:
    frame = biocurate.records("cmeee", "validation", limit=5)
    assert len(frame) == 5 and {"id", "dataset", "passages", "entities"} <= set(frame.columns)
    assert frame.id.is_unique
    ds = biocurate.records_dataset("cmeee", "validation", limit=5)
    from biocurate.export.bigbio_features import bigbio_features

    assert ds.features == bigbio_features("kb") and ds.num_rows == 5
    assert ds[0]["id"] == frame.id[0]
    dialogue = biocurate.records_dataset("chatdoctor", "train", limit=3)
    assert dialogue.num_rows == 3 and "dataset" in dialogue.column_names


def test_export_package_is_callable_and_importable() -> None:
    import biocurate.export.pipeline as pipeline

    assert callable(biocurate.export) and biocurate.export.pipeline is pipeline


def test_licence_is_the_public_spelling() -> None:
    meta = biocurate.get_loader("cmeee").meta
    assert meta.licence == meta.license == "unknown"
