"""Data roots on other file systems: ``s3://``, ``gs://``, ``hdfs://``, ``file://`` (pyarrow's own
file systems) or any protocol fsspec knows (``memory://``, ``abfs://``, ...).

Loaders read local paths with their own format readers, so a remote data root is *staged*: its
files are copied into a local folder (only files whose size or modification time changed since
the last copy), and the export reads that folder. The folder's path depends only on the URL and
the cache root (:func:`staging_folder`), so every node of a cluster stages a dataset to the same
path: the driver stages the whole root (it hashes every raw file for the manifest), and each
Ray task stages its dataset's folder on its own node before reading it (:func:`stage`).

Example::

    >>> root = stage("s3://my-bucket/biomed-raw")            # ~/.cache/biocurate/staged/<hash>
    >>> run_export(spec, ExportOptions(out=..., data_root="s3://my-bucket/biomed-raw"))
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from biocurate.download import default_cache
from biocurate.errors import BiocurateError

#: ``scheme://...``: a URL, not a local path (a Windows drive letter has one character before ``:``)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")
_INDEX = ".staged"  # per dataset folder, what was copied: {relative path: [size, mtime_ns]}
_CHUNK = 8 << 20


class StagingError(BiocurateError):
    """A remote data root could not be listed or copied."""


def is_url(root: str | os.PathLike | None) -> bool:
    """Whether ``root`` names a remote data root (``scheme://...``) rather than a local folder."""
    return root is not None and not isinstance(root, Path) and bool(_URL.match(str(root)))


def staging_folder(url: str, cache: str | Path | None = None) -> Path:
    """The local folder a remote data root is staged to: ``<cache>/staged/<sha256(url)[:16]>``
    (cache: ``$BIOCURATE_CACHE`` or ``~/.cache/biocurate``)."""
    root = Path(cache).expanduser() if cache is not None else default_cache()
    return root / "staged" / hashlib.sha256(url.rstrip("/").encode()).hexdigest()[:16]


def file_system(url: str) -> tuple[Any, str]:
    """``(pyarrow FileSystem, path inside it)`` for a URL: pyarrow's own file systems first,
    then fsspec's registry wrapped for pyarrow."""
    import pyarrow as pa
    import pyarrow.fs as pafs

    try:
        return pafs.FileSystem.from_uri(url)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError, TypeError):
        pass  # not one of pyarrow's own: fsspec's registry
    try:
        import fsspec
        from fsspec.core import url_to_fs
    except ImportError:
        raise StagingError(f"{url}: pyarrow has no file system for this URL and fsspec is not installed") from None
    try:
        fs, path = url_to_fs(url)
    except (ValueError, ImportError) as exc:
        raise StagingError(f"{url}: {exc}") from None
    del fsspec
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs)), path


def stage(url: str, target: Path | None = None, cache: str | Path | None = None, subfolder: str | None = None) -> Path:
    """Copy the files of remote data root ``url`` (or only its ``subfolder``, a dataset's
    folder) into ``target`` (default :func:`staging_folder`); returns ``target``.

    Unchanged files (same size and modification time as when they were copied) are not copied
    again; files that are gone from the remote folder are removed from the staged one. Each file
    is written beside its place and renamed into it, so a task reading a staged folder never
    sees half a file, and two tasks staging the same folder at once write the same bytes.

    Raises:
        StagingError: the URL cannot be listed or a file cannot be read (one line, naming it).
    """
    import pyarrow as pa
    import pyarrow.fs as pafs

    target = target if target is not None else staging_folder(url, cache)
    fs, base = file_system(url)
    base = base.rstrip("/")
    listed = f"{base}/{subfolder}" if subfolder else base
    try:
        infos = fs.get_file_info(pafs.FileSelector(listed, recursive=True, allow_not_found=subfolder is not None))
    except (OSError, pa.ArrowException) as exc:
        raise StagingError(f"cannot list {url}{'/' + subfolder if subfolder else ''}: {exc}") from None
    files = {info.path[len(base) + 1:]: info for info in infos if info.type == pafs.FileType.File}
    target.mkdir(parents=True, exist_ok=True)
    groups: dict[str, dict[str, Any]] = {subfolder: {}} if subfolder else {}
    for relative, info in files.items():
        if ".." not in Path(relative).parts and not relative.startswith(_INDEX + "/"):
            groups.setdefault(_top(relative), {})[relative] = info
    if not subfolder:  # a dataset folder gone upstream: its staged files go too
        for index in (target / _INDEX).glob("*.json"):
            groups.setdefault(index.stem, {})
    for group, members in sorted(groups.items()):
        _stage_group(fs, url, target, group, members)
    return target


def _top(relative: str) -> str:
    """The index group of a staged file: its dataset folder (``_`` for files at the root)."""
    return relative.split("/", 1)[0] if "/" in relative else "_"


def _stage_group(fs: Any, url: str, target: Path, group: str, files: dict[str, Any]) -> None:
    """Stage one dataset folder's files, with its own index (tasks staging different datasets
    on one node never write the same index)."""
    index_path = target / _INDEX / f"{group}.json"
    index = _read_index(index_path)
    changed = False
    for relative, info in sorted(files.items()):
        stamp = [info.size, info.mtime_ns]
        local = target / relative
        if index.get(relative) == stamp and local.is_file() and local.stat().st_size == info.size:
            continue
        _copy(fs, info.path, local, url)
        index[relative] = stamp
        changed = True
    for relative in [r for r in index if r not in files]:  # gone upstream
        (target / relative).unlink(missing_ok=True)
        del index[relative]
        changed = True
    if changed:
        index_path.parent.mkdir(parents=True, exist_ok=True)
        _write_index(index_path, index)


def _copy(fs: Any, path: str, local: Path, url: str) -> None:
    local.parent.mkdir(parents=True, exist_ok=True)
    partial = local.with_name(f"{local.name}.{os.getpid()}.partial")
    try:
        with fs.open_input_stream(path) as source, open(partial, "wb") as sink:
            while block := source.read(_CHUNK):
                sink.write(block)
        os.replace(partial, local)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StagingError(f"cannot copy {path} of {url}: {exc}") from None


def _read_index(path: Path) -> dict[str, list[int]]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        return found if isinstance(found, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_index(path: Path, index: dict[str, list[int]]) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(index, sort_keys=True), encoding="utf-8")
    os.replace(partial, path)
