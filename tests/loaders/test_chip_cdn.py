"""CHIP-CDN on the real CBLUE dev file (2000 records; no test file in the excerpt)."""

from __future__ import annotations

import itertools

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("CHIP-CDN")
    assert loader.available_splits() == ["validation"]
    records = list(loader.iter_split("validation"))
    assert len(records) == 2000
    assert all(len(r.entities) == 1 and r.entities[0].normalized for r in records)


def test_multi_term_record() -> None:
    first, second = itertools.islice(open_loader("chip_cdn").iter_split("validation"), 2)
    assert [(n.db_name, n.db_id) for n in first.entities[0].normalized] == [("ICD-10-Beijing-v601", "1型糖尿病性自主神经病")]
    entity = second.entities[0]
    assert (second.passages[0].text, entity.type, entity.text, entity.offsets) == (["卵巢Ca"], "诊断", ["卵巢Ca"], [[0, 4]])
    assert [n.db_id for n in entity.normalized] == ["卵巢恶性肿瘤", "癌"]


def test_unlabelled_test_and_empty_term(tmp_path) -> None:
    (tmp_path / "CHIP-CDN_test.json").write_text('[\n  {"text": "右乳腺癌IV期"}\n]', encoding="utf-8")
    (tmp_path / "CHIP-CDN_dev.json").write_text(
        '[\n  {"text": "右乳腺癌IV期", "normalized_result": "乳腺恶性肿瘤####癌"},\n  {"text": "高血压"}\n]', encoding="utf-8"
    )
    loader = get_loader("chip_cdn")(tmp_path)
    (test,) = loader.iter_split("test")
    assert test.entities[0].normalized == []
    empty, missing = loader.records("validation")
    assert isinstance(empty, Reject) and empty.line == 2 and empty.field == "normalized_result"
    assert isinstance(missing, Reject) and missing.line == 3 and missing.field == "normalized_result"
    assert missing.file.endswith("CHIP-CDN_dev.json")
