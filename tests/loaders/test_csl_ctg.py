"""CSL discipline classification (cls_ctg task) on the real dev file, read from the CSL folder."""

from __future__ import annotations

import collections

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split_and_label() -> None:
    loader = open_loader("csl_ctg")
    assert loader.data_dir.name == "CSL" and loader.available_splits() == ["validation"]
    labels = collections.Counter(r.labels[0] for r in loader.iter_split("validation"))
    assert sum(labels.values()) == 1000 and labels["医学"] == 103 and labels["工学"] == 443


def test_known_medical_title() -> None:
    records = list(open_loader("csl_ctg").iter_split("validation"))
    assert records[2].text == "补肾活血汤对老年单纯收缩期高血压(肾虚血瘀证)患者血管内皮功能的影响"
    assert records[2].labels == ["医学"]


def test_unknown_discipline_is_rejected_with_location(tmp_path) -> None:
    (tmp_path / "cls_ctg").mkdir()
    (tmp_path / "cls_ctg" / "dev.tsv").write_text("to category\t标题\t医学\nto category\t标题\t神学\n", encoding="utf-8")
    items = list(get_loader("csl_ctg")(tmp_path).records("validation"))
    assert items[0].labels == ["医学"]
    assert isinstance(items[1], Reject) and (items[1].line, items[1].field) == (2, "category")
    assert items[1].file.endswith("dev.tsv")
