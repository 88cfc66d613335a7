"""BIOSSES on the real plain-text copy: all 100 pairs, in BLUE/BLURB's 64/16/20 split."""

from __future__ import annotations

import pytest

from biocurate.loaders import Reject, get_loader
from biocurate.loaders.biosses import mean_label
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("BIOSSES")
    assert [sum(1 for _ in loader.iter_split(s)) for s in ("train", "validation", "test")] == [64, 16, 20]


def test_known_pairs_and_bigbio_labels() -> None:
    loader = open_loader("biosses")
    first = next(loader.iter_split("train"))
    assert first.document_id == "1" and first.label == "4.0"  # five annotators scored 4
    assert first.text_1 == "It has recently been shown that Craf is essential for Kras G12D-induced NSCLC."
    assert first.text_2 == "It has recently become evident that Craf is essential for the onset of Kras-driven non-small cell lung cancer."
    third = next(r for r in loader.iter_split("train") if r.document_id == "3")
    assert third.label == "2.2" and third.text_2.startswith("In addition, genetic and functional studies")
    assert {r.document_id for r in loader.iter_split("validation")} >= {"2", "100"}


@pytest.mark.parametrize(("raw", "label"), [("4", "4.0"), ("2.2", "2.2"), ("0", "0.0"), ("3.6", "3.6")])
def test_mean_label_matches_bigbio_str_of_sum_over_five(raw: str, label: str) -> None:
    assert mean_label(raw) == label


def test_bad_scores_are_rejected_with_location(tmp_path) -> None:
    folder = tmp_path / "blagec2019-plaintext"
    folder.mkdir()
    (folder / "biosses_sentence_pairs_test_derived_from_github.txt").write_text("a1\na2\nb1\nb2\nc1\nc2\nd1", encoding="utf-8")
    (folder / "annotation_scores_from_github.txt").write_text("3\n4.1\nhigh", encoding="utf-8")
    items = list(get_loader("biosses")(tmp_path).records("train"))  # pairs 1, 3 and 4 are train pairs
    assert items[0].label == "3.0" and (items[0].text_1, items[0].text_2) == ("a1", "a2")
    assert all(isinstance(r, Reject) for r in items[1:])
    assert [(r.record, r.file.split("/")[-1], r.line, r.field) for r in items[1:]] == [
        ("3", "annotation_scores_from_github.txt", 3, "label"),
        ("4", "biosses_sentence_pairs_test_derived_from_github.txt", 7, "text_2"),
    ]
    (item,) = get_loader("biosses")(tmp_path).records("validation")  # pair 2
    assert isinstance(item, Reject) and item.line == 2 and "4.1" in item.reason
