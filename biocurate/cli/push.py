"""``biocurate push``: upload an export folder to the Hugging Face Hub."""

from __future__ import annotations

import argparse
from pathlib import Path

from biocurate.hub.push import push_export


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "push",
        help="upload an export (shards, card, manifest) to a Hub dataset repo",
        description="Upload the Parquet shards, README.md dataset card, manifest.json and any JSON Lines formats of an "
        "export folder to a Hugging Face Hub dataset repository in one commit (the repo is created if missing). "
        "The token is read from HF_TOKEN or your `huggingface-cli login`; it is never printed.",
        epilog="Example: biocurate push export/taiyi-v1 --repo-id my-org/taiyi-v1-mixture --private",
    )
    parser.add_argument("export_dir", type=Path, help="folder written by `biocurate export`")
    parser.add_argument("--repo-id", required=True, help="ORG/NAME of the dataset repository")
    parser.add_argument("--private", action="store_true", help="create the repository as private")
    parser.add_argument("--revision", help="branch to push to (default: main)")
    parser.add_argument("--message", help="commit message")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = push_export(args.export_dir, args.repo_id, private=args.private, revision=args.revision, commit_message=args.message)
    print(f"pushed {len(result.files)} files to {result.repo_url}")
    print(f"commit: {result.commit_url}")
    return 0
