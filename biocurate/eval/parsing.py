"""Reading evaluation exports and predictions, and parsing one model answer (stage 6).

An evaluation export (``biocurate export --split validation --out EVAL_DIR``) holds one
``<dataset>.jsonl`` per dataset; each row keeps ``template_id``, ``answer_format``, ``gold``
and ``parse_context``. A prediction file holds ``{"id", "prediction"}`` lines
(``biocurate chat --input ... --output ...``). A model answer is parsed by the inverse of the
template that produced its prompt (:func:`biocurate.templates.engine.parse_answer`); model
text is only ever matched with regular expressions, never evaluated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from biocurate.errors import BiocurateError
from biocurate.templates.codecs import CODECS
from biocurate.templates.textscan import is_empty

__all__ = ["EvalError", "Parsed", "Predictions", "load_eval_rows", "load_predictions", "parse_prediction"]

REQUIRED = ("id", "dataset", "task", "language", "template_id", "answer_format", "gold")


class EvalError(BiocurateError):
    """An evaluation input cannot be read (missing file, row without the columns a scorer needs)."""


def _json_lines(path: Path):
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield number, line


def _export_files(folder: Path) -> list[Path]:
    """The dataset files of an export folder: those its ``manifest.json`` lists, else every ``*.jsonl``
    (so a predictions file saved into the folder is not mistaken for gold rows)."""
    manifest = folder / "manifest.json"
    if manifest.is_file():
        try:
            listed = [info["file"] for info in json.loads(manifest.read_text(encoding="utf-8"))["datasets"].values()]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise EvalError(f"{manifest}: not an evaluation manifest (expected 'datasets' with a 'file' each)") from None
        return [folder / name for name in sorted(listed)]
    return sorted(folder.glob("*.jsonl"))


def load_eval_rows(path: str | Path, datasets: list[str] | None = None) -> list[dict[str, Any]]:
    """Rows of an evaluation export folder (the files its manifest lists) or of one ``.jsonl`` file.

    ``gold`` and ``parse_context`` are decoded from their JSON strings.

    Raises:
        EvalError: the path does not exist, holds no rows, or a row is not JSON or lacks a column.
    """
    path = Path(path)
    if path.is_dir():
        files = _export_files(path)
    elif path.is_file():
        files = [path]
    else:
        raise EvalError(f"gold {path}: no such file or folder (expected an evaluation export from "
                        "`biocurate export --split ...`)")
    rows = []
    for file in files:
        for number, line in _json_lines(file):
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalError(f"file {file} line {number}: not valid JSON ({exc.msg})") from None
            missing = [k for k in REQUIRED if k not in row]
            if missing:
                raise EvalError(f"file {file} line {number}: evaluation row lacks {', '.join(missing)}")
            if datasets and row["dataset"] not in datasets:
                continue
            for key in ("gold", "parse_context"):
                if isinstance(row.get(key), str):
                    try:
                        row[key] = json.loads(row[key])
                    except json.JSONDecodeError:
                        raise EvalError(f"file {file} line {number}: field {key!r} is not JSON text") from None
            row["parse_context"] = row.get("parse_context") or {}
            rows.append(row)
    if not rows:
        raise EvalError(f"gold {path}: no evaluation rows" + (f" for datasets {datasets}" if datasets else ""))
    return rows


@dataclass
class Predictions:
    """Predictions by id, and what was wrong with the file (garbled lines, repeated ids)."""

    by_id: dict[str, str] = field(default_factory=dict)
    garbled_lines: list[int] = field(default_factory=list)
    duplicate_ids: list[str] = field(default_factory=list)
    non_string: int = 0


def load_predictions(path: str | Path) -> Predictions:
    """Read ``{"id", "prediction"}`` JSON lines; a garbled line is skipped and counted, a later
    line for the same id wins, a non-string prediction is converted (``null`` -> empty).

    Raises:
        EvalError: the file does not exist.
    """
    path = Path(path)
    if not path.is_file():
        raise EvalError(f"predictions {path}: no such file (expected JSON lines with 'id' and 'prediction')")
    out = Predictions()
    for number, line in _json_lines(path):
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            out.garbled_lines.append(number)
            continue
        if not isinstance(item, dict) or "id" not in item:
            out.garbled_lines.append(number)
            continue
        key, value = str(item["id"]), item.get("prediction")
        if not isinstance(value, str):
            out.non_string += 1
            value = "" if value is None else json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else str(value)
        if key in out.by_id:
            out.duplicate_ids.append(key)
        out.by_id[key] = value
    return out


@dataclass
class Parsed:
    """A parsed answer and how parsing went.

    ``status`` is ``ok``, ``missing`` (no prediction for the id), ``empty`` (blank output),
    ``failed`` (non-empty output that parses to nothing and does not say "none"),
    or ``error`` (the parser raised; the answer is scored as empty).
    """

    value: Any
    status: str = "ok"
    detail: str = ""
    template_missing: bool = False

    @property
    def is_failure(self) -> bool:
        return self.status in ("failed", "error")


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _says_empty(text: str) -> bool:
    """The output explicitly says "nothing": ``无``, ``...为：无``, ``Result: none``..."""
    stripped = text.strip()
    lines = [line for line in stripped.splitlines() if line.strip()]
    candidates = [stripped] + lines[-1:]
    for line in lines[-1:]:
        for colon in (":", "："):
            if colon in line:
                candidates.append(line.rsplit(colon, 1)[1])
    return any(is_empty(c) for c in candidates if c.strip())


def _codec_language(row: dict[str, Any]) -> str:
    return "zh" if str(row.get("language", "")).startswith("zh") else "en"


def parse_prediction(row: dict[str, Any], text: str | None, store: Any) -> Parsed:
    """Parse one model answer for one evaluation row; never raises for model text.

    Args:
        row: an evaluation row (``gold``/``parse_context`` already decoded).
        text: the model's answer, or None when there is no prediction for the row.
        store: a :class:`~biocurate.templates.engine.TemplateStore`; when the row's template is
            not in it, the row's codec parses the text directly (``template_missing`` is set).
    """
    from biocurate.templates.engine import parse_answer

    codec = CODECS[row["answer_format"]]
    template = store.by_id.get(row["template_id"]) if store is not None else None
    template_missing = template is None
    if text is None:
        return Parsed(codec.empty(), "missing", "", template_missing)
    if not text.strip():
        return Parsed(codec.empty(), "empty", "", template_missing)
    context = row.get("parse_context") or {}
    try:
        if template is None:
            value = codec.parse(text, _codec_language(row), context)
        else:
            value = parse_answer(template, text, context)
    except Exception as exc:  # noqa: BLE001 - a parser bug on odd model text must not stop the evaluation
        return Parsed(codec.empty(), "error", f"{type(exc).__name__}: {exc}", template_missing)
    if _blank(value) and not _says_empty(text):
        return Parsed(value, "failed", "non-empty output parsed to nothing", template_missing)
    return Parsed(value, "ok", "", template_missing)
