"""Span checks and split globs with alternatives."""

from __future__ import annotations

from pathlib import Path

import pytest

from biocurate.errors import LoaderError
from biocurate.loaders.formats.common import DecodeFailure, Malformed, files_under, pieces_problem, read_text_file, span_problem, split_files


def test_span_problem() -> None:
    assert span_problem("abc", 0, 3, "abc") is None
    assert "outside" in span_problem("abc", 2, 5)
    assert "'b'" in span_problem("abc", 1, 2, "x")


def test_pieces_problem() -> None:
    assert pieces_problem("left and right arm", [(0, 4), (15, 18)], "left arm") == (["left", "arm"], None)
    assert pieces_problem("mu-, and kappa-selective opioids", [(0, 3), (15, 32)], "mu-selective opioids")[1] is None
    assert pieces_problem("a\nb", [(0, 3)], "a b")[1] is None
    assert pieces_problem("abc", [(0, 2)], "abc")[1] is not None


def test_split_files_alternatives(tmp_path: Path) -> None:
    for name in ("CDR_sample.PubTator.txt", "CDR_TestSet.PubTator.txt", "sub/CDR_TrainingSet.PubTator.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    splits = {"train": "*CDR_TrainingSet.PubTator.txt | *CDR_sample.PubTator.txt", "validation": "*Dev*"}
    assert [p.relative_to(tmp_path).as_posix() for p in split_files(tmp_path, splits, "train", "x")] == [
        "CDR_sample.PubTator.txt", "sub/CDR_TrainingSet.PubTator.txt",
    ]
    with pytest.raises(LoaderError, match="no raw file"):
        split_files(tmp_path, splits, "validation", "x")
    with pytest.raises(LoaderError, match="unknown split"):
        split_files(tmp_path, splits, "test", "x")


def test_files_under_lists_what_rglob_and_is_file_list(tmp_path: Path) -> None:
    for name in ("b.txt", "a/z.txt", "a/b/c.json", "a-b/x.txt", "a.b/y.txt", "A/q.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "link-to-file.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "link-to-dir").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing.txt")
    expected = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert [tmp_path / name for name in files_under(tmp_path)] == expected
    assert "link-to-file.txt" in files_under(tmp_path) and not any(n.startswith("link-to-dir/") for n in files_under(tmp_path))


def test_malformed_where() -> None:
    m = Malformed("bad", "f.txt", 3, "offsets", "26094", "raw")
    assert m.where() == {"file": "f.txt", "line": 3, "field": "offsets", "record": "26094", "raw": "raw"}


@pytest.mark.parametrize("raw", [b"one\ntwo\n", b"one\r\ntwo\r\n", b"one\rtwo\r\nthree\n\r", "\u75c5\u4f8b\r\n".encode(), b""])
def test_read_text_file_reads_as_text_mode_does(tmp_path, raw: bytes) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(raw)
    assert read_text_file(path) == path.read_text(encoding="utf-8")
    assert read_text_file(str(path)) == path.read_text(encoding="utf-8")


def test_read_text_file_raises_on_bad_utf8_and_missing_files(tmp_path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"ok\nIn viv\xe9\n")
    with pytest.raises(DecodeFailure) as failure:
        read_text_file(tmp_path / "bad.txt")
    assert (failure.value.line, failure.value.offset, failure.value.field) == (2, 9, "encoding")
    assert "byte offset 9" in str(failure.value) and "0xe9" in str(failure.value)
    with pytest.raises(FileNotFoundError):
        read_text_file(tmp_path / "missing.txt")
