"""Shared pieces of the CBLUE loaders: citation, download note, JSON-array reading, pair mapping.

Every CBLUE corpus ships ``<TASK>_train.json`` / ``_dev.json`` / ``_test.json`` (see
:mod:`.formats.cblue`); the pair corpora (CHIP-STS, KUAKE-QQR, KUAKE-QTR) differ only in their
text keys and label words, so they share :class:`CbluePairsLoader`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from biocurate.schemas import PairsRecord

from ._base import Loader, Reject, SourceItem
from .formats.cblue import gold_label, iter_cblue_array, record_key, require_str

CBLUE_CITATION = """@inproceedings{zhang-etal-2022-cblue,
  title = {{CBLUE}: A {C}hinese Biomedical Language Understanding Evaluation Benchmark},
  author = {Zhang, Ningyu and Chen, Mosha and Bi, Zhen and others},
  booktitle = {Proceedings of ACL 2022},
  pages = {7888--7915},
  year = {2022}
}"""

CBLUE_HOMEPAGE = "https://github.com/CBLUEbenchmark/CBLUE"


def cblue_manual(prefix: str, extra: str = "") -> str:
    """The manual-download note of a CBLUE task (data behind Tianchi registration)."""
    also = f" {extra}" if extra else ""
    return (
        "Register on Alibaba Tianchi (https://tianchi.aliyun.com/dataset/95414), download CBLUE, and place "
        f"{prefix}_train.json / {prefix}_dev.json / {prefix}_test.json{also} in the data directory."
    )


class CblueArrayLoader(Loader):
    """A CBLUE loader whose split files are JSON arrays."""

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for file, line, element in iter_cblue_array(self.files_for(split), self.name):
            yield SourceItem(element, file, line, key=record_key(element))


class CbluePairsLoader(CblueArrayLoader):
    """A CBLUE text-pair corpus: ``{"id", <key 1>, <key 2>, "label"}``; test records have no label."""

    #: The raw keys of the two texts.
    TEXT_KEYS: ClassVar[tuple[str, str]] = ("text1", "text2")
    #: Raw label -> label words.
    LABELS: ClassVar[dict[str, str]] = {}

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[PairsRecord]:
        data = item.data
        label = gold_label(data, "label", list(self.LABELS), labelled=split not in self.meta.unlabelled_splits)
        first, second = self.TEXT_KEYS
        yield PairsRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="zh",
            document_id=require_str(data, "id"), text_1=require_str(data, first), text_2=require_str(data, second),
            label=label or "",
        )
