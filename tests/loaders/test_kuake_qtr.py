"""KUAKE-QTR on the real CBLUE dev file (2913 query-title pairs; no test file in the excerpt)."""

from __future__ import annotations

import collections
import itertools

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("KUAKE-QTR")
    assert loader.available_splits() == ["validation"]
    assert collections.Counter(r.label for r in loader.iter_split("validation")) == {"0": 495, "1": 652, "2": 653, "3": 1113}


def test_query_title_pair() -> None:
    loader = open_loader("kuake_qtr")
    third = next(itertools.islice(loader.iter_split("validation"), 2, None))
    assert (third.document_id, third.text_1, third.text_2, third.label) == ("s3", "受精七天后怀孕征兆", "刚刚怀孕六七天的话有什么症状？", "3")
    assert loader.meta.label_names["3"] == "完全匹配"


def test_unknown_label_is_rejected(tmp_path) -> None:
    (tmp_path / "KUAKE-QTR_dev.json").write_text(
        '[\n  {"id": "s1", "query": "a", "title": "b", "label": "1"},\n  {"id": "s2", "query": "a", "title": "b", "label": 3}\n]',
        encoding="utf-8",
    )
    good, bad = get_loader("kuake_qtr")(tmp_path).records("validation")
    assert good.label == "1"
    assert isinstance(bad, Reject) and bad.file.endswith("KUAKE-QTR_dev.json")
    assert (bad.line, bad.field, bad.record) == (3, "label", "s2") and "string" in bad.reason
