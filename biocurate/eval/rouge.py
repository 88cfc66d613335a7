"""ROUGE-1/2/L for generated text, without a ROUGE package (stage 6: evaluation).

Tokenisation follows the two reference implementations the papers used: Chinese text is split
into characters (PromptCBLUE runs BERT's ``BasicTokenizer`` before ``rouge_chinese``: every CJK
character and every punctuation mark is a token, runs of Latin letters or digits stay whole),
English text into lowercased alphanumeric words (``rouge_score``'s default tokenizer, which
drops punctuation). Scores are F-measures (beta = 1) in [0, 1].

Example:
    >>> tokenize("患者发热 3 天。", "zh")
    ['患', '者', '发', '热', '3', '天', '。']
    >>> tokenize("The patient's fever.", "en")
    ['the', 'patient', 's', 'fever']
    >>> round(rouge_l("the cat sat", "the cat sat down", "en").f, 4)
    0.8571
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

__all__ = ["RougeScore", "lcs_length", "rouge_l", "rouge_n", "tokenize"]

_CJK = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef"
)
_ZH_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+|[^\s\w]|_", re.UNICODE)
_EN_TOKEN = re.compile(r"[a-z0-9]+")


def tokenize(text: str, language: str) -> list[str]:
    """Tokens of ``text`` for ROUGE: characters for ``zh``, lowercased words for anything else."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    if language == "zh":
        return _ZH_TOKEN.findall(text)
    return _EN_TOKEN.findall(text)


@dataclass(frozen=True)
class RougeScore:
    """Precision, recall and F-measure of one prediction against one reference."""

    p: float
    r: float
    f: float

    @classmethod
    def from_counts(cls, hits: int, pred_len: int, ref_len: int) -> RougeScore:
        """Score from the overlap size and the two lengths (both empty counts as a perfect match)."""
        if pred_len == 0 and ref_len == 0:
            return cls(1.0, 1.0, 1.0)
        p = hits / pred_len if pred_len else 0.0
        r = hits / ref_len if ref_len else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two token lists (O(len(a) * len(b)) time)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(prediction: str, reference: str, language: str) -> RougeScore:
    """Sentence-level ROUGE-L: LCS over the whole token sequences."""
    pred, ref = tokenize(prediction, language), tokenize(reference, language)
    return RougeScore.from_counts(lcs_length(pred, ref), len(pred), len(ref))


def rouge_n(prediction: str, reference: str, language: str, n: int) -> RougeScore:
    """ROUGE-N: clipped n-gram overlap."""
    pred, ref = tokenize(prediction, language), tokenize(reference, language)
    grams_p = Counter(tuple(pred[i : i + n]) for i in range(len(pred) - n + 1))
    grams_r = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
    hits = sum((grams_p & grams_r).values())
    return RougeScore.from_counts(hits, sum(grams_p.values()), sum(grams_r.values()))
