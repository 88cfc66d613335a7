"""Hand-made wrong predictions give hand-computed scores, per scoring family."""

from __future__ import annotations

import pytest

from tests.eval.support import make_row, only

ZH_TYPES = {"types": ["疾病", "症状", "药物"]}


def test_ner_strict_micro_prf(score) -> None:
    report = score([
        # gold {(疾病,肺炎),(疾病,发热),(症状,咳嗽)}; pred adds 感冒, misses 发热, repeats 咳嗽 -> tp 2, fp 1, fn 1
        (make_row("n1", "ner-zh-hand", {"疾病": ["肺炎", "发热"], "症状": ["咳嗽"]}, ZH_TYPES),
         "症状：咳嗽；咳嗽\n疾病：肺炎; 感冒"),
        # single-type row: the type comes from parse_context -> tp 1, fp 1
        (make_row("n2", "ner-zh-hand-type", ["阿司匹林"], {**ZH_TYPES, "type": "药物"}),
         "上述文本中包含的药物为:阿司匹林；布洛芬"),
        # empty output -> fn 1
        (make_row("n3", "ner-zh-hand", {"疾病": ["糖尿病"]}, ZH_TYPES), ""),
        # right mention, wrong type -> fp 1, fn 1
        (make_row("n4", "ner-zh-hand", {"疾病": ["高血压"]}, ZH_TYPES), "症状：高血压"),
    ])
    result = only(report)
    assert (result["family"], result["main"]) == ("entities", "micro_f1")
    assert result["counts"] == {"tp": 3, "fp": 3, "fn": 3}
    assert result["metrics"]["micro_precision"] == pytest.approx(0.5)
    assert result["metrics"]["micro_recall"] == pytest.approx(0.5)
    assert result["value"] == pytest.approx(0.5)
    assert (result["n"], result["empty"], result["parse_failures"]) == (4, 1, 0)


def test_re_triples_direction_matters(score) -> None:
    ctx = {"relations": ["treats", "causes"]}
    report = score([
        # tp (treats, aspirin, headache); fp ibuprofen pair; fn (causes, smoking, cancer)
        (make_row("r1", "re-en-hand", {"treats": [["aspirin", "headache"]], "causes": [["smoking", "cancer"]]}, ctx),
         "treats: [aspirin, headache]; [ibuprofen, fever]\ncauses: none"),
        # reversed pair: fp 1, fn 1
        (make_row("r2", "re-en-hand-relation", [["TNF", "NF-kB"]], {"relation": "activates", "relations": ["activates"]}),
         "activates: [NF-kB, TNF]"),
    ])
    result = only(report)
    assert result["counts"] == {"tp": 1, "fp": 2, "fn": 2}
    assert result["value"] == pytest.approx(1 / 3)


def test_events_event_argument_and_trigger_levels(score) -> None:
    ctx = {"event_types": ["Phosphorylation", "Gene_expression"], "roles": ["Theme", "Cause"]}
    gold = [
        {"type": "Phosphorylation", "trigger": "phosphorylated", "arguments": {"Theme": ["p65"], "Cause": ["IKK"]}},
        {"type": "Gene_expression", "trigger": "expression", "arguments": {"Theme": ["IL-2"]}},
    ]
    # event 1 right (argument order differs); event 2 has the wrong theme
    pred = ("Gene_expression: (Trigger: expression, Theme: IL-4)\n"
            "Phosphorylation: (Trigger: phosphorylated, Cause: IKK, Theme: p65)")
    result = only(score([(make_row("e1", "ee-en-hand", gold, ctx), pred)]))
    m = result["metrics"]
    assert result["counts"]["tp"] == 1 and result["counts"]["fp"] == 1 and result["counts"]["fn"] == 1
    assert m["micro_f1"] == pytest.approx(0.5)
    # arguments: gold {p65, IKK, IL-2}, pred {p65, IKK, IL-4} -> tp 2, fp 1, fn 1
    assert m["arguments_micro_f1"] == pytest.approx(2 / 3)
    assert m["triggers_micro_f1"] == pytest.approx(1.0)


def test_single_label_accuracy_and_macro_f1(score) -> None:
    ctx = {"choices": ["甲类", "乙类", "丙类"]}
    report = score([
        (make_row("c1", "tc-zh-hand", ["甲类"], ctx), "上述文本被分类为：甲类"),
        (make_row("c2", "tc-zh-hand", ["乙类"], ctx), "丙类"),
        (make_row("c3", "tc-zh-hand", ["丙类"], ctx), "上述文本被分类为:丙类。"),
        (make_row("c4", "tc-zh-hand", ["甲类"], ctx), "丁类"),  # outside the label set
        (make_row("c5", "tc-zh-hand", ["乙类"], ctx), ""),
    ])
    result = only(report)
    assert result["main"] == "accuracy" and result["multi_label"] is False
    assert result["value"] == pytest.approx(2 / 5)
    # per class: 甲 P1 R.5 F2/3; 乙 F0; 丙 P.5 R1 F2/3 ("丁类" is no class: it only costs 甲 a false negative)
    assert result["metrics"]["macro_f1"] == pytest.approx(4 / 9)
    assert result["out_of_label_set"] == 1 and result["empty"] == 1


def test_multi_label_micro_f1_and_exact_match(score) -> None:
    ctx = {"choices": ["apoptosis", "angiogenesis", "invasion"]}
    report = score([
        (make_row("m1", "tc-en-hand", ["apoptosis", "angiogenesis"], ctx), "apoptosis; invasion"),  # tp1 fp1 fn1
        (make_row("m2", "tc-en-hand", ["invasion"], ctx), "Invasion"),  # tp1
        (make_row("m3", "tc-en-hand", ["apoptosis"], ctx), "angiogenesis; apoptosis"),  # tp1 fp1
    ])
    result = only(report)
    assert result["main"] == "micro_f1" and result["multi_label"] is True
    assert (result["counts"]["tp"], result["counts"]["fp"], result["counts"]["fn"]) == (3, 2, 1)
    assert result["value"] == pytest.approx(2 / 3)  # P 3/5, R 3/4
    assert result["metrics"]["exact_match"] == pytest.approx(1 / 3)


def test_pair_labels_accuracy(score) -> None:
    ctx = {"choices": ["相同", "不同"]}
    result = only(score([
        (make_row("s1", "sts-zh-hand", "相同", ctx), " 相同 "),
        (make_row("s2", "sts-zh-hand", "不同", ctx), "语义不同。"),
        (make_row("s3", "sts-zh-hand", "相同", ctx), "不同"),
    ]))
    assert result["value"] == pytest.approx(2 / 3)
    # 相同: tp1 fn1 -> 2/3; 不同: tp1 fp1 -> 2/3
    assert result["metrics"]["macro_f1"] == pytest.approx(2 / 3)


def test_multiple_choice_accuracy(score) -> None:
    ctx = {"options": [["A", "aspirin"], ["B", "heparin"], ["C", "warfarin"], ["D", "insulin"]]}
    result = only(score([
        (make_row("q1", "qa_choice-en-hand", "B", ctx), "Answer: B. heparin"),
        (make_row("q2", "qa_choice-en-hand", "C", ctx), "The answer is C"),
        (make_row("q3", "qa_choice-en-hand", "A", ctx), "D"),
        (make_row("q4", "qa_choice-en-hand", "D", ctx), "I do not know."),  # nothing to read: a parse failure
    ]))
    assert (result["family"], result["value"]) == ("choice", pytest.approx(0.5))
    assert result["parse_failures"] == 1


def test_yes_no_maybe_accuracy(score) -> None:
    ctx = {"choices": ["yes", "no", "maybe"]}
    result = only(score([
        (make_row("y1", "qa_yesno-en-hand", "yes", ctx), "Yes."),
        (make_row("y2", "qa_yesno-en-hand", "no", ctx), "maybe"),
        (make_row("y3", "qa_yesno-en-hand", "maybe", ctx), "Maybe, the evidence is unclear."),
        (make_row("y4", "qa_yesno-en-hand", "no", ctx), "是的"),  # wrong language, outside the label set
    ]))
    assert result["value"] == pytest.approx(0.5)
    assert result["out_of_label_set"] == 1


def test_choice_text_answers_exact_match(score) -> None:
    result = only(score([
        (make_row("t1", "qa_choice-en-hand-text", "Aspirin"), "  aspirin "),
        (make_row("t2", "qa_choice-en-hand-text", "Heparin"), "warfarin"),
    ]))
    assert (result["family"], result["value"]) == ("exact", pytest.approx(0.5))


def test_bleu_matches_sacrebleu_per_direction(score) -> None:
    sacrebleu = pytest.importorskip("sacrebleu")
    en_refs = ["Hypertension is a common disease.", "The patient has a fever."]
    en_hyps = ["Hypertension is common disease.", "The patient had a fever today."]
    zh_refs = ["高血压是常见病。", "患者发烧了。"]
    zh_hyps = ["高血压是一种常见病。", "病人发烧。"]
    rows = [(make_row(f"z{i}", "mt-zh-hand", r), h) for i, (r, h) in enumerate(zip(en_refs, en_hyps))]
    rows += [(make_row(f"e{i}", "mt-en-hand", r), h) for i, (r, h) in enumerate(zip(zh_refs, zh_hyps))]
    report = score(rows)
    by_lang = {r["language"]: r for r in report["results"]}
    assert by_lang["zh-en"]["value"] == pytest.approx(sacrebleu.corpus_bleu(en_hyps, [en_refs], tokenize="13a").score / 100)
    assert by_lang["en-zh"]["value"] == pytest.approx(sacrebleu.corpus_bleu(zh_hyps, [zh_refs], tokenize="zh").score / 100)
    assert by_lang["en-zh"]["tokenize"] == "zh" and by_lang["zh-en"]["tokenize"] == "13a"


def test_rouge_l_by_hand(score) -> None:
    zh = only(score([
        # 肺炎的治疗 vs 肺炎治疗方法: LCS 肺炎治疗 = 4, P 4/6, R 4/5, F 8/11
        (make_row("g1", "title_gen-zh-hand", "肺炎的治疗"), "肺炎治疗方法"),
        (make_row("g2", "title_gen-zh-hand", "高血压"), None),  # missing prediction: 0
    ]))
    assert zh["value"] == pytest.approx((8 / 11) / 2)
    assert zh["missing"] == 1
    # lowercased words: LCS 3 of pred 4 / ref 3 -> F 6/7
    en = only(score([(make_row("g3", "title_gen-en-hand", "Aspirin reduces fever"), "aspirin reduces the fever")]))
    assert en["value"] == pytest.approx(6 / 7)


def test_report_sections_scored_one_by_one(score) -> None:
    ctx = {"section_names": ["主诉", "诊断"]}
    # 主诉: 发热三天 vs 发热3天 -> LCS 3 of 4 and 4 -> 0.75; 诊断 exact -> 1.0; mean 0.875
    result = only(score([(make_row("p1", "report_gen-zh-hand", {"主诉": "发热三天", "诊断": "肺炎"}, ctx),
                          "诊断：肺炎\n主诉：发热3天")]))
    assert result["counts"]["units"] == 2
    assert result["value"] == pytest.approx(0.875)
