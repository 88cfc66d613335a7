"""``biocurate download NAME``: fetch a loader's raw files into the cache, or say how to get them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from biocurate.download import dataset_cache, download, manual_instructions
from biocurate.hub_snapshot import HubSnapshot, download_snapshot
from biocurate.errors import LoaderError
from biocurate.loaders import DatasetMeta, Loader
from biocurate.loaders.formats.common import files_under, split_files
from biocurate.loaders.bigbio_adapter import resolve_loader


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "download",
        help="fetch a dataset's raw files into the cache (or say where to get them)",
        description="Fetch the raw files a loader declares into CACHE/NAME/ (default ~/.cache/biocurate/NAME/, or "
        "$BIOCURATE_CACHE/NAME/), checking sha256 checksums where declared and resuming interrupted "
        "transfers. For data behind a registration or data-use agreement, print where to get it and "
        "which files to place where, and exit 0 without downloading.",
    )
    parser.add_argument("name", help="dataset name or alias (see `biocurate list --all`)")
    parser.add_argument("--cache", type=Path, help="cache root; files go to CACHE/NAME/ (default ~/.cache/biocurate)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def resolve(name: str) -> type[Loader]:
    """The loader class for ``name`` (registered, else catalogue-generated); tests patch this."""
    return resolve_loader(name)


def run(args: argparse.Namespace) -> int:
    cls = resolve(args.name)
    meta = cls.meta
    folder = dataset_cache(meta.name, args.cache)
    hub = getattr(cls, "hub", None)
    if isinstance(hub, HubSnapshot):  # Hub-hosted corpus: a pinned snapshot (biocurate.hub_snapshot)
        for path in download_snapshot(hub, folder, progress=not args.no_progress):
            print(f"{'fetched':>10}  {path}")
        print(f"\nnext: biocurate convert {meta.name} --data-dir {folder} --out {meta.name}.jsonl")
        return 0
    if not meta.source_files:
        print(manual_instructions(meta, folder))
        return 0
    for result in download(meta, args.cache, progress=not args.no_progress):
        note = "" if result.verified else "  (unverified: no sha256 declared)"
        print(f"{result.status:>10}  {result.path}{note}")
        if result.extracted is not None:
            print(f"{'extracted':>10}  {result.extracted}")
    if meta.manual_download:
        print(f"\nNot every split can be fetched automatically:\n{meta.manual_download}")
    found = splits_found(meta, folder)
    if not found:
        expected = "; ".join(f"{split}: {pattern}" for split, pattern in meta.splits.items())
        print(f"biocurate download: error: the files in {folder} hold none of the files {meta.name} reads "
              f"(expected {expected})", file=sys.stderr)
        return 1
    print(f"\nsplits found: {', '.join(found)}")
    print(f"next: biocurate convert {meta.name} --data-dir {folder} --out {meta.name}.jsonl")
    return 0


def splits_found(meta: DatasetMeta, folder: Path) -> list[str]:
    """The splits whose files the downloaded (and extracted) files provide."""
    tree = files_under(folder) if folder.is_dir() else []
    found = []
    for split in meta.splits:
        try:
            split_files(folder, meta.splits, split, meta.name, tree)
        except LoaderError:
            continue
        found.append(split)
    return found
