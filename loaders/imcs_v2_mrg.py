"""IMCS-V2-MRG (medical report generation) from PromptCBLUE: consultation dialogue -> six-part report.

Raw format: PromptCBLUE JSON Lines (see :mod:`biocurate.loaders.formats.promptcblue`); only the
records with ``task_dataset == "IMCS-V2-MRG"`` are read. Their ``input`` is one of four
templates around ``问诊对话历史：\\n`` + the dialogue, one ``患者：…``/``医生：…`` utterance per
line, e.g.::

    帮助患者自动总结问诊的诊疗报告：
    问诊对话历史：
    患者：三个月的宝宝，五六天拉一次大便
    医生：你好
    ...
    说明：诊疗报告分为主诉, 现病史, 辅助检查, 既往史, 诊断, 建议这六个章节。
    答：

The ``target`` is ``上述问诊对话的诊疗报告如下：`` then six lines ``主诉：…``, ``现病史：…``,
``辅助检查：…``, ``既往史：…``, ``诊断：…``, ``建议：…`` (a section may be empty).

Mapping: a ``T2TRecord``. ``text_1`` is the dialogue only: the template's instruction lines
(the exact wordings of PromptCBLUE's templates.json), the ``答：`` cue and the
``问诊对话历史：`` header are removed, and every remaining line must start with ``患者：`` or
``医生：`` (otherwise the record is rejected, field ``input``). ``text_2`` is the report, the six
``name：text`` lines without PromptCBLUE's lead-in sentence; ``sections`` holds them by name.
Test targets are empty (``unlabelled_splits``): those records have an empty report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import REPORT_SECTIONS_ZH, Section, T2TRecord

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader
from .formats.promptcblue import PROMPTCBLUE_CITATION, PROMPTCBLUE_SPLITS, iter_task_records, parse_utterances, strip_prompt

TASK = "IMCS-V2-MRG"
_HISTORY = "问诊对话历史："
_LEAD_IN = "上述问诊对话的诊疗报告如下："

IMCS_CITATION = PROMPTCBLUE_CITATION + """
@article{chen2022imcs21,
  title = {A benchmark for automatic medical consultation system: frameworks, tasks and datasets},
  author = {Chen, Wei and Li, Zhiwei and Fang, Hongyi and Yao, Qianyuan and Zhong, Cheng and Hao, Jianye and
            Zhang, Qi and Huang, Xuanjing and Peng, Jiajie and Wei, Zhongyu},
  journal = {Bioinformatics},
  volume = {39},
  number = {1},
  year = {2023}
}"""

_BASE = "https://raw.githubusercontent.com/michael-wzhu/PromptCBLUE/b0753a61a7c1f4e1ae171109f8a59037ff0a5543/datasets/PromptCBLUE/toy_examples/"
PROMPTCBLUE_TOY_FILES = [
    SourceFile(url=_BASE + "train.json", filename="train.json", sha256="5dc4520ae96d8031eb9f2458dcd9b0fd1be3f39bc5598f359951541495301f6c", size=84391),
    SourceFile(url=_BASE + "dev.json", filename="dev.json", sha256="8c92f8b578296140d0bf2d86298a7ec399103c7717d85eac83e4e32e16071aa4", size=76526),
    SourceFile(url=_BASE + "test.json", filename="test.json", sha256="f971c566a339433eb5d67be1fe7c3b551a7d62ceca907ec72d5b0d9a8549e473", size=62879),
]
PROMPTCBLUE_MANUAL = ("The toy files are fetched from the PromptCBLUE repository; the full PromptCBLUE train/dev/test "
                      "files (same JSON Lines format and names) are distributed through the PromptCBLUE evaluation "
                      "on Alibaba Tianchi, linked from https://github.com/michael-wzhu/PromptCBLUE.")


def parse_report(target: str) -> list[Section]:
    """The six report sections of an IMCS-V2-MRG target, in order.

    Raises:
        ConversionError: a section is missing, repeated or out of order (field ``target``).
    """
    lines = [line for line in target.strip().split("\n") if line.strip()]
    if lines and lines[0].strip() == _LEAD_IN:
        lines = lines[1:]
    sections: list[Section] = []
    for line in lines:
        name, sep, text = line.partition("：")
        if sep and len(sections) < len(REPORT_SECTIONS_ZH) and name.strip() == REPORT_SECTIONS_ZH[len(sections)]:
            sections.append(Section(name=name.strip(), text=text.strip()))
        elif sections:  # a section written over several lines
            sections[-1] = Section(name=sections[-1].name, text=f"{sections[-1].text}\n{line.strip()}")
        else:
            raise ConversionError(f"report does not start with 主诉： but with {line[:20]!r}", field="target")
    if [s.name for s in sections] != list(REPORT_SECTIONS_ZH):
        found = ", ".join(s.name for s in sections) or "none"
        raise ConversionError(f"expected the sections {', '.join(REPORT_SECTIONS_ZH)}; found {found}", field="target")
    return sections


def extract_dialogue(prompt: str) -> str:
    """The 患者/医生 dialogue of an IMCS-V2-MRG prompt, one utterance per line."""
    dialogue = strip_prompt(prompt, TASK)
    if dialogue.startswith(_HISTORY):
        dialogue = dialogue[len(_HISTORY):].strip()
    lines = [line for line in dialogue.split("\n") if line.strip()]
    parse_utterances("\n".join(lines))
    stray = [i for i, line in enumerate(lines, 1) if not line.startswith(("患者：", "医生："))]
    if stray:
        raise ConversionError(f"dialogue line {stray[0]} has no 患者：/医生： prefix: {lines[stray[0] - 1][:30]!r}", field="input")
    return "\n".join(lines)


@register_loader
class IMCSV2MRG(Loader):
    meta = DatasetMeta(
        name="imcs_v2_mrg",
        display_name="IMCS-V2-MRG (PromptCBLUE)",
        description="Medical report generation from IMCS-V2 paediatric consultations (CBLUE 2.0, via PromptCBLUE): "
        "write the six-section report (主诉, 现病史, 辅助检查, 既往史, 诊断, 建议) of a doctor-patient dialogue.",
        languages=["zh"],
        tasks=["report_gen"],
        schema="t2t",
        license="research-only",
        citation=IMCS_CITATION,
        homepage="https://github.com/michael-wzhu/PromptCBLUE",
        splits=PROMPTCBLUE_SPLITS,
        source_files=PROMPTCBLUE_TOY_FILES,
        manual_download=PROMPTCBLUE_MANUAL,
        aliases=["PromptCBLUE-toy", "IMCS-V2-MRG"],
        format_note="PromptCBLUE JSON Lines, task_dataset IMCS-V2-MRG; template wording stripped from the input, "
        "report sections parsed from the target. PromptCBLUE states academic research use only.",
        unlabelled_splits=["test"],
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for file, line, obj in iter_task_records(self.files_for(split), TASK):
            if isinstance(obj, dict):
                yield SourceItem(obj, file, line, key=obj.get("sample_id"))
            else:
                yield self.reject(split, f"malformed JSON: {getattr(obj, 'msg', obj)}", file=file, line=line, stage="read")

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[T2TRecord]:
        prompt, target = item.data.get("input"), item.data.get("target")
        if not isinstance(prompt, str) or not isinstance(target, str):
            raise ConversionError("input and target must be strings", field="input" if not isinstance(prompt, str) else "target")
        unlabelled = not target.strip() and split in self.meta.unlabelled_splits
        if not target.strip() and not unlabelled:
            raise ConversionError("empty report", field="target")
        sections = [] if unlabelled else parse_report(target)
        record_id = self.record_id(split, index)
        yield T2TRecord(
            id=record_id, dataset=self.name, split=split, language="zh",
            document_id=str(item.data.get("sample_id") or record_id),
            text_1=extract_dialogue(prompt), text_1_name="dialogue",
            text_2="\n".join(f"{s.name}：{s.text}" for s in sections), text_2_name="report", sections=sections,
        )
