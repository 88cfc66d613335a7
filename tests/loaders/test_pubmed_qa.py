"""PubMedQA PQA-L on the real excerpt: 200 of the 1000 labelled entries, 107 of them test PMIDs."""

from __future__ import annotations

import json

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("PubMedQA")
    assert loader.available_splits() == ["train", "test"]
    assert sum(1 for _ in loader.iter_split("train")) == 93
    assert sum(1 for _ in loader.iter_split("test")) == 107


def test_known_question_decision_long_answer_and_context() -> None:
    record = next(r for r in open_loader("pubmed_qa").iter_split("test") if r.document_id == "21645374")
    assert record.question == "Do mitochondria play a role in remodelling lace plant leaves during programmed cell death?"
    assert (record.type, record.choices, record.answer) == ("yesno", ["yes", "no", "maybe"], ["yes"])
    assert record.long_answer[0].startswith("Results depicted mitochondrial dynamics in vivo as PCD progresses")
    assert record.context.startswith("BACKGROUND: Programmed cell death (PCD) is the regulated death")
    assert "\nRESULTS: The following paper elucidates" in record.context
    assert record.question_id == "21645374"


def test_train_and_test_are_disjoint_and_test_follows_ground_truth(samples) -> None:
    loader = open_loader("pubmed_qa")
    truth = json.loads((samples / "PubMedQA" / "test_ground_truth.json").read_text())
    test = {r.document_id: r.answer[0] for r in loader.iter_split("test")}
    train = {r.document_id for r in loader.iter_split("train")}
    assert not train & set(test) and all(truth[pmid] == answer for pmid, answer in test.items())
    assert not train & set(truth)


def _write(tmp_path, entries: str, truth: dict) -> None:
    (tmp_path / "ori_pqal.json").write_text(entries, encoding="utf-8")
    (tmp_path / "test_ground_truth.json").write_text(json.dumps(truth), encoding="utf-8")


GOOD = '"1": {"QUESTION": "Q?", "CONTEXTS": ["c"], "LABELS": ["UNLABELLED"], "final_decision": "no", "LONG_ANSWER": "L"}'


def test_bad_decision_is_rejected_with_location(tmp_path) -> None:
    bad = '"2": {"QUESTION": "Q?", "CONTEXTS": [], "LABELS": [], "final_decision": "perhaps", "LONG_ANSWER": ""}'
    _write(tmp_path, "{\n" + GOOD + ",\n" + bad + "\n}", {})
    items = list(get_loader("pubmed_qa")(tmp_path).records("train"))
    assert items[0].context == "c" and items[0].answer == ["no"]
    assert isinstance(items[1], Reject) and items[1].field == "final_decision" and items[1].line == 3
    assert items[1].file.endswith("ori_pqal.json") and items[1].record == "2"


def test_decision_disagreeing_with_ground_truth_is_rejected(tmp_path) -> None:
    _write(tmp_path, "{\n" + GOOD + "\n}", {"1": "yes"})
    (item,) = get_loader("pubmed_qa")(tmp_path).records("test")
    assert isinstance(item, Reject) and item.field == "final_decision" and "test_ground_truth" in item.reason


def test_malformed_json_is_rejected_with_its_line(tmp_path) -> None:
    _write(tmp_path, "{\n" + GOOD + ",\n" + '"2": {"QUESTION": "Q?",, }\n}', {})
    items = list(get_loader("pubmed_qa")(tmp_path).records("train"))
    assert items[0].answer == ["no"]
    assert isinstance(items[1], Reject) and items[1].line == 3 and items[1].file.endswith("ori_pqal.json")
    assert "malformed JSON" in items[1].reason


def test_ground_truth_file_is_optional(tmp_path, samples, capsys) -> None:
    import shutil

    shutil.copy(samples / "PubMedQA" / "ori_pqal.json", tmp_path / "ori_pqal.json")
    loader = get_loader("pubmed_qa")(tmp_path)
    assert loader.available_splits() == ["train"] and loader.available_splits() == ["train"]
    (note,) = capsys.readouterr().err.splitlines()  # one line, once
    assert note.startswith("note: pubmed_qa: no test_ground_truth.json in ")
    records = list(loader.iter_split("train"))
    full = get_loader("pubmed_qa")(samples / "PubMedQA")
    assert len(records) == sum(1 for _ in full.iter_split("train")) + sum(1 for _ in full.iter_split("test"))
