"""BigBio-adapter datasets in a data root are export sources: a folder named after a catalogue
dataset that only BigBio covers (``scicite``) holding BigBio Parquet feeds plan/export like a
registered loader's folder, and its generated loader travels to worker processes."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import biocurate
from biocurate.loaders import get_loader
from biocurate.loaders.bigbio_adapter import BigBioAdapter, bigbio_loader
from biocurate.sources import datasets_in, samples_dir


def _scicite(root: Path, n: int = 6) -> Path:
    folder = root / "scicite" / "scicite_bigbio_text"
    folder.mkdir(parents=True)
    labels = ["method", "background", "result"]
    rows = [{"id": str(i), "document_id": f"doc{i}", "text": f"Citation context number {i} describes a prior method.",
             "labels": [labels[i % 3]]} for i in range(n)]
    schema = pa.schema([("id", pa.string()), ("document_id", pa.string()), ("text", pa.string()), ("labels", pa.list_(pa.string()))])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / "train-00000-of-00001.parquet")
    return root / "scicite"


def test_adapter_dataset_folder_is_found_beside_registered_ones(tmp_path: Path) -> None:
    shutil.copytree(samples_dir() / "HoC", tmp_path / "HoC")
    scicite = _scicite(tmp_path)
    (tmp_path / "not_a_dataset").mkdir()
    found = datasets_in(tmp_path)
    assert found == {"hallmarks_of_cancer": tmp_path / "HoC", "scicite": scicite}


def test_a_folder_a_registered_loader_claims_is_not_also_an_adapter_dataset(tmp_path: Path) -> None:
    # "medqa" is an alias of the registered med_qa and also names a BigBio-only catalogue row
    shutil.copytree(samples_dir() / "MedQA-USMLE", tmp_path / "medqa")
    assert datasets_in(tmp_path) == {"med_qa": tmp_path / "medqa"}


def test_plan_takes_samples_from_an_adapter_dataset(tmp_path: Path) -> None:
    _scicite(tmp_path)
    table = biocurate.plan("taiyi-v1", data_dir=tmp_path)
    tc_en = table[(table.category == "tc") & (table.language == "en")].iloc[0]
    assert tc_en.by_dataset == {"scicite": 6} and tc_en.planned == 6


def test_generated_loader_pickles_as_its_factory(tmp_path: Path) -> None:
    loader = get_loader("scicite")(_scicite(tmp_path))
    copy = pickle.loads(pickle.dumps(loader))
    assert isinstance(copy, BigBioAdapter) and copy.meta == loader.meta and copy.data_dir == loader.data_dir
    assert [r.model_dump() for r in copy.records("train")] == [r.model_dump() for r in loader.records("train")]
    custom = bigbio_loader("my_corpus", "text", tasks=["tc"], license="CC-BY-4.0")(tmp_path / "scicite")
    again = pickle.loads(pickle.dumps(custom))
    assert again.meta == custom.meta and len(list(again.records("train"))) == 6
