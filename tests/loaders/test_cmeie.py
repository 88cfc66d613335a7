"""CMeIE on the real CBLUE excerpt (700 dev lines + 200 unlabelled test lines, JSON Lines)."""

from __future__ import annotations

import itertools
import json

from biocurate.loaders import Reject, get_loader
from biocurate.loaders.cmeie import CMEIE_ENTITY_TYPES, CMEIE_PREDICATES
from biocurate.sources import open_loader, samples_dir


def test_counts_per_split() -> None:
    loader = open_loader("CMeIE")
    assert loader.available_splits() == ["validation", "test"]
    dev = list(loader.iter_split("validation"))
    assert len(dev) == 700
    assert sum(len(r.relations) for r in dev) == 2124
    test = list(loader.iter_split("test"))
    assert len(test) == 200 and all(not r.relations and not r.entities for r in test)


def test_label_sets_match_53_schemas_file() -> None:
    rows = [json.loads(line) for line in (samples_dir() / "CMeIE" / "53_schemas.json").read_text("utf-8").splitlines() if line.strip()]
    assert len(rows) == 53
    assert set(CMEIE_PREDICATES) == {r["predicate"] for r in rows} and len(CMEIE_PREDICATES) == 44
    assert set(CMEIE_ENTITY_TYPES) == {r["subject_type"] for r in rows} | {r["object_type"] for r in rows}


def test_first_line_relation() -> None:
    record = next(open_loader("cmeie").iter_split("validation"))
    # the topic heading before "@" is a title passage; full_text() joins the passages with a space
    assert [(p.id, p.type) for p in record.passages] == [("topic", "title"), ("p0", "text")]
    assert record.passages[0].text == ["急性胰腺炎"] and record.passages[1].text[0].startswith("有研究显示")
    assert record.full_text().startswith("急性胰腺炎 有研究显示") and "@" not in record.full_text()
    assert [(e.id, e.type, e.text, e.offsets) for e in record.entities] == [
        ("e0", "疾病", ["急性胰腺炎"], [[0, 5]]),
        ("e1", "检查", ["ERCP"], [[17, 21]]),
    ]
    assert [(r.id, r.type, r.arg1_id, r.arg2_id) for r in record.relations] == [("r0", "影像学检查", "e0", "e1")]


def test_shared_subject_and_non_nested_placement() -> None:
    second, third = itertools.islice(open_loader("cmeie").iter_split("validation"), 1, 3)
    # one entity for the subject shared by two 鉴别诊断 relations
    assert [(r.type, r.arg1_id, r.arg2_id) for r in second.relations] == [("鉴别诊断", "e0", "e1"), ("鉴别诊断", "e0", "e2")]
    # 关节 is placed at the free-standing 关节 (offset 9), not inside 骨性关节炎 (offset 2)
    spans = {e.text[0]: e.offsets for e in third.entities}
    assert spans["骨性关节炎"] == [[0, 5]] and spans["关节"] == [[9, 11]] and spans["踝关节"] == [[13, 16]]


def _line(obj: str = "ERCP", predicate: str = "影像学检查") -> str:
    spo = {"Combined": False, "predicate": predicate, "subject": "急性胰腺炎", "subject_type": "疾病",
           "object": {"@value": obj}, "object_type": {"@value": "检查"}}
    return json.dumps({"text": "急性胰腺炎@早期 ERCP 可以降低并发症。", "spo_list": [spo]}, ensure_ascii=False)


def test_object_not_in_text_is_rejected(tmp_path) -> None:
    (tmp_path / "CMeIE_dev.json").write_text(_line() + "\n" + _line(obj="CT") + "\n", encoding="utf-8")
    items = list(get_loader("cmeie")(tmp_path).records("validation"))
    assert not isinstance(items[0], Reject) and isinstance(items[1], Reject)
    assert items[1].file.endswith("CMeIE_dev.json") and items[1].line == 2
    assert items[1].field == "spo_list[0].object.@value" and "'CT'" in items[1].reason


def test_malformed_line_and_triple_outside_schema(tmp_path) -> None:
    (tmp_path / "CMeIE_dev.json").write_text('{"text": "x", "spo_list": [\n' + _line(predicate="药物治疗") + "\n", encoding="utf-8")
    (tmp_path / "53_schemas.json").write_text('{"subject_type": "疾病", "predicate": "影像学检查", "object_type": "检查"}\n', encoding="utf-8")
    first, second = get_loader("cmeie")(tmp_path).records("validation")
    assert isinstance(first, Reject) and first.line == 1 and first.stage == "parse" and first.field is None
    assert isinstance(second, Reject) and second.line == 2 and second.field == "spo_list[0].predicate"
    assert "53_schemas.json" in second.reason


def test_no_topic_separator_reaches_a_prompt() -> None:
    import biocurate

    records = list(open_loader("cmeie").iter_split("validation"))
    with_topic = [r for r in records if r.passages[0].type == "title"]
    assert len(with_topic) == 434
    for record in records:
        for sample in biocurate.render_record(record, "re", seed=5):
            prompt = sample.conversation[0]["human"]
            assert "@" not in prompt, record.id
        for entity in record.entities:  # offsets still slice to the mention
            (start, end), = entity.offsets
            assert record.full_text()[start:end] == entity.text[0]
    sample = biocurate.render_record(with_topic[0], "re", seed=5)[0]
    assert "急性胰腺炎\n有研究显示" in sample.conversation[0]["human"]
