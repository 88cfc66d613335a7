"""GSM8K: grade-school math word problems with step-by-step solutions (Taiyi's English CoT data).

Raw format: JSON Lines ``train.jsonl`` / ``test.jsonl``, one ``{"question": str, "answer": str}``
per line. The answer is reasoning steps separated by ``\\n`` with calculator annotations
``<<48/2=24>>`` inline, and a last line ``#### <final answer>``.

Mapping: a dialogue with one user turn (the question) and one assistant turn (the solution).
The calculator annotations are removed (they are tool calls for GSM8K's verifier, not prose)
and the ``#### 72`` line becomes ``The answer is 72.``, so the assistant turn reads as a
natural chain of thought that still ends with the final answer on its own line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from biocurate.schemas import DialogueRecord, Turn

from biocurate.errors import ConversionError

from ._base import DatasetMeta, SourceFile, SourceItem
from ._chatfiles import ChatFileLoader
from ._registry import register_loader

_CALC = re.compile(r"<<[^<>]*>>")
_FINAL = re.compile(r"\n?####\s*(.+?)\s*$")

GSM8K_CITATION = """@article{cobbe2021gsm8k,
  title = {Training Verifiers to Solve Math Word Problems},
  author = {Cobbe, Karl and Kosaraju, Vineet and Bavarian, Mohammad and Chen, Mark and Jun, Heewoo and
            Kaiser, Lukasz and Plappert, Matthias and Tworek, Jerry and Hilton, Jacob and Nakano, Reiichiro and
            Hesse, Christopher and Schulman, John},
  journal = {arXiv preprint arXiv:2110.14168},
  year = {2021}
}"""

_BASE = "https://raw.githubusercontent.com/openai/grade-school-math/3101c7d5072418e28b9008a6636bde82a006892c/grade_school_math/data/"


def format_solution(answer: str) -> str:
    """GSM8K's answer text without calculator annotations, ending ``The answer is N.``.

    Raises:
        ConversionError: no ``#### <answer>`` line (field ``answer``).
    """
    match = _FINAL.search(answer)
    if match is None:
        raise ConversionError("no final '#### <answer>' line", field="answer")
    steps = _CALC.sub("", answer[: match.start()]).strip()
    final = f"The answer is {match.group(1)}."
    return f"{steps}\n{final}" if steps else final


@register_loader
class GSM8K(ChatFileLoader):
    meta = DatasetMeta(
        name="gsm8k",
        display_name="GSM8K",
        description="8.5k grade-school math word problems with step-by-step natural-language solutions; "
        "Taiyi uses the full train split (7,473) as English chain-of-thought data.",
        languages=["en"],
        tasks=["cot"],
        schema="dialogue",
        license="MIT",
        citation=GSM8K_CITATION,
        homepage="https://github.com/openai/grade-school-math",
        splits={"train": "train.jsonl", "test": "test.jsonl"},
        source_files=[
            SourceFile(url=_BASE + "train.jsonl", filename="train.jsonl"),
            SourceFile(url=_BASE + "test.jsonl", filename="test.jsonl"),
        ],
        aliases=["GSM8K", "grade_school_math"],
        format_note="JSON Lines {question, answer}; calculator annotations <<...>> removed, '#### n' -> 'The answer is n.'",
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[DialogueRecord]:
        question, answer = item.data.get("question"), item.data.get("answer")
        for name, value in (("question", question), ("answer", answer)):
            if not isinstance(value, str) or not value.strip():
                raise ConversionError(f"missing or empty {name}", field=name)
        record_id = self.record_id(split, index)
        yield DialogueRecord(
            id=record_id, dataset=self.name, split=split, language="en", document_id=record_id,
            turns=[Turn(role="user", text=question.strip()), Turn(role="assistant", text=format_solution(answer))],
        )
