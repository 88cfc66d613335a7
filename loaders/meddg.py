"""MedDG (dialogue response generation) from PromptCBLUE: dialogue history -> the doctor's next reply.

Raw format: PromptCBLUE JSON Lines (see :mod:`biocurate.loaders.formats.promptcblue`), read from
the PromptCBLUE folder that ``imcs_v2_mrg`` owns; only the records with
``task_dataset == "MedDG"`` are used. Their ``input`` is one of five templates around the
dialogue history, e.g.::

    根据下面的问诊对话历史，给出医生的下一句回复
    患者：升结肠有包块，做小肠造影可以做出来吗（女，22岁）

    医生：您好，您是做什么检查发现升结肠包块的。

    患者：自己用手可以摸到，老是胀气。
    答：

Utterances start with ``患者：``/``医生：``; an utterance may continue over several lines, and
utterances are separated by a blank line or a plain newline depending on the template. The first
patient utterance ends with the patient's sex and age, e.g. ``（女，22岁）`` (kept). The
``target`` is the doctor's next reply (empty in the test split).

Mapping: a ``DialogueRecord``. The template's instruction lines (the exact wordings of
PromptCBLUE's templates.json) and the ``答：`` cue are removed; each utterance becomes a turn
(患者 -> ``user``, 医生 -> ``assistant``, the Chinese name kept as ``speaker``), consecutive
utterances of one speaker in the history are joined with a newline into one turn, and the target
is appended as the final assistant turn. Test targets are empty (``unlabelled_splits``): those
records end with an empty assistant turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import DialogueRecord, Turn

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader
from .formats.promptcblue import PROMPTCBLUE_CITATION, PROMPTCBLUE_SPLITS, iter_task_records, parse_utterances, strip_prompt
from .imcs_v2_mrg import PROMPTCBLUE_MANUAL, PROMPTCBLUE_TOY_FILES

TASK = "MedDG"
_ROLES = {"患者": "user", "医生": "assistant"}

MEDDG_CITATION = PROMPTCBLUE_CITATION + """
@article{liu2020meddg,
  title = {{MedDG}: An Entity-Centric Medical Consultation Dataset for Entity-Aware Medical Dialogue Generation},
  author = {Liu, Wenge and Tang, Jianheng and Cheng, Yi and Li, Wenjie and Zheng, Yefeng and Liang, Xiaodan},
  journal = {arXiv preprint arXiv:2010.07497},
  year = {2020}
}"""


def history_turns(prompt: str) -> list[Turn]:
    """The dialogue history of a MedDG prompt as turns, same-speaker utterances merged."""
    turns: list[Turn] = []
    for speaker, text in parse_utterances(strip_prompt(prompt, TASK)):
        if turns and turns[-1].speaker == speaker:
            turns[-1] = Turn(role=turns[-1].role, text=f"{turns[-1].text}\n{text}", speaker=speaker)
        else:
            turns.append(Turn(role=_ROLES[speaker], text=text, speaker=speaker))
    return turns


@register_loader
class MedDG(Loader):
    meta = DatasetMeta(
        name="meddg",
        display_name="MedDG (PromptCBLUE)",
        description="Chinese gastroenterology consultations (MedDG, CBLUE 2.0 via PromptCBLUE): generate the doctor's "
        "next reply from the dialogue history.",
        languages=["zh"],
        tasks=["dialogue"],
        schema="dialogue",
        license="research-only",
        citation=MEDDG_CITATION,
        homepage="https://github.com/michael-wzhu/PromptCBLUE",
        splits=PROMPTCBLUE_SPLITS,
        source_files=PROMPTCBLUE_TOY_FILES,
        manual_download=PROMPTCBLUE_MANUAL,
        aliases=["MedDG"],
        format_note="PromptCBLUE JSON Lines, task_dataset MedDG; template wording stripped, 患者/医生 utterances "
        "parsed into turns, target = final doctor turn. PromptCBLUE states academic research use only.",
        unlabelled_splits=["test"],
        reads_folder_of="imcs_v2_mrg",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for file, line, obj in iter_task_records(self.files_for(split), TASK):
            if isinstance(obj, dict):
                yield SourceItem(obj, file, line, key=obj.get("sample_id"))
            else:
                yield self.reject(split, f"malformed JSON: {getattr(obj, 'msg', obj)}", file=file, line=line, stage="read")

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[DialogueRecord]:
        prompt, target = item.data.get("input"), item.data.get("target")
        if not isinstance(prompt, str) or not isinstance(target, str):
            raise ConversionError("input and target must be strings", field="input" if not isinstance(prompt, str) else "target")
        if not target.strip() and split not in self.meta.unlabelled_splits:
            raise ConversionError("empty doctor reply", field="target")
        record_id = self.record_id(split, index)
        yield DialogueRecord(
            id=record_id, dataset=self.name, split=split, language="zh",
            document_id=str(item.data.get("sample_id") or record_id),
            turns=[*history_turns(prompt), Turn(role="assistant", text=target.strip(), speaker="医生")],
        )
