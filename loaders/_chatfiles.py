"""Base of the loaders that read chat-shaped files (Firefly, ShareGPT, alpaca, GSM8K...).

Each file is JSON Lines or one JSON array (see :func:`.formats.chat.is_json_array_file`); a line
that is not a JSON object becomes a reject naming file and line.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._base import Deferred, Loader, Reject, SourceItem, resolve_item
from .formats.chat import is_json_array_file, iter_chat_array, read_error
from .formats.jsonfiles import iter_jsonl_lines, parse_jsonl_line


def source_key(obj: object) -> str | None:
    """The record's own id (``id`` or ``conversation_id``) when it has one."""
    if isinstance(obj, dict):
        for name in ("id", "conversation_id"):
            if obj.get(name) is not None:
                return str(obj[name])
    return None


class ChatFileLoader(Loader):
    """Streams the objects of every file of a split (JSON Lines lines are parsed only when
    resolved: see :meth:`~._base.Loader.read_deferred`)."""

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        return map(resolve_item, self.read_deferred(split))

    def read_deferred(self, split: str) -> Iterator[SourceItem | Reject | Deferred]:
        for path in self.files_for(split):
            if is_json_array_file(path):
                for line, obj in iter_chat_array(path):
                    yield self._item(split, str(path), line, obj)
            else:
                file = str(path)
                for line, raw in iter_jsonl_lines(path):
                    yield Deferred(self._line_item, split, file, line, raw)

    def _line_item(self, split: str, file: str, line: int, raw: bytes) -> SourceItem | Reject:
        return self._item(split, file, line, parse_jsonl_line(raw))

    def _item(self, split: str, file: str, line: int, obj: object) -> SourceItem | Reject:
        reason = read_error(obj)
        if reason:
            return self.reject(split, reason, file=file, line=line, stage="read")
        return SourceItem(obj, file, line, key=source_key(obj))
