"""Metric accumulators, one per scoring family (stage 6: evaluation).

A scorer collects (gold, prediction) pairs of one dataset x task group with :meth:`add` and
turns them into numbers with :meth:`result`: ``{"main": name, "value": x, "metrics": {...},
"counts": {...}}``. Every metric is a fraction in [0, 1] (BLEU too: sacrebleu's score / 100).

* :class:`SetScorer` -- strict micro P/R/F1 over unit sets (entities, relations, events).
* :class:`ClassificationScorer` -- single-label: accuracy (the main metric; equal to micro-F1
  when every row gets one answer) and macro-F1; multi-label: micro-F1 (main) and exact match.
* :class:`AccuracyScorer` -- multiple-choice letters, short exact answers.
* :class:`BleuScorer` -- sacrebleu ``corpus_bleu`` (``tokenize="zh"`` for Chinese targets, ``13a`` else).
* :class:`RougeScorer` -- mean sentence ROUGE-1/2/L F over rows (report sections: over sections).
* :class:`PromptCBLUEClassScorer` -- PromptCBLUE's weighted / macro F1 with its empty-answer rule.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .promptcblue import class_f1, rouge_chinese
from .rouge import rouge_l, rouge_n

__all__ = [
    "AccuracyScorer", "BleuScorer", "ClassificationScorer", "PromptCBLUEClassScorer", "RougeScorer", "SetScorer", "prf",
]


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (0 where undefined; no gold and no prediction is 1.0)."""
    if tp + fp + fn == 0:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


class SetScorer:
    """Strict micro P/R/F1: per row, TP = |gold & pred|, FP = |pred - gold|, FN = |gold - pred|.

    Args:
        levels: unit levels scored; the first is the main one (e.g. ``["events", "arguments", "triggers"]``).
        no_credit_without_hits: PromptCBLUE's rule: P = R = F1 = 0 whenever TP = 0, also for a
            group with no gold and no predicted units (default: that group scores 1.0).
    """

    def __init__(self, levels: list[str], no_credit_without_hits: bool = False) -> None:
        self.levels = levels
        self.no_credit_without_hits = no_credit_without_hits
        self.counts = {level: Counter() for level in levels}
        self.n = 0

    def add(self, gold: dict[str, set], pred: dict[str, set]) -> None:
        """Count one row's units, given per level."""
        self.n += 1
        for level in self.levels:
            g, p = gold.get(level, set()), pred.get(level, set())
            c = self.counts[level]
            c["tp"] += len(g & p)
            c["fp"] += len(p - g)
            c["fn"] += len(g - p)

    def result(self) -> dict[str, Any]:
        metrics: dict[str, float] = {}
        counts: dict[str, int] = {}
        for level in self.levels:
            c = self.counts[level]
            scores = prf(c["tp"], c["fp"], c["fn"])
            if self.no_credit_without_hits and not c["tp"]:
                scores = {"precision": 0.0, "recall": 0.0, "f1": 0.0}
            prefix = "" if level == self.levels[0] else f"{level}_"
            metrics.update({f"{prefix}micro_{k}": v for k, v in scores.items()})
            counts.update({f"{prefix}{k}": c[k] for k in ("tp", "fp", "fn")})
        return {"main": "micro_f1", "value": metrics["micro_f1"], "metrics": metrics, "counts": counts}


_NONE = "(none)"


def _macro_f1(pairs: list[tuple[str, str | None]], classes: set[str]) -> float:
    scores = []
    for c in sorted(classes):
        tp = sum(1 for g, p in pairs if g == c and p == c)
        fp = sum(1 for g, p in pairs if g != c and p == c)
        fn = sum(1 for g, p in pairs if g == c and p != c)
        scores.append(prf(tp, fp, fn)["f1"] if tp + fp + fn else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


class ClassificationScorer:
    """Label sets per row; single- or multi-label is decided from the gold labels at :meth:`result`.

    Single-label: a row is right when the predicted set is exactly ``{gold}`` (an answer naming
    several labels is wrong). Macro-F1 averages the per-class F1 over the gold classes and the
    predicted classes that are valid labels, as sklearn does with ``labels=`` set; an empty gold
    set (e.g. "none of the above") is a class of its own. Multi-label: micro P/R/F1 over
    (row, label) pairs, exact-match accuracy and macro-F1 over labels.
    """

    def __init__(self) -> None:
        self.rows: list[tuple[frozenset[str], frozenset[str]]] = []
        self.valid: set[str] = set()

    def add(self, gold: frozenset[str], pred: frozenset[str], choices: frozenset[str] = frozenset()) -> None:
        """One row: canonical gold and predicted label sets, and the row's label options."""
        self.rows.append((gold, pred))
        self.valid |= choices | gold

    def result(self) -> dict[str, Any]:
        n = len(self.rows)
        exact = sum(1 for g, p in self.rows if g == p)
        tp = sum(len(g & p) for g, p in self.rows)
        fp = sum(len(p - g) for g, p in self.rows)
        fn = sum(len(g - p) for g, p in self.rows)
        micro = prf(tp, fp, fn)
        counts = {"tp": tp, "fp": fp, "fn": fn, "correct": exact}
        accuracy = exact / n if n else 0.0
        if any(len(g) > 1 for g, _ in self.rows):
            labels = {label for g, p in self.rows for label in g | (p & self.valid)}
            per_label = [prf(sum(1 for g, p in self.rows if x in g and x in p),
                             sum(1 for g, p in self.rows if x in p and x not in g),
                             sum(1 for g, p in self.rows if x in g and x not in p))["f1"] for x in sorted(labels)]
            metrics = {"micro_f1": micro["f1"], "micro_precision": micro["precision"], "micro_recall": micro["recall"],
                       "exact_match": accuracy, "macro_f1": sum(per_label) / len(per_label) if per_label else 0.0}
            return {"main": "micro_f1", "value": micro["f1"], "metrics": metrics, "counts": counts, "multi_label": True}
        pairs = [(_one(g) or _NONE, _one(p) if p else _NONE) for g, p in self.rows]
        gold_classes = {g for g, _ in pairs}
        classes = gold_classes | {p for _, p in pairs if p is not None and (p in self.valid or p in gold_classes)}
        metrics = {"accuracy": accuracy, "macro_f1": _macro_f1(pairs, classes), "micro_f1": micro["f1"]}
        return {"main": "accuracy", "value": accuracy, "metrics": metrics, "counts": counts, "multi_label": False}


def _one(labels: frozenset[str]) -> str | None:
    return next(iter(labels)) if len(labels) == 1 else None


class PromptCBLUEClassScorer:
    """PromptCBLUE's single-label classification score: weighted or macro F1 (sklearn's
    ``classification_report`` averages, see :func:`.promptcblue.class_f1`), with an answer that
    names no valid label counted as ``empty_label`` (PromptCBLUE's first label).

    Args:
        main: ``weighted_f1`` or ``macro_f1``.
        empty_label: canonical label an empty or off-list answer becomes ("" = the no-label class).
    """

    def __init__(self, main: str, empty_label: str) -> None:
        self.main = main
        self.empty_label = empty_label
        self.pairs: list[tuple[str, str]] = []

    def add(self, gold: frozenset[str], pred: frozenset[str], choices: frozenset[str] = frozenset()) -> None:
        valid = pred & choices if choices else pred
        label = _one(valid) if len(valid) == 1 else None
        self.pairs.append(("; ".join(sorted(gold)) or _NONE, label or self.empty_label or _NONE))

    def result(self) -> dict[str, Any]:
        metrics = class_f1(self.pairs)
        accuracy = sum(1 for g, p in self.pairs if g == p) / len(self.pairs) if self.pairs else 0.0
        metrics["accuracy"] = accuracy
        return {"main": self.main, "value": metrics[self.main], "metrics": metrics,
                "counts": {"correct": sum(1 for g, p in self.pairs if g == p)}, "multi_label": False}


class AccuracyScorer:
    """Share of rows whose canonical prediction equals the canonical gold."""

    def __init__(self) -> None:
        self.n = 0
        self.correct = 0

    def add(self, gold: str, pred: str) -> None:
        self.n += 1
        self.correct += int(gold == pred)

    def result(self) -> dict[str, Any]:
        accuracy = self.correct / self.n if self.n else 0.0
        return {"main": "accuracy", "value": accuracy, "metrics": {"accuracy": accuracy}, "counts": {"correct": self.correct}}


class BleuScorer:
    """Corpus BLEU with sacrebleu; one reference per row.

    Args:
        target_language: ``zh`` selects sacrebleu's ``zh`` tokenizer, anything else ``13a``.
    """

    def __init__(self, target_language: str) -> None:
        self.tokenize = "zh" if target_language == "zh" else "13a"
        self.hypotheses: list[str] = []
        self.references: list[str] = []

    def add(self, gold: str, pred: str) -> None:
        self.references.append(gold or "")
        self.hypotheses.append(pred or "")

    def result(self) -> dict[str, Any]:
        try:
            import sacrebleu
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError("BLEU needs sacrebleu: pip install 'biocurate[eval]'") from exc
        bleu = sacrebleu.corpus_bleu(self.hypotheses, [self.references], tokenize=self.tokenize)
        metrics = {"bleu": bleu.score / 100, "brevity_penalty": bleu.bp, "length_ratio": bleu.ratio}
        return {"main": "bleu", "value": bleu.score / 100, "metrics": metrics,
                "counts": {"hyp_len": bleu.sys_len, "ref_len": bleu.ref_len}, "tokenize": self.tokenize}


class RougeScorer:
    """Mean ROUGE-1/2/L F-measures over scored units (a row, or a report section).

    Args:
        language: ``zh`` (characters) or anything else (words).
        rouge_chinese: score as PromptCBLUE does (:func:`.promptcblue.rouge_chinese`: BERT
            BasicTokenizer tokens, rouge_chinese's formulas, no NFKC folding).
    """

    def __init__(self, language: str, rouge_chinese: bool = False) -> None:
        self.language = language
        self.rouge_chinese = rouge_chinese
        self.sums = Counter()
        self.units = 0

    def add(self, gold: str, pred: str) -> None:
        self.units += 1
        if self.rouge_chinese:
            triple = rouge_chinese(pred, gold)
            self.sums["rouge_l"] += triple.l
            self.sums["rouge_1"] += triple.one
            self.sums["rouge_2"] += triple.two
            return
        self.sums["rouge_l"] += rouge_l(pred, gold, self.language).f
        self.sums["rouge_1"] += rouge_n(pred, gold, self.language, 1).f
        self.sums["rouge_2"] += rouge_n(pred, gold, self.language, 2).f

    def result(self) -> dict[str, Any]:
        metrics = {k: (self.sums[k] / self.units if self.units else 0.0) for k in ("rouge_l", "rouge_1", "rouge_2")}
        return {"main": "rouge_l", "value": metrics["rouge_l"], "metrics": metrics, "counts": {"units": self.units}}
