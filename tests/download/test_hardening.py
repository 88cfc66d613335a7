"""Download hardening against a loopback server: redirects, stalls, resets, drips, cut bodies,
unverified files and unsafe archives all end in a one-line DownloadError or a marked result."""

from __future__ import annotations

import io
import json
import socket
import tarfile
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from biocurate.archives import ArchiveError, extract
from biocurate.download import MANIFEST, DownloadError, download, fetch
from biocurate.loaders import DatasetMeta, SourceFile

BODY = b"0123456789" * 1000


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        path = self.path
        if path == "/redirect-other-host":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{self.server.server_address[1]}/ok")
            self.end_headers()
        elif path == "/redirect-same-host":
            self.send_response(302)
            self.send_header("Location", "/ok")
            self.end_headers()
        elif path == "/ok":
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY[:100])
            self.wfile.flush()
            time.sleep(3)
        elif path == "/reset":
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY[:100])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            for byte in BODY[:60]:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.05)
        elif path == "/chunked-cut":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"64\r\n" + BODY[:100] + b"\r\n" + b"64\r\n" + BODY[:40])
            self.wfile.flush()
        elif path.startswith("/files/"):
            body = self.server.files[path]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)


@pytest.fixture()
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.files = {}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _url(server: ThreadingHTTPServer, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def test_redirect_to_another_host_is_refused(server, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="refused redirect .* to http://127.0.0.2:.*/ok") as error:
        fetch(SourceFile(url=_url(server, "/redirect-other-host"), filename="x.bin"), tmp_path, progress=False)
    assert "\n" not in str(error.value) and not (tmp_path / "x.bin").exists()
    # declaring the host does not allow a plain-http hop to it: redirects leave only to https
    with pytest.raises(DownloadError, match="only to https"):
        fetch(SourceFile(url=_url(server, "/redirect-other-host"), filename="x.bin"), tmp_path, progress=False, allowed_hosts={"127.0.0.2"})


def test_redirect_on_the_same_host_is_followed(server, tmp_path: Path) -> None:
    result = fetch(SourceFile(url=_url(server, "/redirect-same-host"), filename="x.bin"), tmp_path, progress=False)
    assert result.path.read_bytes() == BODY and not result.verified


def test_stall_mid_body_is_a_download_error_and_keeps_the_part(server, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="stalled \\(no data for 0.5 s\\)"):
        fetch(SourceFile(url=_url(server, "/stall"), filename="x.bin"), tmp_path, progress=False, timeout=0.5)
    assert (tmp_path / "x.bin.part").read_bytes() == BODY[:100] and not (tmp_path / "x.bin").exists()


def test_connection_reset_is_a_download_error(server, tmp_path: Path) -> None:
    with pytest.raises(DownloadError) as error:
        fetch(SourceFile(url=_url(server, "/reset"), filename="x.bin"), tmp_path, progress=False, timeout=5)
    assert "x.bin" in str(error.value) and not (tmp_path / "x.bin").exists()


def test_a_drip_cannot_outlast_the_deadline(server, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(DownloadError, match="deadline of 1 s passed"):
        fetch(SourceFile(url=_url(server, "/drip"), filename="x.bin"), tmp_path, progress=False, timeout=5, deadline=1)
    assert time.monotonic() - started < 2.5


def test_chunked_body_cut_short_never_counts_as_downloaded(server, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="transfer broken \\(IncompleteRead"):
        fetch(SourceFile(url=_url(server, "/chunked-cut"), filename="x.bin"), tmp_path, progress=False, timeout=2)
    assert not (tmp_path / "x.bin").exists()


def test_refused_connection_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DownloadError, match="cannot fetch .*Connection refused") as error:
        fetch(SourceFile(url=f"http://127.0.0.1:{port}/x", filename="x.bin"), tmp_path, progress=False, timeout=2)
    assert "\n" not in str(error.value)


def _meta(server, files: list[SourceFile]) -> DatasetMeta:
    return DatasetMeta(
        name="tiny_archive", display_name="Tiny", description="test", languages=["en"], tasks=["tc"], schema="text",
        license="MIT", citation="@misc{t}", homepage="http://127.0.0.1/", splits={"train": "*train.jsonl"}, source_files=files,
    )


def _zip(members: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as handle:
        for name, data in members.items():
            handle.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16)
            handle.writestr(info, target)
    return buffer.getvalue()


def test_archive_is_extracted_where_the_loader_finds_it_and_marked_unverified(server, tmp_path: Path) -> None:
    server.files["/files/Tiny.zip"] = _zip({"Tiny/train.jsonl": b'{"text": "a"}\n'})
    meta = _meta(server, [SourceFile(url=_url(server, "/files/Tiny.zip"), filename="Tiny.zip")])
    (result,) = download(meta, tmp_path, progress=False)
    folder = tmp_path / "tiny_archive"
    assert result.extracted == folder / "Tiny" and (folder / "Tiny" / "Tiny" / "train.jsonl").read_bytes() == b'{"text": "a"}\n'
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["files"][0]["verified"] is False and manifest["files"][0]["extracted_to"] == "Tiny"
    from biocurate.loaders.formats.common import split_files

    assert split_files(folder, meta.splits, "train", meta.name) == [folder / "Tiny" / "Tiny" / "train.jsonl"]


@pytest.mark.parametrize(
    ("members", "links", "message"),
    [
        ({"../evil.txt": b"x"}, None, "climbs out"),
        ({"/etc/evil.txt": b"x"}, None, "absolute path"),
        ({"ok.txt": b"x"}, {"link": "/etc/passwd"}, "symbolic link"),
    ],
)
def test_unsafe_zip_members_are_refused_and_nothing_is_written(tmp_path: Path, members, links, message) -> None:
    archive = tmp_path / "bad.zip"
    archive.write_bytes(_zip(members, links))
    with pytest.raises(ArchiveError, match=message):
        extract(archive)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip"] and not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_ceiling(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("zeros.bin", b"\0" * 2_000_000)
    archive.write_bytes(buffer.getvalue())
    assert archive.stat().st_size < 10_000
    with pytest.raises(ArchiveError, match="more than 1000000 bytes"):
        extract(archive, max_bytes=1_000_000)
    assert extract(archive, max_bytes=3_000_000) == tmp_path / "bomb"


def test_tar_link_leaving_the_folder_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bad.tar.gz"
    with tarfile.open(archive, "w:gz") as handle:
        info = tarfile.TarInfo("data/link")
        info.type, info.linkname = tarfile.SYMTYPE, "../../outside"
        handle.addfile(info)
    with pytest.raises(ArchiveError, match="leaves the folder"):
        extract(archive)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tar.gz"]


def _cli_loader(meta: DatasetMeta):  # noqa: ANN202
    from biocurate.loaders import Loader

    class Tiny(Loader):
        def read_source(self, split):  # noqa: ANN001, ANN201 - never called
            return iter(())

        def to_schema(self, item, split, index):  # noqa: ANN001, ANN201
            return ()

    Tiny.meta = meta
    return Tiny


def test_cli_says_which_splits_the_archive_holds_and_marks_unverified(server, tmp_path: Path, monkeypatch, capsys) -> None:
    import biocurate.cli.download as cli
    from biocurate.cli import main

    server.files["/files/Tiny.zip"] = _zip({"Tiny/train.jsonl": b'{"text": "a"}\n'})
    meta = _meta(server, [SourceFile(url=_url(server, "/files/Tiny.zip"), filename="Tiny.zip")])
    monkeypatch.setattr(cli, "resolve", lambda name: _cli_loader(meta))
    assert main(["download", "tiny", "--cache", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "(unverified: no sha256 declared)" in out and "extracted" in out and "splits found: train" in out


def test_cli_download_holding_none_of_the_dataset_files_is_an_error(server, tmp_path: Path, monkeypatch, capsys) -> None:
    import biocurate.cli.download as cli
    from biocurate.cli import main

    server.files["/files/Other.zip"] = _zip({"Other/readme.txt": b"nothing the loader reads\n"})
    meta = _meta(server, [SourceFile(url=_url(server, "/files/Other.zip"), filename="Other.zip")])
    monkeypatch.setattr(cli, "resolve", lambda name: _cli_loader(meta))
    assert main(["download", "tiny", "--cache", str(tmp_path), "--no-progress"]) == 1
    captured = capsys.readouterr()
    assert "hold none of the files tiny_archive reads (expected train: *train.jsonl)" in captured.err
    assert "next: biocurate convert" not in captured.out
