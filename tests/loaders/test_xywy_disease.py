"""xywy disease knowledge base on a fixture built from the importers' description of medical.json."""

from __future__ import annotations

import json

from biocurate.loaders import Reject, get_loader

from tests.conformance.test_loaders import FIXTURES


def test_one_consultation_per_disease() -> None:
    first, second = get_loader("xywy")(FIXTURES / "xywy_disease").iter_split("train")
    questions = [t.text for t in first.turns if t.role == "user"]
    assert questions[:3] == ["肺泡蛋白质沉积症是什么病？", "肺泡蛋白质沉积症是什么原因引起的？", "肺泡蛋白质沉积症有哪些症状？"]
    answers = {t.text for t in first.turns if t.role == "assistant"}
    assert "紫绀、胸痛、呼吸困难" in answers and "治疗方式：支气管肺泡灌洗、对症治疗\n治疗周期：约3个月\n治愈率：约40%" in answers
    assert [t.text for t in second.turns] == ["百日咳是什么病？", "百日咳是由百日咳杆菌所致的急性呼吸道传染病。",
                                              "百日咳有哪些症状？", "阵发性痉挛性咳嗽、吸气性吼声", "百日咳应该去哪个科室看？", "儿科"]


def test_disease_without_description_is_rejected(tmp_path) -> None:
    (tmp_path / "medical.json").write_text(json.dumps({"name": "感冒", "symptom": ["咳嗽"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    (item,) = get_loader("xywy_disease")(tmp_path).records("train")
    assert isinstance(item, Reject) and (item.line, item.field) == (1, "desc")
