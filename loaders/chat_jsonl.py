"""User-supplied general chat data (Firefly, ShareGPT or alpaca): the general CoT and dialogue parts.

Taiyi mixes ~390k-560k general conversations and general CoT data (BELLE CoT, GSM8K) into its
biomedical data, and does not release them. This loader lets a user bring their own.

Raw format: any number of ``*.jsonl`` / ``*.json`` files in one folder, each either JSON Lines
(one object per line) or one top-level JSON array. The shape of every object is detected on
its own (see :mod:`biocurate.loaders.formats.chat`): Firefly ``{"conversation": [{human,
assistant}]}``, ShareGPT ``{"conversations": [{from, value}]}`` or alpaca ``{instruction, input,
output}``; shapes may be mixed. All files form one ``train`` split; the language of each record
is detected from its text (CJK ratio).

Point it at a folder with::

    biocurate convert chat_jsonl --data-dir path/to/my_chat_files --out chat.jsonl

or ``get_loader("chat_jsonl")("path/to/my_chat_files")`` in Python. The bundled sample it is
tested on is Firefly-dummy's folder (the same Firefly format).
"""

from __future__ import annotations

from collections.abc import Iterable

from biocurate.schemas import DialogueRecord

from ._base import DatasetMeta, SourceItem
from ._chatfiles import ChatFileLoader
from ._registry import register_loader
from .formats.chat import detect_language, parse_chat


@register_loader
class ChatJsonl(ChatFileLoader):
    meta = DatasetMeta(
        name="chat_jsonl",
        display_name="General chat data (Firefly / ShareGPT / alpaca files)",
        description="Any user-supplied general conversation or chain-of-thought data in the Firefly, ShareGPT "
        "or alpaca JSON shapes, as dialogue records; fills Taiyi's general CoT / general dialogue budget.",
        languages=["zh", "en"],
        tasks=["chat"],
        schema="dialogue",
        license="unknown",
        citation="@misc{chat_jsonl,\n  title = {User-supplied general chat data},\n  note = {cite the source of the files you load}\n}",
        homepage="https://github.com/yangjianxin1/Firefly",
        splits={"train": "*.json*"},
        manual_download="Supply your own files: put *.jsonl (JSON Lines) or *.json (JSON Lines or one JSON array) "
        "files in Firefly, ShareGPT or alpaca shape in one folder and pass it as the data directory.",
        aliases=["general_chat"],
        format_note="Firefly / ShareGPT / alpaca objects, shape detected per object; JSON Lines or JSON array files.",
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[DialogueRecord]:
        chat = parse_chat(item.data)
        record_id = self.record_id(split, index)
        yield DialogueRecord(
            id=record_id, dataset=self.name, split=split,
            language=detect_language(" ".join([chat.context, *(t.text for t in chat.turns)])),
            document_id=item.key or record_id, context=chat.context, turns=chat.turns,
        )
