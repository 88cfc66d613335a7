"""A loopback HTTP server that speaks the Hub endpoints ``huggingface_hub`` uses to create a
dataset repo and upload a folder in one commit (non-Xet LFS "basic" transfer).

It checks what a real Hub checks and can fail: a missing or wrong bearer token is 401, an LFS
upload whose bytes do not hash to the announced oid is 400, a commit that references an LFS
object never uploaded is 422. Files that arrive are kept in ``server.files`` (path -> bytes).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SHA = "a" * 40


class FakeHub(ThreadingHTTPServer):
    def __init__(self, token: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.token = token
        self.repos: dict[str, dict[str, Any]] = {}
        self.lfs: dict[str, bytes] = {}
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.commits: list[dict[str, Any]] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> FakeHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


def _validate_card(readme: str) -> dict[str, list[str]]:
    """The Hub's README check: the YAML header parses and each config has a name and data files."""
    import yaml

    errors: list[str] = []
    if readme.startswith("---"):
        try:
            header = yaml.safe_load(readme.split("---", 2)[1]) or {}
        except yaml.YAMLError as exc:
            return {"errors": [f"invalid YAML: {exc}"], "warnings": []}
        for config in header.get("configs", []):
            if not config.get("config_name") or not config.get("data_files"):
                errors.append(f"config {config!r} needs config_name and data_files")
    return {"errors": errors, "warnings": []}


class _Handler(BaseHTTPRequestHandler):
    server: FakeHub

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {self.server.token}":
            self._send(401, {"error": "Invalid credentials"}, {"X-Error-Code": "InvalidCredentials"})
            return False
        return True

    def do_GET(self) -> None:  # noqa: N802
        self.server.requests.append(f"GET {self.path}")
        self._send(404, {"error": "not found"}, {"X-Error-Code": "EntryNotFound"})

    def do_PUT(self) -> None:  # noqa: N802
        self.server.requests.append(f"PUT {self.path}")
        data = self._body()
        oid = self.path.rsplit("/", 1)[-1]
        if hashlib.sha256(data).hexdigest() != oid:
            self._send(400, {"error": "sha256 mismatch"})
            return
        self.server.lfs[oid] = data
        self._send(200, {})

    def do_POST(self) -> None:  # noqa: N802
        path = self.path.split("?")[0]
        self.server.requests.append(f"POST {path}")
        body = self._body()
        if path.endswith("/info/lfs/objects/batch"):
            request = json.loads(body)
            objects = [
                {"oid": o["oid"], "size": o["size"], "authenticated": True,
                 "actions": {"upload": {"href": f"{self.server.endpoint}/lfs-upload/{o['oid']}"}}}
                for o in request["objects"]
            ]
            self._send(200, {"transfer": "basic", "objects": objects})
            return
        if not self._authorised():
            return
        if path == "/api/repos/create":
            request = json.loads(body)
            repo_id = f"{request['organization']}/{request['name']}" if request.get("organization") else request["name"]
            private = bool(request.get("private")) or request.get("visibility") == "private"
            self.server.repos[repo_id] = {"private": private, "type": request.get("type")}
            self._send(200, {"url": f"{self.server.endpoint}/datasets/{repo_id}"})
        elif path == "/api/validate-yaml":
            self._send(200, _validate_card(json.loads(body).get("content", "")))
        elif "/preupload/" in path:
            files = json.loads(body)["files"]
            modes = [{"path": f["path"], "uploadMode": "lfs" if f["path"].endswith(".parquet") else "regular", "shouldIgnore": False, "oid": None}
                     for f in files]
            self._send(200, {"files": modes})
        elif "/commit/" in path:
            self._commit(path, body)
        else:
            self._send(404, {"error": f"unknown endpoint {path}"})

    def _commit(self, path: str, body: bytes) -> None:
        repo_id = path.split("/api/datasets/")[1].split("/commit/")[0]
        if repo_id not in self.server.repos:
            self._send(404, {"error": "repo not found"}, {"X-Error-Code": "RepoNotFound"})
            return
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        staged: dict[str, bytes] = {}
        for line in lines:
            value = line["value"]
            if line["key"] == "file":
                staged[value["path"]] = base64.b64decode(value["content"])
            elif line["key"] == "lfsFile":
                if value["oid"] not in self.server.lfs:
                    self._send(422, {"error": f"LFS object {value['oid']} was never uploaded"})
                    return
                staged[value["path"]] = self.server.lfs[value["oid"]]
        self.server.files.update(staged)
        self.server.commits.append({"repo": repo_id, "summary": lines[0]["value"].get("summary"), "paths": sorted(staged)})
        self._send(200, {"commitUrl": f"{self.server.endpoint}/datasets/{repo_id}/commit/{SHA}", "commitOid": SHA})
