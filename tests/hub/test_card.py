"""The dataset card of a real export: Hub YAML fields, dataset_info that datasets accepts, structure,
licence shares, de-duplicated citations, the mixture chart (and its absence without matplotlib)."""

from __future__ import annotations

import json
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from biocurate.cli import main
from biocurate.errors import ExportError
from biocurate.export.card import card_text, write_card
from biocurate.hub import chart as chart_module
from biocurate.hub.features import features_yaml, size_category
from biocurate.mix.spec import load_mixture

from tests.support import make_root, write_mix


def _header(card: str) -> dict:
    _, head, _ = card.split("---\n", 2)
    return yaml.safe_load(head)


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("card")
    root = make_root(tmp, "CMeEE", "CHIP-CTC", "KUAKE-QIC", "NCBI-disease")
    mix = write_mix(tmp, targets={"ner": {"zh": 60, "en": 40}, "tc": {"zh": 50}}, caps={"default": 40, "uncapped_categories": ["ner"]})
    out = tmp / "export"
    assert main(["export", "--mix", str(mix), "--data-dir", str(root), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def manifest(export_dir: Path) -> dict:
    return json.loads((export_dir / "manifest.json").read_text(encoding="utf-8"))


def test_header_follows_hub_conventions(export_dir: Path, manifest: dict) -> None:
    head = _header((export_dir / "README.md").read_text(encoding="utf-8"))
    licences = {s["licence"] for s in manifest["sources"].values()}
    assert len(licences) > 1  # unknown (CBLUE) and CC0-1.0 (NCBI disease)
    assert head["license"] == "other" and head["license_name"] == "biocurate-mixed-per-source"
    assert head["license_link"] == "LICENSE.md" and (export_dir / "LICENSE.md").exists()
    assert "license_details" not in head
    assert head["size_categories"] == [size_category(manifest["totals"]["achieved"])] == ["n<1K"]
    assert [i["config_name"] for i in head["dataset_info"]] == [c["config_name"] for c in head["configs"]]


def test_dataset_info_features_are_what_datasets_reads_from_the_shards(export_dir: Path, manifest: dict) -> None:
    head = _header((export_dir / "README.md").read_text(encoding="utf-8"))
    shard = next(f["path"] for f in manifest["files"] if f["path"].endswith(".parquet"))
    expected = datasets.Features.from_arrow_schema(pq.read_schema(export_dir / shard))
    for info in head["dataset_info"]:
        assert datasets.Features._from_yaml_list(info["features"]) == expected
    # datasets checks num_examples against what it loads: a wrong count raises NonMatchingSplitsSizesError
    for info in head["dataset_info"]:
        name = info["config_name"]
        ds = datasets.load_dataset(str(export_dir), name, split="train")
        assert ds.num_rows == info["splits"][0]["num_examples"] > 0
        assert ds.features == expected
    assert head["dataset_info"][0]["splits"][0]["num_examples"] == manifest["totals"]["achieved"]


def test_features_yaml_matches_datasets_on_nested_types() -> None:
    schema = pa.schema([
        ("a", pa.list_(pa.string())), ("b", pa.int64()), ("c", pa.struct([("x", pa.float32()), ("y", pa.bool_())])),
        ("m", pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))), ("h", pa.list_(pa.list_(pa.string()))),
        ("e", pa.large_string()), ("f", pa.float64()),
    ])
    assert features_yaml(schema) == datasets.Features.from_arrow_schema(schema)._to_yaml_list()


def test_unsupported_column_type_names_the_column() -> None:
    with pytest.raises(ExportError, match=r"'when'.*timestamp"):
        features_yaml(pa.schema([("when", pa.timestamp("s"))]))


def test_structure_section_shows_every_column_and_one_row_per_category(export_dir: Path, manifest: dict) -> None:
    card = (export_dir / "README.md").read_text(encoding="utf-8")
    structure = card.split("## Dataset structure", 1)[1].split("\n## ", 1)[0]
    shard = next(f["path"] for f in manifest["files"] if f["path"].endswith(".parquet"))
    for column in pq.read_schema(export_dir / shard).names:
        assert f"| `{column}` |" in structure
    shown = [json.loads(block.split("```", 1)[0]) for block in structure.split("```json\n")[1:]]
    assert sorted(row["category"] for row in shown) == sorted({t["category"] for t in manifest["targets"] if t["achieved"]})
    ids = {r["id"] for f in manifest["files"] if f["path"].endswith(".parquet") for r in pq.read_table(export_dir / f["path"]).to_pylist()}
    assert all(row["id"] in ids for row in shown)


def test_licence_shares_add_up_and_name_restricted_sources(export_dir: Path, manifest: dict) -> None:
    card = (export_dir / "README.md").read_text(encoding="utf-8")
    section = card.split("## Licences", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|") for line in section.splitlines() if line.startswith("| ") and "%" in line]
    assert sum(int(r[3].strip().replace(",", "")) for r in rows) == manifest["totals"]["achieved"]
    assert abs(sum(float(r[2].strip().rstrip("%")) for r in rows) - 100) < 0.2
    blocked = section.split("Not cleared for public redistribution: ", 1)[1].split(". ", 1)[0]
    assert {"cmeee (licence unknown)", "chip_ctc (licence unknown)", "kuake_qic (licence unknown)"} == set(blocked.split(", "))


def test_shared_citations_appear_once(export_dir: Path, manifest: dict) -> None:
    card = (export_dir / "README.md").read_text(encoding="utf-8")
    cblue = [s for s in manifest["sources"].values() if "CBLUE" in s["citation"]]
    assert len(cblue) >= 2  # CMeEE, CHIP-CTC and KUAKE-QIC all cite the CBLUE paper
    key = cblue[0]["citation"].split("{", 1)[1].split(",", 1)[0]
    assert card.count("{" + key + ",") == 1
    assert "Cited by " + ", ".join(s["display_name"] for s in manifest["sources"].values() if "{" + key + "," in s["citation"]) in card


@pytest.mark.skipif(not chart_module.chart_available(), reason="matplotlib (the chart extra) is not installed")
def test_chart_is_a_png_linked_from_the_card(export_dir: Path) -> None:
    png = (export_dir / "mixture.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    assert "](mixture.png)" in (export_dir / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(not chart_module.chart_available(), reason="matplotlib (the chart extra) is not installed")
def test_chart_bytes_are_reproducible(manifest: dict, tmp_path: Path) -> None:
    first = chart_module.write_mixture_chart(manifest["targets"], tmp_path / "a.png").read_bytes()
    again = chart_module.write_mixture_chart(manifest["targets"], tmp_path / "b.png").read_bytes()
    other = chart_module.write_mixture_chart(manifest["targets"][:1], tmp_path / "c.png").read_bytes()
    assert first == again != other


def test_without_matplotlib_the_card_keeps_the_table(export_dir: Path, manifest: dict, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart_module, "chart_available", lambda: False)
    copy = tmp_path / "export"
    (copy / "data").mkdir(parents=True)
    for f in manifest["files"]:
        (copy / f["path"]).parent.mkdir(parents=True, exist_ok=True)
        (copy / f["path"]).write_bytes((export_dir / f["path"]).read_bytes())
    (copy / "mixture.png").write_bytes(b"stale")
    write_card(copy, load_mixture(str(next(export_dir.parent.glob("*.yaml")))), manifest)
    card = (copy / "README.md").read_text(encoding="utf-8")
    assert not (copy / "mixture.png").exists() and "mixture.png" not in card
    assert "| category | language | target | available | achieved | shortfall |" in card


def test_card_without_the_folder_still_renders(manifest: dict, export_dir: Path) -> None:
    spec = load_mixture(str(next(export_dir.parent.glob("*.yaml"))))
    text = card_text(spec, manifest)
    assert "dataset_info" not in _header(text) and "## Dataset structure" not in text and "## Licences" in text


def test_card_names_sources_trained_on_held_out_splits(export_dir: Path) -> None:
    from biocurate.heldout import held_out_note, held_out_sources, rows_by_split

    held = held_out_sources({}, rows_by_split(export_dir))
    assert "cmeee" in held and held["cmeee"]["validation"] > 0  # the bundled CMeEE excerpt is its dev set
    assert f"**Held-out splits in training.** {held_out_note(held)}" in (export_dir / "README.md").read_text(encoding="utf-8")
