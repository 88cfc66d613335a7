"""The output folder is safe: one export at a time, foreign folders refused, only the
export's own files deleted, a full disk reported in one line with the work files removed."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from biocurate.cli import main
from biocurate.errors import ExportError
from biocurate.export import pipeline
from biocurate.export.outdir import OutputFolder
from biocurate.export.pipeline import ExportOptions, run_export
from biocurate.mix.spec import load_mixture

from tests.support import write_mix


def _export(tmp_path: Path, root: Path, out: Path, **extra):
    return run_export(load_mixture(write_mix(tmp_path)), ExportOptions(out=out, data_root=root, progress=False, **extra))


def test_a_second_export_into_a_locked_folder_is_refused(tmp_path: Path, small_root: Path) -> None:
    out = tmp_path / "out"
    with OutputFolder(out):
        with pytest.raises(ExportError, match="another export is writing to"):
            _export(tmp_path, small_root, out)
    # the lock is gone with its holder: the same export now runs
    assert _export(tmp_path, small_root, out).manifest["totals"]["achieved"] == 450


def test_the_cli_says_so_in_one_line(tmp_path: Path, small_root: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    mix = write_mix(tmp_path)
    with OutputFolder(out):
        rc = main(["export", "--mix", str(mix), "--data-dir", str(small_root), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc != 0 and len(err) == 1 and "another export is writing to" in err[0] and "Traceback" not in err[0]


def test_a_foreign_non_empty_folder_is_refused_unless_overwrite(tmp_path: Path, small_root: Path) -> None:
    out = tmp_path / "project"
    (out / "data" / "mine").mkdir(parents=True)
    (out / "data" / "mine" / "f.parquet").write_text("x")
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match="holds no biocurate export"):
        _export(tmp_path, small_root, out)
    assert sorted(p.name for p in out.rglob("*")) == ["data", "f.parquet", "mine", "notes.txt"]
    _export(tmp_path, small_root, out, overwrite=True)
    assert (out / "data" / "mine" / "f.parquet").read_text() == "x"
    assert (out / "notes.txt").read_text() == "keep me"
    assert list((out / "data").rglob("train-*.parquet"))


def test_a_new_export_deletes_only_the_previous_exports_files(tmp_path: Path, small_root: Path) -> None:
    out = tmp_path / "out"
    first = _export(tmp_path, small_root, out, shard_rows=50)
    shards = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.parquet"))
    assert len(shards) == len(first.manifest["files"]) > 2
    (out / "data" / "mine").mkdir()
    (out / "data" / "mine" / "f.parquet").write_text("x")
    (out / "data" / "ner" / "mine.txt").write_text("y")
    second = _export(tmp_path, small_root, out)  # bigger shards: fewer files
    kept = sorted(p.relative_to(out).as_posix() for p in out.rglob("train-*.parquet"))
    assert kept == sorted(f["path"] for f in second.manifest["files"]) and len(kept) < len(shards)
    assert (out / "data" / "mine" / "f.parquet").read_text() == "x"
    assert (out / "data" / "ner" / "mine.txt").read_text() == "y"


def test_a_full_disk_is_one_error_and_leaves_no_work_files(tmp_path: Path, small_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = pipeline.map_unit

    def full(settings, unit):
        real(settings, unit)  # the unit's files are written, then the disk fills up
        raise OSError(errno.ENOSPC, "No space left on device", str(settings.work / "units" / "x.tmp"))

    monkeypatch.setattr(pipeline, "map_unit", full)
    out = tmp_path / "out"
    with pytest.raises(ExportError, match="no space left on the device") as caught:
        _export(tmp_path, small_root, out)
    assert "\n" not in str(caught.value)
    assert not (out / ".work").exists() and not (out / ".biocurate.lock").exists()


@pytest.mark.skipif(not Path("/proc/mounts").exists(), reason="needs Linux mounts")
def test_a_real_full_disk(tmp_path: Path, small_root: Path) -> None:
    import subprocess

    out = tmp_path / "tiny"
    out.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(out)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        with pytest.raises(ExportError, match="no space left on the device"):
            _export(tmp_path, small_root, out)
        assert not (out / ".work").exists()
    finally:
        subprocess.run(["umount", str(out)], check=False)
