"""MedMCQA: 4-option questions from Indian medical entrance exams (AIIMS/NEET PG), with explanations.

Raw format (``data/train.json`` / ``dev.json`` of the MedMCQA release, JSON Lines despite the
name): ``{"question", "exp", "cop", "opa", "opb", "opc", "opd", "subject_name", "topic_name",
"id", "choice_type": "single"|"multi"}``, one compact object per line. ``exp`` and
``topic_name`` may be null.

``cop`` is 1-based in these raw files (1 = opa ... 4 = opd; the sample has 1-4 and no 0, and
explanations such as "Ans-a" go with cop 1), unlike the 0-based Hugging Face copy. ``exp``
becomes the long answer. Seven of the 1000 sample questions repeat an option text (e.g.
"Not Recalled" twice); choices keep each text once, at its first position, so the answer is
still one of the choices. The released test file hides the answers and is not declared.
``subject_name``/``topic_name`` have no field in the QA schema and are not kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import QARecord

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader
from .formats.jsonfiles import iter_jsonl

OPTION_KEYS = ("opa", "opb", "opc", "opd")


@register_loader
class MedMCQA(Loader):
    meta = DatasetMeta(
        name="medmcqa",
        display_name="MedMCQA",
        description="Multiple-choice questions (4 options) from Indian medical entrance exams across 21 subjects, with expert explanations.",
        languages=["en"],
        tasks=["qa_choice"],
        schema="qa",
        license="MIT",
        citation="""@inproceedings{pal2022medmcqa,
  title = {{MedMCQA}: A Large-scale Multi-Subject Multi-Choice Dataset for Medical domain Question Answering},
  author = {Pal, Ankit and Umapathi, Logesh Kumar and Sankarasubbu, Malaikannan},
  booktitle = {Proceedings of the Conference on Health, Inference, and Learning},
  series = {Proceedings of Machine Learning Research},
  volume = {174},
  pages = {248--260},
  year = {2022}
}""",
        homepage="https://medmcqa.github.io/",
        splits={"train": "*train.json", "validation": "*dev.json"},
        source_files=[
            SourceFile(
                url="https://raw.githubusercontent.com/Teddy-XiongGZ/MIRAGE/392943af99cd94cafd50a0de2e7fca24bbf65494/rawdata/medmcqa/data/dev.json",
                filename="dev.json",
            ),
        ],
        manual_download="Train: download data.tar.gz from the Google Drive link in https://github.com/medmcqa/medmcqa and copy train.json (and dev.json) into the data directory.",
        aliases=["MedMCQA", "med_mcqa"],
        format_note="JSON Lines named .json; cop is 1-based (1=opa).",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            for line, obj in iter_jsonl(path):
                if isinstance(obj, json.JSONDecodeError):
                    yield self.reject(split, f"malformed JSON: {obj.msg}", stage="read", file=str(path), line=line)
                else:
                    key = obj.get("id") if isinstance(obj, dict) else None
                    yield SourceItem(obj, str(path), line, None if key is None else str(key))

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        raw = item.data
        cop = raw["cop"]
        if not isinstance(cop, int) or isinstance(cop, bool) or not 1 <= cop <= len(OPTION_KEYS):
            raise ConversionError(f"cop {cop!r} is not an option number 1-4", field="cop")
        options = []
        for key in OPTION_KEYS:
            if not isinstance(raw[key], str):
                raise ConversionError(f"{key} is {raw[key]!r}, expected the option text", field=key)
            options.append(raw[key])
        explanation = raw.get("exp")
        question_id = raw["id"]
        yield QARecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en",
            question_id=question_id, document_id=question_id, question=raw["question"], type="multiple_choice",
            choices=list(dict.fromkeys(options)), answer=[options[cop - 1]],
            long_answer=[explanation] if explanation and explanation.strip() else [],
        )
