"""PromptCBLUE's scoring rules, for ``biocurate eval --profile promptcblue`` (stage 6: evaluation).

PromptCBLUE's official scorer (michael-wzhu/PromptCBLUE ``src/evaluation/evaluators.py`` and
``evaluate.py``) differs from biocurate's default metrics in four ways, reproduced here:

* **Main metric per task** (:data:`TASKS`): weighted-average F1 for CHIP-STS, KUAKE-QQR and
  KUAKE-QTR, macro-average F1 for CHIP-CTC, KUAKE-QIC and IMCS-V2-DAC (sklearn's
  ``classification_report`` over the labels that occur in gold or prediction, zero_division=0),
  micro-F1 for the extraction tasks, ROUGE-L for MedDG and IMCS-V2-MRG (the latter per report
  section).
* **An empty answer is its first label**: a classification answer that names no label (or none
  of the options, which PromptCBLUE's post-processing turns into "") counts as the first label
  of PromptCBLUE's list for the task (:data:`TASKS` ``empty_label``, in biocurate's label words).
* **No units, no credit**: a set-scored group where nothing is right (tp = 0) scores 0, also when
  it has neither gold nor predicted units (biocurate's default: 1.0).
* **Chinese ROUGE** is ``rouge_chinese`` (1.0.3) over BERT's ``BasicTokenizer`` tokens:
  :func:`basic_tokenize` (lower-casing, accent stripping, a token per CJK character and
  punctuation mark, no NFKC folding: ``℃`` is not ``度``-like text and ``ＣＴ`` is not ``CT``), an
  empty text replaced by ``无 。``, ROUGE-1/2 over *sets* of n-grams (rouge_chinese's
  ``exclusive=True``), ROUGE-L over the whole token sequences, ``F = 2PR / (P + R + 1e-8)``,
  and the mean of the rows' F.

Example:
    >>> basic_tokenize("体温38.5℃，ＣＴ示肺炎")
    ['体', '温', '38', '.', '5℃', '，', 'ｃｔ', '示', '肺', '炎']
    >>> round(rouge_chinese("患者发热", "患者发烧").l, 4)
    0.75
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["TASKS", "PromptCBLUETask", "basic_tokenize", "class_f1", "rouge_chinese", "RougeTriple"]


@dataclass(frozen=True)
class PromptCBLUETask:
    """How PromptCBLUE scores one biocurate dataset.

    Attributes:
        name: PromptCBLUE's task name.
        main: the main metric (``micro_f1``, ``weighted_f1``, ``macro_f1``, ``rouge_l``).
        empty_label: the label word an empty classification answer counts as (PromptCBLUE's
            first label), "" for the "no label" class.
    """

    name: str
    main: str
    empty_label: str | None = None


#: biocurate dataset -> PromptCBLUE's scoring of it (evaluate.py's calc_scores).
TASKS: dict[str, PromptCBLUETask] = {
    "cmeee": PromptCBLUETask("CMeEE-V2", "micro_f1"),
    "cmeie": PromptCBLUETask("CMeIE-V2", "micro_f1"),
    "chip_cdn": PromptCBLUETask("CHIP-CDN", "micro_f1"),
    "chip_cdee": PromptCBLUETask("CHIP-CDEE", "micro_f1"),
    # list_labels=["是的", "不是"]: an empty answer is "similar"
    "chip_sts": PromptCBLUETask("CHIP-STS", "weighted_f1", "语义相同"),
    # ["完全一致", "后者是前者的语义子集", ...]: empty is "完全一致"
    "kuake_qqr": PromptCBLUETask("KUAKE-QQR", "weighted_f1", "完全一致"),
    # ["完全不匹配或者没有参考价值", ...]: empty is biocurate's 完全不匹配
    "kuake_qtr": PromptCBLUETask("KUAKE-QTR", "weighted_f1", "完全不匹配"),
    # first label '非上述类型': biocurate's "no label" class
    "chip_ctc": PromptCBLUETask("CHIP-CTC", "macro_f1", ""),
    "kuake_qic": PromptCBLUETask("KUAKE-QIC", "macro_f1", ""),
    "imcs_v2_dac": PromptCBLUETask("IMCS-V2-DAC", "macro_f1", ""),
    "meddg": PromptCBLUETask("MedDG", "rouge_l"),
    "imcs_v2_mrg": PromptCBLUETask("IMCS-V2-MRG", "rouge_l"),
}

_NONE = "(none)"


def class_f1(pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
    """sklearn ``classification_report``'s macro and weighted F1 (and precision, recall) of
    single-label ``(gold, predicted)`` pairs, over every label occurring in either, with
    ``zero_division=0``; weights are the gold supports."""
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    support = Counter(g for g, _ in pairs)
    per: dict[str, tuple[float, float, float]] = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        predicted = sum(1 for _, p in pairs if p == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support[label] if support[label] else 0.0
        per[label] = (precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    total = sum(support.values())
    out: dict[str, float] = {}
    for k, name in enumerate(("precision", "recall", "f1")):
        out[f"macro_{name}"] = sum(v[k] for v in per.values()) / len(per) if per else 0.0
        out[f"weighted_{name}"] = sum(per[label][k] * support[label] for label in labels) / total if total else 0.0
    return out


# --- BERT's BasicTokenizer (do_lower_case=True, tokenize_chinese_chars=True) ------------------
_CJK_RANGES = (
    (0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F),
)


def _is_cjk(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_control(ch: str) -> bool:
    return ch not in "\t\n\r" and unicodedata.category(ch).startswith("C")


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def basic_tokenize(text: str) -> list[str]:
    """Tokens as BERT's ``BasicTokenizer`` gives them (PromptCBLUE's tokenisation before ROUGE)."""
    cleaned = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        if _is_whitespace(ch):
            cleaned.append(" ")
        elif _is_cjk(cp):
            cleaned.append(f" {ch} ")
        else:
            cleaned.append(ch)
    tokens: list[str] = []
    for token in unicodedata.normalize("NFC", "".join(cleaned)).split():
        token = "".join(c for c in unicodedata.normalize("NFD", token.lower()) if unicodedata.category(c) != "Mn")
        current = ""
        for ch in token:
            if _is_punctuation(ch):
                if current:
                    tokens.append(current)
                tokens.append(ch)
                current = ""
            else:
                current += ch
        if current:
            tokens.append(current)
    return tokens


@dataclass(frozen=True)
class RougeTriple:
    """ROUGE-1, ROUGE-2 and ROUGE-L F of one prediction."""

    one: float
    two: float
    l: float  # noqa: E741 - ROUGE-L


def _tokens(text: str) -> list[str]:
    tokens = basic_tokenize(text or "")
    return tokens if tokens else ["无", "。"]


def _f(overlap: int, hyp: int, ref: int) -> float:
    p = overlap / hyp if hyp else 0.0
    r = overlap / ref if ref else 0.0
    return 2.0 * (p * r / (p + r + 1e-8))


def _lcs(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_chinese(prediction: str, reference: str) -> RougeTriple:
    """PromptCBLUE's per-row ROUGE F scores (``rouge_chinese.Rouge().get_scores`` on the
    BasicTokenizer tokens joined by spaces; see the module docstring)."""
    hyp, ref = _tokens(prediction), _tokens(reference)
    grams = []
    for n in (1, 2):
        h = {tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1)}
        r = {tuple(ref[i : i + n]) for i in range(len(ref) - n + 1)}
        grams.append(_f(len(h & r), len(h), len(r)))
    return RougeTriple(grams[0], grams[1], _f(_lcs(ref, hyp), len(hyp), len(ref)))
