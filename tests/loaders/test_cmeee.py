"""CMeEE on the real CBLUE excerpt (700 dev + 200 unlabelled test records)."""

from __future__ import annotations

import itertools

from biocurate.loaders import Reject
from biocurate.sources import open_loader


def test_counts_per_split() -> None:
    loader = open_loader("cmeee")
    assert loader.available_splits() == ["validation", "test"]
    assert sum(1 for _ in loader.iter_split("validation")) == 700
    assert sum(1 for _ in loader.iter_split("test")) == 200


def test_first_record_entities_with_inclusive_end() -> None:
    record = next(open_loader("CMeEE").iter_split("validation"))
    assert record.passages[0].text == ["对儿童SARST细胞亚群的研究表明，与成人SARS相比，儿童细胞下降不明显，证明上述推测成立。"]
    assert [(e.type, e.text, e.offsets) for e in record.entities] == [
        ("身体", ["SARST细胞"], [[3, 10]]),
        ("疾病", ["成人SARS"], [[19, 25]]),
    ]


def test_single_character_entity() -> None:
    # CBLUE's end_idx is inclusive: start == end marks a one-character entity (肺).
    second = next(itertools.islice(open_loader("cmeee").iter_split("validation"), 1, None))
    lung = [e for e in second.entities if e.text == ["肺"]]
    assert lung and lung[0].offsets == [[10, 11]]


def test_unknown_type_is_rejected_with_location(tmp_path) -> None:
    (tmp_path / "CMeEE_dev.json").write_text(
        '[\n  {"text": "头痛", "entities": [{"start_idx": 0, "end_idx": 1, "type": "xxx", "entity": "头痛"}]}\n]',
        encoding="utf-8",
    )
    from biocurate.loaders import get_loader

    items = list(get_loader("cmeee")(tmp_path).records("validation"))
    assert len(items) == 1 and isinstance(items[0], Reject)
    assert items[0].field == "entities[0].type" and items[0].line == 2
    assert items[0].file.endswith("CMeEE_dev.json") and "xxx" in items[0].reason
