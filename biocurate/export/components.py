"""Rule 4 of the decisions (:mod:`.decisions`): near duplicates as connected components.

Slots sharing a band key are linked; the links' connected components are found by label
propagation with pointer jumping; inside each component the greedy MinHash check of
:class:`~biocurate.mix.neardup.NearDedup` is replayed in priority order. Components share no
band key, so each is decided as if it were alone, whatever the order of the others.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Slots per greedy near-dup check (whole components; see :func:`_whole_components`).
GREEDY_BATCH = 1 << 13


def _shared_pairs(band_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of rows ``(a, b)`` holding the same band key (consecutive holders of each key)."""
    bands = band_keys.shape[1]
    flat = band_keys.ravel()
    order = np.argsort(flat)  # ties in any order: the pairs chain all holders of a key either way
    ordered = flat[order]
    same = ordered[1:] == ordered[:-1]
    del ordered
    order //= bands  # in place: the holder (row) of each sorted key
    return order[:-1][same], order[1:][same]


def components(rows: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of ``rows`` rows linked by the pairs ``(a, b)``: a label per row
    (the smallest row number of its component)."""
    labels = np.arange(rows, dtype=np.int64)
    while len(a):
        low = np.minimum(labels[a], labels[b])
        new = labels.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        while True:  # pointer jumping: every row points at its component's current root
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def near_duplicates(near: Any, priority: np.ndarray, band_keys: np.ndarray, small: np.ndarray) -> np.ndarray:
    """Which candidate slots are near duplicates: the greedy check of ``near`` (a
    :class:`~biocurate.mix.neardup.NearDedup`) replayed in priority order inside each
    connected component of slots sharing a band key.

    A slot that shares no band key is kept (nothing can be its candidate). In a component of
    two slots the greedy keeps the first and drops the second exactly when their estimated
    similarity reaches the threshold: decided for all such pairs at once. Larger components
    go through the greedy check, in (component, priority) order: components share no band
    key, so one pass decides each as if it were alone."""
    dropped = np.zeros(len(priority), dtype=bool)
    if not len(priority):
        return dropped
    a, b = _shared_pairs(band_keys)
    if not len(a):
        return dropped
    labels = components(len(priority), a, b)
    involved = np.unique(np.concatenate([a, b]))
    sizes = np.bincount(labels[involved], minlength=len(priority))
    pairs = involved[sizes[labels[involved]] == 2]
    if len(pairs):
        ordered = pairs[np.lexsort((priority[pairs], labels[pairs]))].reshape(-1, 2)
        first, second = ordered[:, 0], ordered[:, 1]
        equal = np.count_nonzero(small[first] == small[second], axis=1) / near.num_perm
        dropped[second] = (equal - 1 / 256) / (1 - 1 / 256) >= near.threshold
    rest = involved[sizes[labels[involved]] > 2]
    if len(rest):
        order = rest[np.lexsort((priority[rest], labels[rest]))]
        for batch in _whole_components(labels[order], GREEDY_BATCH):
            greedy = near.fresh()
            # the same filter over consecutive windows is the same greedy as one call over the
            # batch; a window bounds the Python lists check_many builds (a component of the
            # bench data holds 230k slots)
            for start in range(batch.start, batch.stop, GREEDY_BATCH):
                rows = order[start:min(start + GREEDY_BATCH, batch.stop)]
                reasons = greedy.check_many(band_keys[rows], small[rows])
                dropped[rows] = np.array([reason is not None for reason in reasons], dtype=bool)
    return dropped


def _whole_components(labels: np.ndarray, size: int) -> list[slice]:
    """Slices of ``labels`` (grouped by component) of about ``size`` rows, never cutting a
    component: the greedy check of one batch then meets every key its components hold, and a
    fresh filter per batch keeps its Python state (lists of keys per row) small."""
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
    cuts = starts[np.r_[True, np.diff(starts // size) > 0]].tolist() + [len(labels)]
    return [slice(a, b) for a, b in zip(cuts[:-1], cuts[1:])]
