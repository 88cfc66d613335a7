"""LLaMA-Factory's ``dataset_info.json`` for an export, so it trains on the folder as it is.

LLaMA-Factory reads datasets declared in ``<dataset_dir>/dataset_info.json`` (its documented
schema: ``file_name`` or ``script_url``, ``formatting``, ``columns``, ``tags``). The export writes
one entry per format it wrote, naming only columns that exist (an entry naming an absent
``system`` column fails with ``KeyError``):

* Parquet shards: ``script_url: "."``, so LLaMA-Factory calls ``datasets.load_dataset`` on the
  folder, which reads the card's configs (never the manifest or rejects); ``formatting:
  sharegpt`` over the ``messages`` column with role/content tags.
* ``sharegpt.jsonl``: ``formatting: sharegpt`` over ``conversations`` (``from``/``value``).
* ``alpaca.jsonl``: ``instruction``/``input``/``output``/``history``.

Use: ``llamafactory-cli train --dataset_dir EXPORT --dataset biocurate_taiyi_v1 ...``
(docs/trainers.md has a full config).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: The file LLaMA-Factory reads from its ``dataset_dir``.
DATASET_INFO_FILE = "dataset_info.json"
#: Formats LLaMA-Factory reads (the Firefly layout is not one of its formats).
LLAMAFACTORY_FORMATS = ("parquet", "sharegpt", "alpaca")


def dataset_name(mixture: str, fmt: str) -> str:
    """``biocurate_<mixture>`` for the Parquet shards, ``biocurate_<mixture>_<format>`` otherwise."""
    base = "biocurate_" + "".join(c if c.isalnum() else "_" for c in mixture)
    return base if fmt == "parquet" else f"{base}_{fmt}"


def entry(fmt: str, system: bool) -> dict[str, Any]:
    """The ``dataset_info.json`` entry of one written format (``system``: rows carry a system prompt)."""
    if fmt == "parquet":
        return {
            "script_url": ".",
            "formatting": "sharegpt",
            "columns": {"messages": "messages"},
            "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user",
                     "assistant_tag": "assistant", "system_tag": "system"},
        }
    if fmt == "sharegpt":
        columns = {"messages": "conversations", **({"system": "system"} if system else {})}
        return {
            "file_name": "sharegpt.jsonl",
            "formatting": "sharegpt",
            "columns": columns,
            "tags": {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt"},
        }
    if fmt == "alpaca":
        columns = {"prompt": "instruction", "query": "input", "response": "output", "history": "history"}
        return {"file_name": "alpaca.jsonl", "formatting": "alpaca", "columns": {**columns, **({"system": "system"} if system else {})}}
    raise ValueError(f"LLaMA-Factory has no entry for format {fmt!r}; it reads {', '.join(LLAMAFACTORY_FORMATS)}")


def dataset_info(mixture: str, formats: list[str], system: bool) -> dict[str, Any]:
    """Every entry for the written ``formats`` that LLaMA-Factory reads (empty: none)."""
    return {dataset_name(mixture, f): entry(f, system) for f in formats if f in LLAMAFACTORY_FORMATS}


def write_dataset_info(out: Path, mixture: str, formats: list[str], system: bool) -> Path | None:
    """Write ``dataset_info.json`` into the export folder; None when no format needs one."""
    entries = dataset_info(mixture, formats, system)
    if not entries:
        return None
    path = out / DATASET_INFO_FILE
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


__all__ = ["DATASET_INFO_FILE", "LLAMAFACTORY_FORMATS", "dataset_info", "dataset_name", "entry", "write_dataset_info"]
