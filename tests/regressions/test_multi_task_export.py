"""End to end: one dataset feeding two tasks (DDI-2013: ner and re), checked against the raw XML.

The expected values are counted in the bundled files themselves (56 train documents, one per
file, read in sorted path order as ``train-0`` ...; 49 hold an ``<entity>``, 30 a pair with
``ddi="true"``), not taken from another run of the code. The shards' rows are compared in the
order they were written, not sorted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import biocurate
from tests.support import make_root, write_mix


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("multi")
    root = make_root(tmp, "DDI-2013")
    mix = write_mix(tmp, targets={"ner": {"en": 10_000}, "re": {"en": 10_000}}, caps={}, splits=["train"], stages=[])
    result = biocurate.export(mix, tmp / "out", data_dir=root)
    files = sorted((root / "DDI-2013").glob("Train/**/*.xml"))
    docs = {f"train-{k}": path.read_text(encoding="utf-8") for k, path in enumerate(files)}
    return result.out, docs


def _rows(out: Path, category: str) -> list[dict]:
    (shard,) = sorted((out / "data" / category / "en").glob("*.parquet"))
    return pq.read_table(shard).to_pylist()


def test_every_document_is_read_once(export) -> None:
    out, docs = export
    assert len(docs) == 56 and all(text.count("<document ") == 1 for text in docs.values())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    source = manifest["sources"]["ddi_corpus"]
    assert (source["counts"]["in"], source["counts"]["rejected"], source["counts"]["records"]) == (56, 0, 56)
    assert len(source["files"]) == 56 and source["tasks"] == ["ner", "re"]
    rows = len(_rows(out, "ner")) + len(_rows(out, "re"))
    assert source["counts"]["out"] == manifest["totals"]["achieved"] == rows


def test_both_tasks_come_from_the_same_records(export) -> None:
    out, docs = export
    with_entity = {rid for rid, text in docs.items() if "<entity " in text}
    with_ddi = {rid for rid, text in docs.items() if 'ddi="true"' in text}
    with_pair = {rid for rid, text in docs.items() if "<pair " in text}
    assert (len(with_entity), len(with_ddi), len(with_pair)) == (49, 30, 48)
    ner, rel = _rows(out, "ner"), _rows(out, "re")
    assert {r["task"] for r in ner} == {"ner"} and {r["task"] for r in rel} == {"re"}
    assert {r["dataset"] for r in ner + rel} == {"ddi_corpus"}
    ner_ids, re_ids = {r["record_id"] for r in ner}, {r["record_id"] for r in rel}
    assert with_entity <= ner_ids <= set(docs)  # every document with an entity gives an ner sample
    assert with_ddi <= re_ids <= with_pair  # every interaction gives an re sample; no pair, no re sample
    assert with_ddi <= ner_ids & re_ids  # one record feeds both tasks: neither task's rows pushed the other's out
    assert len({r["id"] for r in ner + rel}) == len(ner) + len(rel)


def test_entity_answers_name_the_documents_entities(export) -> None:
    out, docs = export
    empty = set()
    for row in _rows(out, "ner"):
        entities = set(re.findall(r'<entity [^>]*text="([^"]*)"', docs[row["record_id"]]))
        answer = row["conversation"][0]["assistant"]
        if entities:
            assert any(e in answer for e in entities), (row["record_id"], answer)
        else:
            assert answer == "none", (row["record_id"], answer)
            empty.add(row["record_id"])
    assert len(empty) == 7  # the 56 - 49 documents without an entity, each one "none" sample


def test_rows_are_written_in_document_order(export) -> None:
    out, _ = export
    for category in ("ner", "re"):
        order = [int(r["record_id"].removeprefix("train-")) for r in _rows(out, category)]
        assert order == sorted(order), category  # the written order itself, not a sorted copy
        assert len(order) > 30
    assert _rows(out, "ner")[0]["record_id"] == "train-0"  # 19-norandrostenedione_ddi.xml sorts first
