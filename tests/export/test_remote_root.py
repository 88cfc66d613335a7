"""A data root on another file system (``biocurate.remote``): staged into the local cache, then
exported to the same bytes as the local folder; restaged when files change upstream; each unit
stages its dataset's folder where it runs; a root that cannot be listed is a one-line error.

fsspec's ``memory://`` file system stands in for an object store (pyarrow reads it through
``FSSpecHandler``, the same path as any fsspec protocol); ``file://`` goes through pyarrow's
own file systems, as ``s3://`` and ``gs://`` do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import fsspec
import pytest

from biocurate import remote
from biocurate.export.pipeline import ExportOptions, run_export
from biocurate.export.sources import Source
from biocurate.export.units import stage_source
from biocurate.loaders import get_loader
from biocurate.mix.spec import load_mixture

from tests.support import make_root, write_mix

FOLDERS = ("CMeEE", "KUAKE-QIC")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BIOCURATE_CACHE", str(folder))
    return folder


@pytest.fixture
def memory_root(tmp_path: Path) -> tuple[str, Path]:
    """The bundled samples of FOLDERS, as a local folder and as ``memory://`` files."""
    local = make_root(tmp_path, *FOLDERS)
    fs = fsspec.filesystem("memory")
    base = f"/raw-{os.getpid()}-{tmp_path.name}"
    for path in sorted(p for p in local.rglob("*") if p.is_file()):
        fs.pipe(f"{base}/{path.relative_to(local).as_posix()}", path.read_bytes())
    yield f"memory://{base}", local
    fs.rm(base, recursive=True)


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_remote_root_exports_the_bytes_of_the_local_folder(tmp_path: Path, cache: Path, memory_root) -> None:
    url, local = memory_root
    spec = load_mixture(write_mix(tmp_path))
    from_local = run_export(spec, ExportOptions(out=tmp_path / "local", data_root=local, progress=False, workers=1))
    from_url = run_export(spec, ExportOptions(out=tmp_path / "url", data_root=url, progress=False, workers=1))
    assert _files(from_url.out) == _files(from_local.out)
    staged = remote.staging_folder(url)
    assert staged.is_relative_to(cache)
    expected = sorted(p.relative_to(local).as_posix() for p in local.rglob("*") if p.is_file())
    assert sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file() and ".staged" not in p.parts) == expected


def test_only_changed_files_are_copied_again(tmp_path: Path, cache: Path, memory_root, monkeypatch: pytest.MonkeyPatch) -> None:
    url, local = memory_root
    copied: list[str] = []
    real_copy = remote._copy
    monkeypatch.setattr(remote, "_copy", lambda fs, path, target, u: (copied.append(Path(target).name), real_copy(fs, path, target, u)))
    staged = remote.stage(url)
    first = len(copied)
    assert first == sum(1 for p in local.rglob("*") if p.is_file())
    copied.clear()
    assert remote.stage(url) == staged and copied == []  # nothing changed upstream
    fs = fsspec.filesystem("memory")
    base = url.removeprefix("memory://")
    [train] = [p for p in fs.find(f"{base}/CMeEE") if p.endswith("CMeEE_dev.json")]
    fs.pipe(train, b"[]")
    fs.rm(f"{base}/KUAKE-QIC", recursive=True)
    remote.stage(url)
    assert copied == ["CMeEE_dev.json"]
    assert (staged / "CMeEE" / "CMeEE_dev.json").read_bytes() == b"[]"
    assert not (staged / "KUAKE-QIC").exists() or not any(p.is_file() for p in (staged / "KUAKE-QIC").rglob("*"))


def test_a_unit_stages_its_dataset_where_it_runs(tmp_path: Path, cache: Path, memory_root) -> None:
    """What a Ray task on another node does: the driver's staged path does not exist there yet."""
    url, local = memory_root
    elsewhere = tmp_path / "node2" / "staged"
    loader = get_loader("cmeee")(local / "CMeEE")  # built on the driver; a task gets it pickled
    stage_source(Source("cmeee", loader, ["train"], ["ner"], elsewhere / "CMeEE", (url, "CMeEE")))
    assert sorted(p.name for p in (elsewhere / "CMeEE").iterdir()) == sorted(p.name for p in (local / "CMeEE").iterdir())
    assert not (elsewhere / "KUAKE-QIC").exists()  # only the unit's own dataset
    assert (elsewhere / "CMeEE" / "CMeEE_test.json").read_bytes() == (local / "CMeEE" / "CMeEE_test.json").read_bytes()


def test_a_file_url_goes_through_pyarrow(tmp_path: Path, cache: Path) -> None:
    local = make_root(tmp_path, "CMeEE")
    staged = remote.stage(local.as_uri())
    assert (staged / "CMeEE" / "CMeEE_dev.json").read_bytes() == (local / "CMeEE" / "CMeEE_dev.json").read_bytes()


def test_a_root_that_cannot_be_listed_is_a_one_line_error(tmp_path: Path, cache: Path) -> None:
    with pytest.raises(remote.StagingError, match="cannot list memory:///no-such-root"):
        remote.stage("memory:///no-such-root")
    result = subprocess.run([sys.executable, "-m", "biocurate", "export", "--data-dir", (tmp_path / "absent").as_uri(),
                             "--out", str(tmp_path / "out"), "--quiet"], capture_output=True, text=True,
                            env={**os.environ, "BIOCURATE_CACHE": str(cache)})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "cannot list file://" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_url_or_folder() -> None:
    assert remote.is_url("s3://bucket/raw") and remote.is_url("memory://x") and remote.is_url("file:///tmp/x")
    assert not remote.is_url("/data/raw") and not remote.is_url("C:/data") and not remote.is_url(Path("s3://x"))
    assert not remote.is_url(None)
