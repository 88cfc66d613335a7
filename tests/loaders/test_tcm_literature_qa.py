"""TCM literature QA on a fixture built from the Tianchi competition's description."""

from __future__ import annotations

import json

from biocurate.loaders import Reject, get_loader

from tests.conformance.test_loaders import FIXTURES


def test_one_context_qa_per_annotation() -> None:
    records = list(get_loader("TCM_Literature_QA")(FIXTURES / "tcm_literature_qa").iter_split("train"))
    assert [(r.id, r.question, r.answer) for r in records][:2] == [
        ("train-0-0", "黄芪归什么经？", ["归脾、肺经"]), ("train-0-1", "黄芪常用于治疗哪些病症？", ["气虚乏力、食少便溏、中气下陷、表虚自汗等"])]
    assert records[0].context.startswith("黄芪，味甘") and records[0].type == "cqa" and records[2].document_id == "2"


def test_empty_question_in_train_and_test(tmp_path) -> None:
    row = {"id": 9, "text": "篇章", "annotations": [{"Q": "", "A": "答案"}]}
    for name in ("round1_train_0907.json", "round1_test_0907.json"):
        (tmp_path / name).write_text(json.dumps([row], ensure_ascii=False), encoding="utf-8")
    (reject,) = get_loader("tcm_literature_qa")(tmp_path).records("train")
    assert isinstance(reject, Reject) and reject.field == "annotations[0].Q"
    (test,) = get_loader("tcm_literature_qa")(tmp_path).records("test")
    assert test.question == "" and test.answer == ["答案"]
