"""The local pool starts before the sources are listed only when it will be wanted."""

from __future__ import annotations

from pathlib import Path

from biocurate.export.pipeline import ExportOptions, _holds_at_least, early_runner
from biocurate.export.runners import LocalRunner


def test_holds_at_least_adds_file_sizes_in_nested_folders(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "x.txt").write_bytes(b"x" * 300)
    (tmp_path / "a" / "b" / "y.txt").write_bytes(b"y" * 500)
    assert _holds_at_least(tmp_path, 800)
    assert not _holds_at_least(tmp_path, 801)
    assert not _holds_at_least(tmp_path / "missing", 1)


def test_no_early_pool_for_small_or_unknown_inputs(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("small")
    assert early_runner(ExportOptions(out=tmp_path / "o")) is None  # the bundled samples
    assert early_runner(ExportOptions(out=tmp_path / "o", data_root=tmp_path)) is None  # under 32 MiB
    assert early_runner(ExportOptions(out=tmp_path / "o", data_root="memory://root")) is None  # staged first
    assert early_runner(ExportOptions(out=tmp_path / "o", workers=1)) is None
    assert early_runner(ExportOptions(out=tmp_path / "o", workers=2, engine="ray")) is None


def test_an_explicit_worker_count_starts_the_pool_early(tmp_path: Path) -> None:
    runner = early_runner(ExportOptions(out=tmp_path / "o", workers=2))
    try:
        assert isinstance(runner, LocalRunner) and runner.parallelism == 2
    finally:
        assert runner is not None
        runner.close()
