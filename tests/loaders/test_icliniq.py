"""iCliniq (three answer columns) and HealthCareMagic-100k on fixtures built from ChatDoctor's descriptions."""

from __future__ import annotations

import json

from biocurate.inventory import find_rows, reach_of
from biocurate.loaders import Reject, get_loader
from biocurate.sources import dataset_dir

from tests.conformance.test_loaders import FIXTURES


def test_three_answer_columns_of_one_file() -> None:
    answers = {}
    for name in ("icliniq_icliniq", "icliniq_chatgpt", "icliniq_chatdoctor"):
        folder = dataset_dir(FIXTURES, name)
        assert folder is not None and folder.name == "iCliniq"
        records = list(get_loader(name)(folder).iter_split("train"))
        assert records[0].question.startswith("Hello doctor, I have had a dry cough for three weeks")
        answers[name] = records[0].answer[0]
    assert answers["icliniq_icliniq"].startswith("Hi. A dry cough of three weeks")
    assert answers["icliniq_chatgpt"].startswith("A persistent dry cough") and answers["icliniq_chatdoctor"].startswith("Hi, thanks")
    assert [reach_of(r).loader for r in find_rows("iCliniq-10k")] == ["icliniq_icliniq"]


def test_empty_answer_column_is_rejected(tmp_path) -> None:
    (tmp_path / "iCliniq.json").write_text(json.dumps([{"input": "q?", "answer_icliniq": "a", "answer_chatgpt": " ", "answer_chatdoctor": "c"}]), encoding="utf-8")
    (item,) = get_loader("icliniq_chatgpt")(tmp_path).records("train")
    assert isinstance(item, Reject) and (item.field, item.line) == ("answer_chatgpt", 1)
    (ok,) = get_loader("icliniq_chatdoctor")(tmp_path).records("train")
    assert ok.answer == ["c"]


def test_healthcaremagic_drops_the_fixed_instruction() -> None:
    records = list(get_loader("HealthCareMagic-100k")(FIXTURES / "healthcaremagic_100k").iter_split("train"))
    assert len(records) == 2 and records[1].question == "My blood sugar after meals is 190 mg/dL. Am I diabetic?"
    assert all("If you are a doctor" not in r.question for r in records)
