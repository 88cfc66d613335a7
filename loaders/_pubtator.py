"""Base of the loaders that read PubTator files (BC5CDR, NCBI-disease): one document per item."""

from __future__ import annotations

from collections.abc import Iterator

from ._base import Loader, Reject, SourceItem
from .formats.common import Malformed
from .formats.pubtator import iter_pubtator


class PubTatorLoader(Loader):
    """Streams the documents of every PubTator file of a split; a malformed one is a reject."""

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            for doc in iter_pubtator(path):
                if isinstance(doc, Malformed):
                    yield self.reject(split, doc.reason, **doc.where())
                else:
                    yield SourceItem(doc, str(path), doc.line, doc.pmid)
