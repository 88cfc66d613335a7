"""CSL benchmark ``cls_ctg`` task: the discipline (one of 13 学科门类) of a Chinese paper from its title.

Raw format (``benchmark/cls_ctg/<split>.tsv`` of github.com/ydli-ai/CSL): TSV without header,
``to category<TAB>title<TAB>discipline`` per line (read with :func:`~loaders.csl.iter_csl_tsv`).
It reads the CSL folder (``reads_folder_of="csl"``). The papers are those of the ``ts`` task;
医学 marks the medical ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import TextRecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader
from .csl import CSL_CITATION, csl_sources, csl_splits, iter_csl_tsv

#: The 13 disciplines (学科门类) of the CSL category labels.
DISCIPLINES = ["工学", "理学", "医学", "农学", "教育学", "管理学", "经济学", "文学", "法学", "艺术学", "历史学", "哲学", "军事学"]


@register_loader
class CSLCategory(Loader):
    meta = DatasetMeta(
        name="csl_ctg",
        display_name="CSL discipline classification",
        description="Chinese scientific paper titles labelled with one of 13 disciplines (CSL benchmark 'cls_ctg' task).",
        languages=["zh"],
        tasks=["tc"],
        schema="text",
        license="Apache-2.0",
        citation=CSL_CITATION,
        homepage="https://github.com/ydli-ai/CSL",
        splits=csl_splits("cls_ctg"),
        source_files=csl_sources("cls_ctg"),
        label_sets={"labels": DISCIPLINES},
        aliases=["csl_cls_ctg"],
        format_note="TSV 'to category<TAB>title<TAB>discipline'.",
        reads_folder_of="csl",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            for line, row in iter_csl_tsv(path, "to category"):
                if isinstance(row, str):
                    yield self.reject(split, row, stage="read", file=str(path), line=line, field="columns")
                else:
                    yield SourceItem({"title": row[0], "category": row[1]}, str(path), line)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[TextRecord]:
        if not item.data["title"]:
            raise ConversionError("empty title", field="title")
        if item.data["category"] not in DISCIPLINES:
            raise ConversionError(f"unknown discipline {item.data['category']!r}", field="category")
        record_id = self.record_id(split, index)
        yield TextRecord(
            id=record_id, dataset=self.name, split=split, language="zh", document_id=record_id,
            text=item.data["title"], labels=[item.data["category"]],
        )
