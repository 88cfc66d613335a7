"""CHIP-CDEE on the real CBLUE files (384 dev records + 514 unlabelled test records).

The raw events carry normalised strings without offsets; strings found verbatim become spans,
the others (and 发生状态) text-only arguments, so no record is lost (see the loader's docstring).
"""

from __future__ import annotations

import json

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def _args(record):
    names = {e.id: e.text[0] for e in record.entities}
    return [
        (e.trigger.text, [(a.role, names[a.ref_id] if a.ref_id else a.text, bool(a.ref_id)) for a in e.arguments])
        for e in record.events
    ]


def test_counts_per_split() -> None:
    loader = open_loader("CHIP-CDEE")
    assert loader.available_splits() == ["validation", "test"]
    records = list(loader.iter_split("validation"))
    assert len(records) == 384
    assert sum(len(r.events) for r in records) == 2138
    assert {e.type for r in records for e in r.events} == {"临床发现事件"}
    test = list(loader.iter_split("test"))
    assert len(test) == 514 and not any(r.events for r in test)


def test_first_record_events_and_arguments() -> None:
    record = next(open_loader("chip_cdee").iter_split("validation"))
    assert record.document_id == "1744"
    assert [e.trigger.offsets for e in record.events] == [[[23, 25]], [[33, 35]], [[37, 41]]]
    assert _args(record) == [
        (["结节"], [("主体词", "结节", True), ("解剖部位", "右肺门", True)]),
        (["肺炎"], [("主体词", "肺炎", True), ("描述词", "大叶性", True), ("解剖部位", "右肺上叶", True)]),
        (["蠕动减弱"], [("主体词", "蠕动减弱", True), ("解剖部位", "胃", True)]),
    ]


def test_normalised_strings_and_tendency_are_kept_as_text_arguments() -> None:
    record = next(r for r in open_loader("chip_cdee").iter_split("validation") if r.document_id == "11")
    # "大小便如常" is annotated 描述词 "正常"; "体重无明显下降" as 主体词 "体重下降", 发生状态 "否定".
    assert _args(record)[2] == (["大小便"], [("主体词", "大小便", True), ("描述词", "正常", False)])
    assert _args(record)[4] == ([], [("主体词", "体重下降", False), ("发生状态", "否定", False), ("描述词", "明显", True)])
    bigbio = record.to_bigbio()
    assert all(set(a) == {"role", "ref_id"} for e in bigbio["events"] for a in e["arguments"])


def test_bad_tendency_and_empty_attribute(tmp_path) -> None:
    good = {"id": 1, "text": "无发热，咳嗽。", "event": [
        {"core_name": "发热", "tendency": "否定", "character": [""], "anatomy_list": []},
        {"core_name": "咳嗽", "tendency": "", "character": [], "anatomy_list": []}]}
    bad = {"id": 2, "text": "无发热。", "event": [{"core_name": "发热", "tendency": "没有", "character": [], "anatomy_list": []}]}
    lines = ["[", json.dumps(good, ensure_ascii=False) + ",", json.dumps(bad, ensure_ascii=False), "]"]
    (tmp_path / "CHIP-CDEE_dev.json").write_text("\n".join(lines), encoding="utf-8")
    record, reject = get_loader("chip_cdee")(tmp_path).records("validation")
    assert [e.trigger.offsets for e in record.events] == [[[1, 3]], [[4, 6]]]
    assert _args(record) == [(["发热"], [("主体词", "发热", True), ("发生状态", "否定", False)]), (["咳嗽"], [("主体词", "咳嗽", True)])]
    assert isinstance(reject, Reject) and reject.field == "event[0].tendency" and reject.record == "2"
    assert reject.file.endswith("CHIP-CDEE_dev.json") and reject.line == 3
