"""Base of the loaders whose raw files are single JSON arrays (or JSON Lines): read eagerly.

The elements of one JSON array cannot be found without parsing the array, so such loaders do
not defer parsing: :class:`JsonArrayLoader` reads like :class:`~._chatfiles.ChatFileLoader`
(JSON Lines or an array, the first non-blank byte decides; a malformed element is a reject
naming file and line) but keeps :class:`~._base.Loader`'s non-deferring ``read_deferred``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._base import Loader, Reject, SourceItem, resolve_item
from ._chatfiles import ChatFileLoader


class JsonArrayLoader(ChatFileLoader):
    """Streams the elements of each split file, parsed as they are read."""

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        return map(resolve_item, ChatFileLoader.read_deferred(self, split))


# Set after the class body: Loader.__init_subclass__ wraps the methods a class body defines, and
# defers_parsing needs the base's very function here.
JsonArrayLoader.read_deferred = Loader.read_deferred  # type: ignore[method-assign]

__all__ = ["JsonArrayLoader"]
