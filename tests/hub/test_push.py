"""``biocurate push`` end to end against a loopback Hub: which files arrive, intact."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from biocurate.cli import main
from biocurate.errors import ExportError

from tests.support import make_root, write_mix
from .fake_hub import FakeHub

TOKEN = "hf_biocurate_test_token_123"


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    root = make_root(tmp_path, "CMeEE")
    mix = write_mix(tmp_path, targets={"ner": {"zh": 120}})
    out = tmp_path / "export"
    assert main(["export", "--mix", str(mix), "--data-dir", str(root), "--out", str(out), "--quiet", "--format", "parquet", "--format", "firefly", "--shard-rows", "50"]) == 0
    return out


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch):
    with FakeHub(TOKEN) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.endpoint)
        monkeypatch.setenv("HF_HUB_DISABLE_XET", "1")
        monkeypatch.setenv("HF_HUB_OFFLINE", "0")
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        import huggingface_hub.constants as constants

        monkeypatch.setattr(constants, "ENDPOINT", server.endpoint)
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
        monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True, raising=False)  # absent before hub 0.31
        yield server


def test_push_uploads_shards_card_and_manifest(export_dir: Path, hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert main(["push", str(export_dir), "--repo-id", "biocurate-org/taiyi-sample", "--private"]) == 0
    output = capsys.readouterr()
    assert TOKEN not in output.out + output.err
    assert hub.repos["biocurate-org/taiyi-sample"] == {"private": True, "type": "dataset"}
    arrived = sorted(hub.files)
    chart = ["mixture.png"] if (export_dir / "mixture.png").exists() else []  # drawn when matplotlib is installed
    assert arrived == sorted(["LICENSE.md", "README.md", "data/ner/zh/train-00000.parquet", "data/ner/zh/train-00001.parquet",
                              "data/ner/zh/train-00002.parquet", "firefly.jsonl", "manifest.json", *chart])
    rows = sum(pq.read_table(io.BytesIO(hub.files[p])).num_rows for p in arrived if p.endswith(".parquet"))
    assert rows == 120
    assert hub.files["README.md"] == (export_dir / "README.md").read_bytes()
    assert json.loads(hub.files["manifest.json"])["totals"]["achieved"] == 120
    assert "rejects.jsonl" not in hub.files
    assert len(hub.commits) == 1


def test_wrong_token_is_refused_without_leaking_it(export_dir: Path, hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_wrong_secret_value")
    assert main(["push", str(export_dir), "--repo-id", "org/name", "--i-have-permission"]) == 1
    err = capsys.readouterr().err
    assert "push to org/name failed" in err and "hf_wrong_secret_value" not in err
    assert hub.files == {}


def test_push_refuses_a_folder_that_is_not_an_export(tmp_path: Path) -> None:
    from biocurate.hub.push import push_export

    with pytest.raises(ExportError, match="manifest.json is missing"):
        push_export(tmp_path, "org/name")
