"""Output writers: Parquet shards (default) and JSON Lines for other trainers.

Every writer takes final rows in batches (``pa.Table`` in :data:`~biocurate.export.rows.ROW_SCHEMA`
or the eval schema) and writes files atomically: a file appears under its final name only when
complete, so an interrupted export never leaves a partial shard behind. Writers register in
:data:`WRITERS` by format name (``biocurate export --format NAME``).

* ``parquet``: ``data/<category>/<language>/train-NNNNN.parquet``, rotated every ``shard_rows``.
* ``firefly``: Taiyi's released format: ``conversation_id``, ``dataset``, ``category``
  (Taiyi's labels: NER, RE, MT-zh2en, ...), ``language``, ``conversation``.
* ``sharegpt``: ``{"id", "conversations": [{"from": "human"|"gpt", "value"}]}``.
* ``alpaca``: ``{"instruction", "input", "output", "history"}`` (LLaMA-Factory's alpaca with history).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.parquet as pq

from .rows import group_rows

#: Taiyi's category labels (final_instruction_data.md) by biocurate fine task.
TAIYI_CATEGORY = {
    "ner": "NER", "re": "RE", "ee": "EE", "nen": "ADD", "tc": "TC", "sts": "TP-ss", "te": "TP-te",
    "qa_choice": "QA_choice", "qa_yesno": "QA_yesno", "qa_context": "QA_cqa", "qa_free": "QA_sqa",
    "dialogue": "MRD", "title_gen": "TT-ds", "report_gen": "TT-ts", "cot": "COT", "chat": "general_dialogue",
}


def taiyi_category(task: str, language: str) -> str:
    if task == "mt":
        return "MT-zh2en" if language == "zh-en" else "MT-en2zh"
    return TAIYI_CATEGORY.get(task, task)


class Writer:
    """Base: receives tables of final rows; subclasses write them; :meth:`close` returns files."""

    name: ClassVar[str] = ""

    def __init__(self, out_dir: Path, shard_rows: int = 100_000) -> None:
        self.out_dir = out_dir
        self.shard_rows = shard_rows

    def write(self, table: pa.Table) -> None:
        raise NotImplementedError

    def close(self) -> list[Path]:
        raise NotImplementedError


class ParquetShardWriter(Writer):
    """One stream of shards per (category, language), rotated at ``shard_rows`` rows."""

    name = "parquet"

    def __init__(self, out_dir: Path, shard_rows: int = 100_000, schema: pa.Schema | None = None) -> None:
        super().__init__(out_dir, shard_rows)
        self.schema = schema
        self._open: dict[tuple[str, str], tuple[pq.ParquetWriter, Path, int, int]] = {}
        self.files: list[Path] = []

    def _path(self, category: str, language: str, index: int) -> Path:
        return self.out_dir / "data" / category / language / f"train-{index:05d}.parquet"

    def _finish(self, key: tuple[str, str]) -> None:
        writer, path, _, _ = self._open.pop(key)
        writer.close()
        final = path.with_suffix("")  # strip .tmp
        os.replace(path, final)
        self.files.append(final)

    def write(self, table: pa.Table) -> None:
        schema = self.schema or table.schema
        for key, indices in group_rows(table, "category", "language"):
            rows = table.take(pa.array(indices))
            offset = 0
            while offset < rows.num_rows:
                if key not in self._open:
                    index = sum(1 for f in self.files if f.parent == self._path(*key, 0).parent)
                    path = self._path(*key, index).with_suffix(".parquet.tmp")
                    path.parent.mkdir(parents=True, exist_ok=True)
                    writer = pq.ParquetWriter(str(path), schema, compression="zstd")
                    self._open[key] = (writer, path, index, 0)
                writer, path, index, written = self._open[key]
                take = min(self.shard_rows - written, rows.num_rows - offset)
                writer.write_table(rows.slice(offset, take).cast(schema))
                offset += take
                self._open[key] = (writer, path, index, written + take)
                if written + take >= self.shard_rows:
                    self._finish(key)

    def close(self) -> list[Path]:
        for key in sorted(self._open):
            self._finish(key)
        return sorted(self.files)


class JsonlWriter(Writer):
    """Base of the JSON Lines formats: one file ``<name>.jsonl``, written to a temp name first."""

    def __init__(self, out_dir: Path, shard_rows: int = 100_000) -> None:
        super().__init__(out_dir, shard_rows)
        self.path = out_dir / f"{self.name}.jsonl"
        self._tmp = self.path.with_suffix(".jsonl.tmp")
        self._handle = open(self._tmp, "w", encoding="utf-8")
        self.count = 0

    def convert(self, row: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def write(self, table: pa.Table) -> None:
        for row in table.to_pylist():
            self.count += 1
            self._handle.write(json.dumps(self.convert(row), ensure_ascii=False) + "\n")

    def close(self) -> list[Path]:
        self._handle.close()
        os.replace(self._tmp, self.path)
        return [self.path]


class FireflyWriter(JsonlWriter):
    name = "firefly"

    def convert(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "conversation_id": self.count,
            "dataset": row["dataset"],
            "category": taiyi_category(row["task"], row["language"]),
            "language": row["language"],
            "conversation": [{"human": t["human"], "assistant": t["assistant"]} for t in row["conversation"]],
        }


class ShareGPTWriter(JsonlWriter):
    name = "sharegpt"

    def convert(self, row: dict[str, Any]) -> dict[str, Any]:
        turns = []
        for t in row["conversation"]:
            turns += [{"from": "human", "value": t["human"]}, {"from": "gpt", "value": t["assistant"]}]
        return {"id": row["id"], "conversations": turns}


class AlpacaWriter(JsonlWriter):
    name = "alpaca"

    def convert(self, row: dict[str, Any]) -> dict[str, Any]:
        *history, last = row["conversation"]
        return {
            "instruction": last["human"],
            "input": "",
            "output": last["assistant"],
            "history": [[t["human"], t["assistant"]] for t in history],
        }


WRITERS: dict[str, type[Writer]] = {w.name: w for w in (ParquetShardWriter, FireflyWriter, ShareGPTWriter, AlpacaWriter)}
