"""The IMCS-V2 family on the fixture built from the imcs21-cblue README (tests/fixtures/IMCS-V2/)."""

from __future__ import annotations

import json

import pytest

from biocurate.errors import ConversionError
from biocurate.loaders import Reject, get_loader
from biocurate.loaders.formats.imcs import bio_spans

from tests.conformance.test_loaders import FIXTURES

FOLDER = FIXTURES / "IMCS-V2"


def _records(name: str, split: str = "train") -> list:
    return list(get_loader(name)(FOLDER).iter_split(split))


def test_ner_entities_from_per_character_bio() -> None:
    records = _records("IMCS-V2-NER")
    second = records[1]
    assert second.id == "train-0-2" and second.document_id == "10000001"
    assert [(e.type, e.text[0]) for e in second.entities] == [("症状", "发烧"), ("症状", "咳嗽"), ("症状", "流鼻涕")]
    fifth = records[4]
    assert [(e.type, e.text[0]) for e in fifth.entities] == [("药品名", "美林"), ("检查", "血常规")]
    assert {e.type for r in records for e in r.entities} == {"症状", "药品名", "药物类别", "检查", "操作"}


def test_sr_status_and_normalised_symptom() -> None:
    records = _records("imcs_v2_sr")
    second = next(r for r in records if r.id == "train-0-2")
    assert [(e.text[0], e.type, e.normalized[0].db_id) for e in second.entities] == [
        ("发烧", "患有的症状", "发热"), ("咳嗽", "没有的症状", "咳嗽"), ("流鼻涕", "患有的症状", "鼻流涕")]
    assert all(r.entities for r in records)  # sentences without symptoms give no SR record


def test_dac_sentence_labels_and_unlabelled_test() -> None:
    records = _records("imcs_v2_dac")
    assert (records[0].text, records[0].labels) == ("医生：你好，宝宝现在还发热吗？有没有咳嗽？", ["Request-Symptom"])
    assert get_loader("imcs_v2_dac").meta.label_names["Inform-Drug_Recommendation"] == "告知-用药建议"
    assert [r.labels for r in _records("imcs_v2_dac", "test")] == [[], []]


def test_mrg_two_reports_and_both_self_report_spellings() -> None:
    train = _records("imcs_v2_mrg_raw")
    assert [r.id for r in train[:2]] == ["train-0-r1", "train-0-r2"] and train[0].text_1 == train[1].text_1
    assert train[0].text_1.startswith("患者：宝宝发烧两天了") and "\n医生：做过血常规吗？\n" in train[0].text_1
    assert [s.name for s in train[0].sections] == ["主诉", "现病史", "辅助检查", "既往史", "诊断", "建议"]
    assert train[0].text_2.splitlines()[0] == "主诉：发热2天。"
    (dev, _) = _records("imcs_v2_mrg_raw", "validation")
    assert dev.text_1.startswith("患者：宝宝咳嗽一周")  # spelled "self_report" in this file


def test_bio_rules() -> None:
    assert bio_spans("发烧咳嗽", "B-Symptom I-Symptom I-Symptom I-Symptom", "f") == [(0, 4, "Symptom")]
    assert bio_spans("发烧咳嗽", "O I-Symptom B-Symptom I-Symptom", "f") == [(1, 2, "Symptom"), (2, 4, "Symptom")]
    for labels in ("O O O", "O O O X-Symptom", "O O O B-Disease"):
        with pytest.raises(ConversionError):
            bio_spans("发烧咳嗽", labels, "f")


def test_bad_sentences_are_rejected_naming_example_and_field(tmp_path) -> None:
    example = json.loads((FOLDER / "IMCS-V2_dev.json").read_text(encoding="utf-8"))
    dialogue = example["10000003"]["dialogue"]
    dialogue[1]["BIO_label"] = "O O"
    dialogue[2]["dialogue_act"] = "Greeting"
    (tmp_path / "IMCS-V2_dev.json").write_text(json.dumps(example, ensure_ascii=False, indent=4), encoding="utf-8")
    ner = list(get_loader("imcs_v2_ner")(tmp_path).records("validation"))
    assert not isinstance(ner[0], Reject) and isinstance(ner[1], Reject)
    assert (ner[1].record, ner[1].field, ner[1].line) == ("10000003", "dialogue[1].BIO_label", 2)
    dac = list(get_loader("imcs_v2_dac")(tmp_path).records("validation"))
    assert isinstance(dac[-1], Reject) and dac[-1].field == "dialogue[2].dialogue_act"
    dialogue[1]["BIO_label"] = " ".join(["O"] * len(dialogue[1]["sentence"]))  # no mention, but one symptom_norm left
    dialogue[2]["dialogue_act"] = "Other"
    (tmp_path / "IMCS-V2_dev.json").write_text(json.dumps(example, ensure_ascii=False, indent=4), encoding="utf-8")
    sr = list(get_loader("imcs_v2_sr")(tmp_path).records("validation"))
    assert isinstance(sr[-1], Reject) and sr[-1].field == "dialogue[1].symptom_norm" and "0 symptom mentions" in sr[-1].reason
