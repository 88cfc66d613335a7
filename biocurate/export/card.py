"""The dataset card (README.md) of an export, generated from the manifest.

Its YAML header declares ``configs`` so ``datasets.load_dataset(EXPORT_DIR)`` loads everything
and ``load_dataset(EXPORT_DIR, "ner")`` / ``load_dataset(EXPORT_DIR, "zh")`` load one
category or one language. The body has the counts table and per-source licences and citations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from biocurate.mix.spec import MixtureSpec


def _configs(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    parquet = [f["path"] for f in manifest["files"] if f["path"].endswith(".parquet")]
    if not parquet:
        return []
    categories = sorted({p.split("/")[1] for p in parquet})
    languages = sorted({p.split("/")[2] for p in parquet})
    configs = [{"config_name": "default", "default": True, "data_files": [{"split": "train", "path": "data/*/*/*.parquet"}]}]
    configs += [{"config_name": c, "data_files": [{"split": "train", "path": f"data/{c}/*/*.parquet"}]} for c in categories]
    configs += [
        {"config_name": f"lang_{lang.replace('-', '_')}", "data_files": [{"split": "train", "path": f"data/*/{lang}/*.parquet"}]}
        for lang in languages
    ]
    return configs


def card_text(spec: MixtureSpec, manifest: dict[str, Any]) -> str:
    licences = sorted({s["licence"] for s in manifest["sources"].values()})
    header = {
        "pretty_name": f"biocurate {spec.name}",
        "language": sorted({lang for s in manifest["sources"].values() for lang in s["languages"]}),
        "license": "other",
        "license_details": "Mixed; see the per-source table. Sources: " + ", ".join(licences),
        "task_categories": ["text-generation"],
        "tags": ["biomedical", "instruction-tuning", "biocurate", spec.name],
        "configs": _configs(manifest),
    }
    lines = ["---", yaml.safe_dump(header, allow_unicode=True, sort_keys=False).rstrip(), "---", ""]
    lines += [f"# biocurate {spec.name}", "", spec.description.strip(), ""]
    totals = manifest["totals"]
    lines += [f"Seed {manifest['seed']}; {totals['achieved']:,} samples of {totals['target']:,} targeted; "
              f"{totals['rejected']:,} raw records rejected (see `rejects.jsonl`).", ""]
    lines += ["## Counts", "", "| category | language | target | available | achieved | shortfall |", "|---|---|---:|---:|---:|---:|"]
    for t in manifest["targets"]:
        lines.append(f"| {t['category']} | {t['language']} | {t['target']:,} | {t['available']:,} | {t['achieved']:,} | {t['shortfall']:,} |")
    lines += ["", "Configs: `default` (everything), one per category (e.g. `ner`), one per language (e.g. `lang_zh`).", ""]
    lines += ["## Sources", "", "| dataset | licence | in | rejected | deduplicated | decontaminated | out |", "|---|---|---:|---:|---:|---:|---:|"]
    for name, s in manifest["sources"].items():
        c = s["counts"]
        lines.append(f"| [{s['display_name']}]({s['homepage']}) (`{name}`) | {s['licence']} | {c['in']:,} | {c['rejected']:,} | {c['deduplicated']:,} | {c['decontaminated']:,} | {c['out']:,} |")
    if manifest["skipped_sources"]:
        lines += ["", "Skipped: " + "; ".join(f"`{k}`: {v}" for k, v in manifest["skipped_sources"].items())]
    lines += ["", "## Citations", ""]
    for name, s in manifest["sources"].items():
        lines += [f"### {s['display_name']}", "", "```bibtex", s["citation"].strip(), "```", ""]
    lines += ["## Reproduce", "", f"`biocurate export --mix {spec.name} --seed {manifest['seed']}` on the same raw files "
              "(their sha256 are in `manifest.json`) gives byte-identical shards.", ""]
    return "\n".join(lines)


def write_card(out: Path, spec: MixtureSpec, manifest: dict[str, Any]) -> Path:
    path = out / "README.md"
    path.write_text(card_text(spec, manifest), encoding="utf-8")
    return path
