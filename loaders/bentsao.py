"""BenTsao (本草, formerly HuaTuo; SCIR-HI): Chinese medical instruction data as free-form QA.

Two catalogue rows, two loaders reading the same folder:

* ``bentsao_llamadata`` reads ``llama_data.json`` (8,658 knowledge-graph QA instructions
  generated with GPT-3.5 from a Chinese medical knowledge base). Despite its name the file is
  **JSON Lines**: one ``{"instruction", "input", "output"}`` per line, ``input`` always empty.
* ``bentsao_livercancer`` reads ``liver_cancer.json`` (1,000 QA dialogues about 2023 Chinese
  liver-cancer literature, the CALLA data), **one line holding a JSON array** of
  ``{"instruction", "output", ["id",] "input"}``. Multi-turn history is flattened into
  ``instruction`` as ``" <user>: … <bot>: … <user>: …"``; ``output`` answers the last
  ``<user>`` turn.

Mapping: a ``QARecord`` of type ``sqa`` per record, answer ``[output]``. For llama_data the
question is ``instruction`` (plus ``input`` on a new line when it is not empty). For
liver_cancer a single ``<user>`` turn is the question; with history, every turn becomes a
``用户：…`` / ``助手：…`` line, ending with the last user turn, so the answer keeps the context
it refers to. An instruction that does not start with ``<user>:`` or whose
turns do not alternate user/bot ending on user is rejected (field ``instruction``). The
records carry no split: everything is ``train``.
"""

from __future__ import annotations

import re
from typing import Any

from biocurate.errors import ConversionError

from ._base import DatasetMeta, SourceFile
from ._qa_pairs import ArrayQAPairLoader, QAPairLoader, first_text
from ._registry import register_loader

BENTSAO_CITATION = """@misc{wang2023huatuo,
  title = {HuaTuo: Tuning LLaMA Model with Chinese Medical Knowledge},
  author = {Wang, Haochun and Liu, Chi and Xi, Nuwa and Qiang, Zewen and Zhao, Sendong and Qin, Bing and Liu, Ting},
  year = {2023},
  eprint = {2304.06975},
  archivePrefix = {arXiv}
}"""
CALLA_CITATION = """@misc{du2023calla,
  title = {The CALLA Dataset: Probing LLMs' Interactive Knowledge Acquisition from Chinese Medical Literature},
  author = {Du, Yanrui and Zhao, Sendong and Cai, Muzhen and Chen, Jianyu and Wang, Haochun and Chen, Yuhan and Guo, Haoqiang and Qin, Bing},
  year = {2023},
  eprint = {2309.04198},
  archivePrefix = {arXiv}
}"""
HOMEPAGE = "https://github.com/SCIR-HI/Huatuo-Llama-Med-Chinese"
_RAW = "https://raw.githubusercontent.com/SCIR-HI/Huatuo-Llama-Med-Chinese/ba9b3d65b33ba346e3d60979019abe6fa2ac741a/"
_LICENCE_NOTE = ("The repository is Apache-2.0, but its README restricts the resources to academic research "
                 "(commercial use strictly prohibited), hence the research-only licence key.")
_TURN = re.compile(r"\s*<(user|bot)>:\s*")


def split_turns(instruction: str) -> list[tuple[str, str]]:
    """``" <user>: a <bot>: b <user>: c"`` -> ``[("user", "a"), ("bot", "b"), ("user", "c")]``.

    Raises:
        ConversionError: no leading ``<user>:``, an empty turn, or turns that do not alternate
            user/bot ending on user (field ``instruction``).
    """
    parts = _TURN.split(instruction)
    if len(parts) < 3 or parts[0].strip():
        raise ConversionError("instruction does not start with '<user>:'", field="instruction")
    turns = [(parts[i], parts[i + 1].strip()) for i in range(1, len(parts), 2)]
    expected = ["user" if i % 2 == 0 else "bot" for i in range(len(turns))]
    if [role for role, _ in turns] != expected or expected[-1] != "user":
        raise ConversionError("turns must alternate <user>/<bot> and end with <user>", field="instruction")
    if any(not text for _, text in turns):
        raise ConversionError("empty <user>/<bot> turn", field="instruction")
    return turns


@register_loader
class BenTsaoLlamaData(QAPairLoader):
    meta = DatasetMeta(
        name="bentsao_llamadata",
        display_name="BenTsao llama_data (knowledge-graph QA)",
        description="8,658 Chinese medical QA instructions that BenTsao (HuaTuo) generated with the GPT-3.5 API "
        "from a Chinese medical knowledge graph. " + _LICENCE_NOTE,
        languages=["zh"],
        tasks=["qa_free"],
        schema="qa",
        license="research-only",
        citation=BENTSAO_CITATION,
        homepage=HOMEPAGE,
        splits={"train": "llama_data.json"},
        source_files=[SourceFile(url=_RAW + "data/llama_data.json", filename="llama_data.json")],
        aliases=["BenTsao_llamadata", "BenTsao", "huatuo_llama_data"],
        format_note="JSON Lines despite the .json name: {instruction, input (empty), output}; question = instruction.",
    )

    def question_answer(self, data: Any) -> tuple[str, str]:
        question = first_text(data, "instruction")
        extra = data.get("input") if isinstance(data, dict) else None
        if isinstance(extra, str) and extra.strip():
            question = f"{question}\n{extra.strip()}"
        return question, first_text(data, "output")


@register_loader
class BenTsaoLiverCancer(ArrayQAPairLoader):  # one JSON array: nothing deferred
    unique_keys = False  # the id names a dialogue: its single- and multi-turn records share it
    meta = DatasetMeta(
        name="bentsao_livercancer",
        display_name="BenTsao liver-cancer literature QA (CALLA)",
        description="1,000 Chinese QA dialogues built by BenTsao around the conclusions of 2023 Chinese liver-cancer "
        "literature (single- and multi-turn). " + _LICENCE_NOTE,
        languages=["zh"],
        tasks=["qa_free"],
        schema="qa",
        license="research-only",
        citation=BENTSAO_CITATION + "\n" + CALLA_CITATION,
        homepage=HOMEPAGE,
        splits={"train": "liver_cancer.json"},
        source_files=[SourceFile(url=_RAW + "data-literature/liver_cancer.json", filename="liver_cancer.json")],
        aliases=["BenTsao_livercancer", "BenTsao_livercacer"],
        reads_folder_of="bentsao_llamadata",
        format_note="one-line JSON array of {instruction, output, [id,] input}; history flattened as ' <user>: … <bot>: …' "
        "in instruction; with history every turn becomes a 用户：/助手： line.",
    )

    def question_answer(self, data: Any) -> tuple[str, str]:
        turns = split_turns(first_text(data, "instruction"))
        lines = [("用户：" if role == "user" else "助手：") + text for role, text in turns]
        question = "\n".join(lines) if len(turns) > 1 else turns[0][1]
        return question, first_text(data, "output")
