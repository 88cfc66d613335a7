"""Options shared by ``export`` and ``plan``: the mixture and its overrides."""

from __future__ import annotations

import argparse
from pathlib import Path

from biocurate.errors import MixtureError
from biocurate.mix.spec import MixtureSpec, apply_overrides, bundled_mixtures, load_mixture
from biocurate.remote import is_url


def data_root(value: str) -> Path | str:
    """``--data-dir``: a URL stays a string (``Path`` would fold its ``//``), anything else is a folder."""
    return value if is_url(value) else Path(value)


def add_mixture_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mix", default="taiyi-v1", help=f"mixture name ({', '.join(bundled_mixtures())}) or a .yaml path (default: taiyi-v1)")
    parser.add_argument("--data-dir", type=data_root, help="data root with one folder per dataset (default: the bundled real samples); "
                        "a URL (s3://, gs://, hdfs://, file://, any fsspec protocol) is staged into the local cache first")
    parser.add_argument("--seed", type=int, help="override the mixture's seed")
    parser.add_argument("--size", type=int, help="total samples; every target is rescaled proportionally and shortfalls are "
                        "moved to targets with spare data")
    parser.add_argument("--no-fill", action="store_true", help="with --size, leave shortfalls unfilled (each target as rescaled)")
    parser.add_argument("--ratio", action="append", default=[], metavar="CAT[:LANG]=X", help="fix a target to a fraction of the total, e.g. ner:zh=0.1 (repeatable)")
    parser.add_argument("--cap", action="append", default=[], metavar="DATASET=N", help="cap one dataset at N samples per category (repeatable)")
    parser.add_argument("--datasets", help="comma-separated subset of datasets to use")
    parser.add_argument("--exclude-licence", action="append", default=[], metavar="KEY_OR_TAG",
                        help="skip sources whose licence matches (e.g. non-commercial, research-only, unknown, CC-BY-NC-4.0)")
    parser.add_argument("--splits", help="comma-separated splits feeding the mixture (default: the mixture's)")
    parser.add_argument("--no-decontaminate", action="store_true", help="keep training samples that overlap evaluation splits")
    parser.add_argument("--near-dedup", action="store_true", help="also drop near-duplicates (MinHash LSH over character n-grams)")


def _parse_ratio(text: str, spec: MixtureSpec) -> tuple[tuple[str, str], float]:
    key, sep, value = text.partition("=")
    if not sep:
        raise MixtureError(f"--ratio {text!r}: expected CAT[:LANG]=X")
    category, _, lang = key.partition(":")
    if not lang:
        lang = "all" if "all" in spec.targets.get(category, {}) else ""
        if not lang:
            raise MixtureError(f"--ratio {text!r}: category {category!r} has per-language targets; give CAT:LANG")
    try:
        return (category, lang), float(value)
    except ValueError:
        raise MixtureError(f"--ratio {text!r}: {value!r} is not a number") from None


def _parse_cap(text: str) -> tuple[str, int]:
    name, sep, value = text.partition("=")
    if not sep or not value.isdigit():
        raise MixtureError(f"--cap {text!r}: expected DATASET=N")
    from biocurate.loaders import resolve_name

    return resolve_name(name), int(value)


def check_licence_selectors(selectors: list[str]) -> None:
    """Refuse an ``--exclude-licence`` value that is neither a licence key nor a tag."""
    from biocurate.licenses import EXCLUDE_TAGS, LICENCES

    for selector in selectors:
        if selector not in LICENCES and selector not in EXCLUDE_TAGS:
            raise MixtureError(
                f"--exclude-licence {selector!r}: not a licence key or tag (tags: {', '.join(EXCLUDE_TAGS)}; keys: {', '.join(LICENCES)})"
            )


def mixture_from_args(args: argparse.Namespace) -> MixtureSpec:
    """The mixture named by ``--mix`` with the command line's overrides applied."""
    check_licence_selectors(args.exclude_licence)
    spec = load_mixture(args.mix)
    ratios = dict(_parse_ratio(r, spec) for r in args.ratio)
    caps = dict(_parse_cap(c) for c in args.cap)
    spec = apply_overrides(spec, size=args.size, ratios=ratios or None, caps=caps or None, seed=args.seed,
                           fill=False if getattr(args, "no_fill", False) else None)
    if args.datasets:
        from biocurate.loaders import resolve_name

        spec.datasets = [resolve_name(n) for n in args.datasets.split(",") if n.strip()]
    if args.splits:
        spec.splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    if args.no_decontaminate:
        spec.decontaminate.enabled = False
    if args.near_dedup:
        spec.dedup.near = True
    return spec
