"""TCM-SD on the real sample (5 train examples of the ZY-BERT repository)."""

from __future__ import annotations

import json

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_sample_records() -> None:
    records = list(open_loader("TCM-SD-TC").iter_split("train"))
    assert [(r.document_id, r.labels) for r in records] == [
        ("440793", ["气虚血瘀证"]), ("418353", ["风痰瘀阻证"]), ("447462", ["痰湿蒙窍证"]), ("478230", ["湿热瘀滞证"]), ("482786", ["肝郁血瘀证"])]
    lines = records[0].text.split("\n")
    assert lines[0] == "主诉：反复头晕10余天，再发伴胸闷1天。" and lines[1].startswith("现病史：患者10余天前") and lines[2].startswith("四诊信息：神志清晰")


def test_missing_label_is_rejected(tmp_path) -> None:
    (tmp_path / "train.json").write_text(json.dumps({"example_id": "1", "chief_complaint": "头晕", "norm_syndrome": ""}, ensure_ascii=False) + "\n", encoding="utf-8")
    (item,) = get_loader("tcm_sd_tc")(tmp_path).records("train")
    assert isinstance(item, Reject) and (item.line, item.field) == (1, "norm_syndrome")
