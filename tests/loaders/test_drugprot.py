"""DrugProt on the real excerpt (first 200 development abstracts)."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts() -> None:
    loader = open_loader("DrugProt")
    assert loader.name == "drugprot" and loader.available_splits() == ["validation"]
    records = list(loader.iter_split("validation"))
    assert len(records) == 200
    assert sum(len(r.entities) for r in records) == 5184 and sum(len(r.relations) for r in records) == 1083
    assert {e.type for r in records for e in r.entities} == {"CHEMICAL", "GENE"}
    assert len({x.type for r in records for x in r.relations}) == 12  # AGONIST-INHIBITOR does not occur


def test_known_abstract() -> None:
    record = next(r for r in open_loader("drugprot").iter_split("validation") if r.document_id == "17643344")
    t1 = next(e for e in record.entities if e.id == "T1")
    assert (t1.type, t1.text, t1.offsets) == ("CHEMICAL", ["melarsoprol"], [[290, 301]])
    assert (record.relations[0].type, record.relations[0].arg1_id, record.relations[0].arg2_id) == ("ANTAGONIST", "T11", "T15")


def test_bad_entity_offset_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "drugprot_development_abstracs.tsv").write_text("1\tAspirin.\tIt inhibits COX1.\n", encoding="utf-8")
    (tmp_path / "drugprot_development_entities.tsv").write_text("1\tT1\tCHEMICAL\t0\tseven\tAspirin\n", encoding="utf-8")
    (tmp_path / "drugprot_development_relations.tsv").write_text("", encoding="utf-8")
    (reject,) = get_loader("drugprot")(tmp_path).records("validation")
    assert isinstance(reject, Reject) and (reject.line, reject.field) == (1, "offsets")
    assert reject.file.endswith("drugprot_development_entities.tsv")
