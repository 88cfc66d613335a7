"""``profile="promptcblue"``: PromptCBLUE's main metric per task, its empty-answer and empty-group
rules, and zh ROUGE identical to rouge_chinese over BERT's BasicTokenizer (hand-computed values;
equality with the reference packages where they are installed)."""

from __future__ import annotations

import itertools
import random

import pytest

from biocurate.eval import Predictions, evaluate
from biocurate.eval.promptcblue import TASKS, basic_tokenize, class_f1, rouge_chinese
from biocurate.eval.rouge import rouge_l
from tests.eval.support import make_row, only

STS = {"choices": ["语义不相同", "语义相同"]}


@pytest.fixture
def score_as(hand_store):
    def run(pairs, profile):
        predictions = Predictions(by_id={r["id"]: p for r, p in pairs if p is not None})
        return evaluate([r for r, _ in pairs], predictions, store=hand_store, profile=profile)

    return run


def _sts_rows():
    # gold: S S S N; predictions: S, N, "" (empty), N
    golds = ["语义相同", "语义相同", "语义相同", "语义不相同"]
    preds = ["语义相同", "语义不相同", "", "语义不相同"]
    return [(make_row(f"s{k}", "sts-zh-hand", g, STS, dataset="chip_sts"), p) for k, (g, p) in enumerate(zip(golds, preds))]


def test_chip_sts_weighted_f1_with_empty_as_first_label(score_as) -> None:
    cblue = only(score_as(_sts_rows(), "promptcblue"))
    # the empty answer counts as PromptCBLUE's first label 是的 (= 语义相同): S S S N vs S N S N
    # S: p 1, r 2/3, f 0.8 (support 3); N: p 1/2, r 1, f 2/3 (support 1) -> weighted (2.4 + 2/3) / 4
    assert (cblue["main"], cblue["value"]) == ("weighted_f1", pytest.approx((3 * 0.8 + 2 / 3) / 4))
    assert cblue["metrics"]["macro_f1"] == pytest.approx((0.8 + 2 / 3) / 2)
    # the default profile keeps accuracy (the empty answer is wrong: 2/4) and reports PromptCBLUE's beside it
    default = only(score_as(_sts_rows(), "default"))
    assert (default["main"], default["value"]) == ("accuracy", 0.5)
    assert default["other_profile"]["main"] == "weighted_f1"
    assert default["other_profile"]["value"] == pytest.approx(cblue["value"])
    assert cblue["other_profile"] == {**cblue["other_profile"], "profile": "default", "main": "accuracy", "value": 0.5}


def test_macro_f1_tasks_and_other_datasets_keep_accuracy(score_as) -> None:
    ctx = {"choices": ["病情诊断", "治疗方案"]}
    rows = [(make_row("q1", "tc-zh-hand", ["病情诊断"], ctx, dataset="kuake_qic"), "上述文本被分类为：病情诊断"),
            (make_row("q2", "tc-zh-hand", ["治疗方案"], ctx, dataset="kuake_qic"), "上述文本被分类为：病情诊断")]
    result = only(score_as(rows, "promptcblue"))
    # 病情诊断: p 1/2 r 1 f 2/3; 治疗方案: f 0 -> macro 1/3
    assert (result["main"], result["value"]) == ("macro_f1", pytest.approx(1 / 3))
    other = [(dict(r, dataset="hoc_like"), p) for r, p in rows]
    assert only(score_as(other, "promptcblue"))["main"] == "accuracy"


def test_empty_group_scores_zero_under_promptcblue(score_as) -> None:
    ctx = {"types": ["疾病"]}
    rows = [(make_row("n1", "ner-zh-hand", {}, ctx, dataset="cmeee"), "无")]
    assert only(score_as(rows, "default"))["value"] == 1.0
    result = only(score_as(rows, "promptcblue"))
    assert result["value"] == 0.0 and result["other_profile"]["value"] == 1.0


def test_class_f1_matches_sklearn_definitions() -> None:
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("c", "a"), ("c", "x")]
    scores = class_f1(pairs)
    # labels a b c x; a: p 1/2 r 1/2; b: p 1/2 r 1; c: 0; x: 0 (support 0)
    f_a, f_b = 0.5, 2 * 0.5 / 1.5
    assert scores["macro_f1"] == pytest.approx((f_a + f_b) / 4)
    assert scores["weighted_f1"] == pytest.approx((2 * f_a + 1 * f_b) / 5)
    sklearn = pytest.importorskip("sklearn.metrics")
    report = sklearn.classification_report([g for g, _ in pairs], [p for _, p in pairs], output_dict=True, zero_division=0)
    assert scores["macro_f1"] == pytest.approx(report["macro avg"]["f1-score"])
    assert scores["weighted_f1"] == pytest.approx(report["weighted avg"]["f1-score"])


def test_zh_rouge_differs_from_default_only_where_nfkc_folds() -> None:
    # default folds NFKC: "ＣＴ" == "CT"; rouge_chinese keeps them apart
    assert rouge_l("ＣＴ检查", "CT检查", "zh").f == 1.0
    assert rouge_chinese("ＣＴ检查", "CT检查").l == pytest.approx(2 * (2 / 3) ** 2 / (4 / 3 + 1e-8))
    assert basic_tokenize("38.5℃") == ["38", ".", "5℃"] and basic_tokenize("38.5度") == ["38", ".", "5", "度"]
    assert rouge_chinese("", "").l == pytest.approx(1.0, abs=1e-7)  # both empty: "无 。" vs "无 。"


def _real_texts() -> list[str]:
    import biocurate
    from biocurate.loaders import Reject

    texts = ["38.5℃", "38.5度", "ＣＴ示肺炎", "CT示肺炎", "", "Ｘ线 naïve Éclair", "……好的。。", "a\u200bb"]
    for name in ("meddg", "imcs_v2_mrg", "cmeee", "chinese_medical_dialogue"):
        loader = biocurate.open_loader(name)
        for split in loader.available_splits():
            for record in itertools.islice(loader.records(split), 60):
                if isinstance(record, Reject):
                    continue
                data = record.model_dump()
                texts += [t["text"] for t in data.get("turns") or []] + [p["text"][0] for p in data.get("passages") or []]
                texts += [data[k] for k in ("text_1", "text_2") if data.get(k)]
    return texts


def test_tokenizer_and_rouge_equal_the_reference_packages_on_real_text() -> None:
    transformers = pytest.importorskip("transformers")
    rouge_pkg = pytest.importorskip("rouge_chinese")
    bert = transformers.BasicTokenizer(tokenize_chinese_chars=True)
    texts = _real_texts()
    assert len(texts) > 300
    assert all(basic_tokenize(t) == bert.tokenize(t) for t in texts)

    def prepared(text: str) -> str:
        return " ".join(bert.tokenize(text)).strip() or "无 。"

    rng = random.Random(17)
    rouge = rouge_pkg.Rouge()
    for _ in range(300):
        hyp, ref = rng.choice(texts), rng.choice(texts)
        if rng.random() < 0.4:
            ref = hyp[: len(hyp) // 2] + "，" + hyp[len(hyp) // 2 :]
        want = rouge.get_scores([prepared(hyp)], [prepared(ref)], avg=True)
        got = rouge_chinese(hyp, ref)
        assert (got.one, got.two, got.l) == pytest.approx(
            (want["rouge-1"]["f"], want["rouge-2"]["f"], want["rouge-l"]["f"]), abs=1e-12)


def test_every_promptcblue_task_is_a_biocurate_dataset_or_named_absent() -> None:
    from biocurate.loaders import all_loaders

    missing = set(TASKS) - set(all_loaders())
    assert missing <= {"imcs_v2_dac"}  # no loader yet; its rule is kept for when one is added
