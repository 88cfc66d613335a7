"""ChatDoctor GenMedGPT-5k: single-turn patient -> doctor consultations (English).

Raw format: ``chatdoctor5k.json``, one JSON array (CRLF line endings, 6-space indent, non-ASCII
``\\u``-escaped) of alpaca-style ``{"instruction", "input", "output"}``. ``instruction`` is the
same fixed sentence in every record ("If you are a doctor, please answer the medical questions
based on the patient's description."), ``input`` is the patient's message and ``output`` the
doctor's reply. The records were generated with ChatGPT from a disease database (these are not
the HealthCareMagic / iCliniq conversations). Mojibake such as ``\\u00c2\\u00a0`` is kept as is.

Mapping: a dialogue record whose ``context`` is the instruction (a system-style prompt), with a
user turn (``input``, speaker ``patient``) and an assistant turn (``output``, speaker ``doctor``).
The array is streamed element by element. Everything is one ``train`` split.
"""

from __future__ import annotations

from collections.abc import Iterable

from biocurate.schemas import DialogueRecord, Turn

from ._base import DatasetMeta, SourceFile, SourceItem
from ._chatfiles import ChatFileLoader
from ._registry import register_loader
from .formats.chat import parse_chat

_SPEAKERS = {"user": "patient", "assistant": "doctor"}

CHATDOCTOR_CITATION = """@article{li2023chatdoctor,
  title = {{ChatDoctor}: A Medical Chat Model Fine-Tuned on a Large Language Model Meta-AI ({LLaMA}) Using Medical Domain Knowledge},
  author = {Li, Yunxiang and Li, Zihan and Zhang, Kai and Dan, Ruilong and Jiang, Steve and Zhang, You},
  journal = {Cureus},
  volume = {15},
  number = {6},
  year = {2023}
}"""


@register_loader
class ChatDoctor(ChatFileLoader):
    meta = DatasetMeta(
        name="chatdoctor",
        display_name="ChatDoctor GenMedGPT-5k",
        description="5,452 ChatGPT-generated single-turn patient-doctor consultations from ChatDoctor "
        "(GenMedGPT-5k). The repository is Apache-2.0 but its README restricts ChatDoctor to academic "
        "research (no commercial or clinical use), hence the research-only licence key.",
        languages=["en"],
        tasks=["dialogue"],
        schema="dialogue",
        license="research-only",
        citation=CHATDOCTOR_CITATION,
        homepage="https://github.com/Kent0n-Li/ChatDoctor",
        splits={"train": "chatdoctor5k.json"},
        source_files=[
            SourceFile(
                url="https://raw.githubusercontent.com/Kent0n-Li/ChatDoctor/e77bd7ebafbffb6d82be3410cd0d4ebebe75a516/chatdoctor5k.json",
                filename="chatdoctor5k.json",
            )
        ],
        aliases=["ChatDoctor-GenMedGPT-5k", "genmedgpt_5k"],
        format_note="JSON array of {instruction, input, output}; instruction -> context, input -> user, output -> assistant.",
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[DialogueRecord]:
        chat = parse_chat(item.data, "alpaca", instruction_as_context=True)
        record_id = self.record_id(split, index)
        yield DialogueRecord(
            id=record_id, dataset=self.name, split=split, language="en", document_id=record_id,
            context=chat.context,
            turns=[Turn(role=t.role, text=t.text, speaker=_SPEAKERS[t.role]) for t in chat.turns],
        )
