"""The quality gate as an export step: gate drops and the empty-answer quota, counted per
reason in the manifest, on the real BC2GM and CSL samples."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from biocurate.export.pipeline import ExportOptions, run_export
from biocurate.mix.spec import load_mixture

from tests.support import make_root, write_mix

TARGETS = {"ner": {"en": 5000}}


def _export(tmp_path: Path, name: str, **overrides):
    root = tmp_path / "data" if (tmp_path / "data").exists() else make_root(tmp_path, "BC2GM")
    spec = load_mixture(write_mix(tmp_path, name=name, targets=TARGETS, caps={"default": 100000}, **overrides))
    return run_export(spec, ExportOptions(out=tmp_path / name, data_root=root, progress=False))


def _answers(out: Path) -> list[str]:
    table = pq.read_table(sorted(out.glob("data/*/*/*.parquet")))
    return [turns[-1]["assistant"].strip() for turns in table.column("conversation").to_pylist()]


def test_empty_answers_are_capped_and_fragments_dropped(tmp_path: Path) -> None:
    gated = _export(tmp_path, "gated")
    plain = _export(tmp_path, "plain", quality={"enabled": False})
    dropped = gated.manifest["sources"]["bc2gm"]["dropped_by_reason"]
    assert dropped["empty answer quota"] > 0 and dropped["quality: fragment"] > 0
    assert not any(k.startswith(("quality", "empty")) for k in plain.manifest["sources"]["bc2gm"]["dropped_by_reason"])
    with_gate, without = _answers(gated.out), _answers(plain.out)
    empty_with = sum(a.lower() == "none" for a in with_gate)
    empty_without = sum(a.lower() == "none" for a in without)
    # the real BC2GM sample: about half its sentences mention no gene
    assert empty_without / len(without) > 0.4
    assert 0 < empty_with <= 0.1 * len(with_gate) + 1
    # every dropped sample is accounted for
    counts = gated.manifest["sources"]["bc2gm"]["counts"]
    assert len(without) - len(with_gate) == dropped["empty answer quota"] + dropped["quality: fragment"]
    assert counts["samples"] == len(with_gate)


def test_the_empty_answer_quota_is_seeded(tmp_path: Path) -> None:
    first = _export(tmp_path, "a")
    again = _export(tmp_path, "b")
    other = _export(tmp_path, "c", seed=8)
    files = lambda r: {p.name: p.read_bytes() for p in sorted(r.out.glob("data/*/*/*.parquet"))}  # noqa: E731
    assert files(first) == files(again)
    assert files(first) != files(other)
    assert json.loads((first.out / "manifest.json").read_text())["format_version"] == 3  # 2: the gate; 3: the messages column
