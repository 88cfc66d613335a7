"""MedicationQA (MedInfo 2019): consumer medication questions with trusted answers, as free-form QA.

Raw format: ``MedInfo2019-QA-Medications.xlsx``, one sheet ``DrugQA`` whose first row is the
header ``Question | Focus (Drug) | Question Type | Answer | Section Title | URL`` and each later
row one question-answer pair (690 rows; the paper counts 674 pairs). Every cell is a string;
``Section Title`` is empty in two rows. Questions are raw consumer text (typos kept); the focus
column holds the normalised drug name.

Mapping: a ``QARecord`` of type ``sqa`` per row: question ``Question``, answer ``[Answer]``,
both stripped. The focus, question type, section and URL have no field in the QA schema and
are not kept. Columns are found by their header names, so a reordered sheet still reads; a
missing header column fails the file, a row with an empty question or answer is rejected
naming its row (the ``line`` of the reject is the sheet row number). Everything is ``train``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from openpyxl import load_workbook

from biocurate.errors import ConversionError
from biocurate.schemas import QARecord

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader

SHEET = "DrugQA"
COLUMNS = ("Question", "Focus (Drug)", "Question Type", "Answer", "Section Title", "URL")


@register_loader
class MedicationQA(Loader):
    meta = DatasetMeta(
        name="medication_qa",
        display_name="MedicationQA (MedInfo 2019)",
        description="690 consumer medication questions received by the U.S. National Library of Medicine, each with "
        "its drug focus, question type and an answer passage from a trusted source (MedlinePlus, DailyMed...).",
        languages=["en"],
        tasks=["qa_free"],
        schema="qa",
        license="unknown",
        citation="""@inproceedings{BenAbacha:MEDINFO19,
  author = {Asma {Ben Abacha} and Yassine Mrabet and Mark Sharp and Travis Goodwin and Sonya E. Shooshan and Dina Demner{-}Fushman},
  title = {Bridging the Gap between Consumers' Medication Questions and Trusted Answers},
  booktitle = {MEDINFO 2019},
  year = {2019}
}""",
        homepage="https://github.com/abachaa/Medication_QA_MedInfo2019",
        splits={"train": "MedInfo2019-QA-Medications.xlsx"},
        source_files=[SourceFile(
            url="https://raw.githubusercontent.com/abachaa/Medication_QA_MedInfo2019/8756adc5f4bb99f6bcff690a13921337d9f9bb7e/MedInfo2019-QA-Medications.xlsx",
            filename="MedInfo2019-QA-Medications.xlsx",
            sha256="4f13d0e3b195bd6a5d72a1872f9118cb5f69fd02c370001695330cfc9e3b5832", size=163497,
        )],
        aliases=["MedicationQA", "Medication_QA", "medinfo2019_medication_qa"],
        format_note="xlsx, sheet DrugQA, header Question | Focus (Drug) | Question Type | Answer | Section Title | URL; one sqa record per row.",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            book = load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
                rows = sheet.iter_rows(values_only=True)
                header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
                missing = [c for c in ("Question", "Answer") if c not in header]
                if missing:
                    yield self.reject(split, f"header row lacks column(s) {missing}; found {header}", file=str(path), line=1,
                                      field=missing[0], stage="read")
                    continue
                for number, row in enumerate(rows, start=2):
                    if all(c is None or str(c).strip() == "" for c in row):
                        continue
                    yield SourceItem(dict(zip(header, row)), str(path), number, key=f"row {number}")
            finally:
                book.close()

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        data = item.data
        question, answer = (str(data.get(k) or "").strip() for k in ("Question", "Answer"))
        for name, value in (("Question", question), ("Answer", answer)):
            if not value:
                raise ConversionError(f"empty {name}", field=name)
        record_id = self.record_id(split, index)
        yield QARecord(
            id=record_id, dataset=self.name, split=split, language="en", question_id=record_id,
            document_id=record_id, question=question, type="sqa", answer=[answer],
        )
