"""``biocurate info NAME``: a loader's full metadata and citation, or a catalogue-only dataset's row."""

from __future__ import annotations

import argparse
import json
from typing import Any

from biocurate.errors import BiocurateError
from biocurate.inventory import CatalogueRow, find_rows, load_catalogue, reach_of
from biocurate.licenses import LICENCES
from biocurate.loaders import Loader, all_loaders, get_loader
from biocurate.loaders.bigbio_adapter import BigBioAdapter, fallback_loader, resolve_loader, row_for
from biocurate.tasks import TASKS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "info",
        help="show a dataset's metadata, licence, splits, download route and citation",
        description="Show everything biocurate knows about a dataset: a loader's metadata (languages, tasks, "
        "schema, licence, splits, download route, label sets, citation) and its catalogue row(s), or, for a "
        "dataset biocurate cannot load yet, its catalogue row and how it could be reached.",
    )
    parser.add_argument("name", help="loader name, alias, or any catalogue name (see `biocurate list --all`)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def _rows_of(cls: type[Loader]) -> list[CatalogueRow]:
    loaders = all_loaders()
    if issubclass(cls, BigBioAdapter):
        return [r for r in load_catalogue() if r.name == cls.meta.name]
    return [r for r in load_catalogue() if reach_of(r, loaders).loader == cls.meta.name]


def _row_lines(row: CatalogueRow) -> list[str]:
    how = reach_of(row)
    lines = [
        f"  {row.row}: {row.dataset} ({row.language}; Taiyi task {row.tasks_taiyi or '-'}; size {row.size or '-'})",
        f"    tasks {', '.join(row.tasks) or '-'} -> schema {row.schema}; source {row.homepage or '-'} (access: {row.access})",
        f"    licence {row.licence} (BigBio says {row.licence_source or '-'}"
        + (f"; exact key {row.licence_exact} not yet in biocurate.licenses" if row.licence_exact and row.licence_exact != row.licence else "")
        + ")",
        f"    BigBio: {row.bigbio_config or 'none'}; Taiyi-v1 SFT: {row.taiyi_v1_sft_counts or '-'}",
        f"    reached by: {how.kind}" + (f" ({how.loader})" if how.loader else "") + (f" - {how.detail}" if how.detail else ""),
    ]
    return lines + ([f"    note: {row.note}"] if row.note else [])


def describe_loader(cls: type[Loader]) -> str:
    """Human-readable metadata of a loader class, its catalogue rows and citation."""
    meta = cls.meta
    lic = LICENCES[meta.licence]
    generated = issubclass(cls, BigBioAdapter)
    lines = [f"{meta.name} - {meta.display_name}" + ("  [generated BigBio adapter loader]" if generated else ""), f"  {meta.description}"]
    fields: list[tuple[str, str]] = [
        ("languages", ", ".join(meta.languages)),
        ("tasks", ", ".join(f"{t} ({TASKS[t].category})" for t in meta.tasks) or "-"),
        ("schema", meta.schema_name),
        ("licence", f"{meta.licence} - {lic.name} (commercial use: {'yes' if lic.commercial else 'no'}, "
                    f"redistributable: {'yes' if lic.redistributable else 'no'})"),
        ("homepage", meta.homepage),
        ("splits", "; ".join(f"{s}: {g}" for s, g in meta.splits.items())),
        ("unlabelled", ", ".join(meta.unlabelled_splits)),
        ("aliases", ", ".join(meta.aliases)),
        ("BigBio name", meta.bigbio_name or ""),
        ("format", meta.format_note),
        ("format basis", meta.format_source),
        ("version", meta.version),
        ("reads folder", meta.reads_folder_of or ""),
    ]
    fields += [("download", f"{f.url} -> {f.filename}" + (f" (sha256 {f.sha256})" if f.sha256 else "")) for f in meta.source_files]
    if meta.manual_download:
        fields.append(("manual", meta.manual_download))
    for name, labels in meta.label_sets.items():
        shown = ", ".join(labels[:12]) + (f", ... (+{len(labels) - 12})" if len(labels) > 12 else "")
        fields.append((name, f"({len(labels)}) {shown}"))
    lines += [f"  {k + ':':<13} {v}" for k, v in fields if v]
    rows = _rows_of(cls)
    if rows:
        lines.append("catalogue:")
        for row in rows:
            lines += _row_lines(row)
    lines += ["citation:", *("  " + line for line in (meta.citation.strip() or "(none)").splitlines())]
    return "\n".join(lines)


def as_json(cls: type[Loader] | None, rows: list[CatalogueRow]) -> dict[str, Any]:
    """The ``info --json`` payload."""
    return {
        "loader": None if cls is None else {**cls.meta.model_dump(by_alias=True), "licence": cls.meta.licence,
                                            "generated": issubclass(cls, BigBioAdapter)},  # "license": deprecated key
        "catalogue": [{**r.to_dict(), "reach": reach_of(r).kind} for r in rows],
    }


def run(args: argparse.Namespace) -> int:
    try:
        cls: type[Loader] | None = get_loader(args.name)
    except BiocurateError:
        cls = fallback_loader(args.name)
    row = row_for(args.name) if cls is None else None
    if cls is None and row is None:
        resolve_loader(args.name)  # raises with "did you mean ..."
    rows = _rows_of(cls) if cls is not None else [row, *(r for r in find_rows(args.name) if r is not row)]
    if args.json:
        print(json.dumps(as_json(cls, rows), ensure_ascii=False, indent=2))
    elif cls is not None:
        print(describe_loader(cls))
    else:
        print(f"{row.name} - {row.dataset}  [catalogue only: biocurate has no loader for it yet]")
        print("\n".join(line for r in rows for line in _row_lines(r)))
    return 0
