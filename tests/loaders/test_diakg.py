"""DiaKG on the real sample document (data/sample.json of the code repository: 60 paragraphs)."""

from __future__ import annotations

import json

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader, samples_dir

SAMPLE = samples_dir() / "DiaKG" / "sample.json"


def test_paragraph_records_keep_every_entity_and_relation() -> None:
    records = list(open_loader("DiaKG").iter_split("train"))
    assert len(records) == 48  # 12 paragraphs have no entity
    assert sum(len(r.entities) for r in records) == 424 and sum(len(r.relations) for r in records) == 173
    first = records[0]
    assert first.document_id == "1/0" and [(e.id, e.type, e.text[0]) for e in first.entities] == [
        ("T0", "Disease", "2型糖尿病"), ("T1", "Class", "2型"), ("T2", "Drug", "胰岛素促泌剂")]
    assert [(r.type, r.arg1_id, r.arg2_id) for r in first.relations] == [("Drug_Disease", "T2", "T0"), ("Class_Disease", "T1", "T0")]


def test_entity_offsets_are_moved_by_the_sentence_start(tmp_path) -> None:
    document = json.loads(SAMPLE.read_text(encoding="utf-8"))
    paragraph = document["paragraphs"][2]
    second = paragraph["sentences"][1]  # starts at 424 of the paragraph
    second["entities"] = [{"entity_id": "X1", "entity": "牛津循证医学中心", "entity_type": "Method",
                           "start_idx": second["sentence"].index("牛津"), "end_idx": second["sentence"].index("牛津") + 8}]
    document["paragraphs"] = [paragraph]
    (tmp_path / "doc.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    (record,) = get_loader("diakg")(tmp_path).iter_split("train")
    entity = record.entities[-1]
    assert entity.offsets[0][0] == 424 + second["sentence"].index("牛津")
    assert paragraph["paragraph"][entity.offsets[0][0]:entity.offsets[0][1]] == "牛津循证医学中心"


def test_bad_offsets_and_dangling_relations_reject_the_paragraph(tmp_path) -> None:
    document = json.loads(SAMPLE.read_text(encoding="utf-8"))
    first, second = document["paragraphs"][0], document["paragraphs"][1]
    first["sentences"][0]["entities"][0]["start_idx"] = 5
    second["sentences"][0]["relations"][0]["tail_entity_id"] = "T0"  # an entity of another paragraph
    document["paragraphs"] = [first, second]
    (tmp_path / "doc.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    items = list(get_loader("diakg")(tmp_path).records("train"))
    assert all(isinstance(i, Reject) for i in items) and len(items) == 2
    assert (items[0].record, items[0].field) == ("1/0", "sentences[0].entities[0].start_idx")
    assert items[1].field == "relations" and "T0" in items[1].reason
