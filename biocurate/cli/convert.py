"""``biocurate convert``: raw files -> validated schema records as JSON Lines (BigBio's core job)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tqdm import tqdm

from biocurate.loaders import Reject, get_loader
from biocurate.schemas import IdTracker
from biocurate.validate import validate_stream


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="convert one dataset's raw files to schema records (JSON Lines)",
        description="Read a dataset's original raw files and write its validated schema records as JSON Lines, "
        "one record per line with the schema's field names. Records that cannot be converted go to "
        "OUT.rejects.jsonl with the file, line, field and reason.",
    )
    parser.add_argument("name", help="dataset name or alias (see `biocurate list`)")
    parser.add_argument("--data-dir", required=True, type=Path, help="folder with the dataset's raw files")
    parser.add_argument("--out", required=True, type=Path, help="output .jsonl file")
    parser.add_argument("--split", action="append", help="split(s) to convert (default: every split present)")
    parser.add_argument("--bigbio", action="store_true", help="write BigBio's layout (drop biocurate's extra fields)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    loader = get_loader(args.name)(args.data_dir)
    splits = args.split or loader.available_splits()
    for split in splits:
        loader.files_for(split)  # fail early, naming the missing file
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rejects_path = args.out.with_name(args.out.stem + ".rejects.jsonl")
    tracker = IdTracker()
    counts = {s: {"out": 0, "rejected": 0} for s in splits}
    with open(args.out, "w", encoding="utf-8") as out, open(rejects_path, "w", encoding="utf-8") as rejects:
        for split in splits:
            stream = validate_stream(loader.records(split), loader.meta, tracker)
            for item in tqdm(stream, desc=f"{loader.name}/{split}", unit="rec", disable=None):
                if isinstance(item, Reject):
                    rejects.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
                    counts[split]["rejected"] += 1
                else:
                    row = item.to_bigbio() if args.bigbio else item.model_dump()
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    counts[split]["out"] += 1
    for split, c in counts.items():
        print(f"{loader.name}/{split}: {c['out']} records, {c['rejected']} rejected")
    print(f"wrote {args.out}" + (f" and {rejects_path}" if any(c["rejected"] for c in counts.values()) else ""))
    if not any(c["rejected"] for c in counts.values()):
        rejects_path.unlink()
    return 0 if all(c["out"] or not c["rejected"] for c in counts.values()) else 1


