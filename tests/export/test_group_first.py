"""The group-by under every order-free decision: the lowest-priority row per key, checked
against a dictionary walk, including keys that share their last word but not the others."""

from __future__ import annotations

import numpy as np
import pytest

from biocurate.export.decisions import first_per_key, group_first


def by_hand(keys: np.ndarray, priority: np.ndarray) -> np.ndarray:
    best: dict[tuple[int, ...], int] = {}
    for row, key in enumerate(map(tuple, keys.tolist())):
        if key not in best or priority[row] < priority[best[key]]:
            best[key] = row
    return np.array([best[key] for key in map(tuple, keys.tolist())], dtype=np.int64)


@pytest.mark.parametrize("words", [2, 3])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_group_first_equals_a_dictionary_walk(words: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 3000
    keys = rng.integers(0, 2**63, (n, words), dtype=np.uint64)
    keys[rng.choice(n, 600, replace=False)] = keys[rng.choice(n, 600)]  # whole-key duplicates
    collide = rng.choice(n, 400, replace=False)
    keys[collide, -1] = keys[rng.choice(n, 400), -1]  # the last word shared, the others not
    keys[:50, -1] = 7  # one last word held by 50 rows with different other words
    priority = rng.permutation(n).astype(np.uint64)
    assert np.array_equal(group_first(keys, priority), by_hand(keys, priority))
    assert (first_per_key(keys, priority) == (by_hand(keys, priority) == np.arange(n))).all()


def test_group_first_does_not_depend_on_row_order() -> None:
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 40, (500, 2)).astype(np.uint64)  # many duplicates and collisions
    priority = rng.permutation(500).astype(np.uint64)
    first = group_first(keys, priority)
    shuffle = rng.permutation(500)
    again = group_first(keys[shuffle], priority[shuffle])
    # the same winner (named by its priority) for every row, whatever the order of the rows
    assert np.array_equal(priority[shuffle][again], priority[first][shuffle])


def test_small_inputs() -> None:
    assert group_first(np.zeros((0, 2), np.uint64), np.zeros(0, np.uint64)).tolist() == []
    assert group_first(np.ones((1, 2), np.uint64), np.ones(1, np.uint64)).tolist() == [0]
    two = np.array([[1, 9], [2, 9]], np.uint64)  # same last word, different keys
    assert group_first(two, np.array([5, 3], np.uint64)).tolist() == [0, 1]
    same = np.array([[1, 9], [1, 9]], np.uint64)
    assert group_first(same, np.array([5, 3], np.uint64)).tolist() == [1, 1]
