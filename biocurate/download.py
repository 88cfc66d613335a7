"""Fetching a loader's raw files (before stage 2): ``meta.source_files`` into a local cache, verified.

Each :class:`~biocurate.loaders.SourceFile` is fetched over HTTP(S) with the standard library into
``<cache root>/<dataset>/<filename>``. A transfer writes ``<filename>.part`` first and resumes it
with an HTTP ``Range`` request when run again; the finished file is checked against its
``sha256`` (and ``size``) when the loader declares them, and a mismatching file is removed with
an error naming the file and both hashes. A file already in the cache that matches is not
fetched again. Data behind a registration or data-use agreement (``manual_download`` and no
``source_files``) is never fetched: :func:`manual_instructions` says where to get it and which
files to place where.

Example:
    >>> from biocurate.download import download
    >>> results = download(get_loader("med_qa").meta)      # ~/.cache/biocurate/med_qa/...
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse
from urllib.request import Request, urlopen

from tqdm import tqdm

from biocurate.errors import BiocurateError
from biocurate.loaders import DatasetMeta, SourceFile

_CHUNK = 1 << 16


class DownloadError(BiocurateError):
    """A raw file could not be fetched or failed its checksum."""


def default_cache() -> Path:
    """The cache root: ``$BIOCURATE_CACHE``, else ``$XDG_CACHE_HOME/biocurate``, else ``~/.cache/biocurate``."""
    if os.environ.get("BIOCURATE_CACHE"):
        return Path(os.environ["BIOCURATE_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "biocurate"


def dataset_cache(name: str, cache: str | Path | None = None) -> Path:
    """The folder of dataset ``name`` under a cache root (default :func:`default_cache`)."""
    return (Path(cache).expanduser() if cache is not None else default_cache()) / name


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class FetchResult:
    """What :func:`fetch` did: ``status`` is ``downloaded``, ``resumed`` or ``cached``."""

    path: Path
    status: str
    bytes: int


def _target(folder: Path, filename: str) -> Path:
    relative = PurePosixPath(filename)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise DownloadError(f"source file name {filename!r} must be a relative path inside the dataset folder")
    return folder.joinpath(*relative.parts)


def _verify(part: Path, source: SourceFile, url: str) -> None:
    size = part.stat().st_size
    if source.size is not None and size != source.size:
        part.unlink()
        raise DownloadError(f"{source.filename} from {url}: expected {source.size} bytes, got {size}; the file was removed")
    if source.sha256:
        actual = sha256_of(part)
        if actual.lower() != source.sha256.lower():
            part.unlink()
            raise DownloadError(
                f"checksum mismatch for {source.filename} from {url}: expected sha256 {source.sha256}, "
                f"got {actual}; the file was removed"
            )


def fetch(source: SourceFile, folder: str | Path, *, progress: bool = True, timeout: float = 60.0) -> FetchResult:
    """Fetch one source file into ``folder``, resuming a ``.part`` file and verifying the result.

    Raises:
        DownloadError: HTTP error (with its status), unreachable host, short transfer (the
            ``.part`` stays for a later resume), size or checksum mismatch (the file is removed).
    """
    url = source.url
    if urlparse(url).scheme not in ("http", "https"):
        raise DownloadError(f"{source.filename}: only http(s) URLs can be fetched, got {url!r}")
    dest = _target(Path(folder), source.filename)
    if dest.exists():
        if not source.sha256 or sha256_of(dest).lower() == source.sha256.lower():
            return FetchResult(dest, "cached", dest.stat().st_size)
        dest.unlink()  # a stale or corrupt copy: fetch it again
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    offset = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": "biocurate", "Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        response = urlopen(Request(url, headers=headers), timeout=timeout)
    except HTTPError as exc:
        if exc.code == 416 and offset:  # the .part already holds the whole file
            _verify(part, source, url)
            os.replace(part, dest)
            return FetchResult(dest, "resumed", 0)
        raise DownloadError(f"HTTP {exc.code} {exc.reason} for {url} (file {source.filename})") from None
    except (URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"cannot fetch {url} (file {source.filename}): {reason}") from None
    with response:
        resumed = offset > 0 and response.status == 206
        if not resumed:
            offset = 0  # no .part, or the server ignored the Range header: start over
        length = response.headers.get("Content-Length")
        total = offset + int(length) if length is not None else None
        received = 0
        with open(part, "ab" if resumed else "wb") as out, tqdm(
            total=total, initial=offset, unit="B", unit_scale=True, desc=source.filename, disable=None if progress else True
        ) as bar:
            for block in iter(lambda: response.read(_CHUNK), b""):
                out.write(block)
                received += len(block)
                bar.update(len(block))
    if total is not None and offset + received < total:
        raise DownloadError(
            f"{source.filename} from {url}: transfer stopped at {offset + received} of {total} bytes; "
            f"run the download again to resume ({part})"
        )
    _verify(part, source, url)
    os.replace(part, dest)
    return FetchResult(dest, "resumed" if resumed else "downloaded", received)


def download(meta: DatasetMeta, cache: str | Path | None = None, *, progress: bool = True) -> list[FetchResult]:
    """Fetch every ``meta.source_files`` entry into ``<cache>/<meta.name>/`` (see :func:`fetch`)."""
    folder = dataset_cache(meta.name, cache)
    return [fetch(source, folder, progress=progress) for source in meta.source_files]


def manual_instructions(meta: DatasetMeta, folder: str | Path) -> str:
    """Where to get data that cannot be fetched, and which files go where (``meta.splits`` globs)."""
    lines = [f"{meta.name}: this data cannot be downloaded automatically."]
    lines.append(meta.manual_download or f"No download source is declared; see {meta.homepage}.")
    lines.append(f"Place the raw files in {folder} (any sub-folder), named so that they match:")
    width = max((len(s) for s in meta.splits), default=0)
    lines += [f"  {split:<{width}}  {pattern}" for split, pattern in meta.splits.items()]
    lines.append(f"then run: biocurate convert {meta.name} --data-dir {folder} --out {meta.name}.jsonl")
    return "\n".join(lines)


__all__ = ["DownloadError", "FetchResult", "default_cache", "dataset_cache", "sha256_of", "fetch", "download", "manual_instructions"]
