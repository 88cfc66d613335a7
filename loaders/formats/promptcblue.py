"""PromptCBLUE files: CBLUE 2.0 tasks rewritten as prompt -> target pairs, and how to undo the prompt.

Raw format: ``train.json`` / ``dev.json`` / ``test.json`` are JSON Lines despite the name, one
``{"input": prompt, "target": str, "answer_choices": list|null, "task_type": str,
"task_dataset": str, "sample_id": str}`` per line, 16 task datasets mixed in one file. Test
targets are empty strings. The prompt is one of PromptCBLUE's templates (``src/data/
templates.json``) with the task's text in place of ``[INPUT_TEXT]``; usually ending ``\\n答：``,
though some records drop that line. :data:`TEMPLATE_WORDING` lists, per task, the instruction
lines those templates add around the input; :func:`strip_prompt` removes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from biocurate.errors import ConversionError

from .jsonfiles import iter_jsonl

#: Split -> file glob (PromptCBLUE's ``dev`` is biocurate's ``validation``).
PROMPTCBLUE_SPLITS = {"train": "train.json", "validation": "dev.json", "test": "test.json"}

#: The instruction lines of PromptCBLUE's templates (src/data/templates.json), before or after the input.
TEMPLATE_WORDING: dict[str, tuple[str, ...]] = {
    "IMCS-V2-MRG": (
        "根据下面的问诊对话自动生成对应的诊疗报告：", "帮助患者自动总结问诊的诊疗报告：",
        "总结下面问诊对话，并给出问诊报告", "根据上述对话，给出诊疗报告",
        "说明：诊疗报告分为主诉, 现病史, 辅助检查, 既往史, 诊断, 建议这六个章节。",
    ),
    "MedDG": (
        "根据医生和患者交流的对话历史预测出医生的下一句回复：", "自动生成问诊对话中的医生下一句回复：",
        "根据下面的问诊对话历史，给出医生的下一句回复", "根据上述对话历史，给出医生的下一句话",
        "根据上述对话历史，作为医生应该如何回复？",
    ),
}
_ANSWER_CUE = "答："
_SPEAKER = re.compile(r"^(患者|医生)：")

PROMPTCBLUE_CITATION = """@article{zhu2023promptcblue,
  title = {{PromptCBLUE}: A {C}hinese Prompt Tuning Benchmark for the Medical Domain},
  author = {Zhu, Wei and Wang, Xiaoling and Zheng, Huanran and Chen, Mosha and Tang, Buzhou},
  journal = {arXiv preprint arXiv:2310.14151},
  year = {2023}
}"""


def iter_task_records(files: list[Path], task_dataset: str) -> Iterator[tuple[str, int, Any]]:
    """Yield ``(file, line, object-or-JSONDecodeError)`` for the lines of one task dataset.

    Lines of other task datasets are skipped; malformed lines are yielded (their task is unknown).
    """
    for path in files:
        for line, obj in iter_jsonl(path):
            if not isinstance(obj, dict) or obj.get("task_dataset") == task_dataset:
                yield str(path), line, obj


def strip_prompt(prompt: str, task_dataset: str) -> str:
    """The task's own input: the prompt without the template's instruction lines and ``答：``.

    Only whole lines equal to a known instruction are removed, and only at the start or end.
    """
    wording = set(TEMPLATE_WORDING[task_dataset]) | {_ANSWER_CUE}
    lines = prompt.strip().split("\n")
    while lines and lines[-1].strip() in wording:
        lines.pop()
    while lines and lines[0].strip() in wording:
        lines.pop(0)
    return "\n".join(lines).strip()


def parse_utterances(dialogue: str, field: str = "input") -> list[tuple[str, str]]:
    """Split ``患者：…`` / ``医生：…`` lines into ``(speaker, text)``.

    A line without a speaker prefix continues the previous utterance (MedDG keeps an
    utterance's sentences on separate lines); blank lines separate utterances.

    Raises:
        ConversionError: text before the first speaker prefix, or no utterance at all.
    """
    utterances: list[tuple[str, list[str]]] = []
    for line in dialogue.split("\n"):
        if not line.strip():
            continue
        match = _SPEAKER.match(line)
        if match:
            utterances.append((match[1], [line[match.end():]]))
        elif utterances:
            utterances[-1][1].append(line)
        else:
            raise ConversionError(f"dialogue does not start with 患者：/医生： but with {line[:30]!r}", field=field)
    if not utterances:
        raise ConversionError("no 患者：/医生： utterance in the prompt", field=field)
    return [(speaker, "\n".join(parts)) for speaker, parts in utterances]
