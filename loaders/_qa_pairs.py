"""Base of the loaders whose raw records are question/answer objects in JSON Lines or JSON arrays.

BenTsao, HuatuoGPT-sft, the Huatuo-26M parts, cMedQA-style pair files, HealthCareMagic and the
like all ship one JSON object per QA pair (as JSON Lines, a JSON array, or Parquet via
:mod:`._hub_files`); only the keys differ. A subclass names the question and answer keys (or
overrides :meth:`QAPairLoader.question_answer`), and every object becomes one free-form QA
record (``type="sqa"``). A missing or empty key is rejected naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from biocurate.errors import ConversionError
from biocurate.schemas import QARecord

from ._base import SourceItem
from ._arrayfiles import JsonArrayLoader
from ._chatfiles import ChatFileLoader
from .formats.cblue import require_str


def first_text(data: Any, key: str) -> str:
    """``data[key]`` as text; a list of strings (Huatuo-26M ``questions``/``answers``) gives its
    first non-empty element.

    Raises:
        ConversionError: missing key, wrong type or empty value (field ``key``).
    """
    if isinstance(data, dict) and isinstance(data.get(key), list):
        items = data[key]
        if not all(isinstance(v, str) for v in items):
            raise ConversionError(f"{key!r} must be a list of strings", field=key)
        texts = [v.strip() for v in items if v.strip()]
        if not texts:
            raise ConversionError(f"{key!r} has no non-empty string", field=key)
        return texts[0]
    value = require_str(data, key).strip()
    if not value:
        raise ConversionError(f"{key!r} is blank", field=key)
    return value


class QAPairLoader(ChatFileLoader):
    """One ``sqa`` QA record per raw object; subclasses set the keys and the language."""

    question_key: ClassVar[str] = "question"
    answer_key: ClassVar[str] = "answer"

    @property
    def language(self) -> str:
        return self.meta.languages[0]

    def question_answer(self, data: Any) -> tuple[str, str]:
        """The question and the answer of one raw object (override for other shapes)."""
        return first_text(data, self.question_key), first_text(data, self.answer_key)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        question, answer = self.question_answer(item.data)
        record_id = self.record_id(split, index)
        yield QARecord(
            id=record_id, dataset=self.name, split=split, language=self.language, question_id=record_id,
            document_id=item.key or record_id, question=question, type="sqa", answer=[answer],
        )


class ArrayQAPairLoader(JsonArrayLoader, QAPairLoader):
    """A QA-pair corpus shipped as one JSON array: read eagerly (see :mod:`._arrayfiles`)."""
