"""Which datasets feed an export, and the fingerprints of their raw files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from biocurate.licenses import matches
from biocurate.loaders import Loader, get_loader
from biocurate.mix.spec import MixtureSpec
from biocurate.remote import is_url, stage
from biocurate.sources import datasets_in, samples_dir
from biocurate.tasks import category_of


@dataclass
class Source:
    """A dataset present under the data root, with the splits and tasks the export uses."""

    name: str
    loader: Loader
    splits: list[str]
    tasks: list[str]
    folder: Path
    #: ``(url, folder name)`` when the data root is remote and ``folder`` is its staged copy
    #: (:mod:`biocurate.remote`): a unit stages the folder again where it runs
    remote: tuple[str, str] | None = None

    @property
    def meta(self):  # noqa: ANN201 - DatasetMeta
        return self.loader.meta


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, hex."""
    return _size_and_sha256(path)[1]


def _size_and_sha256(path: Path) -> tuple[int, str]:
    """A file's size and sha256, from one unbuffered read (no stat, no buffer copies: a
    file-per-document corpus has tens of thousands of small files)."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb", buffering=0) as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def find_sources(spec: MixtureSpec, data_root: Path | str | None, splits: list[str], exclude_licences: list[str]) -> tuple[list[Source], dict[str, str]]:
    """Datasets under ``data_root`` (default: bundled samples; a URL is staged first, see
    :mod:`biocurate.remote`) that the mixture can use.

    Returns:
        The sources, and ``{dataset: reason}`` for datasets present but skipped.
    """
    url = str(data_root) if is_url(data_root) else None
    root = stage(url) if url else Path(data_root) if data_root else samples_dir()
    skipped: dict[str, str] = {}
    sources = []
    for name, folder in sorted(datasets_in(root).items()):
        meta = get_loader(name).meta
        if spec.datasets is not None and name not in spec.datasets:
            continue
        excluded = [sel for sel in exclude_licences if matches(meta.license, sel)]
        if excluded:
            skipped[name] = f"licence {meta.license} excluded by --exclude-licence {excluded[0]}"
            continue
        tasks = [t for t in meta.tasks if category_of(t) in spec.targets]
        if not tasks:
            skipped[name] = "no task of this dataset has a target in the mixture"
            continue
        loader = get_loader(name)(folder)
        usable = [s for s in splits if s in loader.available_splits() and s not in meta.unlabelled_splits]
        if not usable:
            skipped[name] = f"no labelled split among {splits} in {folder.name}"
            continue
        sources.append(Source(name, loader, usable, tasks, folder, (url, folder.relative_to(root).as_posix()) if url else None))
    return sources, skipped


def source_files(source: Source, splits: list[str]) -> list[dict[str, object]]:
    """Relative path, size and sha256 of every raw file of the given splits."""
    files = []
    seen = set()
    for split in splits:
        for path in source.loader.input_files(split):
            if path in seen:
                continue
            seen.add(path)
            size, sha256 = _size_and_sha256(path)
            files.append({"path": path.relative_to(source.folder).as_posix(), "bytes": size, "sha256": sha256})
    return files
