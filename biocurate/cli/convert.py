"""``biocurate convert``: raw files -> validated schema records as JSON Lines (BigBio's core job).

The output is written next to ``--out`` under a temporary name and renamed only when the whole
conversion finished: a run that fails part-way leaves no partial file behind. Rejects keep the
file and line of the raw record they came from, also when validation rejects the record.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from biocurate.progress import tqdm  # log lines when stderr is not a terminal

from biocurate.errors import LoaderError
from biocurate.loaders import Loader, Reject, get_loader
from biocurate.loaders.bigbio_adapter import bigbio_view
from biocurate.schemas import IdTracker, Record
from biocurate.validate import validate_stream

#: Exit code of a data folder that holds none of the dataset's files (nothing to convert).
EXIT_NO_DATA = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="convert one dataset's raw files to schema records (JSON Lines)",
        description="Read a dataset's original raw files and write its validated schema records as JSON Lines, "
        "one record per line with the schema's field names. Records that cannot be converted go to "
        "OUT.rejects.jsonl with the file, line, field and reason. A data folder holding none of the "
        "dataset's files is an error (exit 2) listing the file names expected.",
    )
    parser.add_argument("name", help="dataset name or alias (see `biocurate list`)")
    parser.add_argument("--data-dir", required=True, type=Path, help="folder with the dataset's raw files")
    parser.add_argument("--out", required=True, type=Path, help="output .jsonl file")
    parser.add_argument("--split", action="append", help="split(s) to convert (default: every split present)")
    parser.add_argument("--bigbio", action="store_true", help="write BigBio's layout and content: the raw files read as "
                        "BigBio's own script reads them where that differs (ids, contexts, passages; docs/datasets.md)")
    parser.add_argument(
        "--encoding", help="text encoding of the raw files for this run (a Python codec name such as gb18030, gbk, "
        "latin-1; default: the dataset's declared encoding, UTF-8 for most; a byte-order mark wins)",
    )
    parser.set_defaults(func=run)


class NoDataError(LoaderError):
    """The data folder holds none of the dataset's files."""


def expected_files(loader: Loader) -> str:
    """The split file patterns of a loader, one ``split: pattern`` per split, for messages."""
    return "; ".join(f"{split}: {pattern}" for split, pattern in loader.meta.splits.items())


def located_records(loader: Loader, split: str, where: dict[str, tuple[str, int | None]]) -> Iterator[Record | Reject]:
    """:meth:`Loader.records`, remembering in ``where`` the raw file and line of each record id
    (so that a record rejected by validation is still located)."""
    for index, item in enumerate(loader.read_source(split)):
        if isinstance(item, Reject):
            yield item
            continue
        for out in loader.convert_item(item, split, index):
            if not isinstance(out, Reject):
                where[out.id] = (item.file, item.line)
            yield out


def run(args: argparse.Namespace) -> int:
    loader = get_loader(args.name)(args.data_dir)
    if args.encoding:
        loader.encoding = args.encoding
    if args.bigbio:
        loader = bigbio_view(loader)
    splits = args.split or loader.available_splits()
    if not splits:
        error = NoDataError(f"{args.data_dir} holds none of the dataset's files (expected {expected_files(loader)})", dataset=loader.name)
        print(f"biocurate convert: error: {error}", file=sys.stderr)
        return EXIT_NO_DATA
    for split in splits:
        loader.files_for(split)  # fail early, naming the missing file
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rejects_path = args.out.with_name(args.out.stem + ".rejects.jsonl")
    partial = args.out.with_name(args.out.name + ".partial")
    partial_rejects = rejects_path.with_name(rejects_path.name + ".partial")
    tracker = IdTracker()
    counts = {s: {"out": 0, "rejected": 0} for s in splits}
    try:
        with open(partial, "w", encoding="utf-8") as out, open(partial_rejects, "w", encoding="utf-8") as rejects:
            for split in splits:
                where: dict[str, tuple[str, int | None]] = {}
                stream = validate_stream(located_records(loader, split, where), loader.meta, tracker)
                for item in tqdm(stream, desc=f"{loader.name}/{split}", unit="rec", disable=None):
                    if isinstance(item, Reject):
                        if item.file is None and item.record in where:
                            item.file, item.line = where[item.record]
                        rejects.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
                        counts[split]["rejected"] += 1
                    else:
                        where.pop(item.id, None)
                        row = item.to_bigbio() if args.bigbio else item.model_dump()
                        out.write(json.dumps(row, ensure_ascii=False) + "\n")
                        counts[split]["out"] += 1
    except BaseException:
        partial.unlink(missing_ok=True)
        partial_rejects.unlink(missing_ok=True)
        raise
    os.replace(partial, args.out)
    for split, c in counts.items():
        unlabelled = " (no gold labels: unlabelled records)" if split in loader.meta.unlabelled_splits else ""
        print(f"{loader.name}/{split}: {c['out']} records, {c['rejected']} rejected{unlabelled}")
    if any(c["rejected"] for c in counts.values()):
        os.replace(partial_rejects, rejects_path)
        print(f"wrote {args.out} and {rejects_path}")
    else:
        partial_rejects.unlink()
        rejects_path.unlink(missing_ok=True)  # an earlier run's rejects would mislead
        print(f"wrote {args.out}")
    return 0 if all(c["out"] or not c["rejected"] for c in counts.values()) else 1
