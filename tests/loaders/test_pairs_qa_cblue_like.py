"""KUAKE-IR, cMedQA2 and COVID similar question pairs on fixtures built from their published layouts."""

from __future__ import annotations

from biocurate.inventory import find_rows, reach_of
from biocurate.loaders import Reject, get_loader

from tests.conformance.test_loaders import FIXTURES


def test_kuake_ir_positive_and_next_query_negative() -> None:
    records = list(get_loader("KUAKE-IR")(FIXTURES / "KUAKE-IR").iter_split("train"))
    assert [(r.text_1, r.text_2[:6], r.label) for r in records] == [
        ("宝宝发烧几天能好", "小儿感冒发烧", "1"), ("宝宝发烧几天能好", "高血压患者应", "0"),
        ("高血压吃什么好", "高血压患者应", "1"), ("高血压吃什么好", "胃溃疡常表现", "0"),
        ("胃溃疡有什么症状", "胃溃疡常表现", "1"), ("胃溃疡有什么症状", "小儿感冒发烧", "0")]
    assert [r.label for r in get_loader("kuake_ir")(FIXTURES / "KUAKE-IR").iter_split("validation")] == ["1"]  # one pair: no negative
    assert [reach_of(r).loader for r in find_rows("KUAKE-IR")] == ["kuake_ir"]


def test_kuake_ir_unknown_passage_is_rejected(tmp_path) -> None:
    for name in ("corpus.tsv", "KUAKE-IR_train_query.txt"):
        (tmp_path / name).write_bytes((FIXTURES / "KUAKE-IR" / name).read_bytes())
    (tmp_path / "KUAKE-IR_train.tsv").write_text("1\t1001\n2\t9999\n", encoding="utf-8")
    items = list(get_loader("kuake_ir")(tmp_path).records("train"))
    assert isinstance(items[-1], Reject) and (items[-1].line, items[-1].field) == (2, "doc_id")


def test_cmedqa2_split_questions_and_their_answers(tmp_path) -> None:
    loader = get_loader("cMedQA2")(FIXTURES / "cMedQA2")
    (train,) = loader.iter_split("train")
    assert train.question.startswith("我的孩子三岁了,最近总是咳嗽") and train.answer[0].startswith("你好,孩子夜间咳嗽加重")
    dev = list(loader.iter_split("validation"))
    assert [r.answer[0][:4] for r in dev] == ["考虑胃食", "这种情况"] and {r.question_id for r in dev} == {"51747753"}
    for name in ("question.csv", "answer.csv"):
        (tmp_path / name).write_bytes((FIXTURES / "cMedQA2" / name).read_bytes())
    (tmp_path / "train_candidates.txt").write_text("question_id,pos_ans_id,neg_ans_id\n45619783,31815,1\n11111111,2,3\n", encoding="utf-8")
    items = list(get_loader("cmedqa2")(tmp_path).records("train"))
    assert isinstance(items[-1], Reject) and (items[-1].line, items[-1].record, items[-1].field) == (3, "11111111", "question_id")


def test_covid_pairs_with_quoted_commas(tmp_path) -> None:
    records = list(get_loader("COVID_Similarity")(FIXTURES / "covid_similarity").iter_split("train"))
    assert [(r.text_1, r.label) for r in records][0] == ("剧烈运动后咯血,是怎么了?", "1") and records[2].label == "0"
    (tmp_path / "train.csv").write_text("id,category,query1,query2,label\n0,咳血,a,b,2\n1,咳血,a,\n", encoding="utf-8")
    items = list(get_loader("covid_similarity")(tmp_path).records("train"))
    assert [(i.line, i.field) for i in items] == [(2, "label"), (3, "row")]
