"""Knowledge-base schema (BigBio ``kb``): NER, normalisation (NEN/NED), RE, events, coreference.

Offsets are half-open character spans into ``" ".join(all passage texts)``; a list of spans
allows discontinuous mentions. Ids are strings, unique within the record.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from ._base import Offset, Record, StrictModel


class Normalization(StrictModel):
    """A link from an entity (or relation) to a knowledge base, e.g. ``MESH:D009270``."""

    db_name: str
    db_id: str


class Passage(StrictModel):
    """A piece of the document (title, abstract, sentence...)."""

    id: str
    type: str
    text: list[str] = Field(min_length=1, max_length=1)
    offsets: list[Offset] = Field(min_length=1, max_length=1)


class Entity(StrictModel):
    """An entity mention: one or more spans, one type, optional normalisations."""

    id: str
    type: str
    text: list[str] = Field(min_length=1)
    offsets: list[Offset] = Field(min_length=1)
    normalized: list[Normalization] = Field(default_factory=list)


class Relation(StrictModel):
    """A typed, directed relation between two entities of the same record."""

    id: str
    type: str
    arg1_id: str
    arg2_id: str
    normalized: list[Normalization] = Field(default_factory=list)


class Trigger(StrictModel):
    """The words that evoke an event (may be empty for corpora without trigger spans)."""

    text: list[str] = Field(default_factory=list)
    offsets: list[Offset] = Field(default_factory=list)


class EventArgument(StrictModel):
    """A role filled by an entity or another event (``ref_id``).

    Following Taiyi's schema, an argument that is not a span of the text (a normalised value
    such as CHIP-CDEE's 发生状态 ``否定``) has ``ref_id=""`` and its value in ``text``
    (biocurate extra, dropped by :meth:`KBRecord.to_bigbio`).
    """

    role: str
    ref_id: str
    text: str = ""


class Event(StrictModel):
    """A typed event with its trigger and role arguments."""

    id: str
    type: str
    trigger: Trigger
    arguments: list[EventArgument] = Field(default_factory=list)


class Coreference(StrictModel):
    """A chain of entity ids that refer to the same thing."""

    id: str
    entity_ids: list[str] = Field(min_length=1)


class KBRecord(Record):
    """A document with passages and its annotations."""

    SCHEMA: ClassVar[str] = "kb"

    document_id: str
    passages: list[Passage]
    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    coreferences: list[Coreference] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)

    def to_bigbio(self) -> dict:
        """BigBio's kb layout: also drops the ``text`` of event arguments."""
        row = super().to_bigbio()
        for event in row["events"]:
            for argument in event["arguments"]:
                argument.pop("text", None)
        return row

    def full_text(self) -> str:
        """The passages joined by one space: the string all offsets index into."""
        return " ".join(p.text[0] for p in self.passages)
