"""The dataset card (README.md) of an export, generated from the manifest and the written shards.

Its YAML header follows the Hub's dataset-card conventions: ``configs`` so
``datasets.load_dataset(EXPORT_DIR)`` loads everything and ``load_dataset(EXPORT_DIR, "ner")`` /
``load_dataset(EXPORT_DIR, "lang_zh")`` load one category or one language; ``dataset_info``
with every column's type (read from the Parquet schema) and each config's size;
``size_categories``; ``license`` (a Hub id, or ``other`` with ``license_name`` and
``license_link`` pointing at ``LICENSE.md``). The body has the mixture chart (``mixture.png``,
when matplotlib is installed), the counts table, a "Dataset structure" section (columns and
one example row per category), each licence's share of rows, the sources and their
citations, each BibTeX entry once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from biocurate.categories import category_section, export_counts
from biocurate.drops import drops_section
from biocurate.heldout import held_out_note, held_out_sources, rows_by_split
from biocurate.hub.chart import CHART_FILE, write_mixture_chart
from biocurate.hub.citations import group_citations
from biocurate.hub.features import dataset_info, size_category
from biocurate.hub.licensing import hub_licence, licence_shares, restricted_sources
from biocurate.mix.spec import MixtureSpec

from .llamafactory import LLAMAFACTORY_FORMATS
from .writers import JSONL_FORMATS, jsonl_schema

#: The licence file written beside the card (the card's ``license_link``).
LICENCE_FILE = "LICENSE.md"

#: What each column of the Parquet rows holds (the "Dataset structure" section).
COLUMN_DOCS: dict[str, str] = {
    "id": "unique sample id: `<dataset>/<record id>/<task>/<n>`",
    "dataset": "biocurate dataset name of the source (see the Sources table)",
    "split": "split of the source the record came from",
    "record_id": "id of the source record the sample was rendered from",
    "template_id": "id of the instruction template (biocurate `templates/`)",
    "task": "fine task (`ner`, `re`, `qa_choice`, ...)",
    "category": "mixture category; one config per category",
    "language": "`zh`, `en`, or a translation direction (`zh-en`, `en-zh`)",
    "licence": "licence key of the source (see Licences)",
    "conversation": "turns as `{human, assistant}` pairs (Taiyi/Firefly layout)",
    "messages": "the same turns as `{role, content}` messages (chat-template layout read by TRL and transformers)",
}

#: Longest string shown in an example row before it is cut.
EXAMPLE_CHARS = 240


def _jsonl_files(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The manifest's JSON Lines data files (one per format), in format order."""
    by_path = {f["path"]: f for f in manifest["files"]}
    return [by_path[name] for name in JSONL_FORMATS.values() if name in by_path]


def _configs(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Parquet: ``default``, one per category, one per language; without Parquet, one per JSON
    Lines format (the first is the default). ``datasets`` picks one builder for a whole folder,
    from the first config's files, so one card cannot offer Parquet and JSON configs together:
    beside Parquet, the JSON Lines files load with ``load_dataset("json", data_files=...)``.
    Metadata files (manifest, rejects, card, ``dataset_info.json``) are in no config, so
    ``load_dataset(EXPORT_DIR)`` never reads them."""
    parquet = [f["path"] for f in manifest["files"] if f["path"].endswith(".parquet")]
    configs: list[dict[str, Any]] = []
    if parquet:
        categories = sorted({p.split("/")[1] for p in parquet})
        languages = sorted({p.split("/")[2] for p in parquet})
        configs = [{"config_name": "default", "default": True, "data_files": [{"split": "train", "path": "data/*/*/*.parquet"}]}]
        configs += [{"config_name": c, "data_files": [{"split": "train", "path": f"data/{c}/*/*.parquet"}]} for c in categories]
        configs += [
            {"config_name": f"lang_{lang.replace('-', '_')}", "data_files": [{"split": "train", "path": f"data/*/{lang}/*.parquet"}]}
            for lang in languages
        ]
    else:
        for f in _jsonl_files(manifest):
            config: dict[str, Any] = {"config_name": f["path"].removesuffix(".jsonl")}
            if not configs:
                config["default"] = True
            configs.append({**config, "data_files": [{"split": "train", "path": f["path"]}]})
    return configs


def _parquet_files(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted((f for f in manifest["files"] if f["path"].endswith(".parquet")), key=lambda f: f["path"])


def _dataset_infos(manifest: dict[str, Any], out: Path, system: bool) -> list[dict[str, Any]]:
    """One ``dataset_info`` entry per config, sizes summed from the manifest's file list; a
    JSON Lines config's features are its format's fixed types (so ``load_dataset`` never infers
    them from the first rows), its sizes those of its file."""
    import pyarrow.parquet as pq

    files = _parquet_files(manifest)
    infos = []
    if files:
        schema = pq.read_schema(out / files[0]["path"])
        # uncompressed size of each shard's rows, from its footer (no row is read)
        sizes = {}
        for f in files:
            meta = pq.read_metadata(out / f["path"])
            sizes[f["path"]] = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        for config in _configs(manifest):
            glob = config["data_files"][0]["path"].split("/")
            chosen = [f for f in files if all(g == "*" or g == p for g, p in zip(glob[:3], f["path"].split("/")[:3]))]
            infos.append(dataset_info(config["config_name"], schema, sum(f.get("rows", 0) for f in chosen),
                                      sum(sizes[f["path"]] for f in chosen), sum(f["bytes"] for f in chosen)))
    else:  # JSON Lines configs exist only when no Parquet was written (see _configs)
        for f in _jsonl_files(manifest):
            name = f["path"].removesuffix(".jsonl")
            infos.append(dataset_info(name, jsonl_schema(name, system), f.get("rows", 0), f["bytes"], f["bytes"]))
    return infos


def _config_lines(manifest: dict[str, Any]) -> list[str]:
    """How to load this export: its configs, the JSON Lines files, LLaMA-Factory, TRL, axolotl."""
    names = [c["config_name"] for c in _configs(manifest)]
    jsonl = [f["path"] for f in _jsonl_files(manifest)]
    lines = ["## Loading", "", "```python", "from datasets import load_dataset", "",
             'rows = load_dataset("EXPORT_DIR_OR_REPO_ID", split="train")  # the default config']
    if "default" in names:
        example = next((n for n in names if n != "default" and not n.startswith("lang_")), "ner")
        lines += [f'one_category = load_dataset("EXPORT_DIR_OR_REPO_ID", "{example}", split="train")']
        lines += [f'{p.removesuffix(".jsonl")} = load_dataset("json", data_files="EXPORT_DIR/{p}", split="train")' for p in jsonl]
        lines += ["```", "", "Configs: `default` (every Parquet shard), one per category, one per language (e.g. `lang_zh`)."]
    else:
        lines += ["```", "", "Configs: one per JSON Lines format: " + ", ".join(f"`{n}`" for n in names) + "."]
    if "default" in names or any(p.removesuffix(".jsonl") in LLAMAFACTORY_FORMATS for p in jsonl):
        lines += ["", "In the export folder, `dataset_info.json` declares it for LLaMA-Factory "
                  "(`--dataset_dir` that folder; on the Hub use an `hf_hub_url` entry, see biocurate's docs/trainers.md)."]
    if "default" in names:
        lines += ["The `messages` column (`[{role, content}]`) is read as it is by TRL's `SFTTrainer`, "
                  "transformers' chat templates and axolotl's `type: chat_template`."]
    return lines


def _cut(value: Any) -> Any:
    if isinstance(value, str) and len(value) > EXAMPLE_CHARS:
        return value[:EXAMPLE_CHARS] + f"… (+{len(value) - EXAMPLE_CHARS} chars)"
    if isinstance(value, list):
        return [_cut(v) for v in value]
    if isinstance(value, dict):
        return {k: _cut(v) for k, v in value.items()}
    return value


def example_rows(manifest: dict[str, Any], out: Path) -> dict[str, dict[str, Any]]:
    """The first row of the first shard (by path) of each category, long strings cut."""
    import pyarrow.parquet as pq

    examples: dict[str, dict[str, Any]] = {}
    for f in _parquet_files(manifest):
        category = f["path"].split("/")[1]
        if category in examples or not f.get("rows", 1):
            continue
        first = pq.ParquetFile(out / f["path"]).read_row_group(0).slice(0, 1).to_pylist()
        if first:
            examples[category] = _cut(first[0])
    return examples


def _structure(manifest: dict[str, Any], out: Path | None) -> list[str]:
    files = _parquet_files(manifest)
    if out is None or not files:
        return []
    import pyarrow.parquet as pq

    schema = pq.read_schema(out / files[0]["path"])
    lines = ["## Dataset structure", "",
             "Every config has one `train` split. Each row is one instruction sample:", "",
             "| column | type | meaning |", "|---|---|---|"]
    lines += [f"| `{f.name}` | `{f.type}` | {COLUMN_DOCS.get(f.name, '')} |" for f in schema]
    lines += ["", "One example row per category (strings longer than "
              f"{EXAMPLE_CHARS} characters are cut here, never in the data):", ""]
    for category, row in example_rows(manifest, out).items():
        lines += [f"<details><summary><code>{category}</code></summary>", "", "```json",
                  json.dumps(row, ensure_ascii=False, indent=2), "```", "", "</details>", ""]
    return lines


def _licences(manifest: dict[str, Any]) -> list[str]:
    lines = ["## Licences", "", "Each source keeps its own licence; the `licence` column names it on every row.", "",
             "| licence | share of rows | rows | redistributable | commercial use | sources |", "|---|---:|---:|---|---|---|"]
    for s in licence_shares(manifest):
        lines.append(f"| {s.licence} | {s.share:.1%} | {s.rows:,} | {'yes' if s.redistributable else 'no'} | "
                     f"{'yes' if s.commercial else 'no'} | {', '.join(f'`{n}`' for n in s.sources)} |")
    blocked = restricted_sources(manifest)
    if blocked:
        lines += ["", "Not cleared for public redistribution: " + ", ".join(str(b) for b in blocked) + ". "
                  "`biocurate push` refuses a public upload of this export unless `--private` or "
                  "`--i-have-permission`; `biocurate export --exclude-licence non-redistributable` leaves these sources out."]
    return lines + [""]


def _citations(manifest: dict[str, Any]) -> list[str]:
    cites = {s["display_name"]: s.get("citation", "") for s in manifest["sources"].values()}
    lines = ["## Citations", ""]
    for entry in group_citations(cites):
        lines += [f"Cited by {', '.join(entry.cited_by)}:", "", "```bibtex", entry.text, "```", ""]
    return lines


def card_text(spec: MixtureSpec, manifest: dict[str, Any], out: Path | None = None, chart: str | None = None) -> str:
    """The card's Markdown. With ``out`` (the export folder) it also reads the shards for the
    ``dataset_info`` features and example rows; ``chart`` is the chart's file name, if drawn."""
    totals = manifest["totals"]
    header: dict[str, Any] = {
        "pretty_name": f"biocurate {spec.name}",
        "language": sorted({lang for s in manifest["sources"].values() for lang in s["languages"]}),
        **hub_licence(manifest, LICENCE_FILE),
        "size_categories": [size_category(totals["achieved"])],
        "task_categories": ["text-generation"],
        "tags": ["biomedical", "instruction-tuning", "biocurate", spec.name],
        "configs": _configs(manifest),
    }
    if out is not None:
        infos = _dataset_infos(manifest, out, spec.system is not None)
        if infos:
            header["dataset_info"] = infos
    lines = ["---", yaml.safe_dump(header, allow_unicode=True, sort_keys=False).rstrip(), "---", ""]
    lines += [f"# biocurate {spec.name}", "", spec.description.strip(), ""]
    lines += [f"Seed {manifest['seed']}; {totals['achieved']:,} samples of {totals['target']:,} targeted; "
              f"{totals['rejected']:,} raw records rejected (see `rejects.jsonl`).", ""]
    parquet = [f["path"] for f in _parquet_files(manifest)]
    held_out = held_out_note(held_out_sources(manifest, rows_by_split(out, parquet) if out is not None else None))
    if held_out:
        lines += [f"**Held-out splits in training.** {held_out} Do not evaluate on these splits of these datasets.", ""]
    if chart:
        lines += [f"![target vs achieved samples per category and language]({chart})", ""]
    lines += ["## Counts", "", "| category | language | target | available | achieved | shortfall |", "|---|---|---:|---:|---:|---:|"]
    for t in manifest["targets"]:
        lines.append(f"| {t['category']} | {t['language']} | {t['target']:,} | {t['available']:,} | {t['achieved']:,} | {t['shortfall']:,} |")
    lines += ["", "Counts are samples.", ""]
    if out is not None and parquet:
        lines += [category_section(export_counts(out, parquet)), ""]  # Taiyi's labels beside Taiyi-1's counts
    lines += [drops_section(manifest), "", *_config_lines(manifest), ""]
    lines += _structure(manifest, out)
    lines += _licences(manifest)
    lines += ["## Sources", "", "`records in`: raw records read; `samples out`: rows in this export (a record can give several samples).", "",
              "| dataset | licence | records in | rejected | deduplicated | decontaminated | samples out |", "|---|---|---:|---:|---:|---:|---:|"]
    for name, s in manifest["sources"].items():
        c = s["counts"]
        lines.append(f"| [{s['display_name']}]({s['homepage']}) (`{name}`) | {s['licence']} | {c['in']:,} | {c['rejected']:,} | {c['deduplicated']:,} | {c['decontaminated']:,} | {c['out']:,} |")
    if manifest["skipped_sources"]:
        lines += ["", "Skipped: " + "; ".join(f"`{k}`: {v}" for k, v in manifest["skipped_sources"].items())]
    lines += ["", *_citations(manifest)]
    lines += ["## Reproduce", "", f"`biocurate export --mix {spec.name} --seed {manifest['seed']}` on the same raw files "
              "(their sha256 are in `manifest.json`) gives byte-identical shards.", ""]
    return "\n".join(lines)


def licence_text(spec: MixtureSpec, manifest: dict[str, Any]) -> str:
    """``LICENSE.md``: the export has no single licence; each source's terms apply to its rows."""
    lines = [f"# Licences of biocurate {spec.name}", "",
             "This dataset mixes sources under different licences. Each row's `licence` column names the "
             "licence of the source it was derived from, and those terms apply to that row.", ""]
    lines += _licences(manifest)[4:]
    lines += ["| dataset | licence | homepage |", "|---|---|---|"]
    lines += [f"| `{n}` | {s['licence']} | {s['homepage']} |" for n, s in manifest["sources"].items()]
    return "\n".join(lines) + "\n"


def write_card(out: Path, spec: MixtureSpec, manifest: dict[str, Any]) -> Path:
    """Write README.md, LICENSE.md and (with matplotlib) mixture.png into the export folder."""
    chart = write_mixture_chart(manifest["targets"], out / CHART_FILE, f"biocurate {spec.name}: target vs achieved")
    if chart is None and (out / CHART_FILE).exists():
        (out / CHART_FILE).unlink()  # a chart of an earlier export would not match this one
    (out / LICENCE_FILE).write_text(licence_text(spec, manifest), encoding="utf-8")
    path = out / "README.md"
    path.write_text(card_text(spec, manifest, out, CHART_FILE if chart else None), encoding="utf-8")
    return path
