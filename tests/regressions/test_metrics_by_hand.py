"""Scorers on small cases worked by hand (each expected value computed in the comments), so
that a changed comparison, count or division in ``eval/metrics.py`` changes a score here.
Written against the surviving mutants of ``scripts/mutation.py biocurate.eval.metrics``."""

from __future__ import annotations

import pytest

from biocurate.eval.metrics import (
    AccuracyScorer, BleuScorer, ClassificationScorer, PromptCBLUEClassScorer, RougeScorer, SetScorer,
)


def test_set_scorer_gives_an_empty_group_full_credit_by_default() -> None:
    scorer = SetScorer(["entities"])
    scorer.add({"entities": set()}, {"entities": set()})  # no gold, no prediction: 1.0
    assert scorer.result()["value"] == 1.0
    strict = SetScorer(["entities"], no_credit_without_hits=True)
    strict.add({"entities": set()}, {"entities": set()})
    assert strict.result()["value"] == 0.0
    scorer.add({"entities": {"a"}}, {"entities": {"a", "b"}})  # tp 1, fp 1: P .5, R 1, F1 2/3
    assert scorer.result()["value"] == pytest.approx(2 / 3)


def test_multi_label_micro_exact_and_macro() -> None:
    # rows (gold, pred): {a,b}/{a}, {b}/{b,c}, {c}/{}, {a}/{a,z}; z is not a valid label
    # micro: tp 1+1+0+1 = 3, fp 0+1+0+1 = 2, fn 1+0+1+0 = 2 -> P = R = F1 = 0.6; exact 0 / 4
    # macro over a, b, c (z left out): a 1.0; b tp 1 fn 1 -> 2/3; c tp 0 -> 0: (1 + 2/3) / 3
    scorer = ClassificationScorer()
    choices = frozenset("abcd")
    for gold, pred in (("ab", "a"), ("b", "bc"), ("c", ""), ("a", "az")):
        scorer.add(frozenset(gold), frozenset(pred), choices)
    result = scorer.result()
    assert result["multi_label"] is True and result["value"] == pytest.approx(0.6)
    assert result["metrics"]["exact_match"] == 0.0 and result["metrics"]["micro_precision"] == pytest.approx(0.6)
    assert result["metrics"]["macro_f1"] == pytest.approx((1 + 2 / 3) / 3)
    assert result["counts"] == {"tp": 3, "fp": 2, "fn": 2, "correct": 0}


def test_single_label_macro_over_gold_and_valid_predicted_classes() -> None:
    # (a, a), (a, b), (a, z) with options {a, b}: classes a (gold) and b (valid prediction);
    # z is neither. a: tp 1, fn 2 -> P 1, R 1/3, F1 .5; b: fp 1 -> 0; macro .25; accuracy 1/3
    scorer = ClassificationScorer()
    for pred in ("a", "b", "z"):
        scorer.add(frozenset("a"), frozenset(pred), frozenset("ab"))
    result = scorer.result()
    assert result["multi_label"] is False and result["value"] == pytest.approx(1 / 3)
    assert result["metrics"]["macro_f1"] == pytest.approx(0.25)


def test_promptcblue_class_scorer_counts_off_list_answers_as_the_empty_label() -> None:
    # pairs: (a, a); (b, x: two labels named); (b, x: off the list); (a, x: no answer)
    # a: tp 1 of support 2 -> P 1, R .5, F1 2/3; b: 0; x: predicted 3, support 0 -> 0
    # macro (2/3) / 3; weighted (2 * 2/3 + 2 * 0) / 4 = 1/3; accuracy 1/4
    scorer = PromptCBLUEClassScorer("macro_f1", empty_label="x")
    choices = frozenset("abx")
    scorer.add(frozenset("a"), frozenset("a"), choices)
    scorer.add(frozenset("b"), frozenset("ab"), choices)
    scorer.add(frozenset("b"), frozenset("z"), choices)
    scorer.add(frozenset("a"), frozenset(), choices)
    result = scorer.result()
    assert result["value"] == pytest.approx(2 / 9) and result["metrics"]["weighted_f1"] == pytest.approx(1 / 3)
    assert result["metrics"]["accuracy"] == 0.25 and result["counts"] == {"correct": 1} and result["multi_label"] is False


def test_accuracy_scorer() -> None:
    scorer = AccuracyScorer()
    for gold, pred in (("a", "a"), ("b", "b"), ("a", "c")):
        scorer.add(gold, pred)
    assert scorer.result()["value"] == pytest.approx(2 / 3) and scorer.result()["counts"] == {"correct": 2}


def test_bleu_is_a_fraction() -> None:
    pytest.importorskip("sacrebleu")
    scorer = BleuScorer("en")
    scorer.add("the cat sat on the mat today", "the cat sat on the mat today")
    result = scorer.result()
    assert result["value"] == pytest.approx(1.0) and result["metrics"]["bleu"] == pytest.approx(1.0)


def test_rouge_scorer_means_per_unit() -> None:
    # gold "a b c d", pred "a b x d": ROUGE-1 3/4; bigrams {ab bc cd} vs {ab bx xd}: 1/3;
    # LCS "a b d" = 3: 3/4; one unit
    scorer = RougeScorer("en")
    scorer.add("a b c d", "a b x d")
    metrics = scorer.result()["metrics"]
    assert metrics["rouge_1"] == pytest.approx(0.75) and metrics["rouge_2"] == pytest.approx(1 / 3)
    assert metrics["rouge_l"] == pytest.approx(0.75) and scorer.result()["counts"] == {"units": 1}


def test_multi_label_macro_counts_false_positives_per_label() -> None:
    # {a,b}/{a,b}, {a}/{a,b}: a tp 2 -> 1.0; b tp 1, fp 1 -> P .5, R 1, F1 2/3; macro 5/6
    # micro tp 3, fp 1, fn 0 -> P .75, R 1, F1 6/7; exact 1 / 2
    scorer = ClassificationScorer()
    scorer.add(frozenset("ab"), frozenset("ab"), frozenset("ab"))
    scorer.add(frozenset("a"), frozenset("ab"), frozenset("ab"))
    result = scorer.result()
    assert result["metrics"]["macro_f1"] == pytest.approx(5 / 6) and result["value"] == pytest.approx(6 / 7)
    assert result["metrics"]["exact_match"] == 0.5


def test_rouge_folds_width_by_default_and_not_as_promptcblue() -> None:
    # default: NFKC folds "ＣＴ" into "CT": identical; PromptCBLUE's rouge_chinese keeps them apart
    default, reference = RougeScorer("zh"), RougeScorer("zh", rouge_chinese=True)
    for scorer in (default, reference):
        scorer.add("ＣＴ检查", "CT检查")
    assert default.result()["value"] == 1.0 and reference.result()["value"] < 0.9
