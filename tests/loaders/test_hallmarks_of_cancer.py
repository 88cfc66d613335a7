"""Hallmarks of Cancer on the real excerpt: the first 150 PMIDs, each a text/ and a labels/ file."""

from __future__ import annotations

import pickle
import shutil

from biocurate.loaders import Reject, get_loader
from biocurate.loaders.hallmarks_of_cancer import parse_label_line
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("HoC")
    assert loader.available_splits() == ["train"]
    records = list(loader.iter_split("train"))
    assert len(records) == 150
    assert sorted(r.document_id for r in records if not r.labels) == ["11742853", "11970855", "12069691", "12223346", "12235244"]


def test_a_pickled_loader_keeps_its_listing_but_not_the_paths_built_from_it(tmp_path) -> None:
    # spooling workers get loaders by pickle: they must see the files the exporting process
    # listed (not a new walk), without the Path objects of every file
    data_dir = tmp_path / "HoC"
    shutil.copytree(open_loader("HoC").data_dir, data_dir)
    loader = get_loader("hallmarks_of_cancer")(data_dir)
    files = loader.files_for("train")
    (data_dir / "text" / "99999999.txt").write_text("late\n", encoding="utf-8")  # after the listing: not seen
    state = pickle.dumps(loader)
    assert b"_files_cache" not in state
    again = pickle.loads(state)
    assert again.files_for("train") == files
    assert [r.document_id for r in again.iter_split("train")] == [r.document_id for r in loader.iter_split("train")]


def test_document_labels_are_the_top_level_hallmarks_of_its_sentences() -> None:
    by_pmid = {r.document_id: r for r in open_loader("hallmarks_of_cancer").iter_split("train")}
    first = by_pmid["11724768"]
    assert first.labels == ["sustaining proliferative signaling"]
    assert first.text.startswith("Ghrelin was identified in the stomach as an endogenous ligand")
    assert first.text.endswith("ghrelin modulates insulin activities in humans .")
    assert by_pmid["11773160"].labels == ["sustaining proliferative signaling", "evading growth suppressors", "resisting cell death"]
    # "NULL" fields carry no label.
    assert by_pmid["11980715"].labels == ["sustaining proliferative signaling", "tumor promoting inflammation"]


def test_fields_follow_each_angle_bracket() -> None:
    # 11724768: six sentences; the labels belong to the fourth (the proliferation sentence).
    line = "< < < <Sustaining proliferative signaling--Receptors ANDSustaining proliferative signaling--Growth factors< < "
    assert parse_label_line(line) == [[], [], [], ["sustaining proliferative signaling"] * 2, [], []]


def _doc(tmp_path, name: str, sentences: str, labels: str) -> None:
    (tmp_path / "text").mkdir(exist_ok=True)
    (tmp_path / "labels").mkdir(exist_ok=True)
    (tmp_path / "text" / name).write_text(sentences, encoding="utf-8")
    (tmp_path / "labels" / name).write_text(labels, encoding="utf-8")


def test_bad_label_files_are_rejected_with_location(tmp_path) -> None:
    _doc(tmp_path, "1.txt", "One .\nTwo .\n", "< <Inducing angiogenesis--Angiogenic factors")
    _doc(tmp_path, "2.txt", "One .\nTwo .\n", "< ")
    _doc(tmp_path, "3.txt", "One .\n", "<Curing cancer--Quickly")
    (tmp_path / "text" / "4.txt").write_text("One .\n", encoding="utf-8")
    items = list(get_loader("hallmarks_of_cancer")(tmp_path).records("train"))
    assert items[0].labels == ["inducing angiogenesis"] and items[0].text == "One . Two ."
    assert all(isinstance(r, Reject) and r.field == "labels" for r in items[1:])
    assert [(r.record, r.line, r.file.split("/")[-2:]) for r in items[1:]] == [
        ("2", 1, ["labels", "2.txt"]), ("3", 1, ["labels", "3.txt"]), ("4", None, ["labels", "4.txt"]),
    ]
    assert "1 label fields for 2 sentences" in items[1].reason and "curing cancer" in items[2].reason
