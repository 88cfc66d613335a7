"""CHIP-MDCFNPC (CHIP 2021 / CBLUE): whether each clinical finding mentioned in an online consultation is
positive, negative, other or not to be labelled, as text classification.

Raw format (CBLUE's ``CHIP-MDCFNPC_train.jsonl`` / ``_dev.jsonl`` / ``_test.jsonl``; the bundled
sample is real train dialogues in that layout): one ``{"dialog_id", "dialog_info": [{"text",
"sentence_id", "sender": "患者"|"医生", "ner": [{"name", "mention", "range": [start, end],
"type": "clinical_findings", "attr"}]}]}`` per line. ``attr`` is 阳性 (the patient has it), 阴性
(does not), 其他 (unanswered or unclear) or 不标注 (general explanation, drug or test names);
test findings have an empty ``attr``.

Mapping: one ``TextRecord`` per finding, text ``<sender>：<sentence>`` then ``临床发现：<mention>``
on a second line, label ``attr``. The range only locates the mention (the release has some
wrong ranges, which the CHIP 2021 solutions correct), so a mention is accepted when it
occurs in its sentence; a mention absent from its sentence or an unknown label rejects the
dialogue from that finding on, naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable

from biocurate.errors import ConversionError
from biocurate.schemas import TextRecord

from ._base import DatasetMeta, SourceItem
from ._chatfiles import ChatFileLoader
from ._cblue import CBLUE_CITATION, CBLUE_HOMEPAGE
from ._registry import register_loader
from .formats.cblue import require_list, require_str

LABELS = ["阳性", "阴性", "其他", "不标注"]


@register_loader
class ChipMDCFNPC(ChatFileLoader):
    meta = DatasetMeta(
        name="chip_mdcfnpc",
        display_name="CHIP-MDCFNPC",
        description="Clinical findings in Chinese online doctor-patient dialogues (春雨医生) classified as positive, "
        "negative, other or not labelled (CHIP 2021 task 1, CBLUE).",
        languages=["zh"],
        tasks=["tc"],
        schema="text",
        license="unknown",
        citation=CBLUE_CITATION,
        homepage=CBLUE_HOMEPAGE,
        splits={"train": "CHIP-MDCFNPC_train.jsonl|fix_badcase.jsonl", "validation": "CHIP-MDCFNPC_dev.jsonl",
                "test": "CHIP-MDCFNPC_test.jsonl"},
        manual_download="Register on Alibaba Tianchi (https://tianchi.aliyun.com/dataset/95414), download CBLUE's CHIP-MDCFNPC "
        "and put CHIP-MDCFNPC_train.jsonl / _dev.jsonl / _test.jsonl in the data directory.",
        label_sets={"labels": LABELS},
        aliases=["CHIP-MDCFNPC", "chip2021_mdcfnpc"],
        format_note="JSON Lines {dialog_id, dialog_info: [{text, sentence_id, sender, ner: [{mention, range, attr}]}]}; "
        "one record per finding: '<sender>：<sentence>\\n临床发现：<mention>' -> attr.",
        unlabelled_splits=["test"],
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[TextRecord]:
        dialog_id = item.data.get("dialog_id") if isinstance(item.data, dict) else None
        count = 0
        for s_number, sentence in enumerate(require_list(item.data, "dialog_info")):
            where = f"dialog_info[{s_number}]"
            text = require_str(sentence, "text", field=f"{where}.text")
            sender = require_str(sentence, "sender", field=f"{where}.sender")
            for f_number, finding in enumerate(require_list(sentence, "ner", field=f"{where}.ner")):
                field = f"{where}.ner[{f_number}]"
                mention = require_str(finding, "mention", field=f"{field}.mention")
                if mention not in text:
                    raise ConversionError(f"mention {mention!r} is not in its sentence", field=f"{field}.mention")
                label = finding.get("attr", "") if isinstance(finding, dict) else ""
                if label == "" and split in self.meta.unlabelled_splits:
                    labels: list[str] = []
                elif label in LABELS:
                    labels = [label]
                else:
                    raise ConversionError(f"attr {label!r} is not one of {LABELS}", field=f"{field}.attr")
                yield TextRecord(id=self.record_id(split, index, str(count)), dataset=self.name, split=split, language="zh",
                                 document_id=str(dialog_id if dialog_id is not None else self.record_id(split, index)),
                                 text=f"{sender}：{text}\n临床发现：{mention}", labels=labels)
                count += 1
