"""Publish an export on the Hugging Face Hub as a dataset repository.

Uploads the Parquet shards, the dataset card (README.md with its ``configs``), the manifest
and the other format files of an export folder in one commit, with ``huggingface_hub``. The
token comes from the usual places (``HF_TOKEN``, ``huggingface-cli login``) or ``token=``;
it is never printed or logged. ``HF_ENDPOINT`` redirects to another Hub (tests use a loopback
server).

A public upload is refused when a source with rows in the export has an unknown licence or
one that forbids redistribution (:func:`biocurate.hub.licensing.restricted_sources`), unless
the repository is private or the caller states it holds the rights (``allow_restricted``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from biocurate.errors import ExportError
from biocurate.hub.licensing import Restricted, restricted_sources

#: What an export folder publishes; the resumable work folder and rejects stay local.
PUSH_PATTERNS = ["data/**/*.parquet", "README.md", "LICENSE.md", "mixture.png", "manifest.json", "*.jsonl"]
KEEP_LOCAL = [".work/**", "rejects.jsonl", "*.tmp"]


@dataclass
class PushResult:
    repo_url: str
    commit_url: str
    files: list[str]
    #: sources not cleared for public redistribution that were pushed (privately or with permission)
    restricted: list[Restricted] = field(default_factory=list)


def check_licences(export_dir: Path, repo_id: str, *, private: bool, allow_restricted: bool) -> list[Restricted]:
    """The export's restricted sources; raises when they would go to a public repository.

    Raises:
        ExportError: public push (not ``private``, not ``allow_restricted``) of an export holding
            rows of sources whose licence is unknown or forbids redistribution; the message names them.
    """
    manifest = json.loads((export_dir / "manifest.json").read_text(encoding="utf-8"))
    restricted = restricted_sources(manifest)
    if restricted and not private and not allow_restricted:
        raise ExportError(
            f"refusing a public push to {repo_id}: {len(restricted)} source(s) are not cleared for redistribution: "
            + ", ".join(str(r) for r in restricted)
            + ". Push with --private, re-export with --exclude-licence non-redistributable, "
            "or pass --i-have-permission if you hold the rights to publish them."
        )
    return restricted


def files_to_push(export_dir: Path) -> list[str]:
    """Relative paths that a push would upload, sorted."""
    import fnmatch

    out = []
    for path in sorted(p for p in export_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(export_dir).as_posix()
        if any(fnmatch.fnmatch(rel, pat) for pat in KEEP_LOCAL):
            continue
        if any(fnmatch.fnmatch(rel, pat) for pat in PUSH_PATTERNS):
            out.append(rel)
    return out


def _client_timeout(seconds: float) -> Callable[[], None]:
    """Make huggingface_hub's HTTP client time out after ``seconds`` without progress (its
    default client has no timeout); returns the function that restores the previous client."""
    try:
        import httpx2 as httpx_module
        from huggingface_hub.utils import _http
    except ImportError:  # another huggingface_hub client stack: leave it as it is
        return lambda: None
    previous = _http._GLOBAL_CLIENT_FACTORY

    def factory() -> object:
        client = previous()
        client.timeout = httpx_module.Timeout(seconds)
        return client

    _http.set_client_factory(factory)
    return lambda: _http.set_client_factory(previous)


def _network_errors() -> tuple[type[BaseException], ...]:
    """Connection and timeout errors of the HTTP clients huggingface_hub may use, and the OS's."""
    errors: list[type[BaseException]] = [OSError]
    for module, name in (("httpx2", "TransportError"), ("httpx", "TransportError"), ("requests", "ConnectionError"), ("requests", "Timeout")):
        try:
            errors.append(getattr(__import__(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(errors)


def push_export(
    export_dir: str | Path,
    repo_id: str,
    *,
    private: bool = False,
    token: str | None = None,
    revision: str | None = None,
    commit_message: str | None = None,
    allow_restricted: bool = False,
    timeout: float = 120.0,
) -> PushResult:
    """Upload an export folder to a Hub dataset repo (created if missing).

    Args:
        allow_restricted: publish publicly even sources whose licence is unknown or forbids
            redistribution (the caller holds the rights); ignored for a private repository.
        timeout: seconds to wait for the Hub to connect or send the next bytes (huggingface_hub
            waits forever by default); a stalled Hub is an ExportError.

    Raises:
        ExportError: the folder is not an export (no manifest.json / README.md), a public push
            of sources not cleared for redistribution, or the Hub refused.
    """
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    export_dir = Path(export_dir)
    for required in ("manifest.json", "README.md"):
        if not (export_dir / required).exists():
            raise ExportError(f"{export_dir} is not a biocurate export: {required} is missing")
    restricted = check_licences(export_dir, repo_id, private=private, allow_restricted=allow_restricted)
    files = files_to_push(export_dir)
    api = HfApi(token=token)
    restore = _client_timeout(timeout)
    try:
        repo = api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        commit = api.upload_folder(
            repo_id=repo_id, repo_type="dataset", folder_path=str(export_dir), revision=revision,
            allow_patterns=PUSH_PATTERNS, ignore_patterns=KEEP_LOCAL,
            commit_message=commit_message or f"Upload biocurate export {export_dir.name}",
        )
    except HfHubHTTPError as exc:
        # The message names the URL and status, never the token.
        raise ExportError(f"push to {repo_id} failed: {exc}") from None
    except _network_errors() as exc:  # unreachable Hub, reset, timeout: one line, nothing committed
        detail = str(exc).splitlines()[0] if str(exc) else ""
        raise ExportError(f"push to {repo_id} failed: cannot reach the Hub ({type(exc).__name__}: {detail})".replace(token or "\0", "***")) from None
    finally:
        restore()
    return PushResult(repo_url=str(repo), commit_url=commit.commit_url, files=files, restricted=restricted)
