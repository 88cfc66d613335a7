"""What a record *says*, independent of ids and template wording: used for dedup and
decontamination.

:func:`input_texts` gives the texts a model sees as input (the passage, the question, the
text pair...); :func:`content_key` hashes the normalised input and gold of a record for one
task, so two copies of the same example collide whatever their ids or templates.
"""

from __future__ import annotations

import functools
import hashlib
import json
import types
import typing

from pydantic import BaseModel

from biocurate.schemas import (
    DialogueRecord,
    KBRecord,
    PairsRecord,
    QARecord,
    Record,
    T2TRecord,
    TERecord,
    TextRecord,
    TranslationRecord,
)

from .normalise import normalise_text, normalise_texts, normalised_utf8, uses_c_loop

_ID_FIELDS = {"id", "document_id", "question_id", "dataset", "split"}


def input_texts(record: Record) -> list[str]:
    """The input texts of a record (what a test item shares with a leaked training item)."""
    if isinstance(record, KBRecord):
        return [record.full_text()]
    if isinstance(record, TextRecord):
        return [record.text]
    if isinstance(record, PairsRecord):
        return [record.text_1, record.text_2]
    if isinstance(record, TERecord):
        return [record.premise, record.hypothesis]
    if isinstance(record, QARecord):
        return [record.question] + ([record.context] if record.context else [])
    if isinstance(record, (T2TRecord, TranslationRecord)):
        return [record.text_1, record.text_2] if isinstance(record, TranslationRecord) else [record.text_1]
    if isinstance(record, DialogueRecord):
        return [t.text for t in record.turns if t.role == "user"][:1]
    return []


def _id_field(key: str) -> bool:
    return key in _ID_FIELDS or key.endswith("_id") or key == "entity_ids"


def _strip_ids(value: object) -> object:
    if isinstance(value, dict):
        return {k: _strip_ids(v) for k, v in value.items() if not _id_field(k)}
    if isinstance(value, list):
        # lists of strings (passage texts, labels, choices) are the common case: no recursion
        if all(type(v) is str for v in value):
            return value
        return [_strip_ids(v) for v in value]
    return value


_LAST_INPUTS: list = [None, None]


def normalised_inputs(record: Record) -> list[str]:
    """``[normalise_text(t) for t in input_texts(record)]``, remembered for the last record
    (the decontaminator and the near-dup filter both need it for the same record)."""
    if _LAST_INPUTS[0] is not record:
        _LAST_INPUTS[0] = record
        _LAST_INPUTS[1] = [normalise_text(t) for t in input_texts(record)]
    return _LAST_INPUTS[1]


def normalised_inputs_of(records: list[Record]) -> list[list[str]]:
    """``[normalised_inputs(r) for r in records]``, normalised together (:func:`normalise_texts`)."""
    texts = [input_texts(record) for record in records]
    flat = iter(normalise_texts([text for record_texts in texts for text in record_texts]))
    return [[next(flat) for _ in record_texts] for record_texts in texts]


_SCALARS = (str, int, float, bool, type(None))
#: ``json.dumps(value, ensure_ascii=False, sort_keys=True)`` without building an encoder per call.
_SORTED_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _exclude_spec(model: type[BaseModel]) -> dict | None:
    """``model_dump(exclude=...)`` spec dropping exactly what :func:`_strip_ids` drops, or None
    when a field's type could hide id keys the spec cannot name (a ``dict``, ``Any``...)."""
    spec: dict = {}
    for name, info in model.model_fields.items():
        if _id_field(name):
            spec[name] = True
            continue
        sub = _annotation_spec(info.annotation)
        if sub is None:
            return None
        if sub:
            spec[name] = sub
    return spec


def _annotation_spec(annotation: object) -> dict | None:
    """Exclude spec for one field type: ``{}`` for plain data, None when not expressible."""
    if annotation in _SCALARS:
        return {}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _exclude_spec(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _annotation_spec(args[0])
    if origin is typing.Literal:
        return {}
    if origin in (list, tuple) and args:
        subs = [_annotation_spec(a) for a in args if a is not Ellipsis]
        if any(sub is None for sub in subs):
            return None
        if not any(subs):
            return {}
        return {"__all__": subs[0]} if origin is list else None
    if origin in (typing.Union, types.UnionType):
        subs = [_annotation_spec(a) for a in args]
        return {} if all(sub == {} for sub in subs) else None
    return None


@functools.cache
def _record_exclude(model: type[BaseModel]) -> dict | None:
    return _exclude_spec(model)


def _content_body(record: Record) -> bytes:
    """The record without ids as UTF-8 JSON: the same bytes for the same content of a record
    class (pydantic's serialiser, in field order, where an exclude spec can drop the ids)."""
    spec = _record_exclude(type(record))
    if spec is not None:
        # model_dump_json(exclude=spec), without decoding the serialiser's UTF-8 to a str
        return type(record).__pydantic_serializer__.to_json(record, exclude=spec)
    return _SORTED_JSON(_strip_ids(record.model_dump())).encode()


def content_key(record: Record, task: str) -> bytes:
    """16-byte digest of (task, normalised record content without ids)."""
    return _digest(task, normalised_utf8(_content_body(record)))


def content_keys(records: list[Record], tasks: list[str]) -> list[list[bytes]]:
    """``[[content_key(r, t) for t in tasks] for r in records]``, each record normalised once
    for all its tasks (without the C loop: all records normalised together)."""
    bodies = [_content_body(record) for record in records]
    if uses_c_loop():
        normalised = map(normalised_utf8, bodies)
    else:
        normalised = (body.encode() for body in normalise_texts([body.decode() for body in bodies]))
    return [[_digest(task, body) for task in tasks] for body in normalised]


def _digest(task: str, normalised_body: bytes) -> bytes:
    # SHA-256 (hardware-accelerated on current x86 and ARM CPUs, ~2x blake2b here), cut to 16 bytes
    return hashlib.sha256(_task_prefix(task) + normalised_body).digest()[:16]


@functools.cache
def _task_prefix(task: str) -> bytes:
    return task.encode() + b"\x00"
