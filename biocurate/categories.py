"""Taiyi's category labels: the ``category`` of every released sample, and Taiyi's published counts.

Taiyi's instruction data (``final_instruction_data.md`` and the released Firefly jsonl) labels
each sample with one of sixteen categories, :data:`TAIYI_LABELS`. biocurate's fine tasks map
onto them (:data:`TASK_LABELS`), with the exceptions Taiyi makes per dataset
(:data:`DATASET_LABELS`): the "other additional tasks" (ADD) are CHIP-CDEE, IMCS-V2-DAC,
IMCS-V2-MRG and Text2DT whatever their task. The Firefly writer and the dataset card use
:func:`taiyi_category`; :func:`published_counts` gives Taiyi's per-label, per-language totals
(summed from the per-dataset counts of the catalogue) to print beside an export's own
(:func:`export_counts` reads them from the shards, :func:`category_section` writes the card's
section).

This is the *label* of a sample. The mixture's budget categories (:mod:`biocurate.tasks`)
follow Taiyi's README table instead, which counts CHIP-CDEE under EE: both are Taiyi's.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pyarrow.parquet as pq

#: Taiyi's sixteen category labels, in the order of shared/reference/taiyi-pipeline.md.
TAIYI_LABELS: tuple[str, ...] = (
    "NER", "RE", "EE", "TC", "TP-ss", "TP-te", "QA_choice", "QA_sqa", "QA_cqa", "MRD", "MT-zh2en", "MT-en2zh",
    "TT-ds", "TT-ts", "COT", "ADD",
)

#: The general dialogue data (most likely moss-003-sft-data), which final_instruction_data.md does not
#: list and so gives no label; biocurate's ``chat`` task keeps this name.
GENERAL_DIALOGUE = "general_dialogue"

#: Fine task -> Taiyi label. ``qa_yesno`` (PubMedQA) is QA_choice, as Taiyi counts pubmed_qa;
#: ``nen`` (CHIP-CDN) is NER, the task Taiyi's dataset inventory gives CHIP-CDN.
TASK_LABELS: dict[str, str] = {
    "ner": "NER", "re": "RE", "ee": "EE", "nen": "NER", "tc": "TC", "sts": "TP-ss", "te": "TP-te",
    "qa_choice": "QA_choice", "qa_yesno": "QA_choice", "qa_context": "QA_cqa", "qa_free": "QA_sqa",
    "dialogue": "MRD", "title_gen": "TT-ds", "report_gen": "TT-ts", "cot": "COT", "chat": GENERAL_DIALOGUE,
}

#: Datasets Taiyi labels by name rather than by task: its "other additional tasks".
DATASET_LABELS: dict[str, str] = {"chip_cdee": "ADD", "imcs_v2_dac": "ADD", "imcs_v2_mrg": "ADD", "text2dt": "ADD"}

_CATALOGUE = Path(__file__).parent / "catalogue"
_COUNT = re.compile(r"([A-Za-z][\w-]*)\s*:\s*([\d,]+)")


def taiyi_category(task: str, language: str, dataset: str | None = None) -> str:
    """Taiyi's label of a sample of ``task`` in ``language`` (``zh``, ``en``, ``zh-en``, ``en-zh``).

    Raises:
        KeyError: ``task`` is not a fine task biocurate knows.

    Example:
        >>> taiyi_category("mt", "en-zh"), taiyi_category("ee", "zh", "chip_cdee"), taiyi_category("qa_yesno", "en")
        ('MT-en2zh', 'ADD', 'QA_choice')
    """
    if dataset in DATASET_LABELS:
        return DATASET_LABELS[dataset]
    if task == "mt":
        return "MT-zh2en" if language == "zh-en" else "MT-en2zh"
    return TASK_LABELS[task]


@cache
def published_counts() -> dict[tuple[str, str], int]:
    """Taiyi-1's SFT sample counts by ``(label, language)`` from its per-dataset table.

    Summed over the ``taiyi_v1_sft_counts`` cells of the catalogue (``ADD:2992``,
    ``NER:650; RE:500``...). Translation counts carry the language ``zh-en`` as Taiyi gives
    them (``MT-zh2en`` for ParaMed; zhiwang_mt's undirected ``MT`` counts as ``MT-zh2en``);
    the general dialogue row has no per-dataset count and is left out. These per-dataset sums
    differ from Taiyi's README table (NER: 28,603 zh and 43,650 en here; the README gives
    44,667 zh and 28,603 en).
    """
    totals: dict[tuple[str, str], int] = {}
    for name in ("taiyi_datasets.csv", "taiyi_extras.csv"):
        with open(_CATALOGUE / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                cell = row.get("taiyi_v1_sft_counts") or ""
                if "+" in cell:  # icliniq_10k's three splits, listed one by one in the extras
                    continue
                for label, number in _COUNT.findall(cell):
                    label = "MT-zh2en" if label == "MT" else label
                    if label not in TAIYI_LABELS:
                        continue
                    language = "zh-en" if label.startswith("MT") else row["language"]
                    totals[(label, language)] = totals.get((label, language), 0) + int(number.replace(",", ""))
    return totals


def category_table(counts: Mapping[tuple[str, str], int]) -> list[dict[str, object]]:
    """Rows ``{"category", "language", "export", "taiyi"}`` of an export's counts by Taiyi label and
    language beside Taiyi's published ones, in :data:`TAIYI_LABELS` order (labels of neither
    left out; ``general_dialogue`` last, with no Taiyi count)."""
    published = published_counts()
    keys = set(counts) | set(published)
    order = {label: k for k, label in enumerate((*TAIYI_LABELS, GENERAL_DIALOGUE))}
    rows = []
    for label, language in sorted(keys, key=lambda k: (order.get(k[0], len(order)), k[1])):
        rows.append({"category": label, "language": language, "export": counts.get((label, language), 0),
                     "taiyi": published.get((label, language))})
    return rows


def count_by(export_dir: str | Path, files: list[str] | None, columns: list[str]) -> Counter:
    """Rows of an export's Parquet files per tuple of ``columns`` values (Arrow's group-by: no
    row reaches Python). ``files``: relative to ``export_dir`` (the manifest's list); None:
    every ``data/**/*.parquet`` (which may include files that are not the export's)."""
    paths = [Path(export_dir, f) for f in files] if files is not None else sorted(Path(export_dir, "data").rglob("*.parquet"))
    counts: Counter = Counter()
    for path in paths:
        groups = pq.read_table(path, columns=columns).group_by(columns).aggregate([([], "count_all")])
        counts.update(dict(zip(zip(*(groups.column(c).to_pylist() for c in columns)), groups.column("count_all").to_pylist())))
    return counts


def export_counts(export_dir: str | Path, files: list[str] | None = None) -> Counter:
    """An export's rows per ``(Taiyi label, language)``, read from its Parquet shards.

    Args:
        export_dir: the export folder.
        files: its Parquet files relative to ``export_dir`` (the manifest's list); default every
            ``data/**/*.parquet`` (which may include files that are not the export's).
    """
    by_key = count_by(export_dir, files, ["dataset", "task", "language"])
    counts: Counter = Counter()
    for (dataset, task, language), n in by_key.items():
        counts[(taiyi_category(task, language, dataset), language)] += n
    return counts


def category_section(counts: Mapping[tuple[str, str], int]) -> str:
    """The card's "Taiyi categories" section: ``counts`` (rows per ``(Taiyi label, language)``,
    e.g. :func:`export_counts`) beside Taiyi-1's published counts, as Markdown.

    Example:
        >>> print(category_section({("ADD", "zh"): 6, ("NER", "zh"): 993}).splitlines()[7])
        | NER | zh | 993 | 28,603 |
    """
    lines = [
        "## Taiyi categories", "",
        "Rows by Taiyi's category label (the `category` of the Firefly format) and language, beside Taiyi-1's "
        "SFT counts (the per-dataset rows of its `final_instruction_data.md`, which add up to 610,578: "
        "biomedical tasks and CoT; the general dialogue data has no per-dataset count). As Taiyi labels them, "
        "CHIP-CDEE, IMCS-V2-DAC, IMCS-V2-MRG and Text2DT are `ADD`, PubMedQA is `QA_choice` and CHIP-CDN is `NER`. "
        "Taiyi gives its translation data one count (ParaMed `MT-zh2en`, zhiwang_mt `MT`), shown under `MT-zh2en`. "
        "Its README table groups differently (NER 44,667 zh and 28,603 en; CHIP-CDEE's 2,992 under EE, ADD 9,370).",
        "", "| category | language | this export | Taiyi-1 |", "|---|---|---:|---:|",
    ]
    for row in category_table(counts):
        taiyi = "–" if row["taiyi"] is None else f"{row['taiyi']:,}"
        lines.append(f"| {row['category']} | {row['language']} | {row['export']:,} | {taiyi} |")
    total = sum(counts.values())
    lines += [f"| total | | {total:,} | {sum(published_counts().values()):,} |", ""]
    return "\n".join(lines)
