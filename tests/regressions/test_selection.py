"""The export's seeded selection (``export/select.selection``): how many times each kept row is
taken, checked against the quota arithmetic (``quota // n`` for every row, ``quota % n`` rows
once more, each at most once more)."""

from __future__ import annotations

import numpy as np

from biocurate.export.select import selection
from biocurate.mix.budget import GroupPlan
from biocurate.mix.spec import MixtureSpec

SPEC = MixtureSpec.model_validate({"name": "t", "seed": 5, "targets": {"ner": {"en": 1}}})


def _group(quotas: dict[str, int], available: dict[str, int]) -> GroupPlan:
    return GroupPlan("ner", "en", sum(quotas.values()), dict(available), dict(available), dict(quotas))


def test_times_follow_the_quota() -> None:
    chosen = selection(SPEC, [_group({"a": 7, "b": 25, "c": 30}, {"a": 10, "b": 10, "c": 10})])
    a, b, c = chosen["a", "ner", "en"], chosen["b", "ner", "en"], chosen["c", "ner", "en"]
    # 7 of 10: seven rows once, three not at all
    assert sorted(a.tolist()) == [0] * 3 + [1] * 7
    # 25 of 10: every row twice, five of them a third time
    assert sorted(b.tolist()) == [2] * 5 + [3] * 5
    # 30 of 10: exactly three times each, nothing drawn
    assert c.tolist() == [3] * 10
    assert a.dtype == np.int32 and len(a) == 10


def test_the_draw_is_seeded_per_group() -> None:
    plans = [_group({"a": 4}, {"a": 50})]
    first = selection(SPEC, plans)["a", "ner", "en"]
    assert np.array_equal(first, selection(SPEC, plans)["a", "ner", "en"])
    other = selection(SPEC.model_copy(update={"seed": 6}), plans)["a", "ner", "en"]
    assert first.sum() == other.sum() == 4 and not np.array_equal(first, other)
