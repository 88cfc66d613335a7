"""A raw record id repeated within a split is a reject, whatever the loader (``loaders/_keys.py``).

Each case repeats one real record of a bundled sample, as a broken release does (a line pasted
twice, a document in two folders, a file copied): the repeat is one reject naming its file and
line and the first occurrence's, and every other record comes out as in the clean run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from biocurate.sources import open_loader

from .harness import TRIED, copy_sample, run


def _id_rejects(outcome) -> list:  # noqa: ANN001
    return [r for r in outcome.rejects if r.field == "id"]


def test_json_lines_record_repeated(tmp_path: Path) -> None:
    folder = copy_sample("medmcqa", tmp_path / "medmcqa")
    baseline = run("medmcqa", folder)
    path = folder / "dev.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1000 and len(baseline.records) == 1000 and not baseline.rejects
    fifth = json.loads(lines[4])
    repeat = dict(fifth, question="A different question under the same id?")
    path.write_text("\n".join(lines + [json.dumps(repeat)]) + "\n", encoding="utf-8")
    outcome = run("medmcqa", folder)
    TRIED["jsonl"] += 1
    assert outcome.error is None
    assert outcome.records == baseline.records  # the first keeps its place and content
    (reject,) = outcome.rejects
    assert (reject.field, reject.record, reject.line, reject.stage) == ("id", fifth["id"], 1001, "read")
    assert reject.reason == f"record id {fifth['id']!r} already used on line 5"
    assert reject.file == str(path) and "different question" in reject.raw


def test_bioc_document_repeated(tmp_path: Path) -> None:
    folder = copy_sample("bc5cdr_bioc", tmp_path / "cdr")
    baseline = run("bc5cdr_bioc", folder)
    path = folder / "CDR_sample.gold.BioC.xml"
    lines = path.read_text(encoding="utf-8").split("\n")
    # hand-checked: the second <document> spans lines 90-143 and its <id> is its PMID
    assert lines[89].strip() == "<document>" and lines[142].strip() == "</document>"
    pmid = lines[90].strip().removeprefix("<id>").removesuffix("</id>")
    end = next(k for k in range(len(lines) - 1, -1, -1) if lines[k].strip() == "</collection>")
    path.write_text("\n".join(lines[:end] + lines[89:143] + lines[end:]), encoding="utf-8")
    outcome = run("bc5cdr_bioc", folder)
    TRIED["bioc"] += 1
    assert outcome.records == baseline.records and len(baseline.records) == 34
    (reject,) = _id_rejects(outcome)
    assert reject.record == pmid and reject.line == end + 1 and reject.reason == f"record id {pmid!r} already used on line 90"
    assert len(outcome.rejects) == len(baseline.rejects) + 1


def test_ddi_document_in_two_files(tmp_path: Path) -> None:
    folder = copy_sample("ddi_corpus", tmp_path / "ddi")
    baseline = run("ddi_corpus", folder)
    original = folder / "Train" / "MedLine" / "10150268.xml"
    copy = folder / "Train" / "MedLine" / "zz-copy.xml"  # read last of the split
    shutil.copyfile(original, copy)
    outcome = run("ddi_corpus", folder)
    TRIED["ddi-xml"] += 1
    assert outcome.records == baseline.records
    (reject,) = _id_rejects(outcome)
    text = original.read_text(encoding="utf-8")
    stated = text.split('<document id="', 1)[1].split('"', 1)[0]
    assert reject.record == stated and reject.file == str(copy) and reject.split == "train"
    assert reject.reason == f"record id {stated!r} already used on line 1 of {original}"


def test_brat_document_in_two_folders(tmp_path: Path) -> None:
    folder = copy_sample("bionlp_st_2011_ge", tmp_path / "ge")
    baseline = run("bionlp_st_2011_ge", folder)
    release = folder / "BioNLP-ST_2011_genia_train_data_rev1"  # the release's own folder name
    release.mkdir()
    for suffix in (".txt", ".ann"):
        shutil.copyfile(folder / f"PMID-9616159{suffix}", release / f"PMID-9616159{suffix}")
    outcome = run("bionlp_st_2011_ge", folder)
    TRIED["brat"] += 1
    (reject,) = _id_rejects(outcome)
    # the release folder sorts first: its copy is read, the loose file is the repeat
    assert reject.record == "PMID-9616159" and reject.file == str(folder / "PMID-9616159.ann")
    assert reject.reason == f"record id 'PMID-9616159' already used in {release / 'PMID-9616159.ann'}"

    def content(record: dict) -> dict:
        return {k: v for k, v in record.items() if k != "id"}  # ids are positions, and the copy moved first

    before = {r["document_id"]: content(r) for r in baseline.records}
    after = {r["document_id"]: content(r) for r in outcome.records}
    assert len(outcome.records) == len(baseline.records) == 20 and after == before


def test_ids_that_name_a_group_are_not_repeats() -> None:
    """BenTsao's liver-cancer ids name a dialogue: its single- and multi-turn rows share one
    (4 ids twice in the real sample), and every row is a record."""
    loader = open_loader("bentsao_livercancer")
    rows = json.loads(next(iter(loader.files_for("train"))).read_text(encoding="utf-8"))
    ids = [str(r["id"]) for r in rows if "id" in r]
    assert len(ids) - len(set(ids)) == 4
    out = list(loader.records("train"))
    assert len(out) == len(rows) == 300 and not [r for r in out if getattr(r, "field", None) == "id"]
