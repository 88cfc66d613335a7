"""``biocurate list`` / ``list --all`` / ``info`` over the real registry and catalogue."""

from __future__ import annotations

import json

import pytest

from biocurate.cli import main
from biocurate.inventory import REACH_KINDS, load_catalogue, reach_of
from biocurate.loaders import all_loaders
from biocurate.loaders.bigbio_adapter import adapter_names


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_shows_every_registered_loader(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "list")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["name", "languages", "tasks", "schema", "licence", "splits"]
    assert [line.split()[0] for line in lines[1 : 1 + len(all_loaders())]] == list(all_loaders())
    cmeee = next(line for line in lines if line.startswith("cmeee "))
    assert cmeee.split()[1:4] == ["zh", "ner", "kb"]


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "list", "--json", "--language", "zh")
    items = json.loads(out)
    assert code == 0 and items and all("zh" in i["languages"] for i in items)
    assert {"name", "languages", "tasks", "schema", "license", "splits"} <= set(items[0])


def test_list_all_ends_with_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "list", "--all")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:4] == ["row", "name", "lang", "tasks"]
    assert sum(1 for line in lines if line.split() and line.split()[0][:3] in ("zh-", "en-", "x-1")) >= 140
    summary = next(line for line in lines if line.startswith("coverage of 150 datasets: "))
    counts = [int(part.rsplit(" ", 1)[1]) for part in summary.split(": ", 1)[1].split(" / ")]
    assert sum(counts) == 150 and [part.rsplit(" ", 1)[0] for part in summary.split(": ", 1)[1].split(" / ")] == list(REACH_KINDS)
    assert any(line.strip().startswith("taiyi_datasets (140)") for line in lines)


def test_list_all_json_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "list", "--all", "--json")
    data = json.loads(out)
    assert code == 0 and len(data["datasets"]) == 150 and data["coverage"]["total"] == 150
    kinds = {d["name"]: d["reach"] for d in data["datasets"]}
    assert kinds["zhiwang_mt"] == "not yet" and kinds["n2c2_2014_deid"] == "manual download"
    _, out, _ = _run(capsys, "list", "--all", "--json", "--language", "zh", "--reach", "not-yet")
    data = json.loads(out)
    assert data["datasets"] and all("zh" in d["languages"] and d["reach"] == "not yet" for d in data["datasets"])
    assert data["coverage"]["by_reach"]["not yet"] == len(data["datasets"])


def test_info_registered_loader(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "info", "CMeEE-V2")
    assert code == 0 and out.startswith("cmeee - CMeEE")
    assert "entity_types: (9)" in out and "zh-6: CMeEE-V2" in out and "@inproceedings{zhang-etal-2022-cblue" in out


def test_info_generated_adapter_and_catalogue_only(capsys: pytest.CaptureFixture[str]) -> None:
    name = adapter_names()[0]
    code, out, _ = _run(capsys, "info", name)
    assert code == 0 and "[generated BigBio adapter loader]" in out and "_bigbio_" in out
    code, out, _ = _run(capsys, "info", "zhiwang_mt")
    assert code == 0 and "[catalogue only" in out and "x-1" in out and "never released" in out


def test_info_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "info", "cmeee", "--json")
    data = json.loads(out)
    assert code == 0 and data["loader"]["name"] == "cmeee" and data["loader"]["generated"] is False
    assert [r["row"] for r in data["catalogue"]] == ["zh-6"]


def test_info_unknown_name_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "info", "cmeeee")
    assert code == 1 and "did you mean" in err and "cmeee" in err


def test_own_loader_rows_name_a_registered_loader() -> None:
    loaders = all_loaders()
    for row in load_catalogue():
        how = reach_of(row, loaders)
        assert how.kind in REACH_KINDS
        if how.kind == REACH_KINDS[0]:
            assert how.loader in loaders and set(row.languages) & set(loaders[how.loader].meta.languages)
