"""webMedQA (He et al. 2019): real-world Chinese medical questions from online health consultancy sites with
candidate answers, as free-form QA.

No real excerpt was available (``format from description``; the repository's train/valid/test
zips are Git LFS objects of 60 MB and more). The README and its sample figure give each
record's fields, in this order: ``ID``, ``Label`` (1 = the question's real answer, 0 = one of
the 4 negative answers each question has), ``Category`` (the department, e.g. 内科),
``Question``, ``Answer``. The files are read one record per line with the five fields
separated by tabs (the delimiter is not stated in the README; a line that does not split
into five fields is rejected naming file and line, so another layout is never read
silently). Splits: the extracted files whose names contain ``train`` / ``valid`` / ``test``
(e.g. ``medQA.train.txt``).

Mapping: one ``sqa`` record per ``Label 1`` line (question and its real answer); the label-0
lines are the answer-selection task's negatives, not answers, and are not turned into
records. A label other than 0/1 or an empty question or answer is rejected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import QARecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader

FIELDS = ("ID", "Label", "Category", "Question", "Answer")


@register_loader
class WebMedQA(Loader):
    unique_keys = False  # the key is the question's ID, shared by its candidate answers
    meta = DatasetMeta(
        name="webmedqa",
        display_name="webMedQA",
        description="63,284 real-world Chinese medical questions from online health consultancy websites, each with one "
        "real and four negative answers (He et al., BMC MIDM 2019); the real answers are read as QA pairs.",
        languages=["zh"],
        tasks=["qa_free"],
        schema="qa",
        license="Apache-2.0",
        citation="""@article{he2019applying,
  title = {Applying deep matching networks to Chinese medical question answering: A study and a dataset},
  author = {He, Junqing and Fu, Mingming and Tu, Manshu},
  journal = {BMC Medical Informatics and Decision Making},
  volume = {19},
  number = {2},
  pages = {52},
  year = {2019},
  doi = {10.1186/s12911-019-0761-8}
}""",
        homepage="https://github.com/hejunqing/webMedQA",
        splits={"train": "*train*.txt|*train*.csv", "validation": "*valid*.txt|*valid*.csv", "test": "*test*.txt|*test*.csv"},
        manual_download="Clone https://github.com/hejunqing/webMedQA with git lfs, unzip train.zip / valid.zip / test.zip "
        "and put the extracted files in the data directory.",
        aliases=["webMedQA", "web_med_qa"],
        format_note="one line per candidate: ID, Label, Category, Question, Answer (README sample), tab-separated; "
        "Label 1 lines become sqa records.",
        format_source="format from description",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            with open(path, encoding=self.encoding, newline="") as handle:
                for number, line in enumerate(handle, start=1):
                    line = line.rstrip("\r\n")
                    if number == 1:
                        line = line.lstrip("\ufeff")
                    if line.strip():
                        fields = line.split("\t", len(FIELDS) - 1)
                        yield SourceItem(fields, str(path), number, key=fields[0])

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        fields = item.data
        if len(fields) != len(FIELDS):
            raise ConversionError(f"{len(fields)} tab-separated fields, expected {len(FIELDS)} ({', '.join(FIELDS)})", field="line")
        data = dict(zip(FIELDS, (f.strip() for f in fields)))
        if data["Label"] not in ("0", "1"):
            raise ConversionError(f"Label {data['Label']!r} is not 0 or 1", field="Label")
        if data["Label"] == "0":
            return
        for name in ("Question", "Answer"):
            if not data[name]:
                raise ConversionError(f"empty {name}", field=name)
        record_id = self.record_id(split, index)
        yield QARecord(id=record_id, dataset=self.name, split=split, language="zh", question_id=data["ID"] or record_id,
                       document_id=data["ID"] or record_id, question=data["Question"], type="sqa", answer=[data["Answer"]])
