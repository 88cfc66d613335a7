"""The notebook API: plan, export and load a mixture, and look at a loader's records as tables.

Re-exported lazily by :mod:`biocurate` (``biocurate.plan``, ``biocurate.export``, ...), so
``import biocurate`` stays cheap; pandas and datasets are imported by the functions that
return their objects. Each function takes the same knobs as the matching CLI command.

Example:
    >>> import biocurate
    >>> table = biocurate.plan("taiyi-v1", size=20_000)           # doctest: +SKIP
    >>> result = biocurate.export("taiyi-v1", "export/small", size=20_000, seed=1)  # doctest: +SKIP
    >>> ds = biocurate.load("export/small")                       # doctest: +SKIP
    >>> frame = biocurate.records("cmeee", "validation")          # doctest: +SKIP
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from biocurate.errors import MixtureError

if TYPE_CHECKING:  # imported by the functions that return them
    import datasets
    import pandas

    from biocurate.export.pipeline import ExportResult
    from biocurate.mix.spec import MixtureSpec
    from biocurate.schemas import Record

#: Columns of :func:`plan`'s DataFrame, in order.
PLAN_COLUMNS = ("category", "language", "target", "available", "planned", "shortfall", "by_dataset")


def mixture(
    mix: str | Path | MixtureSpec = "taiyi-v1",
    *,
    size: int | None = None,
    seed: int | None = None,
    ratios: dict[tuple[str, str], float] | None = None,
    caps: dict[str, int] | None = None,
    datasets: Sequence[str] | None = None,
    splits: Sequence[str] | None = None,
    decontaminate: bool | None = None,
    near_dedup: bool | None = None,
) -> MixtureSpec:
    """A bundled mixture (by name), a mixture YAML (by path) or a spec, with overrides applied.

    ``ratios`` maps ``(category, language)`` to a fraction of the total (``("ner", "zh"): 0.1``);
    ``caps`` maps a dataset to its most samples per category; ``datasets`` keeps only these.
    """
    from biocurate.loaders import resolve_name
    from biocurate.mix.spec import MixtureSpec, apply_overrides, load_mixture

    spec = mix.model_copy(deep=True) if isinstance(mix, MixtureSpec) else load_mixture(str(mix))
    caps = {resolve_name(k): v for k, v in (caps or {}).items()} or None
    spec = apply_overrides(spec, size=size, ratios=ratios or None, caps=caps, seed=seed)
    if datasets is not None:
        spec.datasets = [resolve_name(n) for n in datasets]
    if splits is not None:
        spec.splits = list(splits)
    if decontaminate is not None:
        spec.decontaminate.enabled = decontaminate
    if near_dedup is not None:
        spec.dedup.near = near_dedup
    return spec


def _check_licences(selectors: Sequence[str]) -> list[str]:
    from biocurate.licenses import EXCLUDE_TAGS, LICENCES

    for selector in selectors:
        if selector not in LICENCES and selector not in EXCLUDE_TAGS:
            raise MixtureError(f"exclude_licence {selector!r}: not a licence key or tag "
                               f"(tags: {', '.join(EXCLUDE_TAGS)}; keys: {', '.join(LICENCES)})")
    return list(selectors)


def _near_dedup(spec: MixtureSpec) -> Any:
    if not spec.dedup.near:
        return None
    from biocurate.mix.neardup import NearDedup

    return NearDedup(threshold=spec.dedup.near_threshold, seed=spec.seed)


def plan(
    mix: str | Path | MixtureSpec = "taiyi-v1",
    *,
    data_dir: str | Path | None = None,
    exclude_licence: Sequence[str] = (),
    **overrides: Any,
) -> pandas.DataFrame:
    """The budget table ``biocurate plan`` prints, as a DataFrame (one row per target).

    Columns: :data:`PLAN_COLUMNS`; ``by_dataset`` maps each dataset to its planned samples.
    ``overrides`` are :func:`mixture`'s keywords (``size``, ``seed``, ``datasets``, ...).
    The sources are read, validated and deduplicated (as much work as an export's first
    steps); nothing is written outside a temporary folder.
    """
    import pandas as pd

    from biocurate.export.pipeline import ExportOptions, plan_only

    spec = mixture(mix, **overrides)
    with tempfile.TemporaryDirectory(prefix="biocurate-plan-") as tmp:
        options = ExportOptions(out=Path(tmp), data_root=Path(data_dir) if data_dir else None,
                                exclude_licences=_check_licences(exclude_licence), near_dedup=_near_dedup(spec), progress=False)
        _, _, plans = plan_only(spec, options)
    rows = [{"category": g.category, "language": g.language, "target": g.target, "available": sum(g.available.values()),
             "planned": g.planned, "shortfall": max(0, g.target - g.planned),
             "by_dataset": {d: q for d, q in g.quotas.items() if q}} for g in plans]
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))


def export(
    mix: str | Path | MixtureSpec = "taiyi-v1",
    out: str | Path | None = None,
    *,
    data_dir: str | Path | None = None,
    formats: Sequence[str] = ("parquet",),
    exclude_licence: Sequence[str] = (),
    workers: int | None = None,
    shard_rows: int = 100_000,
    progress: bool = False,
    **overrides: Any,
) -> ExportResult:
    """Export a mixture like ``biocurate export`` (default folder ``export/<mixture name>``).

    Returns the :class:`~biocurate.export.pipeline.ExportResult` (``.out``, ``.manifest``, ``.plans``).
    """
    from biocurate.export.pipeline import ExportOptions, run_export

    spec = mixture(mix, **overrides)
    options = ExportOptions(
        out=Path(out) if out is not None else Path("export") / spec.name, data_root=Path(data_dir) if data_dir else None,
        formats=list(formats), shard_rows=shard_rows, exclude_licences=_check_licences(exclude_licence),
        progress=progress, near_dedup=_near_dedup(spec), workers=workers,
    )
    return run_export(spec, options)


def load(export_dir: str | Path, config: str | None = None, **kwargs: Any) -> datasets.DatasetDict:
    """An export as a ``datasets.DatasetDict`` (its ``train`` split); ``config`` picks a category
    (``"ner"``) or a language (``"lang_zh"``) as the card's configs name them.

    Extra keywords go to ``datasets.load_dataset`` (``cache_dir``, ``num_proc``, ...).
    """
    import datasets

    export_dir = Path(export_dir)
    if not (export_dir / "README.md").exists():
        from biocurate.errors import ExportError

        raise ExportError(f"{export_dir} is not a biocurate export: README.md (the dataset card) is missing")
    return datasets.load_dataset(str(export_dir), config, **kwargs)


def _records(name: str, split: str, data_dir: str | Path | None, limit: int | None) -> Iterator[Record]:
    from biocurate.sources import open_loader

    return islice(open_loader(name, data_dir).iter_split(split), limit)


def records(name: str, split: str = "train", *, data_dir: str | Path | None = None, limit: int | None = None) -> pandas.DataFrame:
    """A loader's records of one split as a DataFrame (one row per record, every schema field).

    ``data_dir`` is a data root with one folder per dataset (default: the bundled samples).

    Raises:
        ConversionError: a raw record cannot be converted (it names file, line and field);
            ``loader.records(split)`` yields such rejects instead of raising.
    """
    import pandas as pd

    return pd.DataFrame([r.model_dump() for r in _records(name, split, data_dir, limit)])


def records_dataset(name: str, split: str = "train", *, data_dir: str | Path | None = None,
                    limit: int | None = None) -> datasets.Dataset:
    """A loader's records of one split as a ``datasets.Dataset``.

    Schemas BigBio has (``kb``, ``qa``, ``text``, ``pairs``, ``t2t``, ``te``) come in BigBio's
    layout, typed with its ``Features``; the others (dialogue, translation) keep every field,
    typed by ``datasets`` from the values.
    """
    import datasets

    from biocurate.export.bigbio_features import bigbio_features
    from biocurate.loaders import get_loader

    schema = get_loader(name).meta.schema_name
    rows = list(_records(name, split, data_dir, limit))
    try:
        features = bigbio_features(schema)
    except KeyError:
        return datasets.Dataset.from_list([r.model_dump() for r in rows])
    return datasets.Dataset.from_list([r.to_bigbio() for r in rows], features=features)


__all__ = ["PLAN_COLUMNS", "export", "load", "mixture", "plan", "records", "records_dataset"]
