"""BigBio rows -> biocurate records: file discovery, reading and one converter per BigBio schema.

The private half of :mod:`biocurate.loaders.bigbio_adapter` (see its docstring for the file
convention and the NULL rules); kept out of the registry walk by its leading underscore.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from biocurate.errors import ConversionError
from biocurate.schemas import (
    QA_TYPES, Coreference, Entity, Event, KBRecord, PairsRecord, Passage, QARecord, Record, Relation,
    T2TRecord, TERecord, TextRecord, TranslationRecord,
)

from .formats.jsonfiles import iter_jsonl

#: BigBio's sentinel for a missing string value (``BigBioValues.NULL``).
NULL = "<BB_NULL_STR>"
#: Record schemas the adapter produces; ``translation`` reads BigBio ``t2t`` with zh/en side names.
ADAPTER_SCHEMAS: tuple[str, ...] = ("kb", "qa", "text", "pairs", "t2t", "te", "translation")
#: Task a generated loader declares when none of its catalogue tasks reads its schema.
DEFAULT_TASK = {"kb": "ner", "qa": "qa_free", "text": "tc", "pairs": "sts", "te": "te", "t2t": "title_gen", "translation": "mt"}
SUFFIXES = (".parquet", ".jsonl", ".json")

_CONFIG = re.compile(r"[A-Za-z0-9_]*_bigbio_(kb|qa|text|pairs|t2t|te|entailment)(?![A-Za-z0-9])")
_SPLIT = re.compile(r"(?<![A-Za-z])(train|validation|valid|dev|test)(?![A-Za-z])")
_SPLIT_NAMES = {"train": "train", "validation": "validation", "valid": "validation", "dev": "validation", "test": "test"}


def schema_of(config: str) -> str | None:
    """The BigBio schema named in a config, file or folder name (``..._bigbio_te``/``_entailment`` -> ``te``)."""
    match = _CONFIG.search(config)
    return None if match is None else ("te" if match.group(1) == "entailment" else match.group(1))


def bigbio_files(data_dir: str | Path, schema: str | None = None) -> dict[str, dict[str, list[Path]]]:
    """BigBio export files under ``data_dir``: ``{config: {split: [paths]}}`` (see the module docstring)."""
    root = Path(data_dir)
    found: dict[str, dict[str, list[Path]]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in SUFFIXES):
        names = [root.name, *path.relative_to(root).parts[:-1], path.name[: -len(path.suffix)]]
        at = [i for i, name in enumerate(names) if _CONFIG.search(name)]
        if not at or (schema and schema_of(names[at[-1]]) != schema):
            continue
        config = _CONFIG.search(names[at[-1]]).group(0)
        # The split is named by the file, or by a folder between the config and the file
        # (the Hub's parquet-converter writes <config>/<split>/0000.parquet).
        splits = [m.group(1) for name in reversed(names[at[-1]:]) for m in [_SPLIT.search(_CONFIG.sub("", name))] if m]
        if splits:
            found.setdefault(config, {}).setdefault(_SPLIT_NAMES[splits[0]], []).append(path)
    return found


def iter_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Yield ``(row number, row)`` of a Parquet or JSON Lines file; an unreadable line yields its error text."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        number = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=512):
            for row in batch.to_pylist():
                number += 1
                yield number, row
        return
    for line, obj in iter_jsonl(path):
        if isinstance(obj, json.JSONDecodeError):
            yield line, f"malformed JSON: {obj.msg}"
        elif not isinstance(obj, dict):
            yield line, f"expected a JSON object per line, got {type(obj).__name__}"
        else:
            yield line, obj


# -- one converter per schema -----------------------------------------------------------------

def _get(row: Mapping[str, Any], field: str, path: str | None = None) -> Any:
    if field not in row:
        raise ConversionError(f"missing field {field!r} (not BigBio's layout?)", field=path or field)
    return row[field]


def _text(row: Mapping[str, Any], field: str, path: str | None = None, null: str | None = None) -> Any:
    value = _get(row, field, path)
    if value == NULL:
        if null is None:
            raise ConversionError(f"{field} is BigBio's NULL (no gold value)", field=path or field)
        return null
    return value


def _strings(values: Any) -> Any:
    return [v for v in values if v != NULL] if isinstance(values, list) else values


def _links(items: Any, where: str) -> list[dict[str, Any]]:
    links = [(f"{where}.normalized[{i}]", n) for i, n in enumerate(items or [])]
    return [{"db_name": _text(n, "db_name", f"{w}.db_name", ""), "db_id": _get(n, "db_id", f"{w}.db_id")}
            for w, n in links if n.get("db_id") != NULL]


def _build(model: type, where: str, **fields: Any) -> Any:
    """``model(**fields)``, with a validation error re-raised naming the full field path."""
    try:
        return model(**fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
        raise ConversionError(f"schema: {error['msg']}", field=where + loc) from None


def _kb(row: Mapping[str, Any], base: dict[str, Any], bid: str) -> KBRecord:
    def each(family: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
        for i, item in enumerate(_get(row, family) or []):
            yield f"{family}[{i}]", item

    def spans(item: Mapping[str, Any], where: str) -> dict[str, Any]:
        return {k: _get(item, k, f"{where}.{k}") for k in ("text", "offsets")}

    def ident(item: Mapping[str, Any], where: str, *names: str) -> dict[str, Any]:
        return {k: _get(item, k, f"{where}.{k}") for k in ("id", *names)}

    passages = [_build(Passage, w, **ident(p, w), type=_text(p, "type", f"{w}.type", ""), **spans(p, w)) for w, p in each("passages")]
    entities = [_build(Entity, w, **ident(e, w, "type"), **spans(e, w), normalized=_links(e.get("normalized"), w)) for w, e in each("entities")]
    events = [_build(Event, w, **ident(e, w, "type"), trigger=spans(_get(e, "trigger", f"{w}.trigger"), f"{w}.trigger"),
                     arguments=[{k: _get(a, k, f"{w}.arguments[{j}].{k}") for k in ("role", "ref_id")}
                                for j, a in enumerate(_get(e, "arguments", f"{w}.arguments") or [])])
              for w, e in each("events")]
    chains = [_build(Coreference, w, **ident(c, w, "entity_ids")) for w, c in each("coreferences")]
    relations = [_build(Relation, w, **ident(r, w, "type", "arg1_id", "arg2_id"), normalized=_links(r.get("normalized"), w))
                 for w, r in each("relations")]
    return KBRecord(**base, document_id=_text(row, "document_id", null=bid), passages=passages, entities=entities,
                    events=events, coreferences=chains, relations=relations)


def _qa(row: Mapping[str, Any], base: dict[str, Any], bid: str) -> QARecord:
    choices, context = _strings(_get(row, "choices")), _text(row, "context", null="")
    qtype = _text(row, "type", null="")
    if qtype not in QA_TYPES:  # BigBio lets loaders use their own words ("how", "why"...)
        qtype = "multiple_choice" if choices else ("cqa" if context else "sqa")
    document_id = _text(row, "document_id", null=bid)
    return QARecord(**base, question_id=_text(row, "question_id", null=document_id), document_id=document_id,
                    question=_text(row, "question"), type=qtype, choices=choices, context=context, answer=_strings(_get(row, "answer")))


def _t2t(row: Mapping[str, Any], base: dict[str, Any], bid: str, translation: bool = False) -> Record:
    names = {k: _text(row, k, null="") for k in ("text_1_name", "text_2_name")}
    fields = dict(document_id=_text(row, "document_id", null=bid), text_1=_text(row, "text_1"), text_2=_text(row, "text_2"))
    if not translation:
        return T2TRecord(**base, **fields, **names)
    for k, v in names.items():
        if v not in ("zh", "en"):
            raise ConversionError(f"{k} is {v!r}; a translation pair needs the language codes zh/en", field=k)
    base = {**base, "language": f"{names['text_1_name']}-{names['text_2_name']}"}
    return TranslationRecord(**base, **fields, **names)


_CONVERTERS = {
    "kb": _kb,
    "qa": _qa,
    "text": lambda row, base, bid: TextRecord(**base, document_id=_text(row, "document_id", null=bid),
                                         text=_text(row, "text"), labels=_strings(_get(row, "labels"))),
    "pairs": lambda row, base, bid: PairsRecord(**base, document_id=_text(row, "document_id", null=bid),
                                           text_1=_text(row, "text_1"), text_2=_text(row, "text_2"), label=_text(row, "label")),
    "te": lambda row, base, bid: TERecord(**base, premise=_text(row, "premise"), hypothesis=_text(row, "hypothesis"), label=_text(row, "label")),
    "t2t": _t2t,
    "translation": lambda row, base, bid: _t2t(row, base, bid, translation=True),
}


def convert_row(row: Mapping[str, Any], schema: str, *, dataset: str, split: str, language: str) -> Record:
    """One BigBio row -> one biocurate record of ``schema`` (see :data:`ADAPTER_SCHEMAS`).

    Raises:
        ConversionError: a field is missing or NULL where a value is required (names the field).
        pydantic.ValidationError: a value has the wrong type or shape.
    """
    bid = _get(row, "id")
    if not isinstance(bid, str) or bid in ("", NULL):
        raise ConversionError(f"id must be a non-empty string as BigBio declares it, got {bid!r}", field="id")
    base = {"id": f"{split}-{bid}", "dataset": dataset, "split": split, "language": language}
    return _CONVERTERS[schema](row, base, bid)
