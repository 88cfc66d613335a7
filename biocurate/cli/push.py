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
        "The token is read from HF_TOKEN or your `huggingface-cli login`; it is never printed. "
        "A public push is refused when any source's licence is unknown or forbids redistribution (the error names "
        "them): push with --private, re-export with --exclude-licence non-redistributable, or pass "
        "--i-have-permission if you hold the rights.",
        epilog="Example: biocurate push export/taiyi-v1 --repo-id my-org/taiyi-v1-mixture --private",
    )
    parser.add_argument("export_dir", type=Path, help="folder written by `biocurate export`")
    parser.add_argument("--repo-id", required=True, help="ORG/NAME of the dataset repository")
    parser.add_argument("--private", action="store_true", help="create the repository as private")
    parser.add_argument("--i-have-permission", dest="allow_restricted", action="store_true",
                        help="publish publicly even sources whose licence is unknown or forbids redistribution: "
                        "you hold the rights to do so")
    parser.add_argument("--revision", help="branch to push to (default: main)")
    parser.add_argument("--message", help="commit message")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    result = push_export(args.export_dir, args.repo_id, private=args.private, revision=args.revision,
                         commit_message=args.message, allow_restricted=args.allow_restricted)
    print(f"pushed {len(result.files)} files to {result.repo_url}")
    if result.restricted:
        how = "privately" if args.private else "with --i-have-permission"
        print(f"note: pushed {how}; not cleared for redistribution: {', '.join(str(r) for r in result.restricted)}")
    print(f"commit: {result.commit_url}")
    return 0
