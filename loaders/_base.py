"""The loader contract (stage 2): metadata once, a source reader, a mapping to schema records.

A loader reads a directory of the dataset's *original* raw files (under their original names)
and streams :class:`~biocurate.schemas.Record` objects. It has two halves, kept apart:

* :meth:`Loader.read_source` yields :class:`SourceItem` (one raw record and where it came from),
  or :class:`Reject` for raw input it could not even parse (a malformed JSON line).
* :meth:`Loader.to_schema` maps one source item to zero or more records, raising
  :class:`~biocurate.errors.ConversionError` when the item cannot be converted.

:meth:`Loader.records` joins the two and turns every failure into a :class:`Reject` naming
file, line, record and field, so nothing is dropped silently.
"""

from __future__ import annotations

import functools
import re
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from biocurate.errors import ConversionError, LoaderError
from biocurate.licenses import LICENCES
from biocurate.schemas import SCHEMAS, Record
from biocurate.tasks import TASKS

from .formats.common import DecodeFailure, check_encoding, current_encoding, decoding, files_under, split_files, steps_decoded
from ._keys import reject_repeated_keys

#: Split names a loader may declare (HF/BigBio naming; CBLUE's "dev" maps to validation).
SPLITS = ("train", "validation", "test")


class SourceFile(BaseModel):
    """A raw file that can be fetched: where from, under which name, with which checksum."""

    model_config = ConfigDict(extra="forbid")

    url: str
    filename: str
    sha256: str | None = None
    size: int | None = None


class DatasetMeta(BaseModel):
    """Everything said about a dataset, said once.

    Attributes:
        name: registry name (BigBio's name where BigBio has the dataset).
        display_name: human-readable name.
        description: one paragraph.
        languages: ``zh`` and/or ``en``.
        tasks: fine task names from :data:`biocurate.tasks.TASKS` the records can be rendered as.
        schema: record family (:data:`biocurate.schemas.SCHEMAS` key).
        license: key of :data:`biocurate.licenses.LICENCES` (read it as ``meta.licence``;
            ``license`` is the deprecated spelling).
        citation: BibTeX.
        homepage: URL.
        splits: split name -> glob of the raw file(s) holding it, relative to the data dir.
        source_files: files ``biocurate download`` can fetch.
        manual_download: where to get the data when it cannot be fetched (registration, DUA).
        label_sets: declared label vocabularies (``entity_types``, ``relation_types``,
            ``event_types``, ``labels``); records outside them are rejected.
        aliases: other accepted names (e.g. the folder names of ``shared/corpora``).
        format_note: what raw format is read and, where no real sample existed, which
            published description the parser follows.
        unlabelled_splits: splits shipped without gold labels (CBLUE test sets): they load,
            but exports and evaluation skip them.
        label_names: raw label -> the words templates show and models answer with
            (CHIP-STS ``"1"`` -> ``"语义相同"``); parsers map the words back.
        reads_folder_of: name of another dataset whose raw folder this loader reads (e.g. a
            title-generation view of BC5CDR's PubTator file); its folder is found by that
            dataset's names.
        format_source: ``"real sample"`` when the parser was tested on real raw files, or
            ``"format from description"`` when none were available and it follows the published
            format description cited in ``format_note`` (``list --all`` and ``info`` show it).
        encoding: the text encoding of the raw files (a Python codec name; a byte-order mark
            in a file wins); ``Loader(data_dir, encoding=...)`` overrides it for a run.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    display_name: str
    description: str
    languages: list[str]
    tasks: list[str]
    schema_name: str = Field(alias="schema")
    license: str
    citation: str
    homepage: str
    splits: dict[str, str]
    source_files: list[SourceFile] = Field(default_factory=list)
    manual_download: str | None = None
    label_sets: dict[str, list[str]] = Field(default_factory=dict)
    aliases: list[str] = Field(default_factory=list)
    pubmed: bool = False
    version: str = "1.0.0"
    bigbio_name: str | None = None
    format_note: str = ""
    unlabelled_splits: list[str] = Field(default_factory=list)
    label_names: dict[str, str] = Field(default_factory=dict)
    reads_folder_of: str | None = None
    format_source: Literal["real sample", "format from description"] = "real sample"
    encoding: str = "utf-8"

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: str) -> str:
        return check_encoding(value)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if v not in ("zh", "en")]
        if bad or not value:
            raise ValueError(f"languages must be 'zh' and/or 'en', got {value}")
        return value

    @field_validator("tasks")
    @classmethod
    def _tasks(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if v not in TASKS]
        if bad:
            raise ValueError(f"unknown tasks {bad}; known: {', '.join(TASKS)}")
        return value

    @field_validator("schema_name")
    @classmethod
    def _schema(cls, value: str) -> str:
        if value not in SCHEMAS:
            raise ValueError(f"unknown schema {value!r}; known: {', '.join(SCHEMAS)}")
        return value

    @field_validator("license")
    @classmethod
    def _license(cls, value: str) -> str:
        if value not in LICENCES:
            raise ValueError(f"unknown licence {value!r}; use one of: {', '.join(LICENCES)}")
        return value

    @property
    def licence(self) -> str:
        """The licence key: biocurate's public spelling (columns, manifest, flags). ``license`` is
        the field's older name, kept as a deprecated alias (loaders still pass ``license=``)."""
        return self.license

    @field_validator("splits")
    @classmethod
    def _splits(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [s for s in value if s not in SPLITS]
        if bad:
            raise ValueError(f"unknown splits {bad}; use {SPLITS}")
        return value


@dataclass
class SourceItem:
    """One raw record and where it came from (``line`` is 1-based; ``None`` for whole files)."""

    data: Any
    file: str
    line: int | None = None
    key: str | None = None


@dataclass
class Reject:
    """A record that could not be converted or failed validation, with its reason."""

    dataset: str
    split: str
    reason: str
    stage: str = "convert"
    file: str | None = None
    line: int | None = None
    record: str | None = None
    field: str | None = None
    raw: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Deferred:
    """A raw item whose costly reading (parsing a line, opening a file) is put off until
    :meth:`resolve` is called.

    Spooling workers skip the items of the other workers' blocks; a deferred item costs them
    nothing to skip. Resolving gives exactly what the eager reader would have yielded.
    """

    __slots__ = ("_args", "_encoding", "_read")

    def __init__(self, read: Callable[..., SourceItem | Reject], *args: Any) -> None:
        self._read = read
        self._args = args
        self._encoding = current_encoding()  # the loader's, as it was when the item was found

    def resolve(self) -> SourceItem | Reject:
        with decoding(self._encoding):
            return self._read(*self._args)


def resolve_item(item: SourceItem | Reject | Deferred) -> SourceItem | Reject:
    """The item itself, or what a :class:`Deferred` item reads as."""
    return item.resolve() if type(item) is Deferred else item


_SUBSCRIPT = re.compile(r"""\[\s*["']([^"']+)["']\s*\]|\.get\(\s*["']([^"']+)["']""")


def _wrong_type(exc: Exception, item: SourceItem) -> tuple[str, dict[str, Any]]:
    """Reason and field of a loader's ``TypeError``/``IndexError``... on raw data of the wrong
    JSON type: the field is the first key read on the loader's failing line (``raw["start_idx"]``)."""
    name = f"{type(exc).__name__}: {exc}"
    if isinstance(item.data, dict):  # a reader's stand-in inside the loader's own wrapping
        failure = next((v for v in item.data.values() if isinstance(v, LoaderError)), None)
        if failure is not None:
            return failure.reason, {"field": failure.field, "file": failure.file, "line": failure.line}
    if isinstance(exc, (TypeError, AttributeError)) and not isinstance(item.data, dict) and isinstance(item.data, (list, str, int, float)):
        return f"the record is a JSON {type(item.data).__name__}, expected an object ({name})", {}
    keys: list[str] = []
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if "loaders" in Path(frame.filename).parts and frame.line:
            keys = [a or b for a, b in _SUBSCRIPT.findall(frame.line)]
            break
    if not keys:
        return name, {}
    if isinstance(exc, (TypeError, AttributeError)):
        return f"field {keys[0]!r} (or the object holding it) has the wrong JSON type: {name}", {"field": keys[0]}
    return f"field {keys[0]!r}: {name}", {"field": keys[0]}


def _raw_preview(data: Any, limit: int = 500) -> str:
    text = data if isinstance(data, str) else repr(data)
    return text if len(text) <= limit else text[:limit] + "..."


def _field_of(error: ValidationError) -> str:
    loc = error.errors()[0].get("loc", ()) if error.errors() else ()
    return ".".join(str(p) for p in loc)


def _decoded(method: Callable[[Loader, str], Iterator[Any]]) -> Callable[[Loader, str], Iterator[Any]]:
    """``method`` (a loader's ``read_source`` / ``read_deferred``) run with the loader's encoding."""

    @functools.wraps(method)
    def read(self: Loader, split: str) -> Iterator[Any]:
        items = steps_decoded(method(self, split), self.encoding, f"dataset {self.name!r} split {split!r}")
        return reject_repeated_keys(self, split, items) if self.unique_keys else items

    read._decoded = True  # type: ignore[attr-defined]
    return read


class Loader(ABC):
    """Base class of every dataset loader.

    Subclasses set :attr:`meta` and implement :meth:`read_source` and :meth:`to_schema`.

    Every subclass's :meth:`read_source` and :meth:`read_deferred` run with the loader's
    :attr:`encoding` in effect (:func:`~loaders.formats.common.decoding`), so the format
    readers they call decode with it; a ``UnicodeDecodeError`` escaping a reader that opened a
    file itself becomes a :class:`LoaderError` naming the dataset, split and encoding.

    Args:
        data_dir: directory holding the dataset's raw files under their original names.
        encoding: text encoding for this run (default: ``meta.encoding``).
    """

    meta: ClassVar[DatasetMeta]
    #: Whether a raw record's :attr:`SourceItem.key` names it alone, so that a repeated key in
    #: a split is a reject (:mod:`._keys`); False where it names a group (a dialogue's turns).
    unique_keys: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("read_source", "read_deferred"):
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "_decoded", False):
                setattr(cls, name, _decoded(method))

    def __init__(self, data_dir: str | Path, encoding: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        if not self.data_dir.is_dir():
            raise LoaderError(f"data directory {self.data_dir} does not exist", dataset=self.meta.name)
        if encoding is not None:
            self.encoding = check_encoding(encoding)

    @property
    def encoding(self) -> str:
        """The text encoding the raw files are read with (see :attr:`DatasetMeta.encoding`)."""
        return self.__dict__.get("_encoding") or self.meta.encoding

    @encoding.setter
    def encoding(self, value: str) -> None:
        self.__dict__["_encoding"] = check_encoding(value)

    def __getstate__(self) -> dict[str, Any]:
        # Loaders travel to spooling workers: the folder listing goes along (strings), while
        # the Path objects of each split's files are rebuilt from it when first needed
        # (unpickling HoC's 45,000 Paths took every worker ~0.3 s before it could start).
        state = self.__dict__.copy()
        state.pop("_files_cache", None)
        return state

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def record_model(self) -> type[Record]:
        return SCHEMAS[self.meta.schema_name]

    def files_for(self, split: str) -> list[Path]:
        """The raw files of a split, sorted; raises :class:`LoaderError` when there are none.

        A split's glob may list alternatives separated by ``|`` (e.g. the release name and the
        sample name of the same file).
        """
        # cached: file-per-document corpora (HoC: 84,000 files) are listed once, not per call
        cache = self.__dict__.setdefault("_files_cache", {})
        if split not in cache:
            if "_tree" not in self.__dict__:  # one walk of the folder for all splits
                self.__dict__["_tree"] = files_under(self.data_dir)
            cache[split] = split_files(self.data_dir, self.meta.splits, split, self.name, self.__dict__["_tree"])
        return list(cache[split])

    #: Files beside the splits' files that every split also reads when present (a label list,
    #: a schema file), relative to the data directory; see :meth:`input_files`.
    side_files: ClassVar[tuple[str, ...]] = ()

    def input_files(self, split: str) -> list[Path]:
        """Every file a split's records depend on: :meth:`files_for` plus the present
        :attr:`side_files`. The manifest hashes these and a resumed export compares them, so a
        loader that reads other files must list them (or override this, e.g. for a folder)."""
        present = [self.data_dir / name for name in self.side_files if (self.data_dir / name).is_file()]
        return self.files_for(split) + present

    def available_splits(self) -> list[str]:
        """Declared splits whose raw files are present in the data directory."""
        found = []
        for split in self.meta.splits:
            try:
                self.files_for(split)
            except LoaderError:
                continue
            found.append(split)
        return found

    @abstractmethod
    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        """Yield the raw records of a split in file order."""

    @property
    def defers_parsing(self) -> bool:
        """Whether this loader's :meth:`read_deferred` puts parsing off (it overrides it)."""
        return type(self).read_deferred is not Loader.read_deferred

    def read_deferred(self, split: str) -> Iterator[SourceItem | Reject | Deferred]:
        """:meth:`read_source` with the costly part of reading each item put off (one
        :class:`Deferred` per item the eager reader yields, in the same order).

        Loaders whose items are cheap to find but costly to parse (JSON Lines, one file per
        document) override this and define :meth:`read_source` as its resolved stream; the
        default reads eagerly.
        """
        return self.read_source(split)

    @abstractmethod
    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[Record]:
        """Map one raw record to schema records.

        Args:
            item: the raw record.
            split: its split.
            index: 0-based position of the item in the split (for building ids).
        """

    def record_id(self, split: str, index: int, suffix: str = "") -> str:
        """Stable id unique in the dataset: ``<split>-<index>[-suffix]``."""
        return f"{split}-{index}" + (f"-{suffix}" if suffix else "")

    def reject(self, split: str, reason: str, item: SourceItem | None = None, **where: Any) -> Reject:
        """Build a reject for this dataset, filling file/line from ``item``."""
        if item is not None:
            where.setdefault("file", item.file)
            where.setdefault("line", item.line)
            where.setdefault("record", item.key)
            where.setdefault("raw", _raw_preview(item.data))
        if isinstance(where.get("raw"), str) and len(where["raw"]) > 500:  # a huge raw line stays a preview
            where["raw"] = _raw_preview(where["raw"])
        return Reject(dataset=self.name, split=split, reason=reason, **where)

    def records(self, split: str) -> Iterator[Record | Reject]:
        """Stream a split's schema records; unconvertible raw records come out as rejects."""
        for index, item in enumerate(self.read_source(split)):
            if isinstance(item, Reject):
                yield item
            else:
                yield from self.convert_item(item, split, index)

    def convert_item(self, item: SourceItem, split: str, index: int) -> list[Record | Reject]:
        """:meth:`to_schema` of one raw item, a failure turned into a :class:`Reject`
        (records the item yielded before failing are kept, as :meth:`records` streams them)."""
        out: list[Record | Reject] = []
        if isinstance(item.data, LoaderError):  # a reader's stand-in for a value it could not read
            failure = item.data
            where = {"record": failure.record} if failure.record is not None else {}
            out.append(self.reject(split, failure.reason, item, file=failure.file, line=failure.line, field=failure.field, raw=None, **where))
            return out
        try:
            out.extend(self.to_schema(item, split, index))
        except ConversionError as exc:
            where = {k: v for k, v in (("file", exc.file), ("line", exc.line)) if v is not None}
            out.append(self.reject(split, exc.reason, item, field=exc.field, **where))
        except ValidationError as exc:
            first = exc.errors()[0] if exc.errors() else {"msg": str(exc)}
            out.append(self.reject(split, f"schema: {first['msg']}", item, field=_field_of(exc)))
        except KeyError as exc:
            out.append(self.reject(split, f"missing key {exc.args[0]!r}", item, field=str(exc.args[0])))
        except (TypeError, ValueError, IndexError, AttributeError) as exc:
            reason, where = _wrong_type(exc, item)
            out.append(self.reject(split, reason, item, **where))
        if item.key is None:  # name the record by the id it would have had
            for reject in out:
                if isinstance(reject, Reject) and reject.record is None:
                    reject.record = self.record_id(split, index)
        return out

    def iter_split(self, split: str) -> Iterator[Record]:
        """Records only, raising on the first reject (for notebooks and quick looks)."""
        for item in self.records(split):
            if isinstance(item, Reject):
                raise ConversionError(item.reason, dataset=item.dataset, file=item.file, line=item.line, record=item.record, field=item.field)
            yield item
