"""Real model output is messy: it is scored without errors and parse failures are counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from biocurate.cli import main
from biocurate.eval import load_predictions
from tests.eval.support import make_row, only, write_jsonl

ROWS = [
    make_row("ner", "ner-zh-hand", {"疾病": ["肺炎", "发热"], "症状": ["咳嗽"]}, {"types": ["疾病", "症状"]}),
    make_row("ner1", "ner-zh-hand-type", ["阿司匹林"], {"type": "药物", "types": ["药物"]}),
    make_row("re", "re-en-hand", {"treats": [["aspirin", "headache"]]}, {"relations": ["treats"]}),
    make_row("ee", "ee-en-hand", [{"type": "Binding", "trigger": "binds", "arguments": {"Theme": ["p53"]}}],
             {"event_types": ["Binding"], "roles": ["Theme"]}),
    make_row("tc", "tc-zh-hand", ["甲类"], {"choices": ["甲类", "乙类"]}),
    make_row("sts", "sts-zh-hand", "相同", {"choices": ["相同", "不同"]}),
    make_row("mc", "qa_choice-en-hand", "B", {"options": [["A", "aspirin"], ["B", "heparin"]]}),
    make_row("yn", "qa_yesno-en-hand", "yes", {"choices": ["yes", "no", "maybe"]}),
    make_row("mt", "mt-zh-hand", "Hypertension is common."),
    make_row("tg", "title_gen-zh-hand", "肺炎的治疗"),
    make_row("rg", "report_gen-zh-hand", {"主诉": "发热", "诊断": "肺炎"}, {"section_names": ["主诉", "诊断"]}),
]

MALFORMED = [
    "",
    "   \n\t ",
    "疾病：肺",  # truncated mid-answer
    "疾病：肺炎；",  # truncated after a separator
    "The text mentions pneumonia and fever.",  # wrong language
    "@@@###!!! ??? \ufffd\x00",  # garbage
    "疾病：肺炎；发热\n症状：咳嗽\n" * 200,  # runaway repetition
    "【疾病】：「肺炎」，“发热”",  # full-width brackets and quotes
    '{"疾病": ["肺炎"]}',  # JSON instead of the template's form
    "__import__('os').system('touch PWNED')",  # never evaluated
    "[[[[(((( unbalanced",
    "无",
    "none",
]


@pytest.mark.parametrize("prediction", MALFORMED, ids=range(len(MALFORMED)))
def test_every_format_survives_malformed_output(score, prediction: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = score([(row, prediction) for row in ROWS])
    assert report["totals"]["rows"] == len(ROWS) and report["totals"]["unscorable"] == 0
    for result in report["results"]:
        assert 0.0 <= result["value"] <= 1.0
        assert all(0.0 <= v <= 1.0 + 1e-9 for k, v in result["metrics"].items() if k != "length_ratio")
        assert result["parse_failures"] + result["empty"] <= result["n"]
    assert sum(r["n"] for r in report["results"]) == len(ROWS)
    assert not (tmp_path / "PWNED").exists()
    if not prediction.strip():
        assert report["totals"]["empty"] == len(ROWS) and report["totals"]["parse_failures"] == 0


def test_garbage_counts_as_parse_failures(score) -> None:
    report = score([(row, "@@@###") for row in ROWS])
    failed = {r["task"] for r in report["results"] if r["parse_failures"]}
    # structured formats read nothing from garbage; labels/text keep the text (scored as wrong, not failed)
    assert {"ner", "re", "ee", "qa_choice", "report_gen"} <= failed
    assert report["totals"]["parse_failures"] == sum(r["parse_failures"] for r in report["results"])
    examples = [e for r in report["results"] for e in r["failure_examples"]]
    assert examples and all(e["prediction"] == "@@@###" for e in examples)


def test_saying_none_is_not_a_parse_failure(score) -> None:
    rows = ROWS[:4]
    for text in ("无", "none", "上述文本中包含的药物为：无", "Result: None."):
        report = score([(row, text) for row in rows])
        assert report["totals"]["parse_failures"] == 0, text


def test_full_width_and_spacing_variants_score_like_ascii(score) -> None:
    row = ROWS[0]
    variants = ["疾病: 肺炎; 发热\n症状: 咳嗽", "疾病：肺炎；发热\n症状：咳嗽", "  症状 ：咳嗽 \n\n疾病：发热；肺炎；肺炎  ",
                "疾病：肺炎，发热\n症状：咳嗽"]
    values = [only(score([(row, v)]))["value"] for v in variants[:3]]
    assert values == [pytest.approx(1.0)] * 3
    assert 0.0 <= only(score([(row, variants[3])]))["value"] <= 1.0


def test_parser_exception_is_caught_and_counted(score, monkeypatch) -> None:
    from biocurate.templates import engine

    def boom(*args, **kwargs):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(engine, "parse_answer", boom)
    result = only(score([(ROWS[0], "疾病：肺炎")]))
    assert result["parse_failures"] == 1 and result["parser_errors"] == 1
    assert result["counts"] == {"tp": 0, "fp": 0, "fn": 3}  # scored as an empty prediction
    assert "RuntimeError" in result["failure_examples"][0]["reason"]


def test_prediction_file_problems_are_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.jsonl"
    row = {**ROWS[4], "gold": json.dumps(ROWS[4]["gold"], ensure_ascii=False),
           "parse_context": json.dumps(ROWS[4]["parse_context"], ensure_ascii=False)}
    other = {**row, "id": "tc2"}
    write_jsonl(gold, [row, other])
    preds = tmp_path / "preds.jsonl"
    preds.write_text(
        '{"id": "tc", "prediction": "乙类"}\n'
        "this line is not json\n"
        '{"prediction": "no id"}\n'
        '{"id": "tc", "prediction": "甲类"}\n'  # repeated id: the last one wins
        '{"id": "ghost", "prediction": "甲类"}\n'
        '{"id": "tc2", "prediction": null}\n',
        encoding="utf-8",
    )
    loaded = load_predictions(preds)
    assert loaded.garbled_lines == [2, 3] and loaded.duplicate_ids == ["tc"] and loaded.non_string == 1
    report_path = tmp_path / "out" / "report.json"
    # the hand template ids are not in the shipped store: rows are parsed by their codec alone
    assert main(["eval", "--predictions", str(preds), "--gold", str(gold), "--report", str(report_path)]) == 0
    out = capsys.readouterr().out
    assert "1 prediction ids not in the gold set" in out and "2 garbled prediction lines" in out
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["unknown_ids"] == ["ghost"] and report["totals"]["garbled_lines"] == 2
    result = report["results"][0]
    assert result["template_missing"] == 2 and result["value"] == pytest.approx(0.5) and result["empty"] == 1


def test_cli_errors_name_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--predictions", str(tmp_path / "nope.jsonl"), "--gold", str(tmp_path)]) == 1
    assert "no evaluation rows" in capsys.readouterr().err
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"id": "x"}])
    write_jsonl(tmp_path / "p.jsonl", [])
    assert main(["eval", "--predictions", str(tmp_path / "p.jsonl"), "--gold", str(bad)]) == 1
    assert "line 1: evaluation row lacks" in capsys.readouterr().err
