"""Fetching Hub-hosted corpora (before stage 2): a pinned snapshot of a dataset repo's released files.

Some corpora are released only as files of a Hugging Face Hub dataset repository
(HuatuoGPT-sft-data-v1, the Huatuo-26M parts, BELLE's school math...). Their loaders declare a
:class:`HubSnapshot` (repo, pinned revision, which files) and :func:`download_snapshot` fetches
exactly those files with ``huggingface_hub.snapshot_download`` into the dataset's cache folder
(``biocurate download NAME`` does this), where the loader reads them like any ``--data-dir``.

* **Pinned**: ``revision`` is a full 40-hex commit, so the files are those the loader was
  written for. Where only a short commit is published, ``revision`` names the branch and
  ``commit`` the prefix the branch must resolve to; a moved branch fails with both hashes
  named instead of fetching other files.
* **Resumable**: ``huggingface_hub`` resumes an interrupted transfer with HTTP ``Range``
  requests, and a second run skips files already complete in the folder (their commit and
  ETag are kept in ``<folder>/.cache/huggingface``).
* **Any endpoint**: ``HF_ENDPOINT`` (or ``endpoint=``) points at a mirror; the tests use a
  loopback server.

Example:
    >>> from biocurate.loaders import get_loader
    >>> cls = get_loader("huatuogpt_sft_data_v1")
    >>> download_snapshot(cls.hub, "~/.cache/biocurate/huatuogpt_sft_data_v1")
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from huggingface_hub import HfApi, snapshot_download
from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError
from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

from biocurate.errors import BiocurateError

_FULL_SHA = re.compile(r"[0-9a-f]{40}")


class HubDownloadError(BiocurateError):
    """A Hub snapshot could not be fetched, or its revision is not the pinned one."""


@dataclass(frozen=True)
class HubSnapshot:
    """The released files of a Hub dataset repo at a pinned revision.

    Attributes:
        repo_id: ``owner/name`` of the dataset repo.
        revision: a full commit hash (pinned), or a branch name together with ``commit``.
        files: glob patterns of the files to fetch (``allow_patterns``), e.g. ``("*.jsonl",)``.
        commit: the commit (full or a prefix) ``revision`` must resolve to; defaults to
            ``revision`` when that is a full hash.
    """

    repo_id: str
    revision: str
    files: tuple[str, ...] = field(default_factory=tuple)
    commit: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9][\w.-]*/[\w.-]+", self.repo_id):
            raise ValueError(f"repo_id {self.repo_id!r} must be owner/name")
        if not _FULL_SHA.fullmatch(self.revision) and not re.fullmatch(r"[0-9a-f]{7,40}", self.commit):
            raise ValueError(f"{self.repo_id}: revision {self.revision!r} is not a commit hash; pin it with commit=<hash or prefix>")

    @property
    def expected_commit(self) -> str:
        """The commit (or prefix) the fetched snapshot must come from."""
        return self.commit or self.revision

    @property
    def url(self) -> str:
        """The repo's page at the pinned revision."""
        return f"https://huggingface.co/datasets/{self.repo_id}/tree/{self.expected_commit}"


def resolved_commit(snapshot: HubSnapshot, *, endpoint: str | None = None, token: str | bool | None = None) -> str:
    """The full commit hash ``snapshot.revision`` names on the Hub, checked against the pin.

    Raises:
        HubDownloadError: the repo or revision does not exist, or the revision moved.
    """
    if _FULL_SHA.fullmatch(snapshot.revision):
        return snapshot.revision
    try:
        sha = HfApi(endpoint=endpoint, token=token).repo_info(snapshot.repo_id, repo_type="dataset", revision=snapshot.revision).sha
    except HfHubHTTPError as exc:
        raise HubDownloadError(f"{snapshot.repo_id}@{snapshot.revision}: {exc}") from exc
    if not sha or not sha.startswith(snapshot.commit):
        raise HubDownloadError(
            f"{snapshot.repo_id}: branch {snapshot.revision!r} now points at {sha}, not the pinned commit {snapshot.commit}; "
            "the released files changed, so the loader must be checked against them before the pin is moved"
        )
    return sha


def download_snapshot(snapshot: HubSnapshot, folder: str | Path, *, endpoint: str | None = None,
                      token: str | bool | None = None, progress: bool = True) -> list[Path]:
    """Fetch the snapshot's files into ``folder`` (kept under their repo paths).

    Args:
        snapshot: what to fetch.
        folder: the dataset's data directory (created when missing).
        endpoint: Hub URL (default ``HF_ENDPOINT`` or https://huggingface.co).
        token: a Hub token, ``False`` for none (public repos), ``None`` for the saved login.
        progress: show ``huggingface_hub``'s progress bars.

    Returns:
        The fetched files, sorted.

    Raises:
        HubDownloadError: the repo, revision or files are missing, the revision moved, or
            the transfer failed.
    """
    endpoint = endpoint or os.environ.get("HF_ENDPOINT") or None  # read now: huggingface_hub reads it at import
    commit = resolved_commit(snapshot, endpoint=endpoint, token=token)
    folder = Path(folder).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    if not progress:
        disable_progress_bars()
    try:
        snapshot_download(snapshot.repo_id, repo_type="dataset", revision=commit, local_dir=folder,
                          allow_patterns=list(snapshot.files) or None, endpoint=endpoint, token=token)
    except (HfHubHTTPError, LocalEntryNotFoundError, OSError) as exc:
        raise HubDownloadError(f"{snapshot.repo_id}@{commit}: {exc}") from exc
    finally:
        if not progress:
            enable_progress_bars()
    cache = folder / ".cache"
    fetched = sorted(p for p in folder.rglob("*") if p.is_file() and cache not in p.parents)
    if snapshot.files and not fetched:
        raise HubDownloadError(f"{snapshot.repo_id}@{commit}: no file matches {list(snapshot.files)}")
    return fetched


__all__ = ["HubSnapshot", "HubDownloadError", "download_snapshot", "resolved_commit"]
