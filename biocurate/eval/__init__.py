"""Evaluation (stage 6): parse model answers back into the gold structures and score them.

The loop: ``biocurate export --split validation`` writes prompts with their gold answers kept
aside, ``biocurate chat RUN --input ... --output preds.jsonl`` generates, and ``biocurate eval``
(:func:`evaluate`) scores per dataset and task the way Taiyi and PromptCBLUE report: strict
micro-F1 for extraction, accuracy / macro-F1 for classification and QA, BLEU for translation,
ROUGE-L for generation. See ``docs/evaluation.md``.

Example:
    >>> from biocurate.eval import evaluate, load_eval_rows, load_predictions
    >>> report = evaluate(load_eval_rows("eval/dev"), load_predictions("preds.jsonl"))  # doctest: +SKIP
    >>> report["results"][0]["main"], report["results"][0]["value"]  # doctest: +SKIP
    ('micro_f1', 0.657)
"""

from __future__ import annotations

from .parsing import (
    EvalError,
    Parsed,
    Predictions,
    load_eval_rows,
    load_predictions,
    parse_prediction,
)
from .report import format_table, write_report
from .scoring import evaluate, family_of

__all__ = [
    "EvalError", "Parsed", "Predictions", "evaluate", "family_of", "format_table", "load_eval_rows",
    "load_predictions", "parse_prediction", "write_report",
]
