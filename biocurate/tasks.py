"""The task vocabulary: fine-grained tasks that templates render, grouped into Taiyi's categories.

A loader declares the fine tasks its records can be rendered as (``ner``, ``qa_choice``...);
a mixture sets budgets per *category* (Taiyi's table rows: NER, RE, ..., general dialogue) and
language. :data:`TASKS` maps each fine task to its category and the schema it reads.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """A fine-grained task that one family of templates renders."""

    name: str
    category: str
    schema: str
    description: str


#: Taiyi's mixture categories, in the order of its table.
CATEGORIES: tuple[str, ...] = (
    "ner", "re", "ee", "tc", "pair", "mt", "qa", "dialogue", "other", "cot", "general_dialogue",
)

_TASK_LIST = [
    Task("ner", "ner", "kb", "named entity recognition: mentions by type"),
    Task("re", "re", "kb", "relation extraction: typed head/tail entity pairs"),
    Task("ee", "ee", "kb", "event extraction: triggers and role arguments"),
    Task("nen", "other", "kb", "entity normalisation: map mentions to standard terms"),
    Task("tc", "tc", "text", "text classification (single or multi-label)"),
    Task("sts", "pair", "pairs", "semantic similarity / relevance of a text pair"),
    Task("te", "pair", "te", "textual entailment (premise, hypothesis)"),
    Task("mt", "mt", "translation", "machine translation zh->en and en->zh"),
    Task("qa_choice", "qa", "qa", "multiple-choice question answering"),
    Task("qa_yesno", "qa", "qa", "yes/no(/maybe) question answering over a context"),
    Task("qa_context", "qa", "qa", "question answering from a given context (cqa)"),
    Task("qa_free", "qa", "qa", "free question answering without context (sqa)"),
    Task("dialogue", "dialogue", "dialogue", "multi-round medical dialogue"),
    Task("title_gen", "other", "t2t", "title generation from an abstract"),
    Task("report_gen", "other", "t2t", "medical report generation from a consultation"),
    Task("cot", "cot", "dialogue", "general chain-of-thought reasoning"),
    Task("chat", "general_dialogue", "dialogue", "general (non-medical) dialogue"),
]

#: Fine task name -> :class:`Task`.
TASKS: dict[str, Task] = {t.name: t for t in _TASK_LIST}


def category_of(task: str) -> str:
    """The mixture category of a fine task name."""
    return TASKS[task].category


def tasks_in(category: str) -> list[str]:
    """Fine task names in a category."""
    return [t.name for t in _TASK_LIST if t.category == category]
