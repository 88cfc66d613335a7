"""The export's near-dup decision (``export/components.near_duplicates``) on built signatures.

Slots are given band keys and 8-bit signatures directly, so each expected decision is arithmetic
(threshold 0.8, 64 bins: 52 equal bins -> similarity 0.8118, a duplicate; 51 -> 0.7961, kept;
see ``tests/mix/test_neardup_threshold.py``), and which slot of a pair goes follows from the
priorities given, not from array order.
"""

from __future__ import annotations

import numpy as np

from biocurate.export.components import near_duplicates
from biocurate.mix.neardup import NearDedup

NEAR = NearDedup(threshold=0.8)  # 64 bins, 10 bands


def _small(base: np.ndarray, equal: int) -> np.ndarray:
    """``base`` with its last ``64 - equal`` bytes changed."""
    out = base.copy()
    out[equal:] ^= 0xFF
    return out


def _table(rows: list[tuple[int, np.ndarray, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(priority, band keys, signatures) for slots given as (priority, signature, group): slots
    of one group share band 0's key; every other key is unique."""
    n = len(rows)
    keys = np.arange(1, n * NEAR.bands + 1, dtype=np.uint64).reshape(n, NEAR.bands) + np.uint64(1_000_000)
    for k, (_, _, group) in enumerate(rows):
        keys[k, 0] = np.uint64(group)
    priority = np.array([p for p, _, _ in rows], dtype=np.int64)
    small = np.stack([s for _, s, _ in rows]).astype(np.uint8)
    return priority, keys, small


def test_pairs_on_either_side_of_the_threshold() -> None:
    rng = np.random.default_rng(3)
    a, b, c = (rng.integers(0, 256, 64, dtype=np.uint8) for _ in range(3))
    rows = [
        (10, a, 1), (11, _small(a, 52), 1),  # 0.81: the later priority (slot 1) is dropped
        (20, b, 2), (21, _small(b, 51), 2),  # 0.80-: both kept
        (31, c, 3), (30, _small(c, 60), 3),  # slot 5 comes first by priority: slot 4 is dropped
        (40, rng.integers(0, 256, 64, dtype=np.uint8), 4),  # alone: kept
    ]
    dropped = near_duplicates(NEAR, *_table(rows))
    assert dropped.tolist() == [False, True, False, False, True, False, False]


def test_a_component_of_three_is_decided_greedily() -> None:
    rng = np.random.default_rng(4)
    first = rng.integers(0, 256, 64, dtype=np.uint8)
    second = _small(first, 52)  # duplicate of the first: dropped
    third = second.copy()
    third[40:52] ^= 0x0F  # 40 bins equal to the first (kept, 0.62), 52 to the dropped second
    rows = [(1, first, 9), (2, second, 9), (3, third, 9)]
    assert near_duplicates(NEAR, *_table(rows)).tolist() == [False, True, False]
    # the same slots given in another array order: the decision follows the priorities
    order = [2, 0, 1]
    shuffled = [rows[k] for k in order]
    assert near_duplicates(NEAR, *_table(shuffled)).tolist() == [False, False, True]


def test_no_shared_band_key_means_no_candidate() -> None:
    rng = np.random.default_rng(5)
    a = rng.integers(0, 256, 64, dtype=np.uint8)
    rows = [(1, a, 1), (2, a.copy(), 2)]  # identical signatures, but no key in common
    assert near_duplicates(NEAR, *_table(rows)).tolist() == [False, False]
