"""MedQA (USMLE, English, 4-option version): multiple-choice medical board-exam questions.

Raw format (``data_clean/questions/US/4_options/phrases_no_exclude_<split>.jsonl`` of the
MedQA release): JSON Lines, ``{"question", "answer": option text, "options": {"A".."D": text},
"meta_info": "step1"|"step2&3", "answer_idx": "A".."D", "metamap_phrases": [str]}``.

Mapping: choices are the option texts in letter order (A, B, C, D), the answer is the option
text named by ``answer_idx``; a line whose ``answer`` text differs from that option, or whose
options are not the letters A-D, is rejected. Repeated option texts (none in the sample) keep
their first position only, so choices stay distinct. The split comes from the file name
(``train``/``dev``/``test``; ``dev`` is called ``validation``). BigBio's ``med_qa_en`` reads the
5-option ``US/*.jsonl`` files of the same release; this loader reads the 4-option ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import QARecord

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader
from .formats.jsonfiles import iter_jsonl

LETTERS = ("A", "B", "C", "D")
_MIRAGE = "https://raw.githubusercontent.com/Teddy-XiongGZ/MIRAGE/392943af99cd94cafd50a0de2e7fca24bbf65494/rawdata/medqa"


@register_loader
class MedQA(Loader):
    meta = DatasetMeta(
        name="med_qa",
        display_name="MedQA (USMLE, 4 options)",
        description="Multiple-choice questions from the US Medical Licensing Examination (MedQA English subset, 4-option version).",
        languages=["en"],
        tasks=["qa_choice"],
        schema="qa",
        license="MIT",
        citation="""@article{jin2021disease,
  title = {What Disease Does This Patient Have? {A} Large-Scale Open Domain Question Answering Dataset from Medical Exams},
  author = {Jin, Di and Pan, Eileen and Oufattole, Nassim and Weng, Wei-Hung and Fang, Hanyi and Szolovits, Peter},
  journal = {Applied Sciences},
  volume = {11},
  number = {14},
  pages = {6421},
  year = {2021}
}""",
        homepage="https://github.com/jind11/MedQA",
        splits={
            "train": "*phrases_no_exclude_train.jsonl",
            "validation": "*phrases_no_exclude_dev.jsonl",
            "test": "*phrases_no_exclude_test.jsonl",
        },
        source_files=[
            SourceFile(url=f"{_MIRAGE}/data_clean/questions/US/4_options/phrases_no_exclude_test.jsonl", filename="phrases_no_exclude_test.jsonl"),
        ],
        manual_download="Train and dev: download data_clean.zip from the Google Drive link in https://github.com/jind11/MedQA and copy data_clean/questions/US/4_options/phrases_no_exclude_{train,dev,test}.jsonl into the data directory.",
        aliases=["MedQA-USMLE", "medqa"],
        bigbio_name="med_qa",
        format_note="JSON Lines, US/4_options/phrases_no_exclude_<split>.jsonl.",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            for line, obj in iter_jsonl(path):
                if isinstance(obj, json.JSONDecodeError):
                    yield self.reject(split, f"malformed JSON: {obj.msg}", stage="read", file=str(path), line=line)
                else:
                    yield SourceItem(obj, str(path), line)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        raw = item.data
        options = raw["options"]
        if sorted(options) != list(LETTERS):
            raise ConversionError(f"options are {sorted(options)}, expected the letters A-D", field="options")
        letter = raw["answer_idx"]
        if letter not in options:
            raise ConversionError(f"answer_idx {letter!r} is not an option letter", field="answer_idx")
        if options[letter] != raw["answer"]:
            raise ConversionError(f"answer {raw['answer']!r} is not option {letter} {options[letter]!r}", field="answer")
        record_id = self.record_id(split, index)
        yield QARecord(
            id=record_id, dataset=self.name, split=split, language="en", question_id=record_id,
            document_id=record_id, question=raw["question"], type="multiple_choice",
            choices=list(dict.fromkeys(options[k] for k in LETTERS)), answer=[options[letter]],
        )
