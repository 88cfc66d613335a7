"""Push to a Hub that cannot be reached: a one-line error, exit 1, the token never shown."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest

from biocurate.cli import main
from biocurate.errors import ExportError
from biocurate.hub.push import push_export

TOKEN = "hf_biocurate_test_token_456"


def _export(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    (folder / "data").mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"sources": {}}), encoding="utf-8")
    (folder / "README.md").write_text("---\n---\n# card\n", encoding="utf-8")
    return folder


def _endpoint(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    import huggingface_hub.constants as constants

    monkeypatch.setenv("HF_ENDPOINT", url)
    monkeypatch.setattr(constants, "ENDPOINT", url)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True, raising=False)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_hub_is_a_one_line_export_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _endpoint(monkeypatch, f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(ExportError) as error:
        push_export(_export(tmp_path), "org/name", private=True, token=TOKEN)
    message = str(error.value)
    assert message.startswith("push to org/name failed: cannot reach the Hub (") and "\n" not in message
    assert TOKEN not in message


def test_cli_push_to_unreachable_hub_exits_1_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    _endpoint(monkeypatch, f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert main(["push", str(_export(tmp_path)), "--repo-id", "org/name", "--private"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("biocurate push: error: push to org/name failed: cannot reach the Hub") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and TOKEN not in err


def test_hub_that_accepts_and_never_answers_times_out_as_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])  # read nothing, answer nothing
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        _endpoint(monkeypatch, f"http://127.0.0.1:{listener.getsockname()[1]}")
        with pytest.raises(ExportError, match="cannot reach the Hub \\(.*Timeout") as error:
            push_export(_export(tmp_path), "org/name", private=True, token=TOKEN, timeout=1)
        assert "\n" not in str(error.value)
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()
