"""TCM literature QA (Tianchi 2020 "万创杯" 中医文献问题生成挑战): Traditional Chinese Medicine passages with
questions and answers, as context QA (Taiyi's TCM_Literature_QA).

No real excerpt was available (``format from description``). The competition's
``round1_train_0907.json`` (and ``round1_test_0907.json``, whose questions are empty) is, as the
competition description ("训练集由篇章、问题、答案三个字段构成") and the entrants' code reading it
show, one JSON array of ``{"id": int, "text": passage, "annotations": [{"Q": question, "A":
answer}, ...]}``.

Mapping: one ``cqa`` record per annotation, context = passage, question = ``Q``, answer = ``A``
(the competition asked for the question from passage and answer; here the pair is read the
other way, as Taiyi's QA_cqa does). An annotation with an empty question or answer is
rejected naming it; the test file (no questions) is ``test`` and unlabelled.
"""

from __future__ import annotations

from collections.abc import Iterable

from biocurate.errors import ConversionError
from biocurate.schemas import QARecord

from ._arrayfiles import JsonArrayLoader
from ._base import DatasetMeta, SourceItem
from ._registry import register_loader
from .formats.cblue import require_list, require_str


@register_loader
class TCMLiteratureQA(JsonArrayLoader):
    meta = DatasetMeta(
        name="tcm_literature_qa",
        display_name="TCM literature QA (Tianchi 2020)",
        description="Passages from Traditional Chinese Medicine literature with question-answer pairs (Tianchi 2020 "
        "TCM literature question generation challenge, 18,478 pairs).",
        languages=["zh"],
        tasks=["qa_context"],
        schema="qa",
        license="unknown",
        citation="@misc{tianchi_tcm_qg_2020,\n  title = {“万创杯”中医药天池大数据竞赛——中医文献问题生成挑战},\n"
        "  publisher = {Alibaba Tianchi},\n  year = {2020},\n"
        "  howpublished = {\\url{https://tianchi.aliyun.com/competition/entrance/531826/information}}\n}",
        homepage="https://tianchi.aliyun.com/competition/entrance/531826/information",
        splits={"train": "round1_train_0907.json|*train*.json", "test": "round1_test_0907.json|*test*.json"},
        manual_download="Register for the Tianchi competition 531826 and put round1_train_0907.json (and round1_test_0907.json) "
        "in the data directory.",
        aliases=["TCM_Literature_QA", "tianchi_tcm_qg"],
        format_note="JSON array of {id, text, annotations: [{Q, A}]} (competition description); one cqa record per annotation.",
        unlabelled_splits=["test"],
        format_source="format from description",
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        context = require_str(item.data, "text").strip()
        document_id = str(item.data.get("id", self.record_id(split, index)))
        for number, annotation in enumerate(require_list(item.data, "annotations")):
            field = f"annotations[{number}]"
            question = require_str(annotation, "Q", field=f"{field}.Q", empty_ok=split in self.meta.unlabelled_splits).strip()
            answer = require_str(annotation, "A", field=f"{field}.A").strip()
            if not answer:
                raise ConversionError("empty answer", field=f"{field}.A")
            if not question and split not in self.meta.unlabelled_splits:
                raise ConversionError("empty question", field=f"{field}.Q")
            record_id = self.record_id(split, index, str(number))
            yield QARecord(id=record_id, dataset=self.name, split=split, language="zh", question_id=record_id,
                           document_id=document_id, question=question, type="cqa", context=context, answer=[answer])
