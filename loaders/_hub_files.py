"""Base of the loaders of Hub-hosted corpora: JSON Lines, JSON arrays or Parquet, from a pinned snapshot.

A subclass declares its :class:`~biocurate.hub_snapshot.HubSnapshot` as ``hub`` (what
``biocurate download NAME`` fetches) and split globs that match both the released files and
the Hub's Parquet conversion (``refs/convert/parquet``: ``<config>/<split>/0000.parquet``),
so the same loader reads the cache folder, any ``--data-dir`` holding the released files, or
the Parquet files. Parquet rows are read in batches with pyarrow; a row's ``line`` in rejects
is its 1-based row number in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow.parquet as pq

from biocurate.hub_snapshot import HubSnapshot

from ._base import Deferred, Reject, SourceItem
from ._chatfiles import ChatFileLoader, source_key
from .formats.chat import is_json_array_file, iter_chat_array
from .formats.jsonfiles import iter_jsonl_lines
from ._qa_pairs import QAPairLoader


def iter_parquet_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """``(row number, row as a dict)`` of a Parquet file, 1-based, batch by batch."""
    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
        for row in batch.to_pylist():
            number += 1
            yield number, row


class HubFileLoader(ChatFileLoader):
    """:class:`~._chatfiles.ChatFileLoader` that also reads ``*.parquet`` split files."""

    hub: ClassVar[HubSnapshot]

    def read_deferred(self, split: str) -> Iterator[SourceItem | Reject | Deferred]:
        for path in self.files_for(split):
            file = str(path)
            if path.suffix == ".parquet":
                for number, row in iter_parquet_rows(path):
                    yield SourceItem(row, file, number, key=source_key(row))
            elif is_json_array_file(path):
                for line, obj in iter_chat_array(path):
                    yield self._item(split, file, line, obj)
            else:
                for line, raw in iter_jsonl_lines(path):
                    yield Deferred(self._line_item, split, file, line, raw)


class HubQALoader(HubFileLoader, QAPairLoader):
    """A Hub-hosted QA-pair corpus (see :class:`~._qa_pairs.QAPairLoader` for the mapping)."""


def hub_manual(hub: HubSnapshot, name: str) -> str:
    """The ``manual_download`` text of a Hub-hosted corpus."""
    return (f"`biocurate download {name}` fetches {', '.join(hub.files) or 'the released files'} of the Hub dataset "
            f"{hub.repo_id} at commit {hub.expected_commit} ({hub.url}) into the cache; or put the same files (or the "
            "Hub's Parquet conversion of them) in any --data-dir.")


__all__ = ["HubFileLoader", "HubQALoader", "hub_manual", "iter_parquet_rows"]
