"""CSL (Chinese Scientific Literature) benchmark, ``ts`` task: generate a paper's title from its abstract.

Raw format (``benchmark/ts/<split>.tsv`` of github.com/ydli-ai/CSL): TSV without header, three
columns per line, ``to title<TAB>abstract<TAB>title``; the first column is a literal task
prefix. The ``cls_ctg`` files (``to category<TAB>title<TAB>discipline``, read by
:mod:`~loaders.csl_ctg` with :func:`iter_csl_tsv`) label the same papers with one of 13
disciplines; 103 of the 1000 dev papers are 医学 (medicine). This loader keeps every paper
(the T2T schema has no discipline field); surrounding whitespace of a column is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from biocurate.errors import ConversionError
from biocurate.schemas import T2TRecord

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader

CSL_BASE = "https://raw.githubusercontent.com/ydli-ai/CSL/0f1ac0626d584cd3c72f8be26d329eb4f967cfd0/benchmark"
CSL_CITATION = """@inproceedings{li-etal-2022-csl,
  title = {{CSL}: A Large-scale {C}hinese Scientific Literature Dataset},
  author = {Li, Yudong and Zhang, Yuqing and Zhao, Zhe and Shen, Linlin and Liu, Weijie and Mao, Weiquan and Zhang, Hui},
  booktitle = {Proceedings of COLING 2022},
  year = {2022}
}"""


def csl_splits(task: str) -> dict[str, str]:
    """Split -> glob of a CSL benchmark task folder (``ts``, ``cls_ctg``)."""
    return {"train": f"*{task}/train.tsv", "validation": f"*{task}/dev.tsv", "test": f"*{task}/test.tsv"}


def csl_sources(task: str) -> list[SourceFile]:
    """The raw benchmark files of a task, on GitHub."""
    return [SourceFile(url=f"{CSL_BASE}/{task}/{name}.tsv", filename=f"{task}/{name}.tsv") for name in ("train", "dev", "test")]


def iter_csl_tsv(path: Path, prefix: str) -> Iterator[tuple[int, list[str] | str]]:
    """Yield ``(line, [column 2, column 3])`` per non-empty line, or ``(line, reason)`` when the
    line does not have three columns or its first column is not ``prefix``."""
    with open(path, encoding="utf-8-sig") as handle:
        for number, text in enumerate(handle, start=1):
            text = text.rstrip("\r\n")
            if not text.strip():
                continue
            columns = text.split("\t")
            if len(columns) != 3:
                yield number, f"{len(columns)} tab-separated columns, expected 3 ({prefix!r}, text, target)"
            elif columns[0].strip() != prefix:
                yield number, f"task prefix {columns[0]!r}, expected {prefix!r}"
            else:
                yield number, [columns[1].strip(), columns[2].strip()]


@register_loader
class CSL(Loader):
    meta = DatasetMeta(
        name="csl",
        display_name="CSL title generation",
        description="Chinese scientific paper abstracts paired with their titles (CSL benchmark 'ts' task); disciplines include medicine.",
        languages=["zh"],
        tasks=["title_gen"],
        schema="t2t",
        license="Apache-2.0",
        citation=CSL_CITATION,
        homepage="https://github.com/ydli-ai/CSL",
        splits=csl_splits("ts"),
        source_files=csl_sources("ts"),
        aliases=["CSL", "csl_ts"],
        format_note="TSV 'to title<TAB>abstract<TAB>title'.",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            for line, row in iter_csl_tsv(path, "to title"):
                if isinstance(row, str):
                    yield self.reject(split, row, stage="read", file=str(path), line=line, field="columns")
                else:
                    yield SourceItem({"abstract": row[0], "title": row[1]}, str(path), line)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[T2TRecord]:
        for field in ("abstract", "title"):
            if not item.data[field]:
                raise ConversionError(f"empty {field}", field=field)
        record_id = self.record_id(split, index)
        yield T2TRecord(
            id=record_id, dataset=self.name, split=split, language="zh", document_id=record_id,
            text_1=item.data["abstract"], text_2=item.data["title"], text_1_name="abstract", text_2_name="title",
        )
