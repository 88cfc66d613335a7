"""TCM-NER on brat fixtures built from the Tianchi competition description."""

from __future__ import annotations

from biocurate.loaders import Reject, get_loader

from tests.conformance.test_loaders import FIXTURES


def test_entities_with_chinese_type_names() -> None:
    first, second = get_loader("TCM-NER")(FIXTURES / "TCM-NER").iter_split("train")
    assert [(e.type, e.text[0]) for e in first.entities][:3] == [("中药功效", "清热解毒"), ("中药功效", "消肿止痛"), ("疾病", "风热感冒")]
    assert {e.type for e in second.entities} == {"药品", "药物剂型", "药物性味", "药物成分"}


def test_unknown_type_code_is_rejected(tmp_path) -> None:
    (tmp_path / "5.txt").write_text("清热解毒", encoding="utf-8")
    (tmp_path / "5.ann").write_text("T1\tEFFECT 0 4\t清热解毒\n", encoding="utf-8")
    (item,) = get_loader("tcm_ner")(tmp_path).records("train")
    assert isinstance(item, Reject) and item.field == "entities[0].type" and "EFFECT" in item.reason
