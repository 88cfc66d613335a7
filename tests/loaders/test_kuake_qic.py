"""KUAKE-QIC on the real CBLUE files (1955 dev queries + 1994 unlabelled test queries)."""

from __future__ import annotations

import collections

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("KUAKE-QIC")
    assert loader.available_splits() == ["validation", "test"]
    counts = collections.Counter(r.labels[0] for r in loader.iter_split("validation"))
    assert sum(counts.values()) == 1955 and len(counts) == 11 and counts["治疗方案"] == 676
    test = list(loader.iter_split("test"))
    assert len(test) == 1994 and all(r.labels == [] for r in test)


def test_query_s1() -> None:
    record = next(open_loader("kuake_qic").iter_split("validation"))
    assert (record.id, record.document_id, record.text, record.labels) == ("validation-0", "s1", "心肌缺血如何治疗与调养呢？", ["治疗方案"])


def test_missing_query_is_rejected(tmp_path) -> None:
    (tmp_path / "KUAKE-QIC_dev.json").write_text('[\n  {"id": "s1", "label": "其他"}\n]', encoding="utf-8")
    (item,) = get_loader("kuake_qic")(tmp_path).records("validation")
    assert isinstance(item, Reject) and item.file.endswith("KUAKE-QIC_dev.json")
    assert (item.line, item.field, item.record) == (2, "query", "s1")
