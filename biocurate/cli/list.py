"""``biocurate list``: the registered loaders, or (``--all``) every catalogue dataset and how it is reached."""

from __future__ import annotations

import argparse
import json
from typing import Any
from urllib.parse import urlparse

from biocurate.inventory import REACH_KINDS, CatalogueRow, coverage, load_catalogue, reach_of
from biocurate.loaders import all_loaders

#: ``--reach`` words -> reach kinds.
REACH_WORDS = dict(zip(("own", "bigbio", "manual", "not-yet"), REACH_KINDS))


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "list",
        help="list registered loaders, or with --all every catalogue dataset and how it is reached",
        description="Without options: every registered loader (name, languages, tasks, schema, licence, splits). "
        "With --all: every dataset of the catalogue (Taiyi's 140-dataset inventory plus its extra sources) with its "
        "language, tasks, licence, source and how biocurate reaches it (own loader, BigBio adapter, manual "
        "download, not yet), ending with a coverage summary.",
    )
    parser.add_argument("--all", action="store_true", help="every catalogue dataset, with a coverage summary")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--language", choices=("zh", "en"), help="only datasets in this language")
    parser.add_argument("--reach", choices=list(REACH_WORDS), help="with --all: only datasets reached this way")
    parser.set_defaults(func=run)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Plain-text columns, left-aligned, two spaces apart."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def loader_rows(language: str | None = None) -> list[dict[str, Any]]:
    """One dict per registered loader (the ``list --json`` payload)."""
    out = []
    for name, cls in all_loaders().items():
        meta = cls.meta
        if language and language not in meta.languages:
            continue
        out.append({
            "name": name, "display_name": meta.display_name, "languages": meta.languages, "tasks": meta.tasks,
            "schema": meta.schema_name, "licence": meta.licence, "license": meta.licence,  # "license": deprecated key
            "splits": list(meta.splits),
            "download": "fetch" if meta.source_files else "manual", "aliases": meta.aliases,
            "format_source": meta.format_source,
        })
    return out


def _host(url: str) -> str:
    parsed = urlparse(url)
    path = parsed.path.strip("/").split("/")
    depth = {"github.com": 1, "huggingface.co": 2 if path[0] == "datasets" else 1}.get(parsed.netloc, 0)
    return "/".join([parsed.netloc, *path[:depth]]) if parsed.netloc else "-"


def catalogue_rows(language: str | None = None, reach: str | None = None) -> tuple[list[CatalogueRow], list[dict[str, Any]]]:
    """Catalogue rows (filtered) and their JSON view with the reach kind and loader."""
    loaders = all_loaders()
    rows, out = [], []
    for row in load_catalogue():
        how = reach_of(row, loaders)
        if (language and language not in row.languages) or (reach and how.kind != reach):
            continue
        rows.append(row)
        own = loaders[how.loader].meta if how.kind == REACH_KINDS[0] else None
        out.append({**row.to_dict(), "reach": how.kind, "reach_loader": how.loader, "reach_detail": how.detail,
                    "loader_licence": own.licence if own else None, "format_source": own.format_source if own else None})
    return rows, out


def summary(cov: dict[str, Any]) -> str:
    """The coverage summary printed after ``list --all``."""
    def counts(c: dict[str, int]) -> str:
        return " / ".join(f"{k} {c[k]}" for k in REACH_KINDS)

    lines = [f"coverage of {cov['total']} datasets: {counts(cov['by_reach'])}"]
    for lang, c in cov["by_language"].items():
        lines.append(f"  {lang + ' (' + str(sum(c.values())) + ')':<24} {counts(c)}")
    for name, c in cov["by_catalogue_file"].items():
        lines.append(f"  {name + ' (' + str(sum(c.values())) + ')':<24} {counts(c)}")
    extra = cov.get("loaders_outside_catalogue")
    if extra:
        lines.append(f"loaders outside Taiyi's catalogue ({len(extra)}): {', '.join(extra)}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if not args.all:
        items = loader_rows(args.language)
        if args.json:
            print(json.dumps(items, ensure_ascii=False, indent=2))
            return 0
        body = [[i["name"], ",".join(i["languages"]), ",".join(i["tasks"]), i["schema"], i["licence"], ",".join(i["splits"])] for i in items]
        print(table(["name", "languages", "tasks", "schema", "licence", "splits"], body))
        print(f"\n{len(items)} loaders; `biocurate list --all` shows all {len(load_catalogue())} catalogue datasets and their coverage")
        return 0
    rows, items = catalogue_rows(args.language, REACH_WORDS.get(args.reach) if args.reach else None)
    cov = coverage(rows)
    if args.language or args.reach:
        cov.pop("loaders_outside_catalogue")  # only meaningful against the whole catalogue
    if args.json:
        print(json.dumps({"datasets": items, "coverage": cov}, ensure_ascii=False, indent=2))
        return 0
    body = [[i["row"], i["name"], "+".join(i["languages"]), ",".join(i["tasks"]) or "-", i["loader_licence"] or i["licence"], _host(i["homepage"]),
             i["reach"] + (f" ({i['reach_loader']})" if i["reach"] == REACH_KINDS[0] and i["reach_loader"] != i["name"] else "")
             + (" [format from description]" if i["format_source"] == "format from description" else "")]
            for i in items]
    print(table(["row", "name", "lang", "tasks", "licence", "source", "reached by"], body))
    print("(licence: the loader's key where biocurate has a loader, else the catalogue's, from BigBio)")
    print()
    print(summary(cov))
    return 0
