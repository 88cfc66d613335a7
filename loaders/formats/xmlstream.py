"""Streaming XML with line numbers, for the XML formats (BioC, DDI).

:func:`iterparse_lines` runs :func:`xml.etree.ElementTree.iterparse` over a reader that hands
it one line per ``read()`` call, so every ``start`` event can be tagged with the line its tag
ends on; callers clear finished elements to keep memory flat. A file that is not well-formed
XML ends the stream with a :class:`~loaders.formats.common.Malformed` carrying expat's line.

Parsing goes through :mod:`defusedxml`, so safety does not depend on the expat version: entity
declarations (billion laughs, quadratic blow-up) and external entities or DTDs are refused
with a ``Malformed`` (field ``xml``) instead of being expanded or fetched. Corpora's DOCTYPE
lines that only name a DTD (BioC's ``<!DOCTYPE collection SYSTEM "BioC.dtd">``) are allowed;
nothing is fetched for them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as defused_iterparse

from .common import Malformed


class _LineReader:
    """A binary file whose ``read()`` returns at most one line; remembers how many it gave."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.line = 0

    def read(self, size: int = -1) -> bytes:
        data = self._handle.readline()
        if data:
            self.line += 1
        return data


def iterparse_lines(path: Path, events: tuple[str, ...] = ("start", "end")) -> Iterator[tuple[str, ET.Element, int] | Malformed]:
    """Yield ``(event, element, line)`` for ``path``; a parse error yields a ``Malformed`` and stops.

    ``line`` is the 1-based line on which the event's tag was completed (for ``start``: the
    line of the start tag's ``>``).
    """
    with open(path, "rb") as handle:
        reader = _LineReader(handle)
        try:
            for event, element in defused_iterparse(reader, events=events, forbid_dtd=False, forbid_entities=True, forbid_external=True):
                yield event, element, reader.line
        except ET.ParseError as exc:
            line = exc.position[0] if exc.position else reader.line
            yield Malformed(f"line {line}: not well-formed XML ({exc})", str(path), line, "xml")
        except LookupError as exc:  # the XML declaration names an encoding Python does not know
            yield Malformed(f"line {reader.line}: {exc} (in the XML declaration)", str(path), reader.line, "encoding")
        except DefusedXmlException as exc:
            yield Malformed(f"line {reader.line}: refused XML ({exc}): entity declarations and external entities are not read", str(path), reader.line, "xml")
