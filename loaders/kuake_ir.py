"""KUAKE-IR (CBLUE, Alibaba Quark): medical search passage retrieval, read as query-passage relevance pairs.

Taiyi lists this corpus (its row says IMCS-V2-SR, with the CBLUE link and KUAKE-IR's sizes
100,000 / 1,000 / 3,000) as a text-pair task. Raw format (CBLUE's KUAKE-IR release, as the
code that reads it shows): ``corpus.tsv`` (``doc_id<TAB>passage``, about 959k passages),
``KUAKE-IR_train_query.txt`` / ``KUAKE-IR_dev_query.txt`` (``query_id<TAB>query``) and
``KUAKE-IR_train.tsv`` / ``KUAKE-IR_dev.tsv`` (``query_id<TAB>doc_id``, the relevant passage of
each query). No real excerpt was available (``format from description``).

The release marks only relevant passages, and a pair task with one label teaches nothing, so
each judged pair gives two ``pairs`` records: the query with its passage (label ``1``,
相关) and the query with the relevant passage of the next judged query in the file (label
``0``, 不相关; the last query pairs with the first). This is deterministic and uses only
judged passages; a different query's passage can in rare cases also answer the query.
A judgement naming an unknown query or passage is rejected naming file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from biocurate.errors import ConversionError
from biocurate.schemas import PairsRecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._cblue import CBLUE_CITATION, CBLUE_HOMEPAGE
from ._registry import register_loader

LABELS = {"1": "相关", "0": "不相关"}


def _tsv(path: Path, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` of a tab-separated file, BOM and line ends stripped, blank lines skipped."""
    with open(path, encoding=encoding, newline="") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n").lstrip("\ufeff") if number == 1 else line.rstrip("\r\n")
            if line.strip():
                yield number, line.split("\t")


@register_loader
class KuakeIR(Loader):
    unique_keys = False  # the key is the query id, shared by the query's judged passages
    side_files = ("corpus.tsv", "KUAKE-IR_train_query.txt", "KUAKE-IR_dev_query.txt")
    meta = DatasetMeta(
        name="kuake_ir",
        display_name="KUAKE-IR",
        description="Medical search passage retrieval from CBLUE (Alibaba Quark): Chinese search queries with their "
        "relevant passage among ~959k, read as relevant / not relevant query-passage pairs.",
        languages=["zh"],
        tasks=["sts"],
        schema="pairs",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage=CBLUE_HOMEPAGE,
        splits={"train": "KUAKE-IR_train.tsv", "validation": "KUAKE-IR_dev.tsv"},
        manual_download="Register on Alibaba Tianchi (https://tianchi.aliyun.com/dataset/95414), download CBLUE's KUAKE-IR "
        "and put corpus.tsv, KUAKE-IR_train_query.txt, KUAKE-IR_train.tsv, KUAKE-IR_dev_query.txt and KUAKE-IR_dev.tsv "
        "in the data directory.",
        label_sets={"labels": list(LABELS)},
        label_names=LABELS,
        aliases=["KUAKE-IR"],
        format_note="corpus.tsv + KUAKE-IR_<split>_query.txt + KUAKE-IR_<split>.tsv (query_id, doc_id); each judged pair "
        "plus the next judged query's passage as a negative.",
        format_source="format from description",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        (judgements,) = self.files_for(split)
        tag = "train" if split == "train" else "dev"
        queries = {f[0]: f[1] for _, f in _tsv(self.data_dir / f"KUAKE-IR_{tag}_query.txt", self.encoding) if len(f) >= 2}
        pairs = [(line, f) for line, f in _tsv(judgements, self.encoding)]
        needed = {f[1] for _, f in pairs if len(f) == 2}
        passages = {f[0]: f[1] for _, f in _tsv(self.data_dir / "corpus.tsv", self.encoding) if len(f) >= 2 and f[0] in needed}
        for number, (line, fields) in enumerate(pairs):
            other = pairs[(number + 1) % len(pairs)][1]
            data = {"fields": fields, "query": queries.get(fields[0]) if fields else None,
                    "passage": passages.get(fields[1]) if len(fields) == 2 else None,
                    "negative": passages.get(other[1]) if len(other) == 2 and len(pairs) > 1 else None}
            yield SourceItem(data, str(judgements), line, key=fields[0] if fields else None)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[PairsRecord]:
        data = item.data
        if len(data["fields"]) != 2:
            raise ConversionError(f"expected query_id<TAB>doc_id, got {len(data['fields'])} fields", field="line")
        if data["query"] is None:
            raise ConversionError(f"query {data['fields'][0]} is not in the query file", field="query_id")
        if data["passage"] is None:
            raise ConversionError(f"passage {data['fields'][1]} is not in corpus.tsv", field="doc_id")
        document_id = f"{data['fields'][0]}-{data['fields'][1]}"
        yield PairsRecord(id=self.record_id(split, index, "pos"), dataset=self.name, split=split, language="zh",
                          document_id=document_id, text_1=data["query"], text_2=data["passage"], label="1")
        if data["negative"] is not None and data["negative"] != data["passage"]:
            yield PairsRecord(id=self.record_id(split, index, "neg"), dataset=self.name, split=split, language="zh",
                              document_id=document_id, text_1=data["query"], text_2=data["negative"], label="0")
