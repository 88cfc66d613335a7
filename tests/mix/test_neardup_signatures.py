"""The batch signatures the export computes (``NearDedup.signatures``) against the MinHash
definition written out in plain Python: bin ``j`` holds the hashes in
``[j * 2^64 / num_perm, (j + 1) * 2^64 / num_perm)`` and keeps their minimum; an empty bin takes
the minimum of the next non-empty bin, wrapping round. Texts of several lengths and languages go
in one batch, so n-grams that would cross from one text into the next must not count.
"""

from __future__ import annotations

import numpy as np
import pytest

from biocurate.mix.neardup import NearDedup

from .test_neardup import EN, EN_OTHER, ZH, ZH_OTHER


def _definition(near: NearDedup, text: str) -> list[int]:
    hashes = [int(h) for h in near._shingle_hashes(text)]
    width = (1 << 64) // near.num_perm if near.num_perm & (near.num_perm - 1) == 0 else None
    bins: list[list[int]] = [[] for _ in range(near.num_perm)]
    for h in hashes:
        j = h // width if width else max(k for k in range(near.num_perm) if (k << 64) // near.num_perm <= h)
        bins[j].append(h)
    minima = [min(b) if b else None for b in bins]
    out = []
    for j in range(near.num_perm):
        k = j
        while minima[k % near.num_perm] is None:
            k += 1
        out.append(minima[k % near.num_perm])
    return out


@pytest.mark.parametrize("num_perm", [64, 48])
def test_batch_signatures_follow_the_definition(num_perm: int) -> None:
    near = NearDedup(num_perm=num_perm)
    texts = [ZH, "头痛", EN, "", "abc", ZH_OTHER[:7], "痛", EN_OTHER, ZH + EN]
    got = near.signatures(texts)
    assert got[3] is None  # an empty text has no signature
    for text, sig in zip(texts, got):
        if text:
            assert sig.dtype == np.uint64 and [int(v) for v in sig] == _definition(near, text), text[:10]
