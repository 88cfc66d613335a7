"""Error types shared by every stage.

Each error names where the problem is (dataset, file, line or record, field) and what was
expected, so a user can fix the input without reading biocurate's source.
"""

from __future__ import annotations


class BiocurateError(Exception):
    """Base class of every error biocurate raises on purpose."""


def _where(dataset: str | None, file: str | None, line: int | None, record: str | None, field: str | None) -> str:
    parts = []
    if dataset:
        parts.append(f"dataset {dataset!r}")
    if file:
        parts.append(f"file {file}" + (f" line {line}" if line is not None else ""))
    elif line is not None:
        parts.append(f"line {line}")
    if record is not None:
        parts.append(f"record {record!r}")
    if field:
        parts.append(f"field {field!r}")
    return ", ".join(parts)


class LocatedError(BiocurateError):
    """An error about one place in the input data.

    Attributes:
        reason: what is wrong, in words.
        dataset, file, line, record, field: where it is (any may be None).
    """

    def __init__(
        self,
        reason: str,
        *,
        dataset: str | None = None,
        file: str | None = None,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = reason
        self.dataset = dataset
        self.file = file
        self.line = line
        self.record = record
        self.field = field
        where = _where(dataset, file, line, record, field)
        super().__init__(f"{where}: {reason}" if where else reason)


class LoaderError(LocatedError):
    """The raw files cannot be read at all (missing file or split, unreadable directory)."""


class ConversionError(LocatedError):
    """One raw record cannot be converted; it becomes a reject, the run goes on."""


class SchemaError(LocatedError):
    """A record breaks a schema rule (types, offsets, references, label set)."""


class TemplateError(BiocurateError):
    """A template file is invalid or a template cannot render a record."""


class MixtureError(BiocurateError):
    """A mixture specification is invalid or asks for something impossible."""


class ExportError(BiocurateError):
    """Writing an export failed."""
