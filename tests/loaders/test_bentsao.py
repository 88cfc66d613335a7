"""BenTsao on the real excerpts: llama_data.json (JSON Lines, 500 lines) and liver_cancer.json (one-line array, 300)."""

from __future__ import annotations

import json

import pytest

from biocurate.errors import ConversionError
from biocurate.loaders import Reject, get_loader
from biocurate.loaders.bentsao import split_turns
from biocurate.sources import open_loader


def test_llama_data_is_read_as_json_lines() -> None:
    records = list(open_loader("bentsao_llamadata").iter_split("train"))
    assert len(records) == 500
    first = records[0]
    assert first.question == "一名年龄在70岁的女性，出现了晕厥、不自主颤抖、情绪不稳等症状，请详细说明其手术治疗和术前准备。"
    assert first.answer[0].startswith("该病需要进行电极导线、脉冲发生器和永久心脏起搏器置入术") and first.type == "sqa"


def test_liver_cancer_history_is_kept_as_lines() -> None:
    loader = open_loader("BenTsao_livercacer")  # Taiyi's spelling
    assert loader.data_dir.name == "BenTsao"
    records = list(loader.iter_split("train"))
    assert len(records) == 300
    multi = [r for r in records if r.question.startswith("用户：")]
    assert len(multi) == 211  # the other 89 are single-turn questions
    lines = records[0].question.split("\n")
    assert lines[0] == "用户：我听说免疫疗法是治疗晚期肝癌的一种很有效的方法，真的吗？"
    assert lines[1].startswith("助手：是的，免疫疗法") and lines[2] == "用户：但是，这是否适用于所有的肝癌患者？"
    assert records[1].question == "我听说GPC1与肝癌患者的预后有关，具体是怎样的关系呢？"
    assert all("<user>" not in r.question and "<bot>" not in r.question for r in records)


def test_split_turns_rejects_bad_history() -> None:
    assert split_turns(" <user>: a <bot>: b <user>: c") == [("user", "a"), ("bot", "b"), ("user", "c")]
    for bad in ("a <bot>: b", " <user>: a <bot>: b", " <user>: a <user>: b", " <user>:  <bot>: b <user>: c"):
        with pytest.raises(ConversionError):
            split_turns(bad)


def test_bad_lines_are_rejected_with_file_line_and_field(tmp_path) -> None:
    rows = [{"instruction": "问", "input": "", "output": "答"}, {"instruction": "问", "input": ""}, "not json"]
    (tmp_path / "llama_data.json").write_text("\n".join(json.dumps(r, ensure_ascii=False) if r != "not json" else r for r in rows) + "\n", encoding="utf-8")
    items = list(get_loader("bentsao_llamadata")(tmp_path).records("train"))
    assert not isinstance(items[0], Reject)
    assert isinstance(items[1], Reject) and (items[1].line, items[1].field) == (2, "output")
    assert isinstance(items[2], Reject) and items[2].line == 3 and "malformed JSON" in items[2].reason
