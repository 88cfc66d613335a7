"""``biocurate download`` of Hub-hosted corpora end to end against the loopback Hub: pinned
revision, resumed transfer, no second fetch, then ``convert`` reads what arrived (JSON Lines
or the Hub's Parquet conversion)."""

from __future__ import annotations

import json
from pathlib import Path

import huggingface_hub.constants
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from biocurate.cli import main
from biocurate.hub_snapshot import HubDownloadError, HubSnapshot, download_snapshot
from biocurate.loaders import get_loader

from .fake_hub_files import ServingHub

FIXTURES = Path(__file__).parents[1] / "fixtures"
HUATUOGPT = get_loader("huatuogpt_sft_data_v1")


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch):
    with ServingHub() as server:
        monkeypatch.setenv("HF_ENDPOINT", server.endpoint)
        yield server


def _serve_huatuogpt(hub: ServingHub, extra: dict[str, bytes] | None = None) -> bytes:
    data = (FIXTURES / "huatuogpt_sft_data_v1" / "HuatuoGPT_sft_data_v1.jsonl").read_bytes()
    files = {"HuatuoGPT_sft_data_v1.jsonl": data, "README.md": b"---\nlicense: apache-2.0\n---\n", **(extra or {})}
    hub.add_repo(HUATUOGPT.hub.repo_id, HUATUOGPT.hub.revision, files)
    return data


def test_download_then_convert(hub: ServingHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _serve_huatuogpt(hub)
    cache = tmp_path / "cache"
    assert main(["download", "huatuogpt_sft_data_v1", "--cache", str(cache), "--no-progress"]) == 0
    folder = cache / "huatuogpt_sft_data_v1"
    assert (folder / "HuatuoGPT_sft_data_v1.jsonl").read_bytes() == data
    assert not (folder / "README.md").exists()  # only the declared files
    assert f"GET /api/datasets/{HUATUOGPT.hub.repo_id}/tree/{HUATUOGPT.hub.revision}" in hub.requests
    assert "next: biocurate convert huatuogpt_sft_data_v1" in capsys.readouterr().out
    out = tmp_path / "huatuogpt.jsonl"
    assert main(["convert", "huatuogpt_sft_data_v1", "--data-dir", str(folder), "--out", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3 and records[0]["question"] == "感冒了总是流鼻涕怎么办？"
    assert records[1]["question"].split("\n") == ["问：我最近总是失眠，晚上很难入睡。",
                                                  "答：失眠可能与压力、作息不规律等有关。请问您失眠有多长时间了？白天是否有疲倦、注意力不集中？",
                                                  "问：大概一个月了，白天很累。"]
    # a second run finds the file complete and fetches no body again
    bodies = sum(r.startswith("GET /datasets/") for r in hub.requests)
    assert main(["download", "huatuogpt_sft_data_v1", "--cache", str(cache), "--no-progress"]) == 0
    assert sum(r.startswith("GET /datasets/") for r in hub.requests) == bodies


def test_interrupted_transfer_resumes_with_a_range_request(hub: ServingHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = b"".join(json.dumps({"data": [f"问：问题{i}", f"答：回答{i}" * 20]}, ensure_ascii=False).encode() + b"\n" for i in range(3000))
    hub.add_repo(HUATUOGPT.hub.repo_id, HUATUOGPT.hub.revision, {"HuatuoGPT_sft_data_v1.jsonl": big})
    monkeypatch.setattr(huggingface_hub.constants, "DOWNLOAD_CHUNK_SIZE", 1 << 16)
    hub.fail_after["HuatuoGPT_sft_data_v1.jsonl"] = 5 * (1 << 16) + 123  # the connection drops after ~330 kB
    (path,) = download_snapshot(HUATUOGPT.hub, tmp_path / "d", progress=False)
    assert path.read_bytes() == big
    ranges = [r for r in hub.requests if r.startswith("GET /datasets/") and "bytes=" in r]
    assert ranges and ranges[0].endswith(f"bytes={5 * (1 << 16)}-")  # resumed where the last whole chunk ended


def test_branch_pin_is_checked(hub: ServingHub, tmp_path: Path) -> None:
    snapshot = HubSnapshot("FreedomIntelligence/huatuo_consultation_qa", "main", ("train_datasets.jsonl",), commit="b0f5723")
    hub.add_repo(snapshot.repo_id, "c" * 40, {"train_datasets.jsonl": b'{"questions": ["q"], "answers": ["a"]}\n'})
    with pytest.raises(HubDownloadError, match=r"now points at c{40}, not the pinned commit b0f5723"):
        download_snapshot(snapshot, tmp_path / "moved", progress=False)
    pinned = "b0f5723" + "0" * 33
    hub.add_repo(snapshot.repo_id, pinned, {"train_datasets.jsonl": b'{"questions": ["q"], "answers": ["a"]}\n'})
    assert [p.name for p in download_snapshot(snapshot, tmp_path / "ok", progress=False)] == ["train_datasets.jsonl"]


def test_missing_revision_fails_naming_the_repo(hub: ServingHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub.add_repo(HUATUOGPT.hub.repo_id, "d" * 40, {"HuatuoGPT_sft_data_v1.jsonl": b""})  # the pinned commit is not there
    assert main(["download", "huatuogpt_sft_data_v1", "--cache", str(tmp_path), "--no-progress"]) != 0
    assert HUATUOGPT.hub.repo_id in capsys.readouterr().err


def test_parquet_conversion_reads_like_the_jsonl(tmp_path: Path) -> None:
    lines = (FIXTURES / "huatuogpt_sft_data_v1" / "HuatuoGPT_sft_data_v1.jsonl").read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "default" / "train"
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([json.loads(line) for line in lines]), folder / "0000.parquet")
    from_parquet = list(HUATUOGPT(tmp_path).iter_split("train"))
    from_jsonl = list(HUATUOGPT(FIXTURES / "huatuogpt_sft_data_v1").iter_split("train"))
    assert [(r.question, r.answer) for r in from_parquet] == [(r.question, r.answer) for r in from_jsonl]


def test_snapshot_refuses_an_unpinned_revision() -> None:
    with pytest.raises(ValueError, match="not a commit hash"):
        HubSnapshot("Org/name", "main")
