"""Score predictions against an evaluation export, per dataset and task (stage 6).

Rows are matched to predictions by ``id`` (never by order). Each row is parsed with its
template's inverse (:func:`.parsing.parse_prediction`) and added to the scorer of its group:
(dataset, task, language, family). The family follows from the answer format and task:

=============================  ==========  =============================================
answer format                  family      main metric
=============================  ==========  =============================================
typed_mentions, mentions       entities    strict micro-F1 over (type, mention)
typed_pairs, pairs             relations   strict micro-F1 over (relation, head, tail)
events                         events      strict micro-F1 over whole events (+ argument, trigger F1)
labels, label                  labels      accuracy (single-label) / micro-F1 (multi-label)
choice                         choice      accuracy of the option letter
text, task ``mt``              bleu        sacrebleu corpus BLEU
text, task ``qa_choice``       exact       accuracy of the option text
text (other tasks), sections   rouge       mean ROUGE-L F (Chinese on characters)
=============================  ==========  =============================================

``profile="promptcblue"`` scores as PromptCBLUE's official scorer (:mod:`.promptcblue`);
every group also carries the other profile's main metric where it differs (``other_profile``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .metrics import (
    AccuracyScorer,
    BleuScorer,
    ClassificationScorer,
    PromptCBLUEClassScorer,
    RougeScorer,
    SetScorer,
)
from .promptcblue import TASKS as PROMPTCBLUE_TASKS
from .parsing import Parsed, Predictions, parse_prediction
from .units import canon_key, entity_units, event_units, label_set, relation_units

__all__ = ["FAMILIES", "PROFILES", "Group", "evaluate", "family_of"]

_FORMAT_FAMILY = {
    "typed_mentions": "entities", "mentions": "entities", "typed_pairs": "relations", "pairs": "relations",
    "events": "events", "labels": "labels", "label": "labels", "choice": "choice", "sections": "rouge",
}
#: Scoring families, in report order.
FAMILIES = ("entities", "relations", "events", "labels", "choice", "exact", "bleu", "rouge")
#: How many failed answers a group keeps as examples in the report.
EXAMPLES = 5
#: How many missing / unknown ids the report lists (all are counted).
ID_LIST_LIMIT = 200


def family_of(task: str, answer_format: str) -> str:
    """The scoring family of a row (see the module table); unknown formats raise KeyError."""
    if answer_format == "text":
        return "bleu" if task == "mt" else "exact" if task == "qa_choice" else "rouge"
    return _FORMAT_FAMILY[answer_format]


def target_language(language: str) -> str:
    """The language answers are written in: ``zh-en`` -> ``en``; ``zh`` -> ``zh``."""
    return language.split("-")[-1] if language else "en"


#: Scoring profiles: biocurate's metrics, or PromptCBLUE's scorer (:mod:`.promptcblue`).
PROFILES = ("default", "promptcblue")


def _scorer(family: str, language: str, dataset: str = "", profile: str = "default") -> Any:
    """The accumulator of a group under a profile (see docs/evaluation.md, "Profiles")."""
    cblue = profile == "promptcblue"
    if family == "events":
        return SetScorer(["events", "arguments", "triggers"], no_credit_without_hits=cblue)
    if family in ("entities", "relations"):
        return SetScorer([family], no_credit_without_hits=cblue)
    if family == "labels":
        task = PROMPTCBLUE_TASKS.get(dataset)
        if cblue and task is not None and task.main in ("weighted_f1", "macro_f1"):
            return PromptCBLUEClassScorer(task.main, canon_key(task.empty_label or ""))
        return ClassificationScorer()
    if family in ("choice", "exact"):
        return AccuracyScorer()
    if family == "bleu":
        return BleuScorer(target_language(language))
    zh = target_language(language) == "zh"
    return RougeScorer("zh" if zh else "en", rouge_chinese=cblue and zh)


def _other(profile: str) -> str:
    return PROFILES[1] if profile == PROFILES[0] else PROFILES[0]


def _units(answer_format: str, family: str, value: Any, context: dict[str, Any]) -> dict[str, set]:
    if family == "entities":
        return {"entities": entity_units(answer_format, value, context)}
    if family == "relations":
        return {"relations": relation_units(answer_format, value, context)}
    return event_units(value)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def add_row(scorer: Any, family: str, row: dict[str, Any], pred: Any) -> None:
    """Add one row's gold and parsed prediction to its group's scorer."""
    fmt, gold, context = row["answer_format"], row["gold"], row.get("parse_context") or {}
    if family in ("entities", "relations", "events"):
        scorer.add(_units(fmt, family, gold, context), _units(fmt, family, pred, context))
    elif family == "labels":
        choices = frozenset(canon_key(c) for c in context.get("choices") or [])
        scorer.add(label_set(fmt, gold), label_set(fmt, pred), choices)
    elif family in ("choice", "exact"):
        scorer.add(canon_key(gold), canon_key(pred))
    elif fmt == "sections":
        gold_sections = gold if isinstance(gold, dict) else {}
        pred_sections = {canon_key(k): _text(v) for k, v in pred.items()} if isinstance(pred, dict) else {}
        for name, text in gold_sections.items():
            scorer.add(_text(text), pred_sections.get(canon_key(name), ""))
    else:
        scorer.add(reference_text(row), _text(pred))


def reference_text(row: dict[str, Any]) -> str:
    """The reference of a free-text row: its gold, or for a multi-turn conversation the last
    assistant turn (generation answers the last human turn, earlier turns are given as history)."""
    conversation = row.get("conversation") or []
    if len(conversation) > 1 and isinstance(conversation[-1], dict):
        return _text(conversation[-1].get("assistant"))
    return _text(row["gold"])


def out_of_label_set(row: dict[str, Any], family: str, pred: Any) -> bool:
    """Whether a classification answer names a label outside the row's options."""
    choices = {canon_key(c) for c in (row.get("parse_context") or {}).get("choices") or []}
    if family != "labels" or not choices:
        return False
    return bool(label_set(row["answer_format"], pred) - choices)


@dataclass
class Group:
    """The rows of one (dataset, task, language, family) and their scorer."""

    dataset: str
    task: str
    language: str
    family: str
    scorer: Any
    #: the same rows under the other profile, reported where its main metric or value differs
    other: Any = None
    other_profile: str = ""
    statuses: Counter = field(default_factory=Counter)
    out_of_label_set: int = 0
    template_missing: int = 0
    examples: list[dict[str, str]] = field(default_factory=list)

    def add(self, row: dict[str, Any], parsed: Parsed, text: str | None) -> None:
        add_row(self.scorer, self.family, row, parsed.value)
        if self.other is not None:
            add_row(self.other, self.family, row, parsed.value)
        self.statuses[parsed.status] += 1
        self.template_missing += int(parsed.template_missing)
        bad_label = out_of_label_set(row, self.family, parsed.value)
        self.out_of_label_set += int(bad_label)
        if (parsed.is_failure or bad_label) and len(self.examples) < EXAMPLES:
            reason = parsed.detail or ("answer outside the label set" if bad_label else parsed.status)
            self.examples.append({"id": str(row["id"]), "reason": reason, "prediction": (text or "")[:300]})

    def result(self) -> dict[str, Any]:
        scored = self.scorer.result()
        if self.other is not None:
            other = self.other.result()
            if other["main"] != scored["main"] or abs(other["value"] - scored["value"]) > 1e-12:
                scored["other_profile"] = {"profile": self.other_profile, "main": other["main"], "value": other["value"],
                                           "metrics": other["metrics"]}
        return {
            "dataset": self.dataset, "task": self.task, "language": self.language, "family": self.family,
            "n": sum(self.statuses.values()), **scored,
            "parse_failures": self.statuses["failed"] + self.statuses["error"],
            "parser_errors": self.statuses["error"], "empty": self.statuses["empty"],
            "missing": self.statuses["missing"], "out_of_label_set": self.out_of_label_set,
            "template_missing": self.template_missing, "failure_examples": self.examples,
        }


def evaluate(
    rows: list[dict[str, Any]], predictions: Predictions, store: Any = None, profile: str = "default"
) -> dict[str, Any]:
    """Score ``predictions`` against evaluation ``rows``; returns the JSON report (see docs/evaluation.md).

    Args:
        rows: evaluation rows from :func:`.parsing.load_eval_rows`.
        predictions: predictions by id from :func:`.parsing.load_predictions`.
        store: template store used to parse answers (default: the shipped templates).
        profile: ``default`` (biocurate's metrics) or ``promptcblue`` (PromptCBLUE's scorer:
            its main metric per task, its empty-answer and empty-group rules, rouge_chinese).
            Each group also reports the other profile's main metric where it differs.

    Raises:
        ValueError: an unknown profile.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown evaluation profile {profile!r}; expected one of {list(PROFILES)}")
    if store is None:
        from biocurate.templates.engine import default_store

        store = default_store()
    groups: dict[tuple[str, str, str, str], Group] = {}
    unscorable: list[dict[str, str]] = []
    missing_ids: list[str] = []
    row_ids = set()
    for row in rows:
        row_id = str(row["id"])
        row_ids.add(row_id)
        try:
            family = family_of(row["task"], row["answer_format"])
        except KeyError:
            unscorable.append({"id": row_id, "reason": f"unknown answer_format {row['answer_format']!r}"})
            continue
        key = (row["dataset"], row["task"], row["language"], family)
        if key not in groups:
            other = _other(profile)
            groups[key] = Group(*key, scorer=_scorer(family, row["language"], row["dataset"], profile),
                                other=_scorer(family, row["language"], row["dataset"], other), other_profile=other)
        text = predictions.by_id.get(row_id)
        if text is None:
            missing_ids.append(row_id)
        groups[key].add(row, parse_prediction(row, text, store), text)
    unknown = sorted(set(predictions.by_id) - row_ids)
    order = {f: i for i, f in enumerate(FAMILIES)}
    results = [groups[k].result() for k in sorted(groups, key=lambda k: (k[0], k[1], k[2], order[k[3]]))]
    totals = {
        "rows": len(rows), "groups": len(results), "predictions": len(predictions.by_id),
        "scored": len(rows) - len(unscorable), "missing": len(missing_ids), "unknown_ids": len(unknown),
        "duplicate_ids": len(predictions.duplicate_ids), "garbled_lines": len(predictions.garbled_lines),
        "non_string_predictions": predictions.non_string, "unscorable": len(unscorable),
        "parse_failures": sum(r["parse_failures"] for r in results), "empty": sum(r["empty"] for r in results),
        "out_of_label_set": sum(r["out_of_label_set"] for r in results),
    }
    main_values = [r["value"] for r in results]
    return {
        "profile": profile,
        "totals": totals,
        "mean_main_metric": sum(main_values) / len(main_values) if main_values else 0.0,
        "results": results,
        "missing_ids": missing_ids[:ID_LIST_LIMIT],
        "unknown_ids": unknown[:ID_LIST_LIMIT],
        "duplicate_ids": predictions.duplicate_ids[:ID_LIST_LIMIT],
        "garbled_lines": predictions.garbled_lines[:ID_LIST_LIMIT],
        "unscorable": unscorable[:ID_LIST_LIMIT],
    }
