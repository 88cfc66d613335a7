"""KUAKE-QQR on the real CBLUE files (1600 dev pairs + 1596 unlabelled test pairs)."""

from __future__ import annotations

import collections

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("KUAKE-QQR")
    assert loader.available_splits() == ["validation", "test"]
    assert collections.Counter(r.label for r in loader.iter_split("validation")) == {"0": 1006, "1": 260, "2": 334}
    test = list(loader.iter_split("test"))
    assert len(test) == 1596 and {r.label for r in test} == {""}


def test_first_pair_and_label_words() -> None:
    loader = open_loader("kuake_qqr")
    record = next(loader.iter_split("validation"))
    assert (record.document_id, record.text_1, record.text_2, record.label) == ("s1", "茴香是发物吗", "茴香怎么吃？", "0")
    assert loader.meta.label_names["2"] == "完全一致" and loader.meta.label_sets["labels"] == ["0", "1", "2"]


def test_missing_label_in_labelled_split_is_rejected(tmp_path) -> None:
    (tmp_path / "KUAKE-QQR_dev.json").write_text('[\n  {"id": "s9", "query1": "a", "query2": "b"}\n]', encoding="utf-8")
    (item,) = get_loader("kuake_qqr")(tmp_path).records("validation")
    assert isinstance(item, Reject) and item.file.endswith("KUAKE-QQR_dev.json")
    assert (item.line, item.field, item.record) == (2, "label", "s9")


def test_convert_keeps_the_unlabelled_test_split(tmp_path, capsys) -> None:
    from biocurate.cli import main
    from biocurate.sources import samples_dir

    out = tmp_path / "qqr.jsonl"
    assert main(["convert", "KUAKE-QQR", "--data-dir", str(samples_dir() / "KUAKE-QQR"), "--out", str(out)]) == 0
    assert "kuake_qqr/test: 1596 records, 0 rejected (no gold labels" in capsys.readouterr().out
