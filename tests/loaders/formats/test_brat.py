"""brat / BioNLP standoff parser on the real GE sample and on broken inputs."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders.formats.brat import BratDocument, iter_brat, read_brat
from biocurate.loaders.formats.common import Malformed

GE = "BioNLP-ST-2011-GE"


def test_ge_sample_counts(samples: Path) -> None:
    docs = list(iter_brat(sorted((samples / GE).glob("*.txt"))))
    assert len(docs) == 20 and all(isinstance(d, BratDocument) for d in docs)
    assert sum(len(d.text_bounds) for d in docs) == 520
    assert sum(len(d.events) for d in docs) == 244
    assert sum(len(d.attributes) for d in docs) == 41
    assert sum(len(d.equivalences) for d in docs) == 14
    empty = [d.id for d in docs if not d.text_bounds]
    assert empty == ["PMID-7986199", "PMID-9874515"]  # the two empty .ann files


def test_events_refer_to_events(samples: Path) -> None:
    doc = read_brat(samples / GE / "PMID-9616159.txt")
    assert doc.text_bounds["T1"].spans == [(137, 164)] and doc.text_bounds["T1"].text == "tumor necrosis factor alpha"
    e1 = doc.events["E1"]
    assert (e1.type, e1.trigger, e1.arguments, e1.line) == ("Positive_regulation", "T11", [("Theme", "E2")], 15)
    assert [(q.type, q.ids) for q in doc.equivalences] == [("Equiv", ["T1", "T2"]), ("Equiv", ["T3", "T4"])]


def test_a1_a2_pair_is_read_when_no_ann(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text("IL-2 expression\n", encoding="utf-8")
    (tmp_path / "d.a1").write_text("T1\tProtein 0 4\tIL-2\n", encoding="utf-8")
    (tmp_path / "d.a2").write_text("T2\tGene_expression 5 15\texpression\nE1\tGene_expression:T2 Theme:T1\nM1\tNegation E1\n", encoding="utf-8")
    doc = read_brat(tmp_path / "d.txt")
    assert isinstance(doc, BratDocument) and doc.ann_files == [str(tmp_path / "d.a1"), str(tmp_path / "d.a2")]
    assert doc.events["E1"].arguments == [("Theme", "T1")] and doc.attributes[0].target == "E1"


def test_missing_reference_names_ann_line_and_field(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text("IL-2 expression\n", encoding="utf-8")
    ann = tmp_path / "d.ann"
    ann.write_text("T1\tProtein 0 4\tIL-2\nT2\tGene_expression 5 15\texpression\nE1\tGene_expression:T2 Theme:T9\n", encoding="utf-8")
    bad = read_brat(tmp_path / "d.txt")
    assert isinstance(bad, Malformed)
    assert (bad.file, bad.line, bad.field, bad.key) == (str(ann), 3, "E1.Theme", "d")
    assert "'T9'" in bad.reason


def test_span_not_spelling_the_text(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text("IL-2 expression\n", encoding="utf-8")
    (tmp_path / "d.ann").write_text("T1\tProtein 0 3\tIL-2\n", encoding="utf-8")
    bad = read_brat(tmp_path / "d.txt")
    assert (bad.line, bad.field) == (1, "T1.offsets") and "'IL-'" in bad.reason


def test_discontinuous_span_and_unknown_line(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text("left and right arm\n", encoding="utf-8")
    (tmp_path / "d.ann").write_text("T1\tEntity 0 4;15 18\tleft arm\n", encoding="utf-8")
    doc = read_brat(tmp_path / "d.txt")
    assert doc.text_bounds["T1"].pieces == ["left", "arm"]
    (tmp_path / "d.ann").write_text("X1\tfoo\n", encoding="utf-8")
    bad = read_brat(tmp_path / "d.txt")
    assert (bad.line, bad.field) == (1, "id")
