"""``fill``: shortfalls move to targets with spare data, so ``--size N`` gives N whenever the sources hold N."""

from __future__ import annotations

import re

from biocurate.mix.budget import fill_shortfalls, plan, size_summary
from biocurate.mix.spec import MixtureSpec, apply_overrides, load_mixture


def _spec(**extra) -> MixtureSpec:
    return MixtureSpec.model_validate({"name": "t", "targets": {"ner": {"zh": 100, "en": 300}, "tc": {"zh": 600}}, **extra})


AVAILABLE = {("ner", "zh", "a"): 500, ("ner", "en", "b"): 30, ("ner", "en", "c"): 20, ("tc", "zh", "d"): 2000}


def test_without_fill_each_target_keeps_its_shortfall() -> None:
    plans = plan(_spec(), AVAILABLE)
    assert [(g.category, g.language, g.planned, g.shortfall) for g in plans] == [
        ("ner", "zh", 100, 0), ("ner", "en", 50, 250), ("tc", "zh", 600, 0)]


def test_fill_moves_the_shortfall_in_proportion_to_the_targets() -> None:
    plans = plan(_spec(fill=True), AVAILABLE)
    by = {(g.category, g.language): g for g in plans}
    assert sum(g.planned for g in plans) == 1000
    # 250 short on ner/en, shared 100 : 600 between ner/zh and tc/zh
    assert (by["ner", "zh"].filled, by["tc", "zh"].filled, by["ner", "en"].filled) == (36, 214, 0)
    assert by["ner", "zh"].quotas == {"a": 136} and by["tc", "zh"].quotas == {"d": 814}
    assert size_summary(plans) == "asked 1,000 samples, planned 1,000 (250 moved from short targets to targets with spare data)"


def test_fill_stops_at_what_the_sources_hold_and_respects_caps() -> None:
    spec = _spec(fill=True, caps={"datasets": {"d": 650}})
    plans = plan(spec, AVAILABLE)
    by = {(g.category, g.language): g for g in plans}
    assert by["tc", "zh"].planned == 650  # capped
    assert sum(g.planned for g in plans) == 1000 and by["ner", "zh"].planned == 300
    small = {k: v for k, v in AVAILABLE.items() if k[2] != "a"} | {("ner", "zh", "a"): 120}
    plans = plan(spec, small)
    assert sum(g.planned for g in plans) == 120 + 50 + 650
    assert size_summary(plans).endswith("; 180 short: the sources hold no more")
    assert fill_shortfalls(spec, plans) == 0  # nothing left to move


def test_size_turns_fill_on_and_no_fill_keeps_it_off() -> None:
    spec = load_mixture("taiyi-v1")
    assert not spec.fill
    assert apply_overrides(spec, size=20_000).fill
    assert not apply_overrides(spec, size=20_000, fill=False).fill
    assert not apply_overrides(spec, seed=3).fill


def _total(output: str) -> int:
    (line,) = [ln for ln in output.splitlines() if ln.startswith("total")]
    return int(re.findall(r"[\d,]+", line)[1].replace(",", ""))


def test_size_20000_on_the_bundled_samples_gives_20000(capsys) -> None:
    from biocurate.cli import main

    assert main(["plan", "--mix", "taiyi-v1", "--size", "20000"]) == 0
    assert _total(capsys.readouterr().out) == 20_000
    assert main(["plan", "--mix", "taiyi-v1", "--size", "20000", "--no-fill"]) == 0
    assert _total(capsys.readouterr().out) < 10_000
