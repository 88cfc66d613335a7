"""The push's file list and its keep-local rule, asserted on what reaches a loopback Hub.

An export folder also holds things that must not leave the machine: the resumable work folder,
temporary files of an interrupted write, the rejects (raw text of records that failed), and
whatever a user dropped there. Only the shards, card, licence file, chart, manifest and the
JSON Lines formats go, in one commit, and the CLI reports exactly those.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from biocurate.cli import main
from biocurate.hub.push import files_to_push

from .fake_hub import FakeHub
from .test_push import TOKEN, export_dir, hub  # noqa: F401 - fixtures

PUBLISHED = ["LICENSE.md", "README.md", "data/ner/zh/train-00000.parquet", "data/ner/zh/train-00001.parquet",
             "data/ner/zh/train-00002.parquet", "firefly.jsonl", "manifest.json"]


def _clutter(export_dir: Path) -> list[str]:
    """Files a push must leave behind, written into ``export_dir``; returns their paths."""
    local = {
        ".work/units/cmeee-validation-0/records.arrow": b"work",
        ".work/plan.json": b"{}",
        "data/ner/zh/train-00003.parquet.tmp": b"half a shard",
        "rejects.jsonl": '{"reason": "原始文本 raw text of a rejected record"}\n'.encode(),
        "notes.txt": b"a user's file",
        "data/ner/zh/README.txt": b"another",
    }
    for rel, data in local.items():
        (export_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (export_dir / rel).write_bytes(data)
    return sorted(local)


def test_only_the_published_files_arrive(export_dir: Path, hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # noqa: F811
    local = _clutter(export_dir)
    chart = ["mixture.png"] if (export_dir / "mixture.png").exists() else []
    expected = sorted(PUBLISHED + chart)
    assert (export_dir / "dataset_info.json").exists()  # written for local loading, not published
    assert files_to_push(export_dir) == expected
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert main(["push", str(export_dir), "--repo-id", "biocurate-org/files", "--private"]) == 0
    assert f"pushed {len(expected)} files to" in capsys.readouterr().out
    assert sorted(hub.files) == expected
    for rel in expected:
        assert hub.files[rel] == (export_dir / rel).read_bytes(), rel
    assert not set(hub.files) & set(local) and len(hub.commits) == 1
    assert all((export_dir / rel).exists() for rel in local)  # kept where they were
