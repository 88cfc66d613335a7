"""CHIP-MDCFNPC on the real sample (9 train dialogues in the release layout, ranges as corrected by their authors)."""

from __future__ import annotations

import collections
import json

from biocurate.loaders import get_loader
from biocurate.sources import open_loader


def test_one_record_per_finding() -> None:
    records = list(open_loader("CHIP-MDCFNPC").iter_split("train"))
    assert len(records) == 226
    assert collections.Counter(r.labels[0] for r in records) == {"阳性": 117, "不标注": 65, "阴性": 35, "其他": 9}
    first = records[0]
    assert first.document_id == "4113" and first.labels == ["阴性"]
    assert first.text.startswith("患者：黄体破裂保守治疗四天出院") and first.text.endswith("\n临床发现：腹痛")


def test_missing_mention_and_unknown_label(tmp_path) -> None:
    dialog = {"dialog_id": 1, "dialog_info": [{"text": "有点咳嗽", "sentence_id": "1", "sender": "患者", "ner": [
        {"name": "咳嗽", "mention": "咳嗽", "range": [2, 4], "type": "clinical_findings", "attr": "阳性"},
        {"name": "发热", "mention": "发热", "range": [0, 2], "type": "clinical_findings", "attr": "阳性"}]}]}
    other = {"dialog_id": 2, "dialog_info": [{"text": "不发热", "sentence_id": "1", "sender": "患者", "ner": [
        {"name": "发热", "mention": "发热", "range": [1, 3], "type": "clinical_findings", "attr": "否"}]}]}
    (tmp_path / "CHIP-MDCFNPC_train.jsonl").write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in (dialog, other)) + "\n", encoding="utf-8")
    items = list(get_loader("chip_mdcfnpc")(tmp_path).records("train"))
    assert items[0].labels == ["阳性"]
    assert [(i.line, i.field) for i in items[1:]] == [(1, "dialog_info[0].ner[1].mention"), (2, "dialog_info[0].ner[0].attr")]
