"""Base of the loaders that read chat-shaped files (Firefly, ShareGPT, alpaca, GSM8K...).

Each file is JSON Lines or one JSON array (see :func:`.formats.chat.iter_chat_file`); a line
that is not a JSON object becomes a reject naming file and line.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._base import Loader, Reject, SourceItem
from .formats.chat import iter_chat_file, read_error


def source_key(obj: object) -> str | None:
    """The record's own id (``id`` or ``conversation_id``) when it has one."""
    if isinstance(obj, dict):
        for name in ("id", "conversation_id"):
            if obj.get(name) is not None:
                return str(obj[name])
    return None


class ChatFileLoader(Loader):
    """Streams the objects of every file of a split."""

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            for line, obj in iter_chat_file(path):
                reason = read_error(obj)
                if reason:
                    yield self.reject(split, reason, file=str(path), line=line, stage="read")
                else:
                    yield SourceItem(obj, str(path), line, key=source_key(obj))
