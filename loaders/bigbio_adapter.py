"""BigBio ingestion (stage 2): any dataset already in a BigBio schema becomes biocurate records.

One adapter, keyed by BigBio schema (``kb``, ``qa``, ``text``, ``pairs``, ``t2t``, ``te``), turns
rows in BigBio's exact field layout into :class:`~biocurate.schemas.KBRecord`,
:class:`~biocurate.schemas.QARecord`, ... adding ``dataset``/``split``/``language``. Rows come
from local files exported from a BigBio hub dataset, or from an in-memory ``datasets.Dataset``.

File convention (inside the data directory of one dataset; ``<config>`` is a BigBio config
name ``<subset>_bigbio_<schema>``; ``<split>`` is ``train``, ``validation`` (``dev``/``valid``
accepted) or ``test``; files are ``.parquet``, ``.jsonl`` or ``.json`` holding JSON Lines)::

    <config>/<split>-00000-of-00001.parquet   # push_to_hub's layout
    <config>/<split>/0000.parquet             # the Hub's refs/convert/parquet branch
    <config>_<split>.parquet | <config>.<split>.jsonl
    <split>.parquet                           # when the data directory itself is named <config>

BigBio's NULL sentinel ``<BB_NULL_STR>`` becomes: the record id for a missing
``document_id``/``question_id``, ``""`` for a missing ``context``, passage ``type`` or t2t side
name; it is dropped from ``choices``/``answer``/``labels`` and from ``normalized`` links; a NULL
pair/te ``label`` or t2t ``text_2`` (no gold) makes the row a reject. Record ids are
``<split>-<BigBio id>`` (BigBio ids are unique per split only).

:func:`bigbio_view` goes the other way for ``convert --bigbio``: a loader reading raw files the
way BigBio's own script does, where that differs from biocurate's loader (``_bigbio_views``).

Catalogue datasets that BigBio covers and no hand-written loader serves get a generated loader
class from :func:`adapter_loader`; it is kept out of the registry walk so the conformance
suite (which needs bundled samples) never sees it. :func:`fallback_loader` is the hook the
registry calls for names it does not know.

Example:
    >>> from biocurate.loaders.bigbio_adapter import bigbio_loader, records_from_dataset
    >>> loader = bigbio_loader("bc5cdr", "kb")("data/bc5cdr")   # .../bc5cdr_bigbio_kb/train/0000.parquet
    >>> first = next(loader.iter_split("train"))
    >>> records = list(records_from_dataset(dataset_dict, dataset="anat_em"))  # schema from its Features
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from biocurate.errors import BiocurateError, LoaderError
from biocurate.schemas import Record
from biocurate.tasks import TASKS

from ._base import SPLITS, DatasetMeta, Loader, Reject, SourceItem
from ._bigbio_rows import ADAPTER_SCHEMAS, DEFAULT_TASK, NULL, bigbio_files, convert_row, iter_rows, schema_of


class BigBioAdapter(Loader):
    """Loader over BigBio exports; subclasses (made by :func:`bigbio_loader`) carry the meta.

    Args:
        data_dir: folder holding the export files (see the module docstring).
        rows: instead of files, ``{split: iterable of BigBio rows}`` (e.g. a ``DatasetDict``).
    """

    bigbio_config: ClassVar[str | None] = None

    def __init__(self, data_dir: str | Path | None = None, *, rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None) -> None:
        self._rows = None if rows is None else dict(rows)
        if self._rows is None:
            super().__init__(data_dir if data_dir is not None else "")
        else:
            self.data_dir = Path(data_dir or "<in-memory>")

    @property
    def bigbio_schema(self) -> str:
        """The BigBio schema of the input (``t2t`` for a translation loader)."""
        return "t2t" if self.meta.schema_name == "translation" else self.meta.schema_name

    def files_for(self, split: str) -> list[Path]:
        if self._rows is not None:
            raise LoaderError("this adapter reads in-memory rows, not files", dataset=self.name)
        found = bigbio_files(self.data_dir, self.bigbio_schema)
        if len(found) > 1:
            if self.bigbio_config not in found:
                raise LoaderError(f"several BigBio configs in {self.data_dir}: {sorted(found)}; keep one per data directory", dataset=self.name)
            found = {self.bigbio_config: found[self.bigbio_config]}
        files = next(iter(found.values()), {}).get(split, [])
        if not files:
            raise LoaderError(
                f"no BigBio {self.bigbio_schema} file for split {split!r} in {self.data_dir} (expected e.g. "
                f"{self.bigbio_config or '<name>_bigbio_' + self.bigbio_schema}/{split}-00000-of-00001.parquet)", dataset=self.name)
        return files

    def available_splits(self) -> list[str]:
        if self._rows is not None:
            return [s for s in SPLITS if s in self._rows]
        return super().available_splits()

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        if self._rows is not None:
            if split not in self._rows:
                raise LoaderError(f"no in-memory split {split!r}; have {sorted(self._rows)}", dataset=self.name)
            for number, row in enumerate(self._rows[split], start=1):
                yield SourceItem(dict(row), "<in-memory>", number, str(row.get("id")))
            return
        for path in self.files_for(split):
            for number, row in iter_rows(path):
                if isinstance(row, str):
                    yield self.reject(split, row, stage="read", file=str(path), line=number)
                else:
                    yield SourceItem(row, str(path), number, str(row.get("id")))

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[Record]:
        yield convert_row(item.data, self.meta.schema_name, dataset=self.name, split=split, language=self.meta.languages[0])

    #: the :func:`bigbio_loader` arguments that made this class (set there)
    factory: ClassVar[tuple[str, str, dict[str, Any]]] = ("", "kb", {})

    def __reduce__(self) -> tuple[Any, ...]:
        """A generated class is no module attribute, so a loader travels (to export workers) as
        the arguments that make its class again, and its state."""
        return (_rebuilt, (self.factory, self.__getstate__()))


def _rebuilt(factory: tuple[str, str, dict[str, Any]], state: dict[str, Any]) -> BigBioAdapter:
    name, schema, kwargs = factory
    cls = bigbio_loader(name, schema, **kwargs)
    loader = cls.__new__(cls)
    loader.__dict__.update(state)
    return loader


def bigbio_loader(name: str, schema: str, *, languages: Iterable[str] = ("en",), tasks: Iterable[str] = (),
                  config: str | None = None, **meta: Any) -> type[BigBioAdapter]:
    """A loader class for any dataset in a BigBio schema (not registered).

    Args:
        name: dataset name (lower snake case); records carry it.
        schema: one of :data:`ADAPTER_SCHEMAS`.
        languages: ``zh``/``en``; records take the first.
        tasks: biocurate task names; those not reading ``schema`` are dropped (default: one per schema).
        config: the BigBio config name preferred when a folder holds several.
        meta: other :class:`~biocurate.loaders.DatasetMeta` fields (``license``, ``homepage``...).
    """
    if schema not in ADAPTER_SCHEMAS:
        raise BiocurateError(f"unknown BigBio schema {schema!r}; use one of {', '.join(ADAPTER_SCHEMAS)}")
    tasks = [t for t in tasks if TASKS[t].schema == schema] or [DEFAULT_TASK[schema]]
    source = "t2t" if schema == "translation" else schema
    glob = f"*_bigbio_{source}*"
    defaults = dict(display_name=name, description=f"{name} read from a BigBio {source} export.", license="unknown",
                    citation="", homepage=f"https://huggingface.co/datasets/bigbio/{name}",
                    splits={s: glob + s + "*" for s in SPLITS}, bigbio_name=name, format_note=f"BigBio {source} export (Parquet/JSON Lines).")
    full = DatasetMeta(name=name, languages=list(languages), tasks=tasks, schema=schema, **{**defaults, **meta})
    factory = (name, schema, {"languages": list(languages), "tasks": list(tasks), "config": config, **meta})
    return type(f"BigBio_{name}", (BigBioAdapter,), {"meta": full, "bigbio_config": config, "factory": factory, "__module__": __name__})


def records_from_dataset(data: Any, *, dataset: str, language: str | None = None, schema: str | None = None,
                         split: str | None = None, validate: bool = True) -> Iterator[Record | Reject]:
    """Records (and rejects) from an in-memory ``datasets.Dataset``/``DatasetDict`` in a BigBio schema.

    Args:
        data: a ``Dataset`` (give ``split``, default ``train``), a ``DatasetDict`` or ``{split: rows}``.
        dataset: name the records carry; the catalogue supplies language/licence when it knows it.
        language: ``zh``/``en``; default from the catalogue row of ``dataset``.
        schema: BigBio schema; default from the config name or an exact match of the Features.
        validate: run :func:`biocurate.validate.validate_stream` (offsets, references, ids).
    """
    from ._bigbio_catalogue import loader_from_row, row_for

    splits = dict(data) if isinstance(data, Mapping) else {split or "train": data}
    schema = schema or _detect_schema(next(iter(splits.values())))
    row = row_for(dataset)
    if row is not None:
        cls = loader_from_row(row, schema=schema, language=language)
    elif language is None:
        raise BiocurateError(f"dataset {dataset!r} is not in the catalogue; pass language='zh' or 'en'")
    else:
        cls = bigbio_loader(re.sub(r"[^a-z0-9_]+", "_", dataset.lower()).strip("_"), schema, languages=[language])
    loader = cls(rows=splits)
    for name in loader.available_splits():
        stream = loader.records(name)
        if validate:
            from biocurate.validate import validate_stream

            stream = validate_stream(stream, loader.meta)
        yield from stream


def _detect_schema(ds: Any) -> str:
    info = getattr(ds, "info", None)
    for text in (getattr(info, "config_name", None), getattr(ds, "config_name", None)):
        if text and schema_of(text):
            return schema_of(text)
    features = getattr(ds, "features", None)
    if features is not None:
        from biocurate.export.bigbio_features import bigbio_features

        for name in ("kb", "qa", "text", "pairs", "t2t", "te"):
            if features == bigbio_features(name):
                return name
    raise BiocurateError("cannot tell the BigBio schema of this dataset (no *_bigbio_<schema> config name, Features "
                         "differ from every BigBio schema); pass schema='kb'|'qa'|'text'|'pairs'|'t2t'|'te'")


from ._bigbio_catalogue import adapter_loader, adapter_names, fallback_loader, resolve_loader, row_for  # noqa: E402
from ._bigbio_views import VIEWS, bigbio_view  # noqa: E402

__all__ = [
    "NULL", "ADAPTER_SCHEMAS", "BigBioAdapter", "bigbio_loader", "bigbio_files", "convert_row", "iter_rows",
    "records_from_dataset", "schema_of", "adapter_loader", "adapter_names", "fallback_loader", "resolve_loader", "row_for",
    "VIEWS", "bigbio_view",
]
