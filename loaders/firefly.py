"""Firefly example SFT data (MOSS conversations in Firefly's format): general multi-turn chat.

Raw format: JSON Lines, one conversation per line: ``{"conversation_id": int, "category": str,
"conversation": [{"human": str, "assistant": str}, ...], "dataset": str}`` (the format Taiyi's
released instruction data uses). Each ``{human, assistant}`` element becomes a user turn and an
assistant turn (parsed by :mod:`biocurate.loaders.formats.chat`). The file mixes Chinese and
English conversations, so each record's language is detected from its text (CJK ratio, see
:func:`~biocurate.loaders.formats.chat.detect_language`). Everything is one ``train`` split.
"""

from __future__ import annotations

from collections.abc import Iterable

from biocurate.schemas import DialogueRecord

from ._base import DatasetMeta, SourceFile, SourceItem
from ._chatfiles import ChatFileLoader
from ._registry import register_loader
from .formats.chat import detect_language, parse_chat

FIREFLY_CITATION = """@misc{yang2023firefly,
  author = {Yang, Jianxin},
  title = {Firefly(流萤): 中文对话式大语言模型},
  year = {2023},
  publisher = {GitHub},
  howpublished = {\\url{https://github.com/yangjianxin1/Firefly}}
}
@misc{sun2023moss,
  author = {Sun, Tianxiang and others},
  title = {{MOSS}: Training Conversational Language Models from Synthetic Data},
  year = {2023},
  publisher = {OpenLMLab},
  howpublished = {\\url{https://github.com/OpenLMLab/MOSS}}
}"""


@register_loader
class Firefly(ChatFileLoader):
    meta = DatasetMeta(
        name="firefly",
        display_name="Firefly (MOSS conversations)",
        description="General multi-turn conversations (moss-003-sft data re-formatted by Firefly) in the "
        "Firefly JSON Lines format; the likely source of Taiyi's general dialogue data.",
        languages=["zh", "en"],
        tasks=["chat"],
        schema="dialogue",
        license="unknown",
        citation=FIREFLY_CITATION,
        homepage="https://github.com/yangjianxin1/Firefly",
        splits={"train": "*.jsonl"},
        source_files=[
            SourceFile(
                url="https://raw.githubusercontent.com/yangjianxin1/Firefly/e22b406ee440fda0b18a073c6325853de17741cb/data/dummy_data.jsonl",
                filename="dummy_data.jsonl",
                sha256="7c086cb5b22923935f00b5444c0bd715b5fd0467c5648c10a88ecf6a5d59b13a",
                size=200790,
            )
        ],
        manual_download="Other Firefly-format files (e.g. moss-003-sft-data converted by Firefly) can be "
        "placed in the folder too: every *.jsonl is read as the train split.",
        aliases=["Firefly-dummy"],
        format_note="Firefly JSON Lines {conversation_id, category, conversation: [{human, assistant}], dataset}; "
        "language detected per conversation from the CJK ratio.",
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[DialogueRecord]:
        chat = parse_chat(item.data, "firefly")
        record_id = self.record_id(split, index)
        yield DialogueRecord(
            id=record_id, dataset=self.name, split=split,
            language=detect_language(" ".join(t.text for t in chat.turns)),
            document_id=item.key or record_id, context=chat.context, turns=chat.turns,
        )
