"""CMID on the real 2019 excerpt (500 JSON Lines with quoted labels) and in the 2022 README layout."""

from __future__ import annotations

import collections
import json

from biocurate.loaders import Reject, get_loader
from biocurate.loaders.cmid import FINE_LABELS
from biocurate.sources import open_loader


def test_2019_file_quotes_are_stripped() -> None:
    records = list(open_loader("CMID").iter_split("train"))
    assert len(records) == 500
    counts = collections.Counter(r.labels[0] for r in records)
    assert counts["治疗方法"] == 142 and counts["临床表现"] == 63 and counts["功效"] == 1 and len(counts) == 25
    assert records[0].text == "在县医院确诊肺结核，吃免费抗结核药一个半月，咳嗽加重，咳痰有血丝，需要怎样进一步治疗"
    assert all("'" not in r.labels[0] for r in records)


def test_2022_layout_as_array_with_plain_labels(tmp_path) -> None:
    example = {"originalText": "间质性肺炎的症状?", "entities": [{"label_type": "疾病和诊断", "start_pos": 0, "end_pos": 5}],
               "seg_result": ["间质性肺炎", "的", "症状", "?"], "label_4class": ["病症"], "label_36class": ["临床表现"]}
    (tmp_path / "CMID.json").write_text(json.dumps([example, {**example, "label_36class": ["相关病症"]}], ensure_ascii=False, indent=1), encoding="utf-8")
    records = list(get_loader("cmid")(tmp_path).iter_split("train"))
    assert [(r.text, r.labels) for r in records] == [("间质性肺炎的症状?", ["临床表现"]), ("间质性肺炎的症状?", ["相关病症"])]


def test_bad_labels_are_rejected_naming_the_field(tmp_path) -> None:
    good = {"originalText": "感冒吃什么药", "entities": [], "seg_result": [], "label_4class": ["'药物'"], "label_36class": ["'用法'"]}
    bad = [{**good, "label_4class": ["'手术'"]}, {**good, "label_36class": ["'用法'", "'作用'"]}, {**good, "label_36class": ["'剂型'"]}]
    (tmp_path / "CMID.json").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [good, *bad]) + "\n", encoding="utf-8")
    items = list(get_loader("cmid")(tmp_path).records("train"))
    assert not isinstance(items[0], Reject) and items[0].labels == ["用法"]
    assert all(isinstance(i, Reject) for i in items[1:])
    assert [(i.line, i.field) for i in items[1:]] == [(2, "label_4class"), (3, "label_36class"), (4, "label_36class")]
    assert len(FINE_LABELS) == 37 and "剂型" not in FINE_LABELS
