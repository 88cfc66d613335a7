"""TREC 2017 LiveQA Medical: consumer health questions sent to the U.S. National Library of
Medicine, with reference answers, as free-form QA.

Raw format (TREC 2017 LiveQA medical XML, three flavours):

* ``TrainingDatasets/TREC-2017-LiveQA-Medical-Train-1.xml`` (LF, no BOM): ``<NLM-QUESTIONS>`` of
  ``<NLM-QUESTION questionid="Q1">`` with ``<SUBJECT>`` (may be empty), ``<MESSAGE>`` and
  ``<SUB-QUESTIONS>/<SUB-QUESTION subqid=…>/<ANSWERS>/<ANSWER answerid=…>``;
* ``…-Train-2.xml`` (UTF-8 BOM, CRLF): the same elements, ``qid="1.0"`` and no attributes on
  sub-questions and answers, closing tags often run together;
* ``TestDataset/TREC-2017-LiveQA-Medical-Test.xml``: ``<NLM-QUESTION qid="TQ1">`` with
  ``<Original-Question><SUBJECT/><MESSAGE/></Original-Question>``, ``<NIST-PARAPHRASE>`` and
  ``<ReferenceAnswers>/<RefAnswer aid=…>/<ANSWER>`` (plus ``AnswerURL`` and ``COMMENT``).

The README counts question-answer *pairs* (634 in training: each ``ANSWER`` of a sub-question
pairs with its question), so the mapping is one ``QARecord`` (type ``sqa``) per answer: the
question is ``SUBJECT`` and ``MESSAGE`` on two lines (just ``MESSAGE`` when the subject is empty
or repeats it), the answer the ``ANSWER`` text with its hard line breaks and tab indentation
folded into single spaces. ``question_id`` is the raw question id, ids are
``<split>-<question index>-<answer number>``. The question-summary file
(``…-Questions-w-summaries.xml``) repeats the test questions and the NIST qrels judge
participants' answers (not gold), so neither is read. A question without any answer, or a file
that is not well-formed XML, is rejected naming file and question.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import QARecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader

_FOLD = re.compile(r"\s*[\r\n\t]\s*")


def clean(text: str | None) -> str:
    """Element text with hard line breaks and tabs folded into single spaces, stripped."""
    return _FOLD.sub(" ", text or "").strip()


def _question_text(element: ET.Element) -> str:
    holder = element.find("Original-Question")
    holder = holder if holder is not None else element
    subject, message = clean(holder.findtext("SUBJECT")), clean(holder.findtext("MESSAGE"))
    if not message:
        return subject
    return message if not subject or subject in message else f"{subject}\n{message}"


@register_loader
class LiveQA(Loader):
    meta = DatasetMeta(
        name="liveqa",
        display_name="TREC 2017 LiveQA Medical",
        description="Consumer health questions received by the U.S. National Library of Medicine with answers from "
        "trusted sources: 634 training question-answer pairs (446 questions) and 104 test questions with reference answers.",
        languages=["en"],
        tasks=["qa_free"],
        schema="qa",
        license="unknown",
        citation="""@inproceedings{LiveMedQA2017,
  author = {Asma {Ben Abacha} and Eugene Agichtein and Yuval Pinter and Dina Demner{-}Fushman},
  title = {Overview of the Medical Question Answering Task at TREC 2017 LiveQA},
  booktitle = {TREC 2017},
  year = {2017}
}""",
        homepage="https://github.com/abachaa/LiveQA_MedicalTask_TREC2017",
        splits={
            "train": "TrainingDatasets/TREC-2017-LiveQA-Medical-Train-*.xml|TREC-2017-LiveQA-Medical-Train-*.xml",
            "test": "TestDataset/TREC-2017-LiveQA-Medical-Test.xml|TREC-2017-LiveQA-Medical-Test.xml",
        },
        manual_download="Clone https://github.com/abachaa/LiveQA_MedicalTask_TREC2017: TestDataset/ is at HEAD; the "
        "TrainingDatasets/ files were deleted on 2024-11-27 and are taken from commit 74d361222a641703edd9874211cd84081bf1b042. "
        "Keep the two folder names (or put the XML files side by side).",
        aliases=["LiveQA", "trec_2017_liveqa_medical", "liveqa_medical"],
        format_note="TREC LiveQA medical XML (Train-1, Train-2 with BOM/CRLF, Test with ReferenceAnswers); one sqa record per answer.",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            try:
                root = ET.parse(path).getroot()
            except ET.ParseError as exc:
                yield self.reject(split, f"malformed XML: {exc}", file=str(path), line=exc.position[0], stage="read")
                continue
            for element in root.iter("NLM-QUESTION"):
                qid = element.get("questionid") or element.get("qid")
                yield SourceItem(element, str(path), None, key=qid)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        element: ET.Element = item.data
        question = _question_text(element)
        if not question:
            raise ConversionError("empty SUBJECT and MESSAGE", field="MESSAGE")
        answers = [clean(a.text) for a in element.iter("ANSWER")]
        answers = [a for a in answers if a]
        if not answers:
            raise ConversionError("question has no non-empty ANSWER", field="ANSWER")
        qid = item.key or self.record_id(split, index)
        for number, answer in enumerate(answers, start=1):
            yield QARecord(
                id=self.record_id(split, index, str(number)), dataset=self.name, split=split, language="en",
                question_id=qid, document_id=qid, question=question, type="sqa", answer=[answer],
            )
