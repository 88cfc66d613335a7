"""IMCS-V2-MRG report generation on the real PromptCBLUE toy files (5 records per split)."""

from __future__ import annotations

import json

from biocurate.loaders import Reject, get_loader
from biocurate.schemas import REPORT_SECTIONS_ZH
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("PromptCBLUE-toy")
    assert loader.name == "imcs_v2_mrg"
    assert loader.available_splits() == ["train", "validation", "test"]
    for split in ("train", "validation", "test"):
        assert sum(1 for _ in loader.iter_split(split)) == 5
    assert loader.meta.unlabelled_splits == ["test"]


def test_first_train_record_dialogue_and_sections() -> None:
    record = next(open_loader("imcs_v2_mrg").iter_split("train"))
    assert record.document_id == "train-12379"
    lines = record.text_1.split("\n")
    # instruction, 问诊对话历史：, 说明：… and 答： removed: only the 32 utterances remain
    assert len(lines) == 32 and lines[0] == "患者：三个月的宝宝，五六天拉一次大便" and lines[-1] == "医生：好的。"
    assert all(line.startswith(("患者：", "医生：")) for line in lines)
    assert [(s.name, s.text) for s in record.sections] == [
        ("主诉", "便秘。"),
        ("现病史", "患儿无明显诱因下出现便秘情况，无咳嗽咳痰，无恶心呕吐，无其他明显不适症状。精神状态一般，胃纳一般，余如常。"),
        ("辅助检查", "暂无。"),
        ("既往史", "既往体健。"),
        ("诊断", "小儿便秘。"),
        ("建议", "予益生菌服用，密观。"),
    ]
    assert record.text_2.startswith("主诉：便秘。\n现病史：") and "诊疗报告如下" not in record.text_2


def test_template_without_answer_cue_and_empty_sections() -> None:
    # dev-5324: "总结下面问诊对话…" template, no trailing 答：, empty 辅助检查 and 既往史.
    record = [r for r in open_loader("imcs_v2_mrg").iter_split("validation") if r.document_id == "dev-5324"][0]
    assert record.text_1.startswith("患者：你好，我女儿现在两岁了") and record.text_1.endswith("复诊病情。")
    assert [s.text for s in record.sections][2:4] == ["", ""]


def test_test_split_has_dialogue_but_no_report() -> None:
    record = next(open_loader("imcs_v2_mrg").iter_split("test"))
    assert record.text_1.startswith("患者：宝宝七个半月，便秘") and record.text_2 == "" and record.sections == []


def test_broken_report_and_unknown_wording_are_rejected(tmp_path) -> None:
    ids = iter(range(1, 100))  # each row its own sample_id (a repeated one is a reject of its own)

    def row(inp: str, target: str, task: str = "IMCS-V2-MRG") -> str:
        return json.dumps({"input": inp, "target": target, "answer_choices": None, "task_type": "report_generation",
                           "task_dataset": task, "sample_id": f"train-{next(ids)}"}, ensure_ascii=False)

    prompt = "帮助患者自动总结问诊的诊疗报告：\n问诊对话历史：\n患者：咳嗽\n医生：几天了\n答："
    report = "上述问诊对话的诊疗报告如下：\n主诉：咳嗽\n现病史：咳嗽\n辅助检查：\n既往史：\n诊断：咳嗽\n建议：多喝水"
    lines = [row(prompt, report), row("x", "y", task="MedDG"), row(prompt, report.replace("\n诊断：咳嗽", "")),
             row(prompt.replace("答：", "请写报告"), report), "{broken"]
    (tmp_path / "train.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(get_loader("imcs_v2_mrg")(tmp_path).records("train"))
    assert len(items) == 4 and items[0].text_1 == "患者：咳嗽\n医生：几天了"
    missing, wording, broken = items[1:]
    assert isinstance(missing, Reject) and (missing.line, missing.field) == (3, "target") and "诊断" in missing.reason
    assert isinstance(wording, Reject) and (wording.line, wording.field) == (4, "input")
    assert isinstance(broken, Reject) and broken.line == 5 and broken.file.endswith("train.json")
    assert REPORT_SECTIONS_ZH[0] == "主诉"
