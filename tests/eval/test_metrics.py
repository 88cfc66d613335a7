"""ROUGE, tokenisation, canonical units and the metric accumulators on tiny inputs."""

from __future__ import annotations

import pytest

from biocurate.eval.metrics import ClassificationScorer, SetScorer, prf
from biocurate.eval.rouge import lcs_length, rouge_l, rouge_n, tokenize
from biocurate.eval.units import canon, entity_units, event_units, relation_units


def test_tokenize_chinese_into_characters_and_english_into_lowercase_words() -> None:
    assert tokenize("患者 发热3天，COVID-19阳性", "zh") == ["患", "者", "发", "热", "3", "天", ",", "covid", "-", "19", "阳", "性"]
    assert tokenize("The BRCA1-gene, mutated!", "en") == ["the", "brca1", "gene", "mutated"]
    assert tokenize("", "zh") == [] and tokenize("。。", "en") == []


def test_lcs_and_rouge_by_hand() -> None:
    assert lcs_length(list("ABCBDAB"), list("BDCABA")) == 4
    score = rouge_l("肺炎治疗方法", "肺炎的治疗", "zh")
    assert (score.p, score.r, score.f) == (pytest.approx(4 / 6), pytest.approx(4 / 5), pytest.approx(8 / 11))
    # bigrams: pred {ab, bc, cd}, ref {ab, bd}: 1 hit -> P 1/3, R 1/2, F 0.4
    assert rouge_n("a b c d", "a b d", "en", 2).f == pytest.approx(0.4)
    assert rouge_l("", "", "zh").f == 1.0 and rouge_l("", "x", "en").f == 0.0 and rouge_l("x", "", "en").f == 0.0


def test_prf_edge_cases() -> None:
    assert prf(0, 0, 0) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert prf(0, 2, 0)["f1"] == 0.0 and prf(0, 0, 3)["f1"] == 0.0
    assert prf(3, 1, 2)["f1"] == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_units_are_canonical_sets() -> None:
    assert canon("  肺炎\u3000 感染 ") == "肺炎 感染" and canon("ＣＯＶＩＤ－１９") == "COVID-19"
    assert entity_units("typed_mentions", {"Disease": ["cancer", "cancer "], "DISEASE": ["cancer"]}, {}) == {("disease", "cancer")}
    assert entity_units("mentions", ["A", "A", ""], {"type": "Gene"}) == {("gene", "A")}
    assert relation_units("pairs", [["a", "b"], ["a"], "junk"], {"relation": "CPR:4"}) == {("cpr:4", "a", "b")}
    units = event_units([{"type": "X", "trigger": "t", "arguments": {"B": "v2", "A": ["v1"]}}, "junk"])
    assert units["events"] == {("x", "t", (("a", "v1"), ("b", "v2")))}
    assert units["arguments"] == {("x", "t", "a", "v1"), ("x", "t", "b", "v2")} and units["triggers"] == {("x", "t")}


def test_set_scorer_sums_counts_over_rows() -> None:
    scorer = SetScorer(["entities"])
    scorer.add({"entities": {1, 2}}, {"entities": {2, 3}})
    scorer.add({"entities": set()}, {"entities": set()})
    assert scorer.result()["counts"] == {"tp": 1, "fp": 1, "fn": 1}


def test_classification_several_labels_for_single_label_is_wrong() -> None:
    scorer = ClassificationScorer()
    scorer.add(frozenset({"a"}), frozenset({"a", "b"}), frozenset({"a", "b"}))
    scorer.add(frozenset({"b"}), frozenset({"b"}), frozenset({"a", "b"}))
    result = scorer.result()
    assert result["value"] == pytest.approx(0.5)
    # a: fn 1 -> 0; b: tp 1 -> 1 ("a; b" is no prediction of any one class)
    assert result["metrics"]["macro_f1"] == pytest.approx(0.5)
