"""Chinese medical dialogue data (Toyhom) on the real GB18030 excerpt (1,000 rows of 内科)."""

from __future__ import annotations

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader

HEADER = "department,title,ask,answer\n"


def test_counts() -> None:
    loader = open_loader("Chinese-medical-dialogue-data")
    assert loader.available_splits() == ["train"]
    assert sum(1 for _ in loader.iter_split("train")) == 1000


def test_first_record_title_prefixed() -> None:
    record = next(open_loader("chinese_medical_dialogue").iter_split("train"))
    assert record.type == "sqa" and record.language == "zh" and record.context == ""
    assert record.question == "高血压患者能吃党参吗？\n我有高血压这两天女婿来的时候给我拿了些党参泡水喝，您好高血压可以吃党参吗？"
    assert record.answer[0].startswith("高血压病人可以口服党参的。党参有降血脂，降血压的作用")


def test_title_contained_in_ask_is_not_repeated(tmp_path) -> None:
    (tmp_path / "a.csv").write_bytes((HEADER + "神经科,头痛怎么办,头痛怎么办？已经三天了,多休息。\n").encode("gb18030"))
    record = next(get_loader("chinese_medical_dialogue")(tmp_path).iter_split("train"))
    assert record.question == "头痛怎么办？已经三天了" and record.answer == ["多休息。"]


def test_malformed_rows_are_rejected_with_line(tmp_path) -> None:
    rows = HEADER + '心血管科,标题,"多行\n问题",回答\n' + "心血管科,标题,只有三列\n" + "心血管科,标题,问题,\n"
    (tmp_path / "b.csv").write_bytes(rows.encode("gb18030"))
    items = list(get_loader("chinese_medical_dialogue")(tmp_path).records("train"))
    assert not isinstance(items[0], Reject) and items[0].question == "标题\n多行\n问题"
    missing, empty = items[1:]
    assert isinstance(missing, Reject) and missing.file.endswith("b.csv")
    assert (missing.line, missing.field) == (4, "answer") and "3 columns" in missing.reason
    assert (empty.line, empty.field, empty.reason) == (5, "answer", "empty answer")


def test_undecodable_bytes_reject_the_row(tmp_path) -> None:
    good = (HEADER + "科,标题,问题,回答\n").encode("gb18030")
    (tmp_path / "c.csv").write_bytes(good + b"\xff\xff,t,q,a\n")
    items = list(get_loader("chinese_medical_dialogue")(tmp_path).records("train"))
    assert not isinstance(items[0], Reject)
    assert isinstance(items[1], Reject) and (items[1].line, items[1].field) == (3, "encoding")
