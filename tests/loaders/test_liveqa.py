"""TREC 2017 LiveQA Medical on the real excerpts (Train-1 60 questions, Train-2 80 with BOM + CRLF, Test 30)."""

from __future__ import annotations

import collections

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_one_record_per_answer_in_both_training_files() -> None:
    records = list(open_loader("LiveQA").iter_split("train"))
    per_file = collections.Counter(r.question_id.startswith("Q") for r in records)
    assert len(records) == 174 and per_file[True] == 94 and per_file[False] == 80  # Train-1 ids Q1.., Train-2 ids 1.0..
    first, second = records[0], records[1]
    assert first.id == "train-0-1" and second.id == "train-0-2" and first.question == second.question
    assert first.question.startswith("Literature on Cardiac amyloidosis.")  # empty SUBJECT: the message alone
    assert first.answer == ["Cardiac amyloidosis is a disorder caused by deposits of an abnormal protein (amyloid) in the heart tissue. "
                            "These deposits make it hard for the heart to work properly."]
    bom_file = [r for r in records if r.question_id == "2.0"]
    assert bom_file[0].question.startswith("Raynauds Syndrome\nMy sons middle toe turned white")
    assert bom_file[0].answer == ["Only one finger or toe or parts of one or more may be affected."]
    assert all("\r" not in r.question + r.answer[0] and "\t" not in r.answer[0] for r in records)


def test_test_split_reference_answers_fold_hard_line_breaks() -> None:
    records = list(open_loader("liveqa").iter_split("test"))
    assert len({r.question_id for r in records}) == 30 and len(records) == 56
    first = records[0]
    assert first.question == "Noonan syndrome\nWhat are the references with noonan syndrome and polycystic renal disease"
    assert "referred to as male Turner's, female pseudo-Turner's and Bonnevie-Ullrich syndromes." in first.answer[0]
    assert "\n" not in first.answer[0] and not first.answer[0].startswith(" ")


def test_question_without_answer_and_bad_xml_are_rejected(tmp_path) -> None:
    folder = tmp_path / "TrainingDatasets"
    folder.mkdir()
    (folder / "TREC-2017-LiveQA-Medical-Train-1.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<NLM-QUESTIONS>\n<NLM-QUESTION questionid="Q9"><SUBJECT>x</SUBJECT>'
        "<MESSAGE>Is it bad?</MESSAGE><SUB-QUESTIONS/></NLM-QUESTION>\n</NLM-QUESTIONS>\n", encoding="utf-8")
    (folder / "TREC-2017-LiveQA-Medical-Train-2.xml").write_text("<NLM-QUESTIONS>\n<NLM-QUESTION>\n", encoding="utf-8")
    items = list(get_loader("liveqa")(tmp_path).records("train"))
    assert len(items) == 2 and all(isinstance(i, Reject) for i in items)
    assert (items[0].record, items[0].field) == ("Q9", "ANSWER")
    assert items[1].file.endswith("Train-2.xml") and "malformed XML" in items[1].reason and items[1].line == 3
