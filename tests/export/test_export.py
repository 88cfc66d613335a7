"""End-to-end exports on real bundled samples: targets, counts, reproducibility, formats."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from biocurate.cli import main
from biocurate.export.pipeline import ExportOptions, run_export
from biocurate.mix.spec import load_mixture

from tests.support import make_root, write_mix


def _export(tmp_path: Path, root: Path, mix: Path, out: str = "out", *extra: str) -> Path:
    target = tmp_path / out
    code = main(["export", "--mix", str(mix), "--data-dir", str(root), "--out", str(target), "--quiet", *extra])
    assert code == 0
    return target


def _rows(out: Path) -> list[dict]:
    rows = []
    for path in sorted(out.glob("data/*/*/*.parquet")):
        rows += pq.read_table(path).to_pylist()
    return rows


def test_targets_are_hit_exactly_when_sources_suffice(tmp_path: Path, small_root: Path) -> None:
    out = _export(tmp_path, small_root, write_mix(tmp_path))
    manifest = json.loads((out / "manifest.json").read_text())
    by_target = {(t["category"], t["language"]): t for t in manifest["targets"]}
    assert by_target[("ner", "zh")]["achieved"] == 300
    # KUAKE-QIC is capped at 150 per dataset and is the only tc source: shortfall reported.
    assert by_target[("tc", "zh")]["achieved"] == 150
    assert by_target[("tc", "zh")]["shortfall"] == 50
    rows = _rows(out)
    assert len(rows) == 450
    assert {r["dataset"] for r in rows} == {"cmeee", "kuake_qic"}
    row = rows[0]
    assert set(row) == {"id", "dataset", "split", "record_id", "template_id", "task", "category", "language", "licence", "conversation", "messages"}
    assert row["conversation"][0]["human"] and row["conversation"][0]["assistant"]


def test_counts_in_out_rejected_deduplicated_per_dataset(tmp_path: Path, small_root: Path) -> None:
    out = _export(tmp_path, small_root, write_mix(tmp_path))
    sources = json.loads((out / "manifest.json").read_text())["sources"]
    cmeee = sources["cmeee"]["counts"]
    assert cmeee["in"] == 700 and cmeee["rejected"] == 0 and cmeee["records"] == 700
    # 3 CMeEE dev sentences also occur in the CMeEE test excerpt: held out by decontamination.
    assert cmeee["decontaminated"] == 3
    assert cmeee["out"] == 300
    assert sources["cmeee"]["files"][0]["path"] == "CMeEE_dev.json"
    assert len(sources["cmeee"]["files"][0]["sha256"]) == 64
    assert sources["kuake_qic"]["counts"]["in"] == 1955


def test_same_seed_gives_byte_identical_export(tmp_path: Path, small_root: Path) -> None:
    mix = write_mix(tmp_path)
    first = _export(tmp_path, small_root, mix, "a")
    second = _export(tmp_path, small_root, mix, "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_other_seed_changes_selection(tmp_path: Path, small_root: Path) -> None:
    mix = write_mix(tmp_path)
    a = _rows(_export(tmp_path, small_root, mix, "a"))
    b = _rows(_export(tmp_path, small_root, mix, "b", "--seed", "8"))
    assert len(a) == len(b)
    assert [r["id"] for r in a] != [r["id"] for r in b]


def test_overrides_size_ratio_and_cap(tmp_path: Path, small_root: Path) -> None:
    mix = write_mix(tmp_path)
    out = _export(tmp_path, small_root, mix, "o", "--size", "200", "--ratio", "tc:zh=0.25", "--cap", "KUAKE-QIC=40")
    targets = {(t["category"], t["language"]): t for t in json.loads((out / "manifest.json").read_text())["targets"]}
    assert targets[("tc", "zh")]["target"] == 50 and targets[("ner", "zh")]["target"] == 150
    assert targets[("tc", "zh")]["achieved"] == 40  # capped
    # --size fills: the 10 rows tc cannot give move to ner, which has spare data
    assert targets[("ner", "zh")]["achieved"] == 160
    out = _export(tmp_path, small_root, mix, "o2", "--size", "200", "--ratio", "tc:zh=0.25", "--cap", "KUAKE-QIC=40", "--no-fill")
    targets = {(t["category"], t["language"]): t for t in json.loads((out / "manifest.json").read_text())["targets"]}
    assert targets[("ner", "zh")]["achieved"] == 150


def test_repeat_policy_fills_a_short_target(tmp_path: Path, small_root: Path) -> None:
    mix = write_mix(tmp_path, targets={"tc": {"zh": 200}}, repeat="allow")
    out = _export(tmp_path, small_root, mix)
    target = json.loads((out / "manifest.json").read_text())["targets"][0]
    assert target["achieved"] == 200 and target["after_caps"] == 150


def test_dataset_card_configs_load_with_datasets(tmp_path: Path, small_root: Path) -> None:
    datasets = pytest.importorskip("datasets")
    out = _export(tmp_path, small_root, write_mix(tmp_path))
    card = (out / "README.md").read_text()
    assert "config_name: ner" in card and "| kuake_qic" not in card.split("## Sources")[0]
    assert datasets.load_dataset(str(out), split="train", cache_dir=str(tmp_path / "c")).num_rows == 450
    ner = datasets.load_dataset(str(out), "ner", split="train", cache_dir=str(tmp_path / "c"))
    assert ner.num_rows == 300 and set(ner["category"]) == {"ner"}


def test_other_formats(tmp_path: Path, small_root: Path) -> None:
    out = _export(tmp_path, small_root, write_mix(tmp_path), "f", "--format", "parquet", "--format", "firefly",
                  "--format", "sharegpt", "--format", "alpaca")
    firefly = [json.loads(line) for line in (out / "firefly.jsonl").read_text().splitlines()]
    assert len(firefly) == 450
    assert set(firefly[0]) == {"conversation_id", "dataset", "category", "language", "conversation"}
    assert [f["conversation_id"] for f in firefly[:3]] == [1, 2, 3]
    assert {f["category"] for f in firefly} == {"NER", "TC"}
    share = json.loads((out / "sharegpt.jsonl").read_text().splitlines()[0])
    assert [t["from"] for t in share["conversations"]] == ["human", "gpt"]
    alpaca = json.loads((out / "alpaca.jsonl").read_text().splitlines()[0])
    assert set(alpaca) == {"instruction", "input", "output", "history"}


def test_exclude_licence(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = make_root(tmp_path, "CMeEE", "GSM8K")
    mix = write_mix(tmp_path, targets={"ner": {"zh": 100}, "cot": {"en": 100}})
    assert main(["export", "--mix", str(mix), "--exclude-licence", "bogus", "--data-dir", str(root), "--out", str(tmp_path / "x")]) == 1
    assert "bogus" in capsys.readouterr().err
    out = _export(tmp_path, root, mix, "lic", "--exclude-licence", "unknown")
    manifest = json.loads((out / "manifest.json").read_text())
    assert list(manifest["sources"]) == ["gsm8k"]
    assert "unknown" in manifest["skipped_sources"]["cmeee"]
    assert {r["licence"] for r in _rows(out)} == {"MIT"}


def test_python_api(tmp_path: Path, small_root: Path) -> None:
    spec = load_mixture(write_mix(tmp_path))
    clean = run_export(spec, ExportOptions(out=tmp_path / "clean", data_root=small_root, progress=False))
    assert clean.manifest["totals"]["achieved"] == 450
    assert not (clean.out / ".work").exists() and not (clean.out / ".biocurate.lock").exists()
