"""MedDG response generation on the real PromptCBLUE toy files (5 records per split)."""

from __future__ import annotations

import json

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("meddg")
    assert loader.data_dir.name == "PromptCBLUE-toy"
    for split in ("train", "validation", "test"):
        assert sum(1 for _ in loader.iter_split(split)) == 5


def test_prefix_template_and_multiline_utterances() -> None:
    # train-709319: "根据下面的问诊对话历史，给出医生的下一句回复" + blank-line separated utterances
    records = {r.document_id: r for r in open_loader("meddg").iter_split("train")}
    record = records["train-709319"]
    assert [(t.role, t.speaker) for t in record.turns] == [("user", "患者"), ("assistant", "医生")] * 3
    assert record.turns[0].text == "升结肠有包块，做小肠造影可以做出来吗（女，22岁）"
    assert record.turns[-1].text == "能说说具体是哪个部位吗？上腹部，肚脐周围，下腹部，左边还是右边？"
    # train-444870: suffix template "根据上述对话历史，作为医生应该如何回复？"; utterances span lines
    record = records["train-444870"]
    assert len(record.turns) == 4 and record.turns[2].text.endswith("这两年感觉每年上半年都要来一回持续好几个月。")
    assert "根据上述对话历史" not in record.turns[2].text


def test_test_split_ends_with_empty_doctor_turn() -> None:
    record = next(open_loader("meddg").iter_split("test"))
    assert record.turns[-2].text == "什么时候发烧的" and record.turns[-1].text == ""


def test_missing_reply_and_text_before_speaker_are_rejected(tmp_path) -> None:
    def row(inp: str, target: str, sample_id: str) -> str:
        return json.dumps({"input": inp, "target": target, "task_dataset": "MedDG", "sample_id": sample_id}, ensure_ascii=False)

    lines = [row("患者：胃痛\n答：", "", "dev-1"), row("请回复：\n患者：胃痛\n答：", "多久了？", "dev-2")]
    (tmp_path / "dev.json").write_text("\n".join(lines), encoding="utf-8")
    empty, stray = get_loader("meddg")(tmp_path).records("validation")
    assert isinstance(empty, Reject) and (empty.line, empty.field) == (1, "target")
    assert isinstance(stray, Reject) and (stray.line, stray.field) == (2, "input") and stray.file.endswith("dev.json")
