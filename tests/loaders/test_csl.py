"""CSL title generation (ts task) on the real dev file: 1000 abstract/title pairs."""

from __future__ import annotations

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("CSL")
    assert loader.available_splits() == ["validation"]
    assert sum(1 for _ in loader.iter_split("validation")) == 1000


def test_first_pair() -> None:
    record = next(open_loader("csl").iter_split("validation"))
    assert record.text_2 == "一种基于平方和优化的飞行器大角度机动镇定控制器设计方法"
    assert record.text_1.startswith("采用修正的Rodrigues参数(MRP),建立了飞行器姿态控制系统的数学模型")
    assert (record.text_1_name, record.text_2_name, record.language) == ("abstract", "title", "zh")


def test_bad_lines_are_rejected_with_location(tmp_path) -> None:
    (tmp_path / "ts").mkdir()
    (tmp_path / "ts" / "dev.tsv").write_text(
        "to title\t摘要\t标题\nto title\t只有两列\nto category\t摘要\t标题\nto title\t摘要\t \n", encoding="utf-8"
    )
    items = list(get_loader("csl")(tmp_path).records("validation"))
    assert (items[0].text_1, items[0].text_2) == ("摘要", "标题")
    assert all(isinstance(r, Reject) and r.file.endswith("dev.tsv") for r in items[1:])
    assert [(r.line, r.field) for r in items[1:]] == [(2, "columns"), (3, "columns"), (4, "title")]
