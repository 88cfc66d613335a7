"""ChemProt on the real excerpt (first 71 development abstracts, complete annotations)."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts() -> None:
    loader = open_loader("ChemProt")
    assert loader.name == "chemprot" and loader.available_splits() == ["validation"]
    records = list(loader.iter_split("validation"))
    assert len(records) == 71
    assert sum(len(r.entities) for r in records) == 1994 and sum(len(r.relations) for r in records) == 475
    groups: dict[str, int] = {}
    for relation in (x for r in records for x in r.relations):
        groups[relation.type] = groups.get(relation.type, 0) + 1
    assert groups == {"CPR:1": 20, "CPR:2": 109, "CPR:3": 40, "CPR:4": 152, "CPR:5": 35, "CPR:6": 48, "CPR:8": 2, "CPR:9": 46, "CPR:10": 23}


def test_first_abstract() -> None:
    record = next(open_loader("chemprot").iter_split("validation"))
    assert record.document_id == "10064839" and len(record.entities) == 56 and len(record.relations) == 10
    title = record.passages[0].text[0]
    assert title.startswith("Binding of dimemorfan") and record.passages[1].offsets[0][0] == len(title) + 1
    t10 = next(e for e in record.entities if e.id == "T10")
    assert (t10.type, t10.text, t10.offsets) == ("CHEMICAL", ["DF"], [[1689, 1691]])
    first = record.relations[0]
    assert (first.id, first.type, first.arg1_id, first.arg2_id) == ("R0", "CPR:2", "T18", "T53")


def test_relation_to_missing_entity_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "chemprot_development_abstracts.tsv").write_text("1\tAspirin.\tIt inhibits COX1.\n", encoding="utf-8")
    (tmp_path / "chemprot_development_entities.tsv").write_text("1\tT1\tCHEMICAL\t0\t7\tAspirin\n", encoding="utf-8")
    (tmp_path / "chemprot_development_relations.tsv").write_text("1\tCPR:4\tY \tINHIBITOR\tArg1:T1\tArg2:T2\n", encoding="utf-8")
    (reject,) = get_loader("chemprot")(tmp_path).records("validation")
    assert isinstance(reject, Reject) and (reject.line, reject.field, reject.record) == (1, "Arg2", "1")
    assert reject.file.endswith("chemprot_development_relations.tsv")


def test_undeclared_group_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "chemprot_development_abstracts.tsv").write_text("1\tAspirin.\tIt inhibits COX1.\n", encoding="utf-8")
    (tmp_path / "chemprot_development_entities.tsv").write_text("1\tT1\tCHEMICAL\t0\t7\tAspirin\n1\tT2\tGENE-Y\t21\t25\tCOX1\n", encoding="utf-8")
    (tmp_path / "chemprot_development_relations.tsv").write_text("1\tCPR:11\tN \tX\tArg1:T1\tArg2:T2\n", encoding="utf-8")
    (reject,) = get_loader("chemprot")(tmp_path).records("validation")
    assert (reject.line, reject.field) == (1, "relations[0].type") and "CPR:11" in reject.reason
