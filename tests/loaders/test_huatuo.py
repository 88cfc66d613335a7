"""HuatuoGPT-sft-data-v1, the Huatuo-26M parts and BELLE school math, on fixtures built from their
published format descriptions (tests/fixtures/<name>/; see the loaders' docstrings)."""

from __future__ import annotations

import json

import pytest

from biocurate.errors import ConversionError
from biocurate.loaders import Reject, get_loader
from biocurate.loaders.huatuo import huatuo_turns, strings

from tests.conformance.test_loaders import FIXTURES


def test_huatuogpt_single_and_multi_turn() -> None:
    records = list(get_loader("HuatuoGPT-sft-data-v1")(FIXTURES / "huatuogpt_sft_data_v1").iter_split("train"))
    assert [r.question for r in records][::2] == ["感冒了总是流鼻涕怎么办？", "高血压患者可以吃鸡蛋吗？"]
    assert records[1].question.startswith("问：我最近总是失眠") and records[1].question.endswith("问：大概一个月了，白天很累。")
    assert records[1].answer[0].startswith("建议规律作息") and not records[1].answer[0].startswith("答：")
    assert get_loader("huatuogpt_sft_data_v1").meta.format_source == "format from description"


@pytest.mark.parametrize("bad", [{"data": []}, {"data": ["答：先答"]}, {"data": ["问：只有问题"]}, {"data": ["问：a", "问：b"]},
                                 {"data": ["问：", "答：b"]}, {"conversation": []}])
def test_huatuogpt_bad_conversations(bad: dict) -> None:
    with pytest.raises(ConversionError) as info:
        huatuo_turns(bad)
    assert info.value.field == "data"


def test_huatuo26m_one_record_per_question_nested_or_flat() -> None:
    records = list(get_loader("huatuo_encyclopedia_qa")(FIXTURES / "huatuo_encyclopedia_qa").iter_split("train"))
    assert [(r.id, r.question) for r in records] == [("train-0-0", "肺炎的症状有哪些？"), ("train-0-1", "肺炎会有什么表现？"), ("train-1", "糖尿病如何预防？")]
    assert records[0].answer == records[1].answer and records[0].document_id == records[1].document_id == "train-0"
    kg = list(get_loader("huatuo_knowledge_graph_qa")(FIXTURES / "huatuo_knowledge_graph_qa").iter_split("validation"))
    assert [(r.question, r.answer) for r in kg] == [("痛风的病因是什么？", ["痛风是嘌呤代谢紊乱和（或）尿酸排泄减少导致血尿酸增高所致。"])]
    with pytest.raises(ConversionError):
        strings({"questions": [1]}, "questions")


def test_consultation_url_answers_are_rejected() -> None:
    items = list(get_loader("huatuo_consultation_qa")(FIXTURES / "huatuo_consultation_qa").records("train"))
    assert isinstance(items[0], Reject) and items[0].field == "answers" and "URL" in items[0].reason and items[0].line == 1
    assert [r.answer for r in items[1:]] == [["体温超过38.5度可以按说明服用退烧药，同时多喝水，注意观察精神状态。"], ["扭伤后48小时内应冷敷，之后可以热敷促进恢复。"]]


def test_belle_school_math_as_cot_dialogue(tmp_path) -> None:
    (first, second) = get_loader("belle_COT_cn")(FIXTURES / "belle_cot_cn").iter_split("train")
    assert [t.role for t in first.turns] == ["user", "assistant"] and first.turns[0].text.startswith("题目：小明有12个苹果")
    assert first.turns[1].text.endswith("答案：小明现在有14个苹果。") and not first.turns[1].text.startswith("\n")
    (tmp_path / "school_math_0.25M.json").write_text(json.dumps({"instruction": "1+1=?", "input": "", "output": ""}) + "\n", encoding="utf-8")
    (reject,) = get_loader("belle_cot_cn")(tmp_path).records("train")
    assert isinstance(reject, Reject) and (reject.line, reject.field) == (1, "output")
