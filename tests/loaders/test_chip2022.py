"""CMedCausal and Text2DT (CHIP 2022) on fixtures built from the task descriptions (tests/fixtures/<name>/)."""

from __future__ import annotations

import json

import pytest

from biocurate.errors import ConversionError
from biocurate.loaders import Reject, get_loader
from biocurate.loaders.text2dt import linearise

from tests.conformance.test_loaders import FIXTURES


def test_cmedcausal_conditional_keeps_its_causal_relation() -> None:
    first, second = get_loader("CMedCausal")(FIXTURES / "cmedcausal").iter_split("train")
    names = {e.id: e.text[0] for e in first.entities}
    triples = [(names[r.arg1_id], r.type, names[r.arg2_id]) for r in first.relations]
    assert triples == [("生理性贫血", "因果", "心脏的负担加重"), ("怀孕后的女性", "条件", "生理性贫血"),
                       ("循环血量增加", "因果", "心脏的负担加重"), ("怀孕后的女性", "条件", "循环血量增加"),
                       ("心脏的负担加重", "因果", "心率相对增快")]
    assert len(first.entities) == 5  # 怀孕后的女性 and 心脏的负担加重 appear in several triples, once as entities
    names = {e.id: e.text[0] for e in second.entities}
    assert [(names[r.arg1_id], r.type, names[r.arg2_id]) for r in second.relations][0] == ("精神障碍", "上下位", "阿尔茨海默病")


def test_cmedcausal_bad_offsets_and_relations(tmp_path) -> None:
    text = "长期过量饮酒会导致股骨头坏死。"
    head = {"mention": "长期过量饮酒", "start_idx": 0, "end_idx": 6}
    rows = [{"text": text, "relation_of_mention": [{"head": {**head, "start_idx": 1}, "relation": 1, "tail": {"type": "mention", "mention": "股骨头坏死", "start_idx": 9, "end_idx": 14}}]},
            {"text": text, "relation_of_mention": [{"head": head, "relation": 4, "tail": {}}]},
            {"text": text, "relation_of_mention": [{"head": head, "relation": 2, "tail": {"type": "mention", "mention": "股骨头坏死", "start_idx": 9, "end_idx": 14}}]}]
    (tmp_path / "train.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    items = list(get_loader("cmedcausal")(tmp_path).records("train"))
    assert all(isinstance(i, Reject) for i in items)
    assert [i.field for i in items] == ["relation_of_mention[0].head.start_idx", "relation_of_mention[0].relation", "relation_of_mention[0].tail"]


def test_text2dt_tree_lines() -> None:
    first, second = get_loader("Text2DT")(FIXTURES / "text2dt").iter_split("train")
    assert first.type == "cqa" and first.context.startswith("轻度高血压患者首先改善生活方式")
    assert second.answer[0].split("\n") == ["C: (患儿, 临床表现, 高热) or (患儿, 临床表现, 咳嗽明显)",
                                            "D: (患儿, 治疗方案, 退热) and (患儿, 治疗方案, 止咳)", "D: 无"]


@pytest.mark.parametrize("node,field", [({"role": "X", "triples": []}, "tree[0].role"),
                                         ({"role": "C", "triples": [["a", "b"]], "logical_rel": "null"}, "tree[0].triples"),
                                         ({"role": "C", "triples": [], "logical_rel": "xor"}, "tree[0].logical_rel")])
def test_text2dt_bad_nodes(node: dict, field: str) -> None:
    with pytest.raises(ConversionError) as info:
        linearise([node])
    assert info.value.field == field
