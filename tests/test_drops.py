"""The card's "Dropped samples" section (biocurate/drops.py) on a real export of the bundled samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from biocurate.cli import main as cli
from biocurate.drops import drop_counts, drops_section


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("drops") / "exp"
    assert cli(["export", "--mix", "taiyi-v1", "--out", str(out), "--quiet", "--datasets", "bc2gm,chip_sts,paramed,csl"]) == 0
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _table(text: str) -> dict[str, list[str]]:
    rows = [line.strip("|").split(" | ") for line in text.splitlines() if line.startswith("| ")][1:]
    return {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in rows}


def test_every_drop_of_the_manifest_is_on_the_card(manifest) -> None:
    per_split: dict[str, int] = {}
    for source in manifest["sources"].values():
        for split in source["per_split"].values():
            for reason, n in split["dropped"].items():
                per_split[reason] = per_split.get(reason, 0) + n
    table = _table(drops_section(manifest))
    assert {"empty answer quota", "quality: fragment", "contaminated", "exact duplicate"} <= set(table)
    assert {reason: int(cells[1].replace(",", "")) for reason, cells in table.items()} == per_split
    assert table["quality: fragment"][2] == f"bc2gm {per_split['quality: fragment']:,}"
    assert "`max_empty_share` 0.1" in drops_section(manifest)


def test_reasons_by_falling_total_and_a_card_without_drops() -> None:
    manifest = {"sources": {"a": {"dropped_by_reason": {"contaminated": 2, "exact duplicate": 5}},
                            "b": {"dropped_by_reason": {"contaminated": 4, "near duplicate": 0}}}}
    assert drop_counts(manifest) == {"contaminated": {"b": 4, "a": 2}, "exact duplicate": {"a": 5}}
    assert "None." in drops_section({"sources": {"a": {"dropped_by_reason": {}}}})
    off = drops_section({"sources": {}, "mixture": {"quality": {"enabled": False}}})
    assert "quality gate was off" in off
