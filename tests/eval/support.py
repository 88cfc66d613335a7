"""Helpers for the evaluation tests: hand-written templates and hand-made evaluation rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# One small template per answer format, so hand-computed scores do not depend on the shipped wording.
HAND_TEMPLATES = {
    "ner.zh.yaml": {"task": "ner", "language": "zh", "templates": [
        {"id": "ner-zh-hand", "answer_format": "typed_mentions", "prompt": "{{ text }}"},
        {"id": "ner-zh-hand-type", "unit": "per_type", "answer_format": "mentions", "prompt": "{{ text }}",
         "answer": "上述文本中包含的{{ type }}为：{{ answer }}"},
    ]},
    "re.en.yaml": {"task": "re", "language": "en", "templates": [
        {"id": "re-en-hand", "answer_format": "typed_pairs", "prompt": "{{ text }}"},
        {"id": "re-en-hand-relation", "unit": "per_relation", "answer_format": "pairs", "prompt": "{{ text }}",
         "answer": "{{ relation }}: {{ answer }}"},
    ]},
    "ee.en.yaml": {"task": "ee", "language": "en", "templates": [
        {"id": "ee-en-hand", "answer_format": "events", "prompt": "{{ text }}"},
    ]},
    "tc.zh.yaml": {"task": "tc", "language": "zh", "templates": [
        {"id": "tc-zh-hand", "answer_format": "labels", "prompt": "{{ text }}", "answer": "上述文本被分类为：{{ answer }}"},
    ]},
    "tc.en.yaml": {"task": "tc", "language": "en", "templates": [
        {"id": "tc-en-hand", "answer_format": "labels", "prompt": "{{ text }}"},
    ]},
    "sts.zh.yaml": {"task": "sts", "language": "zh", "templates": [
        {"id": "sts-zh-hand", "answer_format": "label", "prompt": "{{ text_1 }}"},
    ]},
    "qa_choice.en.yaml": {"task": "qa_choice", "language": "en", "templates": [
        {"id": "qa_choice-en-hand", "answer_format": "choice", "prompt": "{{ question }}", "answer": "Answer: {{ answer }}"},
        {"id": "qa_choice-en-hand-text", "answer_format": "text", "prompt": "{{ question }}"},
    ]},
    "qa_yesno.en.yaml": {"task": "qa_yesno", "language": "en", "templates": [
        {"id": "qa_yesno-en-hand", "answer_format": "label", "prompt": "{{ question }}"},
    ]},
    "mt.zh.yaml": {"task": "mt", "language": "zh", "templates": [
        {"id": "mt-zh-hand", "unit": "zh2en", "answer_format": "text", "prompt": "{{ source }}"},
    ]},
    "mt.en.yaml": {"task": "mt", "language": "en", "templates": [
        {"id": "mt-en-hand", "unit": "en2zh", "answer_format": "text", "prompt": "{{ source }}"},
    ]},
    "title_gen.zh.yaml": {"task": "title_gen", "language": "zh", "templates": [
        {"id": "title_gen-zh-hand", "answer_format": "text", "prompt": "{{ text }}"},
    ]},
    "title_gen.en.yaml": {"task": "title_gen", "language": "en", "templates": [
        {"id": "title_gen-en-hand", "answer_format": "text", "prompt": "{{ text }}"},
    ]},
    "report_gen.zh.yaml": {"task": "report_gen", "language": "zh", "templates": [
        {"id": "report_gen-zh-hand", "answer_format": "sections", "prompt": "{{ text }}"},
    ]},
}

_TEMPLATE_TASK = {t["id"]: (spec["task"], spec["language"], t["answer_format"])
                  for spec in HAND_TEMPLATES.values() for t in spec["templates"]}


def make_row(row_id: str, template_id: str, gold: Any, context: dict[str, Any] | None = None,
             dataset: str = "hand", language: str | None = None) -> dict[str, Any]:
    """An evaluation row as ``load_eval_rows`` returns it (gold and parse_context decoded)."""
    task, template_language, answer_format = _TEMPLATE_TASK[template_id]
    if language is None:
        language = {"mt-zh-hand": "zh-en", "mt-en-hand": "en-zh"}.get(template_id, template_language)
    return {"id": row_id, "dataset": dataset, "split": "validation", "record_id": row_id, "template_id": template_id,
            "task": task, "category": task, "language": language, "conversation": [{"human": "?", "assistant": ""}],
            "answer_format": answer_format, "gold": gold, "parse_context": context or {}}


def only(report: dict[str, Any]) -> dict[str, Any]:
    """The single result group of a report."""
    assert len(report["results"]) == 1, [(r["dataset"], r["task"], r["family"]) for r in report["results"]]
    return report["results"][0]


def write_jsonl(path: Path, items: list[Any]) -> Path:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path
