"""BC5CDR on the real 35-article excerpt of the official sample set, PubTator and BioC."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def _split(name: str) -> tuple[list, list[Reject]]:
    items = list(open_loader(name).records("train"))
    return [i for i in items if not isinstance(i, Reject)], [i for i in items if isinstance(i, Reject)]


def test_pubtator_counts_and_known_source_error() -> None:
    loader = open_loader("BC5CDR")
    assert loader.name == "bc5cdr" and loader.available_splits() == ["train"]
    records, rejects = _split("bc5cdr")
    assert len(records) == 34
    assert sum(len(r.entities) for r in records) == 577 and sum(len(r.relations) for r in records) == 828
    # PMID 2385256: "CID D008278 D009157" but its magnesium mentions (and the BioC copy) say D008274
    (reject,) = rejects
    assert (reject.record, reject.line, reject.field) == ("2385256", 126, "relations[0]")
    assert reject.file.endswith("CDR_sample.PubTator.txt") and "line 143" in reject.reason and "D008278" in reject.reason


def test_doc_26094_entities_and_expanded_cid() -> None:
    record = next(open_loader("bc5cdr").iter_split("train"))
    assert record.document_id == "26094" and record.id == "train-0"
    assert [(p.id, p.type, p.offsets) for p in record.passages] == [("p0", "title", [[0, 53]]), ("p1", "abstract", [[54, 623]])]
    assert [(e.id, e.type, e.text[0], e.offsets[0], [n.db_id for n in e.normalized]) for e in record.entities] == [
        ("e0", "Disease", "depression", [27, 37], ["D003866"]),
        ("e1", "Disease", "hypertensive", [79, 91], ["D006973"]),
        ("e2", "Disease", "hypertensive", [129, 141], ["D006973"]),
        ("e3", "Disease", "depression", [287, 297], ["D003866"]),
        ("e4", "Disease", "hypertensive", [355, 367], ["D006973"]),
        ("e5", "Disease", "Hypertensive", [375, 387], ["D006973"]),
        ("e6", "Disease", "psychiatric", [402, 413], ["D001523"]),
        ("e7", "Disease", "depression", [451, 461], ["D003866"]),
        ("e8", "Disease", "depressions", [542, 553], ["D003866"]),
        ("e9", "Chemical", "methyl dopa", [567, 578], ["D008750"]),
        ("e10", "Disease", "psychiatric", [601, 612], ["D001523"]),
    ]
    assert all(n.db_name == "MESH" for e in record.entities for n in e.normalized)
    # document-level "CID D008750 D003866" -> methyl dopa x each depression mention
    assert [(r.type, r.arg1_id, r.arg2_id) for r in record.relations] == [
        ("CID", "e9", "e0"), ("CID", "e9", "e3"), ("CID", "e9", "e7"), ("CID", "e9", "e8"),
    ]


def test_multi_ids_split_repeats_dropped_and_minus_one_empty() -> None:
    records = {r.document_id: r for r in _split("bc5cdr")[0]}
    composite = next(e for e in records["2224762"].entities if e.text == ["renal and/or hepatic dysfunction"])
    assert [n.db_id for n in composite.normalized] == ["D007674", "D008107"]
    triple = next(e for e in records["11587867"].entities if e.text == ["opistothonus, sensory and motor dysfunction"])
    assert [n.db_id for n in triple.normalized] == ["D020258"]  # "D020258|D020258|D020258"
    unlinked = next(e for e in records["11587867"].entities if e.text == ["pseudocystic transformation"])
    assert unlinked.normalized == []


def test_bioc_agrees_and_keeps_individual_mentions() -> None:
    records, rejects = _split("bc5cdr_bioc")
    assert len(records) == 34 and sum(len(r.entities) for r in records) == 591 and sum(len(r.relations) for r in records) == 815
    # PMID 11587867: the part "opistothonus dysfunction" has location 478+11 (" dysfunctio"); 479 is right
    (reject,) = rejects
    assert (reject.record, reject.line, reject.field) == ("11587867", 3800, "location")
    assert reject.file.endswith("CDR_sample.gold.BioC.xml")
    pubtator = next(open_loader("bc5cdr").iter_split("train"))
    bioc = records[0]
    assert [(e.text, e.offsets, e.normalized) for e in bioc.entities] == [(e.text, e.offsets, e.normalized) for e in pubtator.entities]
    assert bioc.relations == pubtator.relations
    # abstract <offset> 102 in the file; placed at 97 = len(title) + 1
    doc = next(r for r in records if r.document_id == "2224762")
    assert doc.passages[1].offsets == [[97, 97 + len(doc.passages[1].text[0])]]
    part = next(e for e in doc.entities if e.text == ["renal", "dysfunction"])
    assert part.offsets == [[367, 372], [388, 399]] and [n.db_id for n in part.normalized] == ["D007674"]


def test_bad_offset_line_is_rejected_with_location(tmp_path: Path) -> None:
    (tmp_path / "CDR_sample.PubTator.txt").write_text(
        "5|t|Aspirin and ulcer.\n5|a|Bad.\n5\t0\t7\tAspirin\tChemical\tD001241\n5\t12\t1x\tulcer\tDisease\tD014456\n"
        "5\tCID\tD001241\tD014456\n",
        encoding="utf-8",
    )
    (reject,) = get_loader("bc5cdr")(tmp_path).records("train")
    assert isinstance(reject, Reject) and reject.dataset == "bc5cdr"
    assert (reject.line, reject.field, reject.record) == (4, "offsets", "5")
    assert reject.file.endswith("CDR_sample.PubTator.txt") and "'1x'" in reject.reason


def test_unknown_type_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "CDR_TrainingSet.PubTator.txt").write_text(
        "5|t|Aspirin.\n5|a|x\n5\t0\t7\tAspirin\tGene\t123\n", encoding="utf-8",
    )
    (reject,) = get_loader("bc5cdr")(tmp_path).records("train")
    assert (reject.line, reject.field) == (1, "entities[0].type") and "line 3" in reject.reason
