"""JSON Lines are read as bytes and decoded only when parsed: BOM, CRLF, blank lines and
invalid UTF-8 must still come out right, with line numbers."""

from __future__ import annotations

import json

from biocurate.loaders import Reject, get_loader
from biocurate.loaders.formats.jsonfiles import iter_jsonl, iter_jsonl_lines, parse_jsonl_line


def test_bom_crlf_and_blank_lines(tmp_path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": "\xe5\xa4\xb4"}\r\n\r\n  \n{"b": 2}\r\n{"c": 3}')
    assert [(line, raw) for line, raw in iter_jsonl_lines(path)] == [
        (1, b'{"a": "\xe5\xa4\xb4"}\r\n'), (4, b'{"b": 2}\r\n'), (5, b'{"c": 3}')]
    assert list(iter_jsonl(path)) == [(1, {"a": "头"}), (4, {"b": 2}), (5, {"c": 3})]


def test_invalid_utf8_is_a_decode_error_not_a_crash() -> None:
    error = parse_jsonl_line(b'{"a": "\xe5\xa4"}\n')
    assert isinstance(error, json.JSONDecodeError) and "cannot decode as utf-8" in error.msg and "at byte 7 of the line" in error.msg and error.pos == 7
    assert parse_jsonl_line('{"a": 1}') == {"a": 1}  # text lines still parse


def test_a_chat_file_with_a_bad_line_rejects_that_line(tmp_path) -> None:
    good = json.dumps({"instruction": "问", "output": "答"}, ensure_ascii=False).encode()
    (tmp_path / "chat.jsonl").write_bytes(good + b"\n" + b'{"instruction": "\xff", "output": "x"}\n' + good + b"\n")
    items = list(get_loader("chat_jsonl")(tmp_path).records("train"))
    assert [type(i).__name__ for i in items] == ["DialogueRecord", "Reject", "DialogueRecord"]
    reject = items[1]
    assert isinstance(reject, Reject) and reject.line == 2 and reject.stage == "read" and "cannot decode as utf-8" in reject.reason
