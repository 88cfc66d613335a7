"""The loopback Hub of the push tests (:mod:`fake_hub`), also serving dataset repos for download.

:class:`ServingHub` holds ``repos_at[(repo_id, commit)] = {path: bytes}`` and answers the
endpoints ``huggingface_hub.snapshot_download`` uses: repo info at a revision, the recursive
file tree, and ``HEAD``/``GET`` of ``/datasets/<repo>/resolve/<revision>/<path>`` with the
commit, ETag and size headers, honouring ``Range`` (so an interrupted transfer resumes). Like
the real Hub it can fail: an unknown repo or revision is 404 with ``RepositoryNotFound`` /
``RevisionNotFound``; ``fail_after[path] = n`` cuts a file's body after ``n`` bytes once, to
test resuming. Every request is logged in ``requests`` (with its Range header).
"""

from __future__ import annotations

import hashlib
from urllib.parse import unquote, urlparse

from .fake_hub import FakeHub, _Handler


class ServingHub(FakeHub):
    def __init__(self, token: str = "hf_test") -> None:
        super().__init__(token)
        self.RequestHandlerClass = _ServingHandler
        self.repos_at: dict[tuple[str, str], dict[str, bytes]] = {}
        self.branches: dict[tuple[str, str], str] = {}  # (repo, branch) -> commit
        self.fail_after: dict[str, int] = {}

    def add_repo(self, repo_id: str, commit: str, files: dict[str, bytes], branch: str = "main") -> None:
        self.repos_at[(repo_id, commit)] = files
        self.branches[(repo_id, branch)] = commit

    def resolve(self, repo_id: str, revision: str) -> str | None:
        if (repo_id, revision) in self.repos_at:
            return revision
        return self.branches.get((repo_id, revision))


def _is_lfs(path: str) -> bool:
    return path.endswith((".jsonl", ".json", ".parquet"))


class _ServingHandler(_Handler):
    server: ServingHub

    def _repo_and_rest(self, prefix: str) -> tuple[str, str] | None:
        path = unquote(urlparse(self.path).path)
        if not path.startswith(prefix):
            return None
        parts = path[len(prefix):].split("/")
        if len(parts) < 3:
            return None
        return f"{parts[0]}/{parts[1]}", "/".join(parts[2:])

    def _files(self, repo_id: str, revision: str) -> tuple[str, dict[str, bytes]] | None:
        if not any(r == repo_id for r, _ in self.server.repos_at):
            self._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
            return None
        commit = self.server.resolve(repo_id, revision)
        if commit is None:
            self._send(404, {"error": f"Invalid rev id: {revision}"}, {"X-Error-Code": "RevisionNotFound"})
            return None
        return commit, self.server.repos_at[(repo_id, commit)]

    def do_HEAD(self) -> None:  # noqa: N802
        self._resolve_file(head=True)

    def do_GET(self) -> None:  # noqa: N802
        path = urlparse(self.path).path
        if path.startswith("/api/datasets/"):
            self.server.requests.append(f"GET {path}")
            found = self._repo_and_rest("/api/datasets/")
            if found is None:
                return self._send(404, {"error": "not found"})
            repo_id, rest = found
            kind, _, revision_and_path = rest.partition("/")
            revision, _, sub = revision_and_path.partition("/")
            located = self._files(repo_id, revision)
            if located is None:
                return None
            commit, files = located
            if kind == "revision":
                return self._send(200, {"id": repo_id, "sha": commit, "siblings": [{"rfilename": p} for p in sorted(files)]})
            if kind == "tree":
                entries = [self._tree_entry(p, data) for p, data in sorted(files.items()) if p.startswith(sub)]
                return self._send(200, entries)
            return self._send(404, {"error": f"unknown endpoint {path}"})
        if path.startswith("/datasets/"):
            return self._resolve_file(head=False)
        return super().do_GET()

    @staticmethod
    def _tree_entry(path: str, data: bytes) -> dict[str, object]:
        entry: dict[str, object] = {"type": "file", "path": path, "size": len(data),
                                    "oid": hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()}
        if _is_lfs(path):
            entry["lfs"] = {"oid": hashlib.sha256(data).hexdigest(), "size": len(data), "pointerSize": 134}
        return entry

    def _resolve_file(self, head: bool) -> None:
        found = self._repo_and_rest("/datasets/")
        byte_range = self.headers.get("Range")
        self.server.requests.append(f"{'HEAD' if head else 'GET'} {urlparse(self.path).path}" + (f" {byte_range}" if byte_range else ""))
        if found is None or "/resolve/" not in "/" + found[1]:
            return self._send(404, {"error": "not found"})
        repo_id, rest = found
        _, revision, file_path = rest.split("/", 2)
        located = self._files(repo_id, revision)
        if located is None:
            return None
        commit, files = located
        if file_path not in files:
            return self._send(404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"})
        data = files[file_path]
        etag = hashlib.sha256(data).hexdigest() if _is_lfs(file_path) else self._tree_entry(file_path, data)["oid"]
        start = 0
        if byte_range and byte_range.startswith("bytes="):
            start = int(byte_range[6:].split("-")[0] or 0)
        body = data[start:]
        cut = None if head else self.server.fail_after.pop(file_path, None)
        self.send_response(206 if start else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", f'"{etag}"')
        self.send_header("X-Repo-Commit", commit)
        if _is_lfs(file_path):
            self.send_header("X-Linked-Etag", f'"{etag}"')
            self.send_header("X-Linked-Size", str(len(data)))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if head:
            return None
        if cut is not None:
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            return None
        self.wfile.write(body)
        return None


__all__ = ["ServingHub"]
