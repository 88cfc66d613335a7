"""Parser of the IMCS-V2 (IMCS-21) dialogue files shared by the four CBLUE tasks NER, SR, DAC and MRG.

Format (imcs21-cblue README, 数据格式): one JSON object keyed by example id; each value holds
``diagnosis``, ``self-report`` (the imcs21 README example spells it ``self_report``; both are
read), ``dialogue`` (a list of ``{"sentence_id", "speaker": "医生"|"患者", "sentence",
"dialogue_act", "BIO_label", "symptom_norm", "symptom_type", "local_implicit_info"}``),
``report`` (two dicts with 主诉/现病史/辅助检查/既往史/诊断/建议), ``explicit_info`` and
``implicit_info``. The test input (CBLUE's ``IMCS-V2_test.json``, imcs21's ``test_input.json``)
keeps only ``self-report`` and the sentences. ``BIO_label`` is one tag per character of the
sentence, joined by spaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from biocurate.errors import ConversionError

from .jsonfiles import iter_json_members

#: The five entity types of the BIO labels -> the Chinese names of the README's table.
ENTITY_TYPES = {"Symptom": "症状", "Drug": "药品名", "Drug_Category": "药物类别", "Medical_Examination": "检查", "Operation": "操作"}
#: The 16 dialogue acts (README, 对话意图).
DIALOGUE_ACTS = [
    "Request-Symptom", "Inform-Symptom", "Request-Etiology", "Inform-Etiology", "Request-Basic_Information",
    "Inform-Basic_Information", "Request-Existing_Examination_and_Treatment", "Inform-Existing_Examination_and_Treatment",
    "Request-Drug_Recommendation", "Inform-Drug_Recommendation", "Request-Medical_Advice", "Inform-Medical_Advice",
    "Request-Precautions", "Inform-Precautions", "Diagnose", "Other",
]
SPEAKERS = ("医生", "患者")
#: The six report sections, in the README's order.
REPORT_SECTIONS = ("主诉", "现病史", "辅助检查", "既往史", "诊断", "建议")


def iter_dialogues(path: Path) -> Iterator[tuple[int, str | None, Any]]:
    """``(line, example id, example)`` per member of a dialogue file (streamed member by member)."""
    yield from iter_json_members(path)


def self_report(example: dict[str, Any]) -> str:
    """The patient's self-report under either spelling (``""`` when absent)."""
    value = example.get("self-report", example.get("self_report", ""))
    if not isinstance(value, str):
        raise ConversionError("'self-report' must be a string", field="self-report")
    return value.strip()


def sentences(example: Any) -> list[dict[str, Any]]:
    """The dialogue's sentences, each checked to have a speaker and a string sentence.

    Raises:
        ConversionError: no ``dialogue`` list, or a sentence without them (field names its index).
    """
    if not isinstance(example, dict) or not isinstance(example.get("dialogue"), list) or not example["dialogue"]:
        raise ConversionError("expected an object with a non-empty 'dialogue' list", field="dialogue")
    for number, sentence in enumerate(example["dialogue"]):
        where = f"dialogue[{number}]"
        if not isinstance(sentence, dict) or not isinstance(sentence.get("sentence"), str):
            raise ConversionError("a sentence must be an object with a string 'sentence'", field=f"{where}.sentence")
        if sentence.get("speaker") not in SPEAKERS:
            raise ConversionError(f"speaker {sentence.get('speaker')!r} is not one of {SPEAKERS}", field=f"{where}.speaker")
    return example["dialogue"]


def bio_spans(text: str, labels: str, field: str) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, type)`` of a space-joined BIO string over ``text``.

    An ``I-`` tag that does not continue a mention of its type starts one (conlleval's rule;
    the release's own example predictions do this).

    Raises:
        ConversionError: the tag count differs from the character count, or a tag is not
            ``O``/``B-T``/``I-T`` with ``T`` one of :data:`ENTITY_TYPES` (field ``field``).
    """
    tags = labels.split()
    if len(tags) != len(text):
        raise ConversionError(f"{len(tags)} BIO tags for a sentence of {len(text)} characters", field=field)
    spans: list[list[Any]] = []
    for position, tag in enumerate(tags):
        if tag == "O":
            continue
        kind, _, etype = tag.partition("-")
        if kind not in ("B", "I") or etype not in ENTITY_TYPES:
            raise ConversionError(f"tag {tag!r} at character {position} is not O, B-<type> or I-<type> of {list(ENTITY_TYPES)}", field=field)
        if kind == "I" and spans and spans[-1][1] == position and spans[-1][2] == etype:
            spans[-1][1] = position + 1
        else:
            spans.append([position, position + 1, etype])
    return [(start, end, etype) for start, end, etype in spans]


def dialogue_lines(example: dict[str, Any]) -> str:
    """The consultation as ``患者：…`` / ``医生：…`` lines, the self-report first as the patient's."""
    lines = [f"患者：{self_report(example)}"] if self_report(example) else []
    lines += [f"{s['speaker']}：{s['sentence'].strip()}" for s in sentences(example) if s["sentence"].strip()]
    return "\n".join(lines)
