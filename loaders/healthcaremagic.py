"""HealthCareMagic-100k (ChatDoctor): real patient-doctor exchanges from healthcaremagic.com as free-form QA.

No real excerpt was available (``format from description``). ChatDoctor's README describes
``HealthCareMagic-100k.json`` (linked on Google Drive) as the same alpaca layout as its
GenMedGPT-5k file (the bundled ``chatdoctor5k.json``): one JSON array of ``{"instruction":
the fixed sentence "If you are a doctor, please answer the medical questions based on the
patient's description.", "input": the patient's message, "output": the doctor's reply}``.
Mapping: a QA record per element, question ``input`` and answer ``output``; the fixed
instruction is not kept. An empty ``input`` or ``output`` is rejected naming it.
"""

from __future__ import annotations

from ._base import DatasetMeta
from ._qa_pairs import ArrayQAPairLoader
from ._registry import register_loader
from .chatdoctor import CHATDOCTOR_CITATION


@register_loader
class HealthCareMagic(ArrayQAPairLoader):
    question_key, answer_key = "input", "output"
    meta = DatasetMeta(
        name="healthcaremagic_100k",
        display_name="HealthCareMagic-100k (ChatDoctor)",
        description="112,165 real patient-doctor conversations from healthcaremagic.com collected by ChatDoctor; "
        "ChatDoctor restricts its data to research use, hence the research-only licence key.",
        languages=["en"],
        tasks=["qa_free"],
        schema="qa",
        license="research-only",
        citation=CHATDOCTOR_CITATION,
        homepage="https://github.com/Kent0n-Li/ChatDoctor",
        splits={"train": "HealthCareMagic-100k.json|*HealthCareMagic*.json"},
        manual_download="Download HealthCareMagic-100k.json from the Google Drive link in https://github.com/Kent0n-Li/ChatDoctor "
        "and put it in the data directory.",
        aliases=["HealthCareMagic-100k", "healthcaremagic"],
        format_note="JSON array of {instruction (fixed), input, output} like chatdoctor5k.json; question = input, answer = output.",
        format_source="format from description",
    )
