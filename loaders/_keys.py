"""Raw record ids are unique within a split: a repeated one is a reject (stage 2, every loader).

A loader names each raw record by its own id where the format has one
(:attr:`~._base.SourceItem.key`: a PubTator PMID, a BioC or brat document id, a JSON Lines
record's ``id``). Two raw records of one split under the same id are a broken file (a document
pasted twice, two releases concatenated), not two records: the later one becomes a
:class:`~._base.Reject` naming its own file and line and the first occurrence's, and every
other record is read. :class:`~._base.Loader` applies this to the stream of every loader's
``read_source`` (and to the items ``read_deferred`` yields already read); a loader whose ids
name a group on purpose (a dialogue whose successive turns share its id) sets
``unique_keys = False``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._base import Loader


def repeat_reason(key: str, first_file: str | None, first_line: int | None, file: str | None) -> str:
    """Why a record is rejected for repeating raw id ``key`` first seen at ``first_file``:``first_line``.

    Example:
        >>> repeat_reason("123", "a.txt", 4, "a.txt")
        "record id '123' already used on line 4"
        >>> repeat_reason("123", "a.txt", None, "b.txt")
        "record id '123' already used in a.txt"
    """
    if first_line is None:
        where = f"in {first_file}"
    else:
        where = f"on line {first_line}" + ("" if first_file == file else f" of {first_file}")
    return f"record id {key!r} already used {where}"


def reject_repeated_keys(loader: Loader, split: str, items: Iterator[Any]) -> Iterator[Any]:
    """``items`` (a loader's raw items of ``split``) with each :class:`~._base.SourceItem` whose
    ``key`` repeats an earlier item's replaced by a reject (stage ``read``, field ``id``).

    Items without a key, rejects and items not read yet (:class:`~._base.Deferred`) pass
    unchanged; the stream stays one item per item, so positions (record ids) do not move.
    """
    seen: dict[str, tuple[str, int | None]] = {}
    for item in items:
        key = getattr(item, "key", None)  # only a SourceItem has one (a Reject or Deferred: no)
        if key is not None:
            if key in seen:
                first_file, first_line = seen[key]
                item = loader.reject(split, repeat_reason(key, first_file, first_line, item.file), item, field="id", stage="read")
            else:
                seen[key] = (item.file, item.line)
        yield item
