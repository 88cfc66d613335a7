"""Chinese medical dialogue data (Toyhom): single-turn consultations as free-form QA.

Raw format: CSV files with the header ``department,title,ask,answer``, encoded in
**GB18030/GBK** (not UTF-8). One row per consultation: the department (心血管科, 神经科...),
the patient's headline question (``title``), the full question (``ask``) and the doctor's
answer. Later parts of the full files have quoted fields with embedded newlines, so rows are
read with the ``csv`` module, streaming. A physical line that does not decode as GB18030 is
decoded with replacement characters and the row holding it is rejected (field ``encoding``).

Mapping: a ``QARecord`` of type ``sqa``. The question is ``ask``; the ``title`` is put in front
of it (``title\\nask``) unless it already occurs in ``ask``, because titles often carry the
actual question ("哪家医院能治胃反流" over an ask that only lists symptoms). The answer is
``[answer]``. The department is not kept (QA records have no field for it). Rows with the wrong
number of columns or an empty answer are rejected with their line number. Every ``*.csv`` in
the folder is read as the ``train`` split (the corpus has no splits).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from biocurate.errors import ConversionError
from biocurate.schemas import QARecord

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader

COLUMNS = ("department", "title", "ask", "answer")


def _decoded_lines(path: Path, bad: set[int]) -> Iterator[str]:
    """Physical lines decoded as GB18030; numbers of undecodable lines are added to ``bad``."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield raw.decode("gb18030")
            except UnicodeDecodeError:
                bad.add(number)
                yield raw.decode("gb18030", errors="replace")


def iter_csv_rows(path: Path) -> Iterator[tuple[int, list[str], bool]]:
    """Yield ``(first line, row, decoded cleanly)`` for each data row after the header."""
    bad: set[int] = set()
    reader = csv.reader(_decoded_lines(path, bad))
    start = 1
    for row in reader:
        end = reader.line_num
        clean = not any(start <= n <= end for n in bad)
        if not (start == 1 and tuple(c.strip().lstrip("\ufeff") for c in row) == COLUMNS):
            yield start, row, clean
        start = end + 1


@register_loader
class ChineseMedicalDialogue(Loader):
    meta = DatasetMeta(
        name="chinese_medical_dialogue",
        display_name="Chinese medical dialogue data (Toyhom)",
        description="792,099 Chinese single-turn medical consultations (question and doctor answer) from six "
        "departments, collected from online health sites.",
        languages=["zh"],
        tasks=["qa_free"],
        schema="qa",
        license="MIT",
        citation="@misc{toyhom_chinese_medical_dialogue,\n  author = {Toyhom},\n  title = {Chinese-medical-dialogue-data},\n"
        "  publisher = {GitHub},\n  howpublished = {\\url{https://github.com/Toyhom/Chinese-medical-dialogue-data}}\n}",
        homepage="https://github.com/Toyhom/Chinese-medical-dialogue-data",
        splits={"train": "*.csv"},
        source_files=[
            SourceFile(
                url="https://raw.githubusercontent.com/Toyhom/Chinese-medical-dialogue-data/"
                "26724a4357fcd142f0cab81188cacf1a2dd8a827/%E6%A0%B7%E4%BE%8B_%E5%86%85%E7%A7%915000-6000.csv",
                filename="样例_内科5000-6000.csv",
            )
        ],
        manual_download="The full per-department CSVs are in the repository's Data_数据 folder "
        "(https://github.com/Toyhom/Chinese-medical-dialogue-data); put any of them in the folder: every *.csv is read.",
        aliases=["Chinese-medical-dialogue-data", "toyhom_cmd"],
        format_note="GB18030 CSV department,title,ask,answer; question = title + ask unless the ask contains the title.",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            for line, row, clean in iter_csv_rows(path):
                yield SourceItem({"row": row, "clean": clean}, str(path), line)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        row = item.data["row"]
        if len(row) != len(COLUMNS):
            where = COLUMNS[len(row)] if len(row) < len(COLUMNS) else "row"
            raise ConversionError(f"row has {len(row)} columns, expected 4 ({', '.join(COLUMNS)})", field=where)
        if not item.data["clean"]:
            raise ConversionError("bytes that are not valid GB18030", field="encoding")
        _, title, ask, answer = (cell.strip() for cell in row)
        if not answer:
            raise ConversionError("empty answer", field="answer")
        if not ask and not title:
            raise ConversionError("empty title and ask", field="ask")
        question = ask if title in ask else f"{title}\n{ask}" if ask else title
        record_id = self.record_id(split, index)
        yield QARecord(
            id=record_id, dataset=self.name, split=split, language="zh", question_id=record_id,
            document_id=record_id, question=question, type="sqa", answer=[answer],
        )
