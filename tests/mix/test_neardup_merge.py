"""NearDedup's merge of recent band keys into the sorted arrays, made to happen on a few records by
lowering ``_FLUSH_KEYS`` (read each time a record is kept): what the merged arrays and their
bitmap hold, worked out from the keys kept before the merge."""

from __future__ import annotations

import numpy as np
import pytest

import biocurate.mix.neardup as neardup
from biocurate.mix.content import normalise_text
from biocurate.mix.neardup import NearDedup

#: two CHIP-CTC dev criteria and two MedMCQA questions (real samples), unrelated to each other
TEXTS = [
    "9.在访视1前30天内或者5个半衰期内（以较长的时间为准）曾使用了其他试验药物；",
    "A：（1）对受试药物耐受的健康人；（2）年龄：0-18岁；（3）自愿参加本研究",
    "Which of the following are not a branch of external carotid Aery in Kiesselbach's plexus.",
    "Low insulin to glucagon ratio is seen in all of these except:",
]


def test_merge_moves_every_recent_key_into_sorted_arrays_and_sets_its_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    near = NearDedup()
    monkeypatch.setattr(neardup, "_FLUSH_KEYS", 3 * near.bands)  # the third kept record triggers the merge
    before: dict[int, int] = {}
    for index, text in enumerate(TEXTS[:3]):
        assert near.check_signature(near.signature(normalise_text(text)), "tc") is None
        if index < 2:
            before = dict(near._recent)
    assert near._merges == 1 and near._recent == {} and near.kept == 3
    # the sorted arrays hold each distinct key once, with the first record that had it
    keys, owners = near._keys.tolist(), near._owners.tolist()
    assert keys == sorted(keys) and len(set(keys)) == len(keys) == 3 * near.bands
    assert {k: o for k, o in zip(keys, owners) if o < 2} == before
    assert sorted(owners) == [0] * near.bands + [1] * near.bands + [2] * near.bands
    # 2^28 bits (32 MiB): bit (key >> 36) of every merged key, and no other
    assert near._bitmap.nbytes == 1 << 25
    bits = np.flatnonzero(np.unpackbits(near._bitmap, bitorder="little")).tolist()
    assert bits == sorted({k >> 36 for k in keys})
    # a copy of a merged record is found through the sorted arrays; a new record is kept
    assert near.check_signature(near.signature(normalise_text(TEXTS[1])), "tc") == "near duplicate"
    assert near.check_signature(near.signature(normalise_text(TEXTS[3])), "tc") is None
    assert near._recent and all(owner == 3 for owner in near._recent.values())
