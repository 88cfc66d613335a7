"""BioNLP-ST 2011 GE on the real brat sample (20 documents, read as train)."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts() -> None:
    loader = open_loader("BioNLP-ST-2011-GE")
    assert loader.name == "bionlp_st_2011_ge" and loader.available_splits() == ["train"]
    records = list(loader.iter_split("train"))
    assert len(records) == 20
    assert sum(len(r.entities) for r in records) == 335  # 321 Protein + 14 Entity; 185 T lines are triggers
    assert sum(len(r.events) for r in records) == 244 and sum(len(r.coreferences) for r in records) == 14


def test_nested_events_and_equivalences() -> None:
    record = next(r for r in open_loader("bionlp_st_2011_ge").iter_split("train") if r.document_id == "PMID-9616159")
    assert record.passages[0].offsets == [[0, len(record.passages[0].text[0])]]
    assert [(e.id, e.type, e.text, e.offsets) for e in record.entities[:2]] == [
        ("T1", "Protein", ["tumor necrosis factor alpha"], [[137, 164]]), ("T2", "Protein", ["TNFalpha"], [[166, 174]]),
    ]
    assert [(e.id, e.type, e.trigger.text, e.trigger.offsets, [(a.role, a.ref_id) for a in e.arguments]) for e in record.events] == [
        ("E1", "Positive_regulation", ["overexpression"], [[829, 843]], [("Theme", "E2")]),
        ("E2", "Gene_expression", ["overexpression"], [[829, 843]], [("Theme", "T10")]),
    ]
    assert [c.entity_ids for c in record.coreferences] == [["T1", "T2"], ["T3", "T4"]]


def test_numbered_roles_are_folded() -> None:
    record = next(r for r in open_loader("bionlp_st_2011_ge").iter_split("train") if r.document_id == "PMID-8872606")
    e8 = next(e for e in record.events if e.id == "E8")  # "Binding:T16 Theme:T4 Theme2:T5 Site2:T17"
    assert [(a.role, a.ref_id) for a in e8.arguments] == [("Theme", "T4"), ("Theme", "T5"), ("Site", "T17")]


def test_missing_t_id_is_rejected_with_ann_line(tmp_path: Path) -> None:
    (tmp_path / "PMID-1.txt").write_text("IL-2 expression\n", encoding="utf-8")
    (tmp_path / "PMID-1.ann").write_text(
        "T1\tProtein 0 4\tIL-2\nT2\tGene_expression 5 15\texpression\nE1\tGene_expression:T2 Theme:T7\n", encoding="utf-8",
    )
    (reject,) = get_loader("bionlp_st_2011_ge")(tmp_path).records("train")
    assert isinstance(reject, Reject) and reject.file.endswith("PMID-1.ann")
    assert (reject.line, reject.field, reject.record) == (3, "E1.Theme", "PMID-1")


def test_release_layout_with_a1_a2(tmp_path: Path) -> None:
    folder = tmp_path / "BioNLP-ST_2011_genia_devel_data_rev1"
    folder.mkdir()
    (folder / "PMID-2.txt").write_text("IL-2 expression\n", encoding="utf-8")
    (folder / "PMID-2.a1").write_text("T1\tProtein 0 4\tIL-2\n", encoding="utf-8")
    (folder / "PMID-2.a2").write_text("T2\tGene_expression 5 15\texpression\nE1\tGene_expression:T2 Theme:T1\n", encoding="utf-8")
    loader = get_loader("bionlp_st_2011_ge")(tmp_path)
    assert loader.available_splits() == ["validation"]
    (record,) = loader.iter_split("validation")
    assert [e.id for e in record.entities] == ["T1"] and record.events[0].arguments[0].ref_id == "T1"


def test_untriggered_event_type_span_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "PMID-3.txt").write_text("IL-2 expression\n", encoding="utf-8")
    (tmp_path / "PMID-3.ann").write_text("T1\tProtein 0 4\tIL-2\nT2\tGene_expression 5 15\texpression\n", encoding="utf-8")
    (reject,) = get_loader("bionlp_st_2011_ge")(tmp_path).records("train")
    assert reject.field == "entities[1].type" and "line 2" in reject.reason
