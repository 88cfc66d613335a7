"""Fetching a loader's raw files (before stage 2): ``meta.source_files`` into a local cache, verified.

Each :class:`~biocurate.loaders.SourceFile` is fetched over HTTP(S) with the standard library into
``<cache root>/<dataset>/<filename>``. A transfer writes ``<filename>.part`` first and resumes it
with an HTTP ``Range`` request when run again; the finished file is checked against its
``sha256`` (and ``size``) when the loader declares them, and a mismatching file is removed with
an error naming the file and both hashes. A file already in the cache that matches is not
fetched again. Data behind a registration or data-use agreement (``manual_download`` and no
``source_files``) is never fetched: :func:`manual_instructions` says where to get it and which
files to place where.

Nothing from the network is trusted: a redirect is followed only to https (never from https to
http) and only to the same host or a host of the dataset's own source URLs; each transfer has an
overall ``deadline`` and a ``stall`` timeout (no byte for that long); every network failure
(refused or reset connection, stall, deadline, cut body) is a one-line :class:`DownloadError`
and the ``.part`` stays for a resume. A body shorter than its ``Content-Length`` never counts as
complete. A file without a declared ``sha256`` is marked ``"verified": false`` in
``download-manifest.json`` beside the files, and an archive is extracted safely
(:mod:`biocurate.archives`) into a folder beside it that the loader's split globs reach.

Example:
    >>> from biocurate.download import download
    >>> results = download(get_loader("med_qa").meta)      # ~/.cache/biocurate/med_qa/...
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlparse
from urllib.request import HTTPRedirectHandler, Request, build_opener

from biocurate.progress import tqdm  # log lines when stderr is not a terminal

from biocurate.archives import ArchiveError, extract, is_archive
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
    """What :func:`fetch` did: ``status`` is ``downloaded``, ``resumed`` or ``cached``;
    ``verified`` whether a declared sha256 matched; ``extracted`` the folder an archive went to."""

    path: Path
    status: str
    bytes: int
    verified: bool = False
    extracted: Path | None = None


class _Redirects(HTTPRedirectHandler):
    """Follows a redirect only to https (or the same scheme and host) on an allowed host."""

    def __init__(self, allowed_hosts: set[str], filename: str) -> None:
        self.allowed_hosts = allowed_hosts
        self.filename = filename

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201 - urllib's signature
        old, new = urlparse(req.full_url), urlparse(urljoin(req.full_url, newurl))
        same_origin = (new.scheme, new.netloc) == (old.scheme, old.netloc)
        if not same_origin and new.scheme != "https":
            raise DownloadError(f"{self.filename}: refused redirect from {req.full_url} to {new.geturl()} (only to https)")
        if new.hostname != old.hostname and new.hostname not in self.allowed_hosts:
            raise DownloadError(
                f"{self.filename}: refused redirect from {req.full_url} to {new.geturl()} (host {new.hostname} is not one of "
                f"the dataset's hosts: {', '.join(sorted(self.allowed_hosts))})"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


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


def fetch(
    source: SourceFile, folder: str | Path, *, progress: bool = True, timeout: float = 60.0, deadline: float = 6 * 3600.0,
    allowed_hosts: set[str] | None = None,
) -> FetchResult:
    """Fetch one source file into ``folder``, resuming a ``.part`` file and verifying the result.

    Args:
        source: the file.
        folder: the dataset's cache folder.
        progress: show a progress bar.
        timeout: stall timeout in seconds: connecting, or waiting for the next bytes.
        deadline: the most seconds the whole transfer may take.
        allowed_hosts: hosts a redirect may lead to besides the URL's own (the dataset's hosts).

    Raises:
        DownloadError: HTTP error (with its status), unreachable host, refused redirect, stall,
            deadline, connection reset or short transfer (the ``.part`` stays for a later
            resume), size or checksum mismatch (the file is removed).
    """
    url = source.url
    if urlparse(url).scheme not in ("http", "https"):
        raise DownloadError(f"{source.filename}: only http(s) URLs can be fetched, got {url!r}")
    dest = _target(Path(folder), source.filename)
    if dest.exists():
        if not source.sha256 or sha256_of(dest).lower() == source.sha256.lower():
            return FetchResult(dest, "cached", dest.stat().st_size, verified=bool(source.sha256))
        dest.unlink()  # a stale or corrupt copy: fetch it again
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    offset = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": "biocurate", "Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    opener = build_opener(_Redirects(set(allowed_hosts or ()) | {urlparse(url).hostname}, source.filename))
    started = time.monotonic()
    try:
        response = opener.open(Request(url, headers=headers), timeout=timeout)
    except DownloadError:
        raise
    except HTTPError as exc:
        if exc.code == 416 and offset:  # the .part already holds the whole file
            _verify(part, source, url)
            os.replace(part, dest)
            return FetchResult(dest, "resumed", 0, verified=bool(source.sha256))
        raise DownloadError(f"HTTP {exc.code} {exc.reason} for {url} (file {source.filename})") from None
    except (URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or f"{type(exc).__name__}: {exc}"
        raise DownloadError(f"cannot fetch {url} (file {source.filename}): {reason}") from None
    try:
        received, total, resumed = _receive(response, part, offset, source, url, progress, started, deadline, timeout)
    except (socket.timeout, TimeoutError):
        if time.monotonic() - started >= deadline:
            raise DownloadError(
                f"{source.filename} from {url}: deadline of {deadline:g} s passed; run the download again to resume ({part})"
            ) from None
        raise DownloadError(
            f"{source.filename} from {url}: stalled (no data for {timeout:g} s); run the download again to resume ({part})"
        ) from None
    except (OSError, http.client.HTTPException) as exc:
        raise DownloadError(
            f"{source.filename} from {url}: transfer broken ({type(exc).__name__}: {exc}); run the download again to resume ({part})"
        ) from None
    if total is not None and offset + received < total:
        raise DownloadError(
            f"{source.filename} from {url}: transfer stopped at {offset + received} of {total} bytes; "
            f"run the download again to resume ({part})"
        )
    _verify(part, source, url)
    os.replace(part, dest)
    return FetchResult(dest, "resumed" if resumed else "downloaded", received, verified=bool(source.sha256))


def _receive(
    response: http.client.HTTPResponse, part: Path, offset: int, source: SourceFile, url: str, progress: bool,
    started: float, deadline: float, timeout: float,
) -> tuple[int, int | None, bool]:
    """Write the body into ``part``: bytes received, expected total (None: unknown), resumed."""
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
            while True:
                left = deadline - (time.monotonic() - started)
                if left <= 0:
                    raise DownloadError(
                        f"{source.filename} from {url}: deadline of {deadline:g} s passed at {offset + received} bytes; "
                        f"run the download again to resume ({part})"
                    )
                if response.fp is not None and hasattr(response.fp, "raw") and hasattr(response.fp.raw, "_sock"):
                    response.fp.raw._sock.settimeout(min(timeout, left))
                block = response.read1(_CHUNK)  # returns what one receive gave: a drip cannot outlast the deadline
                if not block:
                    break
                out.write(block)
                received += len(block)
                bar.update(len(block))
    return received, total, resumed


MANIFEST = "download-manifest.json"


def download(
    meta: DatasetMeta, cache: str | Path | None = None, *, progress: bool = True, timeout: float = 60.0,
    deadline: float = 6 * 3600.0, max_extract_bytes: int | None = None,
) -> list[FetchResult]:
    """Fetch every ``meta.source_files`` entry into ``<cache>/<meta.name>/`` (see :func:`fetch`),
    extract archives safely, and write ``download-manifest.json`` (url, bytes, sha256, whether
    it was verified against a declared checksum, where an archive was extracted).

    Raises:
        DownloadError: see :func:`fetch`; an unsafe or unreadable archive (names the member).
    """
    folder = dataset_cache(meta.name, cache)
    hosts = {urlparse(s.url).hostname for s in meta.source_files} - {None}
    results = []
    for source in meta.source_files:
        result = fetch(source, folder, progress=progress, timeout=timeout, deadline=deadline, allowed_hosts=hosts)
        if is_archive(result.path.name):
            try:
                result.extracted = extract(result.path, **({"max_bytes": max_extract_bytes} if max_extract_bytes else {}))
            except ArchiveError as exc:
                raise DownloadError(str(exc)) from None
        results.append(result)
    entries = [
        {
            "filename": s.filename, "url": s.url, "bytes": r.path.stat().st_size, "sha256": sha256_of(r.path),
            "verified": r.verified or bool(s.sha256), "extracted_to": str(r.extracted.relative_to(folder)) if r.extracted else None,
        }
        for s, r in zip(meta.source_files, results)
    ]
    (folder / MANIFEST).write_text(json.dumps({"dataset": meta.name, "files": entries}, indent=2) + "\n", encoding="utf-8")
    return results


def manual_instructions(meta: DatasetMeta, folder: str | Path) -> str:
    """Where to get data that cannot be fetched, and which files go where (``meta.splits`` globs)."""
    lines = [f"{meta.name}: this data cannot be downloaded automatically."]
    lines.append(meta.manual_download or f"No download source is declared; see {meta.homepage}.")
    lines.append(f"Place the raw files in {folder} (any sub-folder), named so that they match:")
    width = max((len(s) for s in meta.splits), default=0)
    lines += [f"  {split:<{width}}  {pattern}" for split, pattern in meta.splits.items()]
    lines.append(f"then run: biocurate convert {meta.name} --data-dir {folder} --out {meta.name}.jsonl")
    return "\n".join(lines)


__all__ = ["MANIFEST", "DownloadError", "FetchResult", "default_cache", "dataset_cache", "sha256_of", "fetch", "download", "manual_instructions"]
