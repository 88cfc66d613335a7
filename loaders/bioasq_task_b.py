"""BioASQ Task B: biomedical semantic QA (yes/no, factoid, list, summary) with PubMed snippets.

Raw format (``TaskNBGoldenEnriched/NBk_golden.json`` golden test batches; the
``trainingNb.json`` training file has the same layout): ``{"questions": [{"id", "type":
"yesno|factoid|list|summary", "body", "documents": [PubMed URL], "snippets": [{"document",
"text", "offsetInBeginSection", "offsetInEndSection", "beginSection", "endSection"}],
"ideal_answer": [str], "exact_answer": ...}]}``. ``exact_answer`` is ``"yes"``/``"no"`` for
yesno, a list of synonym lists for factoid and list (one inner list per answer item), and
absent for summary.

Mapping, one record per question (BigBio's ``bigbio_qa`` view makes one per snippet instead):
context is the distinct snippet texts joined by newlines; long_answer is ``ideal_answer``.
yesno: choices ``["yes", "no"]``, answer the exact answer. factoid and list: the first synonym
of each answer item (a plain-string item, as in older releases, is taken as it is). summary:
the answer is ``ideal_answer``. Golden batch files make the ``test`` split, the training file
``train``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from biocurate.errors import ConversionError, LoaderError
from biocurate.schemas import QARecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader
from .formats.jsonfiles import iter_json_members

YESNO = ["yes", "no"]


def _get(raw: dict[str, Any], key: str) -> Any:
    if key not in raw:
        raise ConversionError(f"missing key {key!r}", field=key)
    return raw[key]


def _strings(value: Any, field: str) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConversionError(f"expected a string or a list of strings, got {value!r}", field=field)
    return values


def _first_synonyms(exact: Any) -> list[str]:
    if not isinstance(exact, list) or not exact:
        raise ConversionError(f"expected a non-empty list of answer items, got {exact!r}", field="exact_answer")
    answers = []
    for i, item in enumerate(exact):
        synonyms = _strings(item, f"exact_answer[{i}]")
        if not synonyms or not synonyms[0].strip():
            raise ConversionError("empty answer item", field=f"exact_answer[{i}]")
        answers.append(synonyms[0])
    return list(dict.fromkeys(answers))


@register_loader
class BioASQTaskB(Loader):
    meta = DatasetMeta(
        name="bioasq_task_b",
        display_name="BioASQ Task B",
        description="Biomedical semantic question answering from the BioASQ challenge: yes/no, factoid, list and summary questions with relevant PubMed snippets, exact and ideal answers.",
        languages=["en"],
        tasks=["qa_yesno", "qa_context"],
        schema="qa",
        license="NLM-license",
        citation="""@article{tsatsaronis2015overview,
  title = {An overview of the {BIOASQ} large-scale biomedical semantic indexing and question answering competition},
  author = {Tsatsaronis, George and Balikas, Georgios and Malakasiotis, Prodromos and Partalas, Ioannis and Zschunke, Matthias and Alvers, Michael R and Weissenborn, Dirk and Krithara, Anastasia and Petridis, Sergios and Polychronopoulos, Dimitris and others},
  journal = {BMC Bioinformatics},
  volume = {16},
  number = {1},
  pages = {138},
  year = {2015}
}""",
        homepage="http://participants-area.bioasq.org/datasets/",
        splits={"train": "*train*.json", "test": "*_golden.json"},
        manual_download="Register at http://participants-area.bioasq.org/ and download the Task B files, e.g. Task10BGoldenEnriched.zip (golden test batches 10B1-10B6) and BioASQ-training10b.zip; put the *_golden.json files (and trainingNb.json) in the data directory.",
        aliases=["BioASQ-TaskB", "bioasq", "bioasq_b"],
        pubmed=True,
        bigbio_name="bioasq_task_b",
        format_note='JSON {"questions": [...]}; one record per question, not per snippet as in BigBio.',
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            try:
                for line, _, question in iter_json_members(path, within="questions"):
                    key = question.get("id") if isinstance(question, dict) else None
                    yield SourceItem(question, str(path), line, None if key is None else str(key))
            except LoaderError as exc:
                yield self.reject(split, exc.reason, stage="read", file=exc.file, line=exc.line)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        raw = item.data
        qtype = _get(raw, "type")
        ideal = _strings(_get(raw, "ideal_answer"), "ideal_answer")
        choices: list[str] = []
        if qtype == "yesno":
            exact = _get(raw, "exact_answer")
            if exact not in YESNO:
                raise ConversionError(f"yes/no exact_answer {exact!r} is not one of {YESNO}", field="exact_answer")
            answer, choices = [exact], list(YESNO)
        elif qtype in ("factoid", "list"):
            answer = _first_synonyms(_get(raw, "exact_answer"))
        elif qtype == "summary":
            answer = ideal
        else:
            raise ConversionError(f"unknown question type {qtype!r}", field="type")
        snippets = [_get(s, "text") for s in raw.get("snippets", [])]
        yield QARecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en",
            question_id=_get(raw, "id"), document_id=raw["id"], question=_get(raw, "body"), type=qtype,
            choices=choices, context="\n".join(dict.fromkeys(snippets)), answer=answer, long_answer=ideal,
        )
