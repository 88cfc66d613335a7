"""Generated BigBio adapter loaders for catalogue datasets, kept out of the registry walk.

Every catalogue row (:mod:`biocurate.inventory`) that BigBio covers (``bigbio_config`` set) and
no registered loader serves gets a loader class on demand: its :class:`DatasetMeta` comes from
the row (tasks, licence key, homepage, languages) and ``manual_download`` says which BigBio
config to export where. The registry reaches them through :func:`fallback_loader`.
"""

from __future__ import annotations

from typing import Any

from biocurate.inventory import CatalogueRow, find_rows, load_catalogue, own_loader_for

from ._base import Loader
from .bigbio_adapter import BigBioAdapter, bigbio_loader

_GENERATED: dict[str, type[BigBioAdapter]] = {}


def row_for(name: str) -> CatalogueRow | None:
    """The catalogue row a name designates: its own name first, then Taiyi's name or an alias."""
    rows = find_rows(name)
    exact = [r for r in rows if r.name == name.strip().lower().replace("-", "_")]
    return (exact or rows or [None])[0]


def export_instructions(row: CatalogueRow) -> str:
    """Where to get the data and which files to place where (the generated ``manual_download``)."""
    config = row.bigbio_config
    first = {
        "dua": f"The data needs a data-use agreement: request it at {row.homepage}, run BigBio's local loader on it, then e",
        "registration": f"Register at {row.homepage} first, then e",
    }.get(row.access, "E")
    return (
        f"{first}xport the BigBio config {config} (hub dataset bigbio/{row.bigbio_name}) to Parquet or JSON Lines, "
        f"one file per split, into the data directory: {config}/train-00000-of-00001.parquet, "
        f"{config}/validation-00000-of-00001.parquet, {config}/test-00000-of-00001.parquet "
        f"(or {config}_<split>.jsonl, or the Hub's refs/convert/parquet files as {config}/<split>/0000.parquet). "
        "BigBio's loading scripts need datasets<=3.6: use the refs/convert/parquet revision where it exists, or "
        "run the script once with datasets 3.x and write each split with Dataset.to_parquet. Then: biocurate convert "
        f"{row.name} --data-dir DIR."
    )


def loader_from_row(row: CatalogueRow, *, schema: str | None = None, language: str | None = None) -> type[BigBioAdapter]:
    """A BigBio adapter loader class whose metadata comes from a catalogue row.

    Args:
        row: the catalogue row.
        schema: adapter schema; default the row's BigBio schema (``translation`` for a t2t
            config of a translation dataset).
        language: record language; default the row's first language.
    """
    source = row.bigbio_schema
    target = schema or ("translation" if source == "t2t" and row.schema == "translation" else source)
    languages = list(row.languages)
    if language:
        languages = [language, *[lang for lang in languages if lang != language]]
    meta: dict[str, Any] = dict(
        display_name=row.dataset,
        description=f"{row.dataset} ({row.tasks_taiyi}; Taiyi inventory row {row.row}), read from "
        f"{'the BigBio config ' + row.bigbio_config if row.bigbio_config else 'rows in a BigBio schema'}.",
        license=row.licence,
        citation=f"% No BibTeX bundled: see {row.homepage}"
        + (f" and https://huggingface.co/datasets/bigbio/{row.bigbio_name}" if row.bigbio_name else ""),
        homepage=row.homepage or f"https://huggingface.co/datasets/bigbio/{row.bigbio_name}",
        aliases=[a for a in (row.dataset, *row.aliases) if a],
        bigbio_name=row.bigbio_name or None,
    )
    if row.bigbio_config:
        meta["manual_download"] = export_instructions(row)
    return bigbio_loader(row.name, target, languages=languages, tasks=row.tasks, config=row.bigbio_config or None, **meta)


def adapter_loader(name: str) -> type[BigBioAdapter] | None:
    """The generated loader of a BigBio-covered catalogue dataset with no own loader, else None."""
    row = row_for(name)
    if row is None or not row.bigbio_config or own_loader_for(row):
        return None
    if row.name not in _GENERATED:
        _GENERATED[row.name] = loader_from_row(row)
    return _GENERATED[row.name]


def adapter_names() -> list[str]:
    """Names of every catalogue dataset served by a generated adapter loader today."""
    return [r.name for r in load_catalogue() if r.bigbio_config and not own_loader_for(r)]


def fallback_loader(name: str) -> type[Loader] | None:
    """The registry's hook for a name it does not know.

    Returns the registered loader of the catalogue row the name designates (a Taiyi name or a
    catalogue alias the loader lacks), else that row's generated BigBio adapter loader, else None.
    """
    row = row_for(name)
    if row is None:
        return None
    own = own_loader_for(row)
    if own:
        from ._registry import all_loaders

        return all_loaders()[own]
    return adapter_loader(row.name)


def resolve_loader(name: str) -> type[Loader]:
    """A registered loader, else :func:`fallback_loader`; raises with suggestions from both.

    This is what ``biocurate.loaders.get_loader`` does once the registry calls
    :func:`fallback_loader` for unknown names.

    Raises:
        BiocurateError: no loader and no catalogue row with a route, with "did you mean ...".
    """
    import difflib

    from biocurate.errors import BiocurateError
    from biocurate.inventory import catalogue_names, key

    from ._registry import aliases_of, all_loaders, get_loader

    try:
        return get_loader(name)
    except BiocurateError as exc:
        cls = fallback_loader(name)
        if cls is not None:
            return cls
        row = row_for(name)
        if row is not None:
            raise BiocurateError(
                f"no loader for {name!r} yet: it is catalogue row {row.row} ({row.dataset}); source {row.homepage or 'unknown'}"
                f", access {row.access} (see `biocurate info {row.name}`)"
            ) from None
        names = {key(n): n for n in catalogue_names()} | {key(a): n for n in all_loaders() for a in aliases_of(n)}
        close = difflib.get_close_matches(key(name), list(names), n=3)
        if not close:
            raise
        raise BiocurateError(f"no loader named {name!r}; did you mean {', '.join(sorted({names[c] for c in close}))}?") from exc
