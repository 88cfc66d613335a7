"""Common base of every schema record.

Field names and layout follow BigBio's schemas; biocurate adds three fields to every record
(``dataset``, ``split``, ``language``) and, for some families, a few more. Dropping the fields
listed in ``EXTRA_FIELDS`` leaves exactly BigBio's layout (see :meth:`Record.to_bigbio`).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

#: Language codes a record may carry. ``zh-en``/``en-zh`` mark translation direction.
LanguageCode = Annotated[str, Field(pattern=r"^(zh|en)(-(zh|en))?$")]

#: A half-open ``[start, end)`` character span into the passages joined by one space.
Offset = Annotated[list[int], Field(min_length=2, max_length=2)]


class StrictModel(BaseModel):
    """Strict pydantic model: no coercion (an int is not a str), unknown keys rejected."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Record(StrictModel):
    """Fields every biocurate record carries on top of its BigBio layout."""

    #: Name of the BigBio schema this family casts to (``kb``, ``qa``, ...), or a biocurate one.
    SCHEMA: ClassVar[str] = ""
    #: Fields that BigBio does not have; dropped by :meth:`to_bigbio`.
    EXTRA_FIELDS: ClassVar[tuple[str, ...]] = ("dataset", "split", "language")

    id: str
    dataset: str
    split: str
    language: LanguageCode

    def to_bigbio(self) -> dict[str, Any]:
        """Return the record as a dict in BigBio's layout (biocurate's extra fields dropped)."""
        return self.model_dump(exclude=set(self.EXTRA_FIELDS))
