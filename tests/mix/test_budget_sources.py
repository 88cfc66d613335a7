"""mix/budget.py with several sources per target: water-filling worked by hand.

Each expected quota is computed in the comment beside it from the sizes and the weighting rule
(largest remainders, ties to the smaller key), not by calling the code a second way.
"""

from __future__ import annotations

from biocurate.mix.budget import language_key, plan, water_fill
from biocurate.mix.spec import MixtureSpec


def _spec(**extra) -> MixtureSpec:
    return MixtureSpec.model_validate({"name": "t", "targets": {"ner": {"en": 100}}, **extra})


def test_proportional_shares_with_largest_remainders() -> None:
    # 100 * (300, 100, 10) / 410 = 73.17, 24.39, 2.44 -> 73 + 24 + 2 = 99; the one left goes to
    # the largest remainder (c: .44)
    assert water_fill(100, {"a": 300, "b": 100, "c": 10}, {"a": 300.0, "b": 100.0, "c": 10.0}) == {"a": 73, "b": 24, "c": 3}


def test_equal_weights_refill_what_a_short_source_cannot_take() -> None:
    # 90 / 3 = 30 each; c holds 10: c = 10, 80 left over a and b: 40 each
    assert water_fill(90, {"a": 100, "b": 50, "c": 10}, dict.fromkeys("abc", 1.0)) == {"a": 40, "b": 40, "c": 10}


def test_cascade_over_several_rounds() -> None:
    # round 1: 100 / 3 = 33.33 -> 33 each, the 1 left to a (tie: smallest key) = 34, 33, 33;
    #          b holds 20: b = 20, 80 left
    # round 2: 40 each for a and c; c holds 35: c = 35, 45 left
    # round 3: a takes 45
    assert water_fill(100, {"a": 1000, "b": 20, "c": 35}, dict.fromkeys("abc", 1.0)) == {"a": 45, "b": 20, "c": 35}


def test_sources_short_of_the_target_are_used_in_full() -> None:
    assert water_fill(100, {"a": 30, "b": 10, "c": 0}, {"a": 30.0, "b": 10.0, "c": 0.0}) == {"a": 30, "b": 10, "c": 0}


def test_plan_weights_by_availability_per_target() -> None:
    available = {("ner", "en", "bc5cdr"): 300, ("ner", "en", "ncbi"): 100, ("ner", "en", "bc2gm"): 10, ("ner", "zh", "cmeee"): 999}
    (group,) = plan(_spec(), available)
    assert (group.category, group.language, group.target) == ("ner", "en", 100)
    assert group.quotas == {"bc2gm": 3, "bc5cdr": 73, "ncbi": 24}  # as the first test; cmeee is zh: not a source
    assert (group.planned, group.shortfall, group.spare) == (100, 0, 310)


def test_temperature_weighting() -> None:
    # weights 400 ** 0.5 = 20 and 100 ** 0.5 = 10: 30 shared 20 : 10
    (group,) = plan(_spec(targets={"ner": {"en": 30}}, weighting="temperature", temperature=2.0),
                    {("ner", "en", "a"): 400, ("ner", "en", "b"): 100})
    assert group.quotas == {"a": 20, "b": 10}


def test_equal_weighting_in_plan() -> None:
    (group,) = plan(_spec(targets={"ner": {"en": 30}}, weighting="equal"), {("ner", "en", "a"): 400, ("ner", "en", "b"): 100})
    assert group.quotas == {"a": 15, "b": 15}


def test_caps_weight_by_what_is_left_after_the_cap() -> None:
    # a capped at 5: weights 5 : 100 -> 50 * 5 / 105 = 2.38, 47.62 -> 2 + 47, the 1 left to b (.62)
    (group,) = plan(_spec(targets={"ner": {"en": 50}}, caps={"datasets": {"a": 5}}), {("ner", "en", "a"): 100, ("ner", "en", "b"): 100})
    assert group.capped == {"a": 5, "b": 100} and group.available == {"a": 100, "b": 100}
    assert group.quotas == {"a": 2, "b": 48}
    # default cap 20 for both, a category left uncapped ignores it
    (capped,) = plan(_spec(targets={"ner": {"en": 100}}, caps={"default": 20}), {("ner", "en", "a"): 100, ("ner", "en", "b"): 100})
    assert capped.quotas == {"a": 20, "b": 20} and capped.shortfall == 60
    (free,) = plan(_spec(targets={"ner": {"en": 100}}, caps={"default": 20, "uncapped_categories": ["ner"]}),
                   {("ner", "en", "a"): 100, ("ner", "en", "b"): 100})
    assert free.quotas == {"a": 50, "b": 50}


def test_repeat_allow_shares_the_shortfall_by_size() -> None:
    # 40 available (30 + 10), 60 short: repeated 30 : 10 -> 45 + 15 on top
    (group,) = plan(_spec(repeat="allow"), {("ner", "en", "a"): 30, ("ner", "en", "b"): 10})
    assert group.quotas == {"a": 75, "b": 25} and group.shortfall == 0


def test_language_keys() -> None:
    spec = MixtureSpec.model_validate({"name": "t", "targets": {"ner": {"zh": 1, "en": 1}, "mt": {"all": 5}}})
    assert language_key(spec, "ner", "zh") == "zh" and language_key(spec, "ner", "fr") is None
    assert language_key(spec, "mt", "zh-en") == "all" and language_key(spec, "qa", "zh") is None


def test_a_source_of_one_and_a_last_single_sample() -> None:
    # equal: 5 / 2 = 2.5 -> 2 + 2, the 1 left to a (tie: smallest key) = 3; a holds 1: a = 1,
    # 4 left for b
    assert water_fill(5, {"a": 1, "b": 10}, dict.fromkeys("ab", 1.0)) == {"a": 1, "b": 4}
    # 3 / 2 -> a = 2 (1 + the 1 left), b = 1; a is full at 2; the single sample left goes to b
    assert water_fill(3, {"a": 2, "b": 10}, dict.fromkeys("ab", 1.0)) == {"a": 2, "b": 1}
    assert water_fill(1, {"a": 5}, {"a": 5.0}) == {"a": 1}


def test_fill_over_several_sources_and_rounds() -> None:
    """ner/en asks 30 of 9 (21 short); re/en asks 1 (b 3, c 2 -> b 1); tc/zh asks 20 (d 21,
    e 9 -> 14 + 6). Round 1: 21 shared 1 : 20 -> re 1 (room b 2, c 2: the tie to b), tc 20 but
    only 10 spare (room d 7, e 3 -> 7 + 3). Round 2: 10 left, only re has spare (3: room b 1,
    c 2 -> 1 + 2). Nothing else can take the 7 still short."""
    spec = MixtureSpec.model_validate({"name": "t", "fill": True, "targets": {"ner": {"en": 30}, "re": {"en": 1}, "tc": {"zh": 20}}})
    available = {("ner", "en", "a"): 9, ("re", "en", "b"): 3, ("re", "en", "c"): 2, ("tc", "zh", "d"): 21, ("tc", "zh", "e"): 9}
    ner, rel, tc = plan(spec, available)
    assert (ner.quotas, ner.filled, ner.shortfall) == ({"a": 9}, 0, 21)
    assert (rel.quotas, rel.filled) == ({"b": 3, "c": 2}, 4)
    assert (tc.quotas, tc.filled) == ({"d": 21, "e": 9}, 10)
    assert sum(g.planned for g in (ner, rel, tc)) == 44
    for group in (ner, rel, tc):
        assert all(group.quotas[d] <= group.capped[d] for d in group.quotas)


def test_fill_moves_a_single_sample_to_a_single_spare() -> None:
    # ner/en is 1 short (9 of 10); tc/zh has exactly 1 spare (6 for 5): it takes it
    spec = MixtureSpec.model_validate({"name": "t", "fill": True, "targets": {"ner": {"en": 10}, "tc": {"zh": 5}}})
    ner, tc = plan(spec, {("ner", "en", "a"): 9, ("tc", "zh", "d"): 6})
    assert (ner.quotas, tc.quotas, tc.filled, tc.spare) == ({"a": 9}, {"d": 6}, 1, 0)


def test_fill_goes_on_after_a_round_that_moved_one() -> None:
    # 2 short on ner/en. Round 1: shared 100 : 1 -> 1.98, 0.02 -> 1 + 0, the 1 left to tc (.98):
    # tc 2 but only 1 spare -> 1 moved. Round 2: only qa has spare: it takes the last 1.
    spec = MixtureSpec.model_validate({"name": "t", "fill": True, "targets": {"ner": {"en": 10}, "tc": {"zh": 100}, "qa": {"zh": 1}}})
    ner, tc, qa = plan(spec, {("ner", "en", "a"): 8, ("tc", "zh", "d"): 101, ("qa", "zh", "q"): 6})
    assert (tc.quotas, tc.filled, qa.quotas, qa.filled) == ({"d": 101}, 1, {"q": 2}, 1)
