"""The near-dup threshold itself: pairs just above and just below it.

The similarity of two signatures is the share of equal bins (corrected for chance 8-bit
collisions: ``(equal / 64 - 1/256) / (1 - 1/256)``). Built signatures give exact similarities
on either side of the threshold, so the expected decision follows from arithmetic:

* threshold 0.8, 64 bins: 52 equal bins -> (0.8125 - 0.0039) / 0.9961 = 0.8118 (drop),
  51 -> (0.7969 - 0.0039) / 0.9961 = 0.7961 (keep);
* threshold 0.75: 49 -> 0.7647 (drop), 48 -> 0.7490 (keep: the correction puts exactly 48/64
  = 0.75 just below).

Differing bins are put after the first band, so the pair stays a candidate (they share band
0's key) and only the threshold decides. Real texts close to the threshold follow.
"""

from __future__ import annotations

import numpy as np
import pytest
from biocurate.schemas import TextRecord

from biocurate.mix.neardup import NearDedup

from .test_neardup import ZH, ZH_OTHER, jaccard


def _pair(equal: int, bins: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Two signatures with exactly ``equal`` bins alike (the 8 kept bits differ in the rest)."""
    rng = np.random.default_rng(0)
    a = rng.integers(0, 2**63, size=bins, dtype=np.uint64)
    b = a.copy()
    differ = np.arange(equal, bins)  # the last bins: band 0 (bins 0..rows-1) stays shared
    b[differ] ^= np.uint64(1 << 40)  # bit 40 is in the kept byte (bits 40..47)
    return a, b


@pytest.mark.parametrize(("threshold", "equal", "dropped"), [(0.8, 52, True), (0.8, 51, False), (0.75, 49, True), (0.75, 48, False),
                                                              (0.8, 64, True), (0.8, 20, False)])
def test_decision_on_either_side_of_the_threshold(threshold: float, equal: int, dropped: bool) -> None:
    near = NearDedup(threshold=threshold)
    assert 64 - equal <= 64 - near.rows  # the differing bins leave band 0 alone
    a, b = _pair(equal)
    assert near.check_signature(a, "ner") is None  # the first is kept
    assert (near.check_signature(b, "ner") == "near duplicate") is dropped
    assert near.kept == (1 if dropped else 2)


def test_a_kept_pair_below_the_threshold_is_remembered() -> None:
    # b (51 equal: kept) is a record of its own: its copy is a duplicate of b, not of a
    near = NearDedup(threshold=0.8)
    a, b = _pair(51)
    assert near.check_signature(a, "re") is None and near.check_signature(b, "re") is None
    assert near.check_signature(b.copy(), "re") == "near duplicate"
    assert near.check_signature(b.copy(), "ner") is None  # another task: its own set


def _record(text: str, i: int) -> TextRecord:
    return TextRecord(id=f"r{i}", dataset="demo", split="train", language="zh", document_id=f"d{i}", text=text, labels=[])


def _edited(text: str, k: int) -> str:
    """``text`` with ``k`` characters, spread over it, replaced by ``#``."""
    chars = list(text)
    for j in range(k):
        chars[15 + j * (len(text) - 30) // (k - 1)] = "#"
    return "".join(chars)


def test_real_texts_close_to_the_threshold() -> None:
    # each replaced character removes 5 of the ~187 5-grams and adds 5: 3 of them give
    # Jaccard (187 - 15) / (187 + 15) = 0.85, 6 give 157 / 217 = 0.72 (measured below);
    # with 256 bins the estimate stays within ~0.04 of it for every seed tried
    base = ZH + ZH_OTHER
    above, below = _edited(base, 3), _edited(base, 6)
    assert round(jaccard(base, above), 2) == 0.85 and round(jaccard(base, below), 2) == 0.72
    for seed in range(8):
        near = NearDedup(threshold=0.8, seed=seed, num_perm=256)
        assert near.drop_reason(_record(base, 0), "tc") is None
        assert near.drop_reason(_record(above, 1), "tc") == "near duplicate", seed
        assert near.drop_reason(_record(below, 2), "tc") is None, seed


@pytest.mark.parametrize(("equal", "dropped"), [(103, True), (102, False)])
def test_the_collision_correction_decides_at_128_bins(equal: int, dropped: bool) -> None:
    # 103 / 128 = 0.8047 -> (0.8047 - 1/256) / (1 - 1/256) = 0.8039 (drop); multiplying by
    # (1 - 1/256) instead would give 0.7977 (keep). 102 / 128 -> 0.7961 (keep).
    near = NearDedup(threshold=0.8, num_perm=128)
    a, b = _pair(equal, 128)
    assert near.check_signature(a, "ner") is None
    assert (near.check_signature(b, "ner") == "near duplicate") is dropped
