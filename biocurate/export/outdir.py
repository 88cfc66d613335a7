"""The export's output folder, kept safe: one export at a time, only its own files touched.

* A lock (``.biocurate.lock``, an ``flock`` the system releases when the process dies, even by
  SIGKILL) refuses a second export into the same folder with a one-line error.
* A non-empty folder that holds no biocurate export is refused unless ``overwrite``.
* Only the export's own files are deleted: those its previous manifest lists, its metadata
  files, its work folder and its temporary files. A user's file beside them stays.
* A full disk ends the export with one line, and the partial work files are removed.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path
from typing import Any

from biocurate.errors import ExportError

LOCK_NAME = ".biocurate.lock"
WORK_NAME = ".work"
#: The work folder's marker: a folder with it is an (interrupted) export of ours.
WORK_MARKER = "export.json"
METADATA_FILES = ("manifest.json", "README.md", "rejects.jsonl", "LICENSE.md", "mixture.png", "dataset_info.json")
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}

try:
    import fcntl
except ImportError:  # not on POSIX: no lock (documented)
    fcntl = None  # type: ignore[assignment]


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in _FULL


def previous_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of the biocurate export in ``out``, or None."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(manifest, dict) and "biocurate" in manifest.get("versions", {}) and "format_version" in manifest:
        return manifest
    return None


class OutputFolder:
    """Context manager around one export into ``path`` (see the module docstring)."""

    def __init__(self, path: Path, overwrite: bool = False) -> None:
        self.path = Path(path)
        self.overwrite = overwrite
        self.work = self.path / WORK_NAME
        self._lock: Any = None

    def __enter__(self) -> OutputFolder:
        self.path.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        try:
            self._check_ownership()
            self._mark_work()
        except BaseException:
            self._release_lock()
            raise
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, trace: Any) -> None:
        try:
            if error is not None and is_disk_full(error):
                self.remove_work()
                self._remove_temporaries()
                where = getattr(error, "filename", None) or self.path
                raise ExportError(f"no space left on the device of {self.path} (writing {where}); the partial work files "
                                  "were removed: free some space or choose another --out") from None
        finally:
            self._release_lock()

    # -- lock --------------------------------------------------------------------------------

    def _take_lock(self) -> None:
        if fcntl is None:
            return
        path = self.path / LOCK_NAME
        while True:
            handle = open(path, "a+", encoding="utf-8")
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                handle.close()
                raise ExportError(f"another export is writing to {self.path} (process {holder}); wait for it to finish "
                                  "or choose another --out") from None
            try:  # the holder may have removed the file between our open and our lock: lock the new one
                if os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino:
                    break
            except FileNotFoundError:
                pass
            handle.close()
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock = handle

    def _release_lock(self) -> None:
        if self._lock is not None:
            try:
                (self.path / LOCK_NAME).unlink(missing_ok=True)
            finally:
                self._lock.close()  # closing releases the flock
                self._lock = None

    # -- ownership -----------------------------------------------------------------------------

    def _check_ownership(self) -> None:
        entries = sorted(p.name for p in self.path.iterdir() if p.name != LOCK_NAME)
        if not entries or self.overwrite or previous_manifest(self.path) is not None or (self.work / WORK_MARKER).is_file():
            return
        shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
        raise ExportError(f"{self.path} is not empty and holds no biocurate export ({shown}); choose an empty or new "
                          "--out, or pass --overwrite to write into it (files that are not the export's are kept)")

    def clear_previous(self) -> None:
        """Delete the previous export's files (what its manifest lists and its metadata files)."""
        manifest = previous_manifest(self.path)
        root = self.path.resolve()
        for entry in (manifest or {}).get("files", []):
            target = (self.path / str(entry.get("path", ""))).resolve()
            if target.is_file() and root in target.parents:
                target.unlink()
                _remove_empty_parents(target.parent, root)
        for name in METADATA_FILES:
            if manifest is not None or name == "rejects.jsonl":
                (self.path / name).unlink(missing_ok=True)
        self._remove_temporaries()

    def _remove_temporaries(self) -> None:
        """Temporary files of the writers (an interrupted export's partial shards)."""
        data = self.path / "data"
        for tmp in list(data.rglob("*.parquet.tmp")) if data.is_dir() else []:
            tmp.unlink(missing_ok=True)
        for tmp in self.path.glob("*.jsonl.tmp"):
            tmp.unlink(missing_ok=True)

    def _mark_work(self) -> None:
        self.work.mkdir(exist_ok=True)
        (self.work / WORK_MARKER).write_text(json.dumps({"biocurate": "export work folder"}), encoding="utf-8")

    def reset_work(self) -> None:
        """An empty work folder (a fresh, not resumed, export)."""
        self.remove_work()
        self._mark_work()

    def remove_work(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (another file, perhaps the user's)
            return
        folder = folder.parent
