"""DDI corpus on the real excerpt (56 train files, 40 test files of both test sets)."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("DDI-2013")
    assert loader.name == "ddi_corpus" and loader.available_splits() == ["train", "test"]
    train, test = list(loader.iter_split("train")), list(loader.iter_split("test"))
    assert (len(train), sum(len(r.entities) for r in train), sum(len(r.relations) for r in train)) == (56, 792, 134)
    assert (len(test), sum(len(r.entities) for r in test), sum(len(r.relations) for r in test)) == (40, 660, 124)
    assert sum(len(r.passages) for r in train + test) == 849
    # the DrugNER test documents have entities and only ddi="false" pairs
    ner = [r for r in test if r.document_id in {"DDI-MedLine.d205", "DDI-MedLine.d223", "DDI-MedLine.d183"}]
    assert len(ner) == 3 and all(not r.relations for r in ner)


def test_interaction_between_sentence_entities() -> None:
    record = next(r for r in open_loader("ddi_corpus").iter_split("train") if r.document_id == "DDI-DrugBank.d297")
    relation = record.relations[0]
    assert (relation.id, relation.type) == ("DDI-DrugBank.d297.s3.p0", "effect")
    entities = {e.id: e for e in record.entities}
    assert entities[relation.arg1_id].text == ["TNF antagonist"] and entities[relation.arg1_id].offsets == [[514, 528]]
    assert entities[relation.arg2_id].text == ["ORENCIA"] and entities[relation.arg2_id].offsets == [[534, 541]]
    sentence = next(p for p in record.passages if p.id == "DDI-DrugBank.d297.s3")
    assert sentence.type == "sentence" and sentence.offsets == [[483, 684]]


def test_discontinuous_entity_in_document_offsets() -> None:
    record = next(r for r in open_loader("ddi_corpus").iter_split("train") if r.document_id == "DDI-MedLine.d75")
    entity = next(e for e in record.entities if e.id == "DDI-MedLine.d75.s3.e0")
    assert (entity.type, entity.text, entity.offsets) == ("group", ["mu-", "selective opioids"], [[637, 640], [663, 680]])


def test_broken_xml_is_rejected_with_line(tmp_path: Path) -> None:
    folder = tmp_path / "Train" / "MedLine"
    folder.mkdir(parents=True)
    (folder / "1.xml").write_text('<document id="D1">\n<sentence id="D1.s0" text="x">\n</document>\n', encoding="utf-8")
    (reject,) = get_loader("ddi_corpus")(tmp_path).records("train")
    assert isinstance(reject, Reject) and (reject.line, reject.field) == (3, "xml") and reject.file.endswith("1.xml")


def test_interaction_without_type_is_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "Test" / "DrugBank"
    folder.mkdir(parents=True)
    (folder / "a.xml").write_text(
        '<document id="D1">\n<sentence id="D1.s0" text="A and B.">\n'
        '<entity id="D1.s0.e0" charOffset="0-0" type="drug" text="A"/>\n<entity id="D1.s0.e1" charOffset="6-6" type="drug" text="B"/>\n'
        '<pair id="D1.s0.p0" e1="D1.s0.e0" e2="D1.s0.e1" ddi="true"/>\n</sentence>\n</document>\n',
        encoding="utf-8",
    )
    (reject,) = get_loader("ddi_corpus")(tmp_path).records("test")
    assert (reject.field, reject.record) == ("relations[0].type", "D1") and "line 5" in reject.reason
