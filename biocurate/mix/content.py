"""What a record *says*, independent of ids and template wording: used for dedup and
decontamination.

:func:`input_texts` gives the texts a model sees as input (the passage, the question, the
text pair...); :func:`content_key` hashes the normalised input and gold of a record for one
task, so two copies of the same example collide whatever their ids or templates.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata

from biocurate.schemas import (
    DialogueRecord, KBRecord, PairsRecord, QARecord, Record, T2TRecord, TERecord, TextRecord, TranslationRecord,
)

_SPACE = re.compile(r"\s+")
_ID_FIELDS = {"id", "document_id", "question_id", "dataset", "split"}


def normalise_text(text: str) -> str:
    """NFKC (full-width -> half-width), lowercase, collapse whitespace."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


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


def _strip_ids(value: object) -> object:
    if isinstance(value, dict):
        return {k: _strip_ids(v) for k, v in value.items() if k not in _ID_FIELDS and not k.endswith("_id") and k != "entity_ids"}
    if isinstance(value, list):
        return [_strip_ids(v) for v in value]
    return value


def content_key(record: Record, task: str) -> bytes:
    """16-byte digest of (task, normalised record content without ids)."""
    body = json.dumps(_strip_ids(record.model_dump()), ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(f"{task}\x00{normalise_text(body)}".encode(), digest_size=16).digest()
