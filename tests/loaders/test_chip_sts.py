"""CHIP-STS on the real CBLUE files (4000 dev pairs + the first 200 unlabelled test pairs)."""

from __future__ import annotations

import collections

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("CHIP-STS")
    assert loader.available_splits() == ["validation", "test"]
    assert collections.Counter(r.label for r in loader.iter_split("validation")) == {"0": 2011, "1": 1989}
    test = list(loader.iter_split("test"))
    assert len(test) == 200 and {r.label for r in test} == {""}


def test_first_pairs() -> None:
    loader = open_loader("chip_sts")
    dev = next(loader.iter_split("validation"))
    assert (dev.document_id, dev.text_1, dev.text_2, dev.label) == ("1", "糖尿病能吃减肥药吗？能治愈吗？", "糖尿病为什么不能吃减肥药", "1")
    test = next(loader.iter_split("test"))  # other key order in the test file: text2 before text1
    assert (test.document_id, test.text_1, test.text_2) == ("1", "打破伤风后何时可以打乙肝疫苗", "口腔溃疡时接吻是否会传染乙肝呢")
    assert loader.meta.label_names == {"0": "语义不相同", "1": "语义相同"}


def test_unknown_label_is_rejected(tmp_path) -> None:
    (tmp_path / "CHIP-STS_dev.json").write_text(
        '[\n  {"id": "1", "text1": "a", "text2": "b", "label": "2", "category": "aids"}\n]', encoding="utf-8"
    )
    (item,) = get_loader("chip_sts")(tmp_path).records("validation")
    assert isinstance(item, Reject) and item.file.endswith("CHIP-STS_dev.json")
    assert (item.line, item.field, item.record) == (2, "label", "1")


def test_convert_keeps_the_unlabelled_test_split(tmp_path, capsys) -> None:
    import json

    from biocurate.cli import main
    from biocurate.sources import samples_dir

    out = tmp_path / "sts.jsonl"
    assert main(["convert", "CHIP-STS", "--data-dir", str(samples_dir() / "CHIP-STS"), "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    test = [r for r in rows if r["split"] == "test"]
    assert len(test) == 200 and all(r["label"] == "" and r["text_1"] for r in test)
    assert all(r["label"] in ("0", "1") for r in rows if r["split"] == "validation")
    assert not (tmp_path / "sts.rejects.jsonl").exists()
    assert "chip_sts/test: 200 records, 0 rejected (no gold labels: unlabelled records)" in capsys.readouterr().out
