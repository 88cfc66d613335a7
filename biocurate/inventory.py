"""The dataset catalogue: Taiyi's 140-dataset inventory plus its extra sources, and how each is reached.

It sits beside the loader registry (stage 2). The facts ship as package data in
``biocurate/catalogue/*.csv`` (one row per dataset: language, Taiyi's task labels, size,
source URL, the licence BigBio states, BigBio coverage, Taiyi-v1 SFT counts) with the columns
biocurate adds: registry-style ``name``, biocurate ``tasks``/``schema``, a licence key of
:mod:`biocurate.licenses`, ``access`` and the BigBio config to export. :func:`reach_of` says
how a row is reached today, matching registered loaders at run time:

* ``own loader``: a registered loader's name, alias, display or BigBio name matches the row;
* ``BigBio adapter``: BigBio has the dataset and the data is public (see ``loaders/bigbio_adapter.py``);
* ``manual download``: BigBio has it but the data sits behind a DUA or registration;
* ``not yet``: none of the above.

Example:
    >>> from biocurate.inventory import load_catalogue, coverage
    >>> len([r for r in load_catalogue() if r.row.startswith(("zh-", "en-"))])
    140
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from biocurate.errors import BiocurateError
from biocurate.licenses import LICENCES
from biocurate.tasks import TASKS

#: Folder of the catalogue CSV files (package data).
CATALOGUE_DIR = Path(__file__).parent / "catalogue"

OWN, BIGBIO, MANUAL, NOT_YET = "own loader", "BigBio adapter", "manual download", "not yet"
#: How a dataset can be reached, best first.
REACH_KINDS: tuple[str, ...] = (OWN, BIGBIO, MANUAL, NOT_YET)
#: ``access`` values: public, behind a site login, behind a data-use agreement, never released.
ACCESS: tuple[str, ...] = ("open", "registration", "dua", "unreleased")
#: BigBio's six harmonised schemas (the last token of a ``<name>_bigbio_<schema>`` config).
BIGBIO_SCHEMAS: tuple[str, ...] = ("kb", "qa", "text", "pairs", "t2t", "te")

_COLUMNS = (
    "row", "name", "dataset", "aliases", "language", "tasks_taiyi", "tasks", "schema", "size", "homepage",
    "licence_source", "licence", "licence_exact", "access", "bigbio", "bigbio_name", "bigbio_config",
    "taiyi_v1_sft_counts", "loader", "note",
)


def key(name: str) -> str:
    """Matching key of a dataset name: lower case, letters and digits only (``CMeEE-V2`` -> ``cmeeev2``)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class CatalogueRow:
    """One dataset of the catalogue (see the module docstring for the columns)."""

    row: str
    name: str
    dataset: str
    aliases: tuple[str, ...]
    languages: tuple[str, ...]
    tasks_taiyi: str
    tasks: tuple[str, ...]
    schema: str
    size: str
    homepage: str
    licence_source: str
    licence_now: str
    licence_exact: str
    access: str
    bigbio: str
    bigbio_name: str
    bigbio_config: str
    taiyi_v1_sft_counts: str
    loader: str
    note: str
    source_file: str = field(default="", compare=False)

    @property
    def licence(self) -> str:
        """The licence key: the exact one once :mod:`biocurate.licenses` has it, else the fallback."""
        return self.licence_exact if self.licence_exact in LICENCES else self.licence_now

    @property
    def bigbio_schema(self) -> str:
        """BigBio schema of :attr:`bigbio_config` (``kb``, ``qa``...), empty when BigBio lacks the dataset."""
        return self.bigbio_config.rsplit("_bigbio_", 1)[1] if "_bigbio_" in self.bigbio_config else ""

    @property
    def language(self) -> str:
        """Languages joined by ``+`` (``zh``, ``en`` or ``zh+en``)."""
        return "+".join(self.languages)

    def keys(self) -> set[str]:
        """Matching keys of the row's name, Taiyi's dataset name and aliases."""
        return {key(n) for n in (self.name, self.dataset, *self.aliases) if n}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (lists for tuples, the effective licence key)."""
        data = {c: getattr(self, c) for c in _COLUMNS if hasattr(self, c) and c != "licence"}
        data.update(aliases=list(self.aliases), languages=list(self.languages), tasks=list(self.tasks),
                    licence=self.licence, bigbio_schema=self.bigbio_schema)
        data.pop("language", None)
        return data


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


def _parse(raw: dict[str, str], where: str) -> CatalogueRow:
    def bad(column: str, reason: str) -> BiocurateError:
        return BiocurateError(f"{where} row {raw.get('row')!r} column {column!r}: {reason}")

    missing = [c for c in _COLUMNS if c not in raw]
    if missing:
        raise bad(missing[0], f"missing column; expected {', '.join(_COLUMNS)}")
    if not re.fullmatch(r"[a-z0-9_]+", raw["name"]):
        raise bad("name", f"{raw['name']!r} must be lower-case snake case")
    languages, tasks = _split(raw["language"]), _split(raw["tasks"])
    if not languages or any(lang not in ("zh", "en") for lang in languages):
        raise bad("language", f"{raw['language']!r}: use zh, en or zh;en")
    if unknown := [t for t in tasks if t not in TASKS]:
        raise bad("tasks", f"unknown tasks {unknown}; known: {', '.join(TASKS)}")
    if raw["licence"] not in LICENCES:
        raise bad("licence", f"{raw['licence']!r} is not a key of biocurate.licenses")
    if raw["access"] not in ACCESS:
        raise bad("access", f"{raw['access']!r}; use one of {ACCESS}")
    config = raw["bigbio_config"]
    if config and (not raw["bigbio_name"] or config.rsplit("_bigbio_", 1)[-1] not in BIGBIO_SCHEMAS):
        raise bad("bigbio_config", f"{config!r}: expected <subset>_bigbio_<{'|'.join(BIGBIO_SCHEMAS)}> and a bigbio_name")
    return CatalogueRow(
        row=raw["row"], name=raw["name"], dataset=raw["dataset"], aliases=_split(raw["aliases"]),
        languages=languages, tasks_taiyi=raw["tasks_taiyi"], tasks=tasks, schema=raw["schema"],
        size=raw["size"], homepage=raw["homepage"], licence_source=raw["licence_source"],
        licence_now=raw["licence"], licence_exact=raw["licence_exact"], access=raw["access"],
        bigbio=raw["bigbio"], bigbio_name=raw["bigbio_name"], bigbio_config=config,
        taiyi_v1_sft_counts=raw["taiyi_v1_sft_counts"], loader=raw["loader"], note=raw["note"],
        source_file=where,
    )


def read_catalogue(directory: str | Path) -> list[CatalogueRow]:
    """Parse every ``*.csv`` of a catalogue folder, in file-name order.

    Raises:
        BiocurateError: a bad value, naming the file, row and column; or a duplicate name.
    """
    rows: list[CatalogueRow] = []
    for path in sorted(Path(directory).glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            rows += [_parse(raw, path.name) for raw in csv.DictReader(handle)]
    seen: dict[str, str] = {}
    for row in rows:
        if row.name in seen:
            raise BiocurateError(f"{row.source_file} row {row.row!r}: name {row.name!r} already used by row {seen[row.name]!r}")
        seen[row.name] = row.row
    return rows


@lru_cache(maxsize=1)
def _bundled() -> tuple[CatalogueRow, ...]:
    return tuple(read_catalogue(CATALOGUE_DIR))


def load_catalogue() -> list[CatalogueRow]:
    """The bundled catalogue: Taiyi's rows ``zh-*``/``en-*`` then the extras ``x-*``."""
    return list(_bundled())


def find_rows(name: str, rows: Iterable[CatalogueRow] | None = None) -> list[CatalogueRow]:
    """Rows whose name, Taiyi name or alias matches ``name`` (case, dashes and spaces ignored)."""
    wanted = key(name)
    return [r for r in (load_catalogue() if rows is None else rows) if wanted in r.keys()]


def catalogue_names(rows: Iterable[CatalogueRow] | None = None) -> list[str]:
    """Every name and alias of the catalogue (for "did you mean" hints)."""
    names: set[str] = set()
    for row in load_catalogue() if rows is None else rows:
        names.update(n for n in (row.name, row.dataset, *row.aliases) if n)
    return sorted(names)


@dataclass(frozen=True)
class Reach:
    """How a catalogue row is reached: ``kind`` (one of :data:`REACH_KINDS`), the loader, a hint."""

    kind: str
    loader: str | None = None
    detail: str = ""


def _loader_keys(loaders: Mapping[str, Any]) -> dict[str, list[tuple[str, Any]]]:
    index: dict[str, list[tuple[str, Any]]] = {}
    for name, cls in loaders.items():
        meta = cls.meta
        names = {name, meta.display_name, *(meta.aliases or [])} | ({meta.bigbio_name} if meta.bigbio_name else set())
        for n in {key(n) for n in names if n}:
            index.setdefault(n, []).append((name, cls))
    return index


def own_loader_for(row: CatalogueRow, loaders: Mapping[str, Any] | None = None) -> str | None:
    """The registered loader serving ``row`` (name/alias match in a shared language), or None."""
    if loaders is None:
        from biocurate.loaders import all_loaders

        loaders = all_loaders()
    if row.loader and row.loader in loaders:
        return row.loader
    index = _loader_keys(loaders)
    for k in sorted(row.keys()):
        for name, cls in index.get(k, []):
            if set(row.languages) & set(cls.meta.languages):
                return name
    return None


def reach_of(row: CatalogueRow, loaders: Mapping[str, Any] | None = None) -> Reach:
    """How ``row`` is reached today (see the module docstring for the kinds)."""
    loader = own_loader_for(row, loaders)
    if loader:
        return Reach(OWN, loader, f"biocurate convert {loader} --data-dir DIR")
    if row.bigbio_config and row.access in ("dua", "registration"):
        return Reach(MANUAL, row.name, f"obtain the data ({row.access}), export {row.bigbio_config}, then the BigBio adapter")
    if row.bigbio_config:
        return Reach(BIGBIO, row.name, f"export {row.bigbio_config} to Parquet/JSONL, then the BigBio adapter")
    hint = {"unreleased": "never released", "dua": "data-use agreement; no loader yet",
            "registration": "registration required; no loader yet"}.get(row.access, "no loader yet")
    return Reach(NOT_YET, None, hint)


def coverage(rows: Iterable[CatalogueRow] | None = None, loaders: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Counts per reach kind and per language (and reach), plus loaders matching no row.

    Returns:
        ``{"total", "by_reach", "by_language", "by_catalogue_file", "loaders_outside_catalogue"}``
        (``by_catalogue_file`` separates Taiyi's inventory from its extra sources).
    """
    if loaders is None:
        from biocurate.loaders import all_loaders

        loaders = all_loaders()
    rows = load_catalogue() if rows is None else list(rows)
    reaches = [reach_of(r, loaders) for r in rows]
    by_language: dict[str, Counter[str]] = {}
    by_file: dict[str, Counter[str]] = {}
    for row, reach in zip(rows, reaches):
        by_language.setdefault(row.language, Counter())[reach.kind] += 1
        by_file.setdefault(Path(row.source_file).stem, Counter())[reach.kind] += 1
    used = {r.loader for r in reaches if r.kind == OWN}
    kinds = Counter(r.kind for r in reaches)

    def table(counters: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
        return {name: {k: c.get(k, 0) for k in REACH_KINDS} for name, c in sorted(counters.items())}

    return {
        "total": len(rows),
        "by_reach": {k: kinds.get(k, 0) for k in REACH_KINDS},
        "by_language": table(by_language),
        "by_catalogue_file": table(by_file),
        "loaders_outside_catalogue": sorted(set(loaders) - used),
    }


__all__ = [
    "CATALOGUE_DIR", "REACH_KINDS", "ACCESS", "BIGBIO_SCHEMAS", "OWN", "BIGBIO", "MANUAL", "NOT_YET",
    "CatalogueRow", "Reach", "key", "read_catalogue", "load_catalogue", "find_rows", "catalogue_names",
    "own_loader_for", "reach_of", "coverage",
]
