"""``biocurate download`` against a loopback HTTP server started by the test (never the network)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from biocurate.cli import main
from biocurate.download import DownloadError, dataset_cache, download, fetch, manual_instructions
from biocurate.loaders import DatasetMeta, Loader, SourceFile

BODY = ("".join(f'{{"id": "{i}", "text": "句子 {i} sentence"}}\n' for i in range(400))).encode("utf-8")
SHA = hashlib.sha256(BODY).hexdigest()


class _Server(ThreadingHTTPServer):
    files: dict[str, bytes]
    requests: list[dict[str, str | None]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self.server.requests.append({"path": self.path, "range": self.headers.get("Range")})
        body = self.server.files.get(self.path)
        if body is None:
            self.send_error(404, "Not Found")
            return
        start, status = 0, 200
        if self.headers.get("Range"):
            start = int(self.headers["Range"].removeprefix("bytes=").split("-")[0])
            if start >= len(body):
                self.send_error(416, "Range Not Satisfiable")
                return
            status = 206
        self.send_response(status)
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        self.wfile.write(body[start:])


@pytest.fixture()
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.files = {"/data/train.jsonl": BODY, "/data/other.jsonl": b"other\n"}
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _url(server: _Server, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def _loader(server: _Server, sha: str | None = SHA, path: str = "/data/train.jsonl") -> type[Loader]:
    class Tiny(Loader):
        meta = DatasetMeta(
            name="tiny_download", display_name="Tiny", description="test dataset", languages=["en"], tasks=["tc"],
            schema="text", license="MIT", citation="@misc{tiny}", homepage="http://127.0.0.1/",
            splits={"train": "train.jsonl"},
            source_files=[SourceFile(url=_url(server, path), filename="train.jsonl", sha256=sha)],
        )

        def read_source(self, split):  # noqa: ANN001, ANN201 - never called
            return iter(())

        def to_schema(self, item, split, index):  # noqa: ANN001, ANN201
            return ()

    return Tiny


def test_full_download_verifies_checksum(server: _Server, tmp_path: Path) -> None:
    results = download(_loader(server).meta, tmp_path, progress=False)
    target = tmp_path / "tiny_download" / "train.jsonl"
    assert [(r.path, r.status) for r in results] == [(target, "downloaded")]
    assert target.read_bytes() == BODY and not target.with_name("train.jsonl.part").exists()
    # A second run finds the verified file and does not fetch it again.
    assert download(_loader(server).meta, tmp_path, progress=False)[0].status == "cached"
    assert len(server.requests) == 1


def test_resume_after_truncated_part_file(server: _Server, tmp_path: Path) -> None:
    folder = dataset_cache("tiny_download", tmp_path)
    folder.mkdir(parents=True)
    (folder / "train.jsonl.part").write_bytes(BODY[:1000])
    result = fetch(_loader(server).meta.source_files[0], folder, progress=False)
    assert result.status == "resumed" and result.bytes == len(BODY) - 1000
    assert server.requests == [{"path": "/data/train.jsonl", "range": "bytes=1000-"}]
    assert (folder / "train.jsonl").read_bytes() == BODY


def test_complete_part_file_is_finished_without_refetching(server: _Server, tmp_path: Path) -> None:
    (tmp_path / "train.jsonl.part").write_bytes(BODY)  # the server answers 416 to bytes=len-
    assert fetch(_loader(server).meta.source_files[0], tmp_path, progress=False).status == "resumed"
    assert (tmp_path / "train.jsonl").read_bytes() == BODY


def test_checksum_mismatch_names_file_and_both_hashes_and_removes_it(server: _Server, tmp_path: Path) -> None:
    wrong = "0" * 64
    with pytest.raises(DownloadError) as info:
        download(_loader(server, sha=wrong).meta, tmp_path, progress=False)
    message = str(info.value)
    assert "train.jsonl" in message and wrong in message and SHA in message
    folder = tmp_path / "tiny_download"
    assert not (folder / "train.jsonl").exists() and not (folder / "train.jsonl.part").exists()


def test_http_404_is_a_clear_error(server: _Server, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match=r"HTTP 404 .*/data/missing\.jsonl \(file train\.jsonl\)"):
        download(_loader(server, path="/data/missing.jsonl").meta, tmp_path, progress=False)
    assert not list((tmp_path / "tiny_download").glob("*"))


def test_stale_cached_file_is_fetched_again(server: _Server, tmp_path: Path) -> None:
    folder = tmp_path / "tiny_download"
    folder.mkdir()
    (folder / "train.jsonl").write_bytes(b"stale")
    assert download(_loader(server).meta, tmp_path, progress=False)[0].status == "downloaded"
    assert (folder / "train.jsonl").read_bytes() == BODY


def test_only_http_urls_and_relative_names(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="only http"):
        fetch(SourceFile(url="file:///etc/passwd", filename="x"), tmp_path)
    with pytest.raises(DownloadError, match="relative path"):
        fetch(SourceFile(url="http://127.0.0.1:9/x", filename="../x"), tmp_path)


def test_cli_download_and_next_step(server: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import biocurate.cli.download as cli

    monkeypatch.setattr(cli, "resolve", lambda name: _loader(server))
    assert main(["download", "tiny", "--cache", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "downloaded" in out and f"biocurate convert tiny_download --data-dir {tmp_path / 'tiny_download'}" in out


def test_cli_checksum_error_exits_1(server: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import biocurate.cli.download as cli

    monkeypatch.setattr(cli, "resolve", lambda name: _loader(server, sha="f" * 64))
    assert main(["download", "tiny", "--cache", str(tmp_path), "--no-progress"]) == 1
    assert "checksum mismatch for train.jsonl" in capsys.readouterr().err


def test_manual_download_prints_instructions_and_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import biocurate.cli.download as cli

    class Gated(Loader):
        meta = DatasetMeta(
            name="gated", display_name="Gated", description="behind a DUA", languages=["en"], tasks=["ner"], schema="kb",
            license="DUA", citation="@misc{gated}", homepage="https://example.org/",
            splits={"train": "*train*.xml", "test": "*test*.xml"},
            manual_download="Sign the DUA at the n2c2 portal and download the release.",
        )

        def read_source(self, split):  # noqa: ANN001, ANN201
            return iter(())

        def to_schema(self, item, split, index):  # noqa: ANN001, ANN201
            return ()

    monkeypatch.setattr(cli, "resolve", lambda name: Gated)
    assert main(["download", "gated", "--cache", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Sign the DUA" in out and "*train*.xml" in out and str(tmp_path / "gated") in out
    assert not (tmp_path / "gated").exists()
    assert manual_instructions(Gated.meta, tmp_path).splitlines()[0] == "gated: this data cannot be downloaded automatically."


def test_cli_catalogue_dataset_without_route_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["download", "zhiwang_mt"]) == 1  # a Taiyi extra that was never released
    assert "catalogue row x-1" in capsys.readouterr().err
