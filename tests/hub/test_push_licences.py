"""Licence-aware publishing against a loopback Hub: public pushes of restricted sources are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from biocurate.cli import main
from biocurate.hub.licensing import hub_licence, licence_shares, restricted_sources
from biocurate.licenses import LICENCES, matches

from tests.support import make_root, write_mix
from .fake_hub import FakeHub

TOKEN = "hf_biocurate_licence_token_42"


def _export(tmp_path: Path, *extra: str) -> Path:
    root = make_root(tmp_path, "CMeEE", "NCBI-disease", "ChatDoctor-GenMedGPT-5k")
    mix = write_mix(tmp_path, targets={"ner": {"zh": 30, "en": 30}, "dialogue": {"en": 20}})
    out = tmp_path / ("export" + "".join(extra).replace("-", "_"))
    assert main(["export", "--mix", str(mix), "--data-dir", str(root), "--out", str(out), "--quiet", *extra]) == 0
    return out


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch):
    with FakeHub(TOKEN) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.endpoint)
        monkeypatch.setenv("HF_HUB_DISABLE_XET", "1")
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        import huggingface_hub.constants as constants

        monkeypatch.setattr(constants, "ENDPOINT", server.endpoint)
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
        monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True, raising=False)
        yield server


def test_non_redistributable_tag_matches_unknown_dua_and_research_only() -> None:
    hit = {key for key in LICENCES if matches(key, "non-redistributable")}
    assert hit == {key for key, lic in LICENCES.items() if not lic.redistributable}
    assert {"unknown", "DUA", "research-only"} <= hit and "CC-BY-NC-4.0" not in hit


def test_public_push_is_refused_naming_the_sources(tmp_path: Path, hub: FakeHub, capsys) -> None:
    out = _export(tmp_path)
    assert main(["push", str(out), "--repo-id", "me/x"]) == 1
    err = capsys.readouterr().err
    assert "refusing a public push to me/x" in err
    assert "cmeee (licence unknown)" in err and "chatdoctor (research-only, not redistributable)" in err
    assert "ncbi_disease" not in err and "--private" in err and "--i-have-permission" in err
    assert hub.files == {} and hub.repos == {}  # nothing was created or uploaded


def test_private_push_and_explicit_permission_go_through(tmp_path: Path, hub: FakeHub, capsys) -> None:
    out = _export(tmp_path)
    assert main(["push", str(out), "--repo-id", "me/private", "--private"]) == 0
    assert hub.repos["me/private"]["private"] is True
    assert "note: pushed privately; not cleared for redistribution: " in capsys.readouterr().out
    assert main(["push", str(out), "--repo-id", "me/public", "--i-have-permission"]) == 0
    assert hub.repos["me/public"]["private"] is False
    assert "LICENSE.md" in hub.files


def test_export_without_non_redistributable_sources_pushes_publicly(tmp_path: Path, hub: FakeHub) -> None:
    out = _export(tmp_path, "--exclude-licence", "non-redistributable")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["sources"]) == {"ncbi_disease"}
    assert restricted_sources(manifest) == []
    assert main(["push", str(out), "--repo-id", "me/open"]) == 0
    assert hub.repos["me/open"]["private"] is False
    assert hub_licence(manifest, "LICENSE.md") == {"license": "cc0-1.0"}


def test_licence_shares_are_row_shares(tmp_path: Path) -> None:
    out = _export(tmp_path)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    shares = {s.licence: s for s in licence_shares(manifest)}
    for key, share in shares.items():
        rows = sum(s["counts"]["out"] for s in manifest["sources"].values() if s["licence"] == key)
        assert share.rows == rows and share.share == pytest.approx(rows / manifest["totals"]["achieved"])
    assert not shares["unknown"].redistributable and shares["CC0-1.0"].redistributable
