"""COVID-19 similar question pairs (Tianchi 新冠疫情相似句对判定大赛, 2020): whether two Chinese patient
questions mean the same, as a text-pair task (Taiyi's COVID_Similarity).

No real excerpt was available (``format from description``). The competition's files
``train.csv`` / ``dev.csv`` (and ``test.csv`` without labels) are CSV with the header
``id,category,query1,query2,label`` (the category is the disease or topic, e.g. 咳血; label
``1`` = same meaning, ``0`` = different), as the competition description and its entrants'
code show; fields may be quoted.

Mapping: a ``pairs`` record per row, ``text_1`` = query1, ``text_2`` = query2, label ``0``/``1``
(shown as 不相似 / 相似); the category is not kept. A row with the wrong number of columns, an
empty query or another label is rejected naming file and line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import PairsRecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader

COLUMNS = ("id", "category", "query1", "query2", "label")
LABELS = {"0": "不相似", "1": "相似"}


@register_loader
class CovidSimilarity(Loader):
    meta = DatasetMeta(
        name="covid_similarity",
        display_name="COVID-19 similar question pairs (Tianchi)",
        description="Pairs of Chinese patient questions about COVID-19 and related conditions, labelled same meaning or "
        "not (Tianchi 2020 competition organised with 好大夫在线).",
        languages=["zh"],
        tasks=["sts"],
        schema="pairs",
        license="unknown",
        citation="@misc{tianchi_covid_similarity,\n  title = {新冠疫情相似句对判定大赛},\n  publisher = {Alibaba Tianchi},\n"
        "  year = {2020},\n  howpublished = {\\url{https://tianchi.aliyun.com/dataset/76751}}\n}",
        homepage="https://tianchi.aliyun.com/dataset/76751",
        splits={"train": "train.csv|train_*.csv", "validation": "dev.csv|dev_*.csv", "test": "test.csv|test_*.csv"},
        manual_download="Register on Tianchi (https://tianchi.aliyun.com/dataset/76751) and put train.csv / dev.csv in the data directory.",
        label_sets={"labels": list(LABELS)},
        label_names=LABELS,
        aliases=["COVID_Similarity", "covid19_similarity", "tianchi_covid_sim"],
        format_note="CSV id,category,query1,query2,label (competition description); label 1 = same meaning.",
        unlabelled_splits=["test"],
        format_source="format from description",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            with open(path, encoding=self.encoding, newline="") as handle:
                reader = csv.reader(handle)
                header = [c.strip().lstrip("\ufeff") for c in next(reader, [])]
                line = reader.line_num + 1
                for row in reader:
                    if row:
                        yield SourceItem({"header": header, "row": row}, str(path), line, key=row[0])
                    line = reader.line_num + 1

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[PairsRecord]:
        header, row = item.data["header"], item.data["row"]
        if len(row) != len(header):
            raise ConversionError(f"row has {len(row)} columns, the header {len(header)}", field="row")
        data = dict(zip(header, row))
        for key in ("query1", "query2"):
            if not (data.get(key) or "").strip():
                raise ConversionError(f"empty {key}", field=key)
        label = (data.get("label") or "").strip()
        if split in self.meta.unlabelled_splits and not label:
            label = ""
        elif label not in LABELS:
            raise ConversionError(f"label {label!r} is not 0 or 1", field="label")
        yield PairsRecord(id=self.record_id(split, index), dataset=self.name, split=split, language="zh",
                          document_id=str(data.get("id") or self.record_id(split, index)),
                          text_1=data["query1"].strip(), text_2=data["query2"].strip(), label=label)
