"""Safe extraction of downloaded archives (zip, tar, tar.gz/bz2/xz) into a dataset's cache folder.

Nothing in an archive is trusted: a member with an absolute path, a ``..`` part, a link (symbolic
or hard) whose target leaves the destination, a device or FIFO is refused, and so is an archive
whose members add up to more than ``max_bytes`` (zip bombs declare their sizes; tar headers
do too, and no more than a header's size is ever read). A refused archive leaves nothing behind.
Extraction goes to ``<folder>/<archive name without its suffix>/``, which loaders find since
their split globs cross folders.
"""

from __future__ import annotations

import shutil
import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

from biocurate.errors import BiocurateError

#: Default ceiling on the total uncompressed size of one archive (the largest Taiyi source is ~3 GB).
MAX_BYTES = 32 << 30
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")


class ArchiveError(BiocurateError):
    """An archive is unsafe or unreadable; names the archive and the member."""


def is_archive(name: str) -> bool:
    """Whether a file name is one :func:`extract` reads."""
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def extract_dir(archive: Path) -> Path:
    """Where :func:`extract` puts an archive's members: beside it, named without the suffix."""
    name = archive.name
    for suffix in ARCHIVE_SUFFIXES:
        if name.lower().endswith(suffix):
            return archive.with_name(name[: -len(suffix)])
    raise ArchiveError(f"{archive.name} is not an archive ({', '.join(ARCHIVE_SUFFIXES)})")


def _safe_name(archive: Path, name: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or name.startswith("/") or (path.parts and path.parts[0].endswith(":")):
        raise ArchiveError(f"{archive.name}: member {name!r} has an absolute path; the archive was not extracted")
    if ".." in path.parts:
        raise ArchiveError(f"{archive.name}: member {name!r} climbs out of the folder ('..'); the archive was not extracted")
    return path


def _inside(base: PurePosixPath, target: str) -> bool:
    """Whether a link at ``base`` pointing to ``target`` stays inside the extraction folder."""
    if target.startswith("/"):
        return False
    depth = 0
    for part in (base.parent / target).parts:
        depth += -1 if part == ".." else (0 if part == "." else 1)
        if depth < 0:
            return False
    return True


def _check_zip(archive: Path, handle: zipfile.ZipFile, max_bytes: int) -> None:
    total = 0
    for info in handle.infolist():
        _safe_name(archive, info.filename)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ArchiveError(f"{archive.name}: member {info.filename!r} is a symbolic link; the archive was not extracted")
        total += info.file_size
        if total > max_bytes:
            raise ArchiveError(f"{archive.name}: members add up to more than {max_bytes} bytes (zip bomb?); the archive was not extracted")


def _check_tar(archive: Path, handle: tarfile.TarFile, max_bytes: int) -> None:
    total = 0
    for member in handle.getmembers():
        path = _safe_name(archive, member.name)
        if member.issym() or member.islnk():
            if not _inside(path, member.linkname) or (member.islnk() and ".." in PurePosixPath(member.linkname).parts):
                raise ArchiveError(f"{archive.name}: link {member.name!r} -> {member.linkname!r} leaves the folder; the archive was not extracted")
        elif not (member.isfile() or member.isdir()):
            raise ArchiveError(f"{archive.name}: member {member.name!r} is a device or FIFO; the archive was not extracted")
        total += member.size
        if total > max_bytes:
            raise ArchiveError(f"{archive.name}: members add up to more than {max_bytes} bytes; the archive was not extracted")


def extract(archive: Path, max_bytes: int = MAX_BYTES) -> Path:
    """Extract ``archive`` safely into :func:`extract_dir` and return that folder.

    Every member is checked before anything is written; a complete extraction is marked with
    ``.extracted`` so a second call does nothing.

    Raises:
        ArchiveError: an unsafe member (names it), too large in total, or not a readable archive.
    """
    dest = extract_dir(archive)
    marker = dest / ".extracted"
    if marker.is_file() and marker.read_text(encoding="utf-8") == f"{archive.stat().st_size}\n":
        return dest
    work = dest.with_name(dest.name + ".extracting")
    shutil.rmtree(work, ignore_errors=True)
    try:
        if archive.name.lower().endswith(".zip"):
            with zipfile.ZipFile(archive) as handle:
                _check_zip(archive, handle, max_bytes)
                handle.extractall(work)
        else:
            with tarfile.open(archive) as handle:
                _check_tar(archive, handle, max_bytes)
                handle.extractall(work, filter="data")
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise ArchiveError(f"{archive.name}: cannot extract ({exc})") from None
    except ArchiveError:
        shutil.rmtree(work, ignore_errors=True)
        raise
    shutil.rmtree(dest, ignore_errors=True)
    work.rename(dest)
    marker.write_text(f"{archive.stat().st_size}\n", encoding="utf-8")
    return dest


__all__ = ["ArchiveError", "MAX_BYTES", "extract", "extract_dir", "is_archive"]
