"""Taiyi's category labels (biocurate/categories.py) and the Firefly writer's use of them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from biocurate.categories import (
    GENERAL_DIALOGUE, TAIYI_LABELS, TASK_LABELS, category_section, category_table, export_counts, published_counts,
    taiyi_category,
)
from biocurate.cli import main as cli
from biocurate.export.writers import FireflyWriter
from biocurate.loaders import all_loaders
from biocurate.tasks import TASKS


def test_labels_are_exactly_taiyis() -> None:
    assert TAIYI_LABELS == (
        "NER", "RE", "EE", "TC", "TP-ss", "TP-te", "QA_choice", "QA_sqa", "QA_cqa", "MRD", "MT-zh2en", "MT-en2zh",
        "TT-ds", "TT-ts", "COT", "ADD",
    )
    assert set(TASK_LABELS) == set(TASKS) - {"mt"}
    every = {taiyi_category(task, lang, name) for name, cls in all_loaders().items() for task in cls.meta.tasks
             for lang in (["zh-en", "en-zh"] if task == "mt" else cls.meta.languages)}
    assert every <= set(TAIYI_LABELS) | {GENERAL_DIALOGUE}


@pytest.mark.parametrize(("task", "language", "dataset", "label"), [
    ("qa_yesno", "en", "pubmed_qa", "QA_choice"),  # Taiyi: pubmed_qa QA_choice:495
    ("ee", "zh", "chip_cdee", "ADD"),  # Taiyi: chip_cdee ADD:2992
    ("report_gen", "zh", "imcs_v2_mrg", "ADD"),  # Taiyi: imcs_v2_mrg ADD:2870
    ("nen", "zh", "chip_cdn", "NER"),  # Taiyi's inventory: CHIP-CDN, NER
    ("ee", "en", "bionlp_st_2011_ge", "EE"),
    ("mt", "zh-en", "paramed", "MT-zh2en"),
    ("mt", "en-zh", "paramed", "MT-en2zh"),
    ("sts", "zh", "chip_sts", "TP-ss"),
])
def test_dataset_labels(task: str, language: str, dataset: str, label: str) -> None:
    assert taiyi_category(task, language, dataset) == label


def test_published_counts_add_up_to_taiyis_table() -> None:
    counts = published_counts()
    # final_instruction_data.md's per-dataset rows add up to 610,578 (biomedical + CoT)
    assert sum(counts.values()) == 610_578
    assert counts[("ADD", "zh")] == 2992 + 5000 + 2870 + 1500
    assert counts[("EE", "en")] == 1684 + 338 and ("EE", "zh") not in counts
    assert counts[("MT-zh2en", "zh-en")] == 62127 + 11986
    assert counts[("QA_choice", "en")] == 11195 + 11061 + 12846 + 495


def test_category_table_puts_export_counts_beside_taiyis() -> None:
    rows = category_table({("ADD", "zh"): 30, ("QA_choice", "en"): 7, (GENERAL_DIALOGUE, "en"): 3})
    by_key = {(r["category"], r["language"]): r for r in rows}
    assert by_key[("ADD", "zh")] == {"category": "ADD", "language": "zh", "export": 30, "taiyi": 12362}
    assert by_key[("NER", "zh")]["export"] == 0 and by_key[(GENERAL_DIALOGUE, "en")]["taiyi"] is None
    assert rows[0]["category"] == "NER" and rows[-1]["category"] == GENERAL_DIALOGUE


def test_firefly_rows_carry_taiyis_labels(tmp_path) -> None:
    writer = FireflyWriter(tmp_path)
    row = {"dataset": "chip_cdee", "task": "ee", "language": "zh", "conversation": [{"human": "h", "assistant": "a"}]}
    assert writer.convert(row)["category"] == "ADD"
    assert writer.convert({**row, "dataset": "pubmed_qa", "task": "qa_yesno", "language": "en"})["category"] == "QA_choice"
    writer.close()


@pytest.fixture(scope="module")
def small_export(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("categories") / "exp"
    datasets = "chip_cdee,chip_cdn,pubmed_qa,paramed,imcs_v2_mrg,cmeee"
    assert cli(["export", "--mix", "taiyi-v1", "--out", str(out), "--quiet", "--datasets", datasets]) == 0
    return out


def test_export_counts_label_the_real_exports_rows(small_export) -> None:
    manifest = json.loads((small_export / "manifest.json").read_text(encoding="utf-8"))
    files = [f["path"] for f in manifest["files"] if f["path"].endswith(".parquet")]
    rows = [r for f in files for r in pq.read_table(small_export / f, columns=["dataset", "task", "language"]).to_pylist()]
    by_dataset = Counter(r["dataset"] for r in rows)
    counts = export_counts(small_export, files)
    assert sum(counts.values()) == manifest["totals"]["achieved"] == len(rows)
    assert counts[("ADD", "zh")] == by_dataset["chip_cdee"] + by_dataset["imcs_v2_mrg"] > 0
    assert counts[("NER", "zh")] == by_dataset["chip_cdn"] + by_dataset["cmeee"]
    assert counts[("QA_choice", "en")] == by_dataset["pubmed_qa"] > 0
    directions = Counter(r["language"] for r in rows if r["dataset"] == "paramed")
    assert counts[("MT-zh2en", "zh-en")] == directions["zh-en"] > 0 and counts[("MT-en2zh", "en-zh")] == directions["en-zh"] > 0
    assert export_counts(small_export) == counts  # the manifest's files are all the shards here


def test_category_section_is_a_markdown_table_beside_taiyis(small_export) -> None:
    counts = export_counts(small_export)
    text = category_section(counts)
    lines = text.splitlines()
    assert lines[0] == "## Taiyi categories"
    table = [line for line in lines if line.startswith("| ")][1:]
    cells = {tuple(c.strip() for c in line.strip("|").split("|")[:2]): line for line in table}
    assert cells[("ADD", "zh")] == f"| ADD | zh | {counts[('ADD', 'zh')]:,} | 12,362 |"
    assert cells[("MT-en2zh", "en-zh")].endswith("| – |")  # Taiyi gives no en->zh count
    assert cells[("total", "")] == f"| total | | {sum(counts.values()):,} | 610,578 |"
    assert len(table) == len(category_table(counts)) + 1
