"""iCliniq (ChatDoctor): real patient questions from icliniq.com with three answers each, as Taiyi's
three iCliniq QA splits.

No real excerpt was available (``format from description``). ChatDoctor's iCliniq file
(``iCliniq.json``, about 7.3k records; ChatDoctor's README links the 10k crawl on Google Drive)
is one JSON array of ``{"input": patient question, "answer_icliniq": the iCliniq doctor's
answer, "answer_chatgpt": ChatGPT's answer, "answer_chatdoctor": ChatDoctor's answer}``, the
layout its users read (``json.load`` then the four columns) and that the Hub copies
(lavita/medical-qa-datasets) keep. Taiyi lists three splits of it, one per answer column
(7,320 / 7,308 / 7,319 samples), so there are three loaders reading the same folder, each a
free-form QA record per element with ``input`` as question and its column as answer. An
element whose column is empty is rejected naming that column.
"""

from __future__ import annotations

from ._base import DatasetMeta
from ._qa_pairs import ArrayQAPairLoader
from ._registry import register_loader
from .chatdoctor import CHATDOCTOR_CITATION

_SPLITS = {"train": "*iCliniq*.json|*icliniq*.json"}
_MANUAL = ("Download iCliniq.json (ChatDoctor's iCliniq data; the 10k crawl is linked from "
           "https://github.com/Kent0n-Li/ChatDoctor as iCliniq-10k) and put it in the data directory.")


def _meta(name: str, column: str, who: str, aliases: list[str], **extra: object) -> DatasetMeta:
    return DatasetMeta(
        name=name, display_name=f"iCliniq ({who} answers)",
        description=f"Patient questions from icliniq.com answered by {who} (ChatDoctor's iCliniq data, column {column}). "
        "ChatDoctor restricts its data to research use, hence the research-only licence key.",
        languages=["en"], tasks=["qa_free"], schema="qa", license="research-only", citation=CHATDOCTOR_CITATION,
        homepage="https://github.com/Kent0n-Li/ChatDoctor", splits=_SPLITS, manual_download=_MANUAL, aliases=aliases,
        format_note=f"JSON array of {{input, answer_icliniq, answer_chatgpt, answer_chatdoctor}}; question = input, answer = {column}.",
        format_source="format from description", **extra,
    )


@register_loader
class ICliniqDoctors(ArrayQAPairLoader):
    question_key, answer_key = "input", "answer_icliniq"
    meta = _meta("icliniq_icliniq", "answer_icliniq", "iCliniq doctors", ["iCliniq", "iCliniq-10k", "icliniq_10k"])


@register_loader
class ICliniqChatGPT(ArrayQAPairLoader):
    question_key, answer_key = "input", "answer_chatgpt"
    meta = _meta("icliniq_chatgpt", "answer_chatgpt", "ChatGPT", [], reads_folder_of="icliniq_icliniq")


@register_loader
class ICliniqChatDoctor(ArrayQAPairLoader):
    question_key, answer_key = "input", "answer_chatdoctor"
    meta = _meta("icliniq_chatdoctor", "answer_chatdoctor", "ChatDoctor", [], reads_folder_of="icliniq_icliniq")
