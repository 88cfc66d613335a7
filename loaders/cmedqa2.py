"""cMedQA2 (Zhang et al. 2018): Chinese community medical questions with their doctors' answers, as free QA.

Raw format (the repository README; the question and answer CSVs were too large to store, so
the parser follows the description, ``format from description``; the candidate files'
layout was checked on the real ``dev_candidates.txt``): ``question.csv`` (README:
``questions.csv``) with the header ``question_id,content``; ``answer.csv`` (``answers.csv``)
with ``ans_id,question_id,content``; the splits are given by ``train_candidates.txt``
(``question_id,pos_ans_id,neg_ans_id``) and ``dev_candidates.txt`` / ``test_candidates.txt``
(``question_id,ans_id,cnt,label``, label 1 for an answer of that question).

Mapping: one ``sqa`` record per (question, answer) of the split's questions, in the order the
candidate file first names each question; every answer ``answer.csv`` gives the question is
used. A question of a split with no text in ``question.csv`` or no answer is rejected naming
the candidate file and line where it first appears. The CSVs are read with the ``csv``
module (quoted fields may hold commas and newlines).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from biocurate.errors import ConversionError
from biocurate.schemas import QARecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader


def _rows(path: Path, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """``(line of the row's start, cells)`` after the header of a CSV file."""
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        line = reader.line_num + 1
        for row in reader:
            if row:
                yield line, [c.lstrip("\ufeff") for c in row]
            line = reader.line_num + 1


def _first(folder: Path, *names: str) -> Path:
    for name in names:
        if (folder / name).is_file():
            return folder / name
    raise ConversionError(f"none of {names} in {folder}", field="file")


@register_loader
class CMedQA2(Loader):
    side_files = ("question.csv", "questions.csv", "answer.csv", "answers.csv")
    meta = DatasetMeta(
        name="cmedqa2",
        display_name="cMedQA2",
        description="108,000 Chinese medical questions from an online health community with 203,569 doctors' answers "
        "(cMedQA v2.0); the README allows non-commercial research use (repository licence GPL-3.0).",
        languages=["zh"],
        tasks=["qa_free"],
        schema="qa",
        license="research-only",
        citation="""@article{8548603,
  author = {S. Zhang and X. Zhang and H. Wang and L. Guo and S. Liu},
  journal = {IEEE Access},
  title = {Multi-Scale Attentive Interaction Networks for Chinese Medical Question Answer Selection},
  year = {2018},
  volume = {6},
  pages = {74061-74071},
  doi = {10.1109/ACCESS.2018.2883637}
}""",
        homepage="https://github.com/zhangsheng93/cMedQA2",
        splits={"train": "train_candidates.txt", "validation": "dev_candidates.txt", "test": "test_candidates.txt"},
        manual_download="Download question.zip, answer.zip and the three *_candidates.zip from https://github.com/zhangsheng93/cMedQA2 "
        "(git lfs) and unzip them into the data directory.",
        aliases=["cMedQA2", "cmedqa_v2"],
        format_note="question.csv (question_id,content) + answer.csv (ans_id,question_id,content) + <split>_candidates.txt; "
        "one sqa record per answer of the split's questions.",
        format_source="format from description",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        (candidates,) = self.files_for(split)
        try:
            question_file = _first(self.data_dir, "question.csv", "questions.csv")
            answer_file = _first(self.data_dir, "answer.csv", "answers.csv")
        except ConversionError as exc:
            yield self.reject(split, exc.reason, file=str(self.data_dir), field="file", stage="read")
            return
        order: dict[str, int] = {}
        for line, row in _rows(candidates, self.encoding):
            labelled = split == "train" or (len(row) >= 4 and row[3].strip() == "1")
            if row and labelled and row[0] not in order:
                order[row[0]] = line
        questions = {row[0]: row[1] for _, row in _rows(question_file, self.encoding) if len(row) >= 2 and row[0] in order}
        answers: dict[str, list[str]] = {}
        for _, row in _rows(answer_file, self.encoding):
            if len(row) >= 3 and row[1] in order:
                answers.setdefault(row[1], []).append(row[2])
        for qid, line in order.items():
            yield SourceItem({"question": questions.get(qid), "answers": answers.get(qid, [])}, str(candidates), line, key=qid)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        question = (item.data["question"] or "").strip()
        if not question:
            raise ConversionError(f"question {item.key} has no text in question.csv", field="question_id")
        answers = [a.strip() for a in item.data["answers"] if a.strip()]
        if not answers:
            raise ConversionError(f"question {item.key} has no answer in answer.csv", field="answers")
        for number, answer in enumerate(answers):
            record_id = self.record_id(split, index, str(number))
            yield QARecord(id=record_id, dataset=self.name, split=split, language="zh", question_id=str(item.key),
                           document_id=str(item.key), question=question, type="sqa", answer=[answer])
