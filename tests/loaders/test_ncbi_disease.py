"""NCBI disease on the real excerpt (first 70 of the 100 development abstracts)."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts() -> None:
    loader = open_loader("NCBI-disease")
    assert loader.name == "ncbi_disease" and loader.available_splits() == ["validation"]
    records = list(loader.iter_split("validation"))
    assert len(records) == 70 and sum(len(r.entities) for r in records) == 552
    counts: dict[str, int] = {}
    for entity in (e for r in records for e in r.entities):
        counts[entity.type] = counts.get(entity.type, 0) + 1
    assert counts == {"SpecificDisease": 300, "DiseaseClass": 88, "Modifier": 139, "CompositeMention": 25}


def test_first_document_with_spaced_markers() -> None:
    record = next(open_loader("ncbi_disease").iter_split("validation"))
    assert record.document_id == "8808605"
    assert record.passages[0].text[0].startswith("Somatic-cell selection is a major determinant")
    assert [(e.type, e.text[0], e.offsets, [(n.db_name, n.db_id) for n in e.normalized]) for e in record.entities] == [
        ("DiseaseClass", "enzyme deficiency", [[154, 171]], [("MESH", "D008661")]),  # raw id " D008661"
        ("SpecificDisease", "glucose-6-phosphate dehydrogenase (G6PD) deficiency", [[376, 427]], [("MESH", "D005955")]),
        ("SpecificDisease", "chronic nonspherocytic hemolytic anemia", [[572, 611]], [("MESH", "D000746")]),
        ("SpecificDisease", "G6PD deficiency", [[677, 692]], [("MESH", "D005955")]),
        ("SpecificDisease", "G6PD deficiency", [[1368, 1383]], [("MESH", "D005955")]),
    ]


def test_omim_and_composite_concepts() -> None:
    records = {r.document_id: r for r in open_loader("ncbi_disease").iter_split("validation")}
    modifier = records["8894695"].entities[0]  # "OMIM:300322+OMIM:102600"
    assert modifier.text == ["HPRT-APRT-deficient"]
    assert [(n.db_name, n.db_id) for n in modifier.normalized] == [("OMIM", "300322"), ("OMIM", "102600")]
    both = [e for r in records.values() for e in r.entities if [n.db_id for n in e.normalized] == ["D001943", "D010051"]]
    assert len(both) == 8 and all(n.db_name == "MESH" for e in both for n in e.normalized)


def test_unknown_class_and_bad_concept_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "NCBIdevelopset_corpus.txt").write_text(
        "\n1|t|Colon cancer.\n1|a|x\n1\t0\t12\tColon cancer\tDisease\tD003110\n\n"
        "2|t|Colon cancer.\n2|a|x\n2\t0\t12\tColon cancer\tSpecificDisease\tMESH D003110\n",
        encoding="utf-8",
    )
    first, second = get_loader("ncbi_disease")(tmp_path).records("validation")
    assert isinstance(first, Reject) and (first.line, first.field, first.record) == (2, "entities[0].type", "1")
    assert first.file.endswith("NCBIdevelopset_corpus.txt") and "line 4" in first.reason
    assert isinstance(second, Reject) and second.field == "entities[0].normalized"
