"""The near-dup greedy check in batches of whole components and windows within a batch
(``components.GREEDY_BATCH``): with a batch of 2 slots, components of 5 and 3 slots are cut
into windows and batches, and each decision must still be the greedy's over the component.

Expected values by hand (threshold 0.8, 64 bins: 52 equal bins -> 0.81, a duplicate; 51 ->
0.80-, kept): see ``tests/regressions/test_near_decisions.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from biocurate.export import components
from biocurate.export.components import _whole_components, near_duplicates
from biocurate.mix.neardup import NearDedup

NEAR = NearDedup(threshold=0.8)


def _changed(base: np.ndarray, equal: int) -> np.ndarray:
    out = base.copy()
    out[equal:] ^= 0xFF
    return out


def test_components_are_never_cut() -> None:
    labels = np.array([0, 0, 0, 5, 5, 7, 9, 9, 9, 9])
    cuts = [(s.start, s.stop) for s in _whole_components(labels, 4)]
    # windows of 4 rows: [0, 4) starts components at 0 and 3, [4, 8) at 5 and 6; a batch starts
    # at the first component starting in each window, so the component at 3 stays with 0
    assert cuts == [(0, 5), (5, 10)]
    assert [(s.start, s.stop) for s in _whole_components(labels, 100)] == [(0, 10)]


@pytest.mark.parametrize("batch", [1, 2, 3, 1 << 13])
def test_batches_and_windows_decide_as_one_greedy(monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    monkeypatch.setattr(components, "GREEDY_BATCH", batch)
    rng = np.random.default_rng(11)
    a, b = (rng.integers(0, 256, 64, dtype=np.uint8) for _ in range(2))
    # component 1 (band key 1): a kept; a's duplicate dropped; x (40 bins equal to a: 0.62) kept;
    # x's duplicate dropped although it is 0.62 from a; a's 51-bin neighbour kept (0.80-)
    x = a.copy()
    x[40:] ^= 0x0F
    signatures = [a, _changed(a, 52), x, _changed(x, 60), _changed(a, 51),
                  b, _changed(b, 52), _changed(b, 53)]  # component 2 (band key 2): b kept, both others dropped
    groups = [1, 1, 1, 1, 1, 2, 2, 2]
    priority = np.array([50, 51, 52, 53, 54, 10, 11, 12], dtype=np.uint64)
    n = len(signatures)
    keys = np.arange(1, n * NEAR.bands + 1, dtype=np.uint64).reshape(n, NEAR.bands) + np.uint64(10**6)
    keys[:, 0] = np.array(groups, dtype=np.uint64)
    keys[2, 1] = keys[3, 1] = 3  # x and its duplicate also share band 1: the filter remembers only the first
    # kept holder of a key (a for key 1), so without it x's duplicate would only be compared with a
    dropped = near_duplicates(NEAR, priority, keys, np.stack(signatures))
    assert dropped.tolist() == [False, True, False, True, False, False, True, True]
