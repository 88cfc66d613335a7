"""The quality gate: per-sample checks over rendered samples, and the empty-answer quota.

It sits after rendering and before selection: a sample that fails a check is dropped with a
reason (counted per reason in the manifest and the card), and of the samples whose gold answer
is empty (``无`` / ``none``) each (dataset, task) keeps at most a configured share, chosen by a
seeded key. The export wires it in as a step; this module only decides.

Checks of :func:`check`, in order (the first failing one is the reason):

* ``prompt_language`` / ``answer_language``: the share of CJK characters among CJK characters
  and Latin words (:func:`cjk_share`) must be at least ``min_cjk_zh`` in Chinese text and at
  most ``max_cjk_en`` in English text. Translation checks each side in its own language (the
  prompt holds the source, the answer the target: an "en->zh" pair whose zh side is English
  fails; the source is ``input_text`` or the prompt without its template's words); other
  tasks check the prompt in the row's language, and the answer only for
  free-text answers (labels and entity names are too short to judge). Texts with fewer than
  ``min_letters`` letters are not judged.
* ``fragment``: the input text of an extraction sample (NER, RE, EE; ``input_text``, when
  given) is a sentence-splitting fragment: fewer than ``min_words_en`` words of two or more
  letters, or a short text ending in an initial (``Joys and F.``), in English; fewer than
  ``min_chars_zh`` Chinese characters in Chinese. (Short inputs are normal for
  classification and normalisation: ``卵巢Ca``.)
* ``tokenised``: the input of an extraction sample still shows tokenisation (``( IL - 2 )``,
  `` , `` between words) at ``tokenised_marks`` places or more. Its answers quote the text, so
  it cannot be repaired here; sources that ship tokens are detokenised by their loaders
  (BC2GM, ParaMed). Samples whose answers do not quote the text (classification, pairs,
  yes/no) are repaired instead: :func:`repair` detokenises their prompt (HoC ships its
  abstracts tokenised).

Example:
    >>> cfg = QualityConfig()
    >>> check({"task": "mt", "language": "en-zh", "answer_format": "text",
    ...        "conversation": [{"human": "Translate into Chinese: presented in part at ...",
    ...                          "assistant": "presented in part at the annual meeting"}]}, cfg)
    'answer_language'
    >>> empty_allowance(1289, 0.1)
    143
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from biocurate.templates.engine import default_store, stable_seed

__all__ = [
    "REASONS", "QualityConfig", "check", "cjk_share", "detokenise_text", "empty_allowance", "is_empty_answer",
    "is_fragment", "keep_empty", "repair", "tokenisation_marks",
]

#: Drop reasons, in the order checks run; ``empty_quota`` is the empty-answer share cap.
REASONS = ("prompt_language", "answer_language", "fragment", "tokenised", "empty_quota")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_WORD = re.compile(r"[A-Za-z]{2,}")
_INITIAL_END = re.compile(r"(?:^|\s)[A-Z]\.$")
_TOKEN_MARKS = re.compile(r"\( | \)|\w - \w| [,;:](?= )| \.$| 's\b| n't\b")
#: Tasks whose input text is judged for fragments and tokenisation (answers quote the text).
INPUT_TASKS = ("ner", "re", "ee")
#: Tasks whose prompt may be detokenised in place (answers are labels, not text spans).
REPAIR_TASKS = ("tc", "sts", "te", "qa_yesno", "qa_choice")
_DETOK = (
    (re.compile(r"([(\[{]) "), r"\1"),
    (re.compile(r" ([)\]}])"), r"\1"),
    (re.compile(r"(?<=[\w)\]%]) ([,;:%])(?=[ )\]]|$)"), r"\1"),
    (re.compile(r"(?<=[\w)\]%]) \.(?= |$|\n)"), "."),
    (re.compile(r"(?<=[A-Za-z0-9]) - (?=[A-Za-z0-9])"), "-"),
    (re.compile(r"(?<=\w) (n't|'s)\b"), r"\1"),
)
#: parse_context keys that list label words shown in prompts.
_LABEL_KEYS = ("types", "relations", "choices", "event_types", "roles", "options")
#: Answer formats that are free text (their language is judged).
_TEXT_FORMATS = ("text", "sections")


class QualityConfig(BaseModel):
    """The gate's settings: the ``quality:`` block of a mixture file.

    Example (YAML)::

        quality:
          max_empty_share: 0.1
          max_empty_share_by_task: {re: 0.2}
          min_cjk_zh: 0.2
    """

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    #: Chinese text needs at least this share of CJK characters (among CJK characters + Latin words)
    min_cjk_zh: float = Field(0.2, ge=0, le=1)
    #: English text may hold at most this share
    max_cjk_en: float = Field(0.05, ge=0, le=1)
    #: texts with fewer letters (CJK + Latin) are not judged for language
    min_letters: int = Field(8, ge=0)
    #: per (dataset, task): empty-answer samples at most this share of the samples kept
    max_empty_share: float = Field(0.1, ge=0, le=1)
    max_empty_share_by_task: dict[str, float] = Field(default_factory=dict)
    min_words_en: int = Field(3, ge=0)
    min_chars_zh: int = Field(2, ge=0)
    #: an input with this many tokenisation marks or more is tokenised (0: never)
    tokenised_marks: int = Field(5, ge=0)

    def empty_share(self, task: str) -> float:
        """The empty-answer share allowed for a fine task."""
        return self.max_empty_share_by_task.get(task, self.max_empty_share)


def cjk_share(text: str) -> float | None:
    """CJK characters / (CJK characters + Latin words); None when there is neither.

    A Chinese character and a Latin word carry about as much text, so a Chinese sentence
    quoting long English names (``美国儿科学会（american academy of pediatrics）``) stays
    Chinese, and an English line in a Chinese slot scores 0."""
    cjk = len(_CJK.findall(text))
    units = cjk + len(_LATIN_WORD.findall(text))
    return cjk / units if units else None


def _letters(text: str) -> int:
    return len(_CJK.findall(text)) + len(_LATIN.findall(text))


def _without_labels(text: str, fields: Mapping[str, Any]) -> str:
    """The prompt without the label words it lists (English relation codes in a zh prompt,
    e.g. DiaKG's ``Test_items_Disease``, say nothing about the text's language)."""
    context = fields.get("parse_context") or {}
    if isinstance(context, str):
        try:
            context = json.loads(context)
        except ValueError:
            context = {}
    words = [w for key in _LABEL_KEYS for w in (context.get(key) or []) if isinstance(w, str) and w]
    for word in sorted(set(words), key=len, reverse=True):
        text = text.replace(word, " ")
    return text


def _in_language(text: str, language: str, cfg: QualityConfig) -> bool:
    if _letters(text) < cfg.min_letters:
        return True
    share = cjk_share(text) or 0.0
    return share >= cfg.min_cjk_zh if language == "zh" else share <= cfg.max_cjk_en


def is_fragment(text: str, language: str, cfg: QualityConfig) -> bool:
    """Whether an input text is a sentence-splitting fragment (see the module docstring)."""
    text = text.strip()
    if language == "zh":
        return len(_CJK.findall(text)) < cfg.min_chars_zh
    words = len(_WORD.findall(text))
    return words < cfg.min_words_en or (words < 6 and bool(_INITIAL_END.search(text)))


def detokenise_text(text: str) -> str:
    """Undo PTB spacing in running text: ``receptor ( GHS-R ) .`` -> ``receptor (GHS-R).``"""
    for pattern, replacement in _DETOK:
        text = pattern.sub(replacement, text)
    return text


def repair(sample_fields: Mapping[str, Any], config: QualityConfig) -> dict[str, Any] | None:
    """The sample with its prompt detokenised, when it is an English sample of a
    :data:`REPAIR_TASKS` task whose first prompt shows ``tokenised_marks`` marks or more;
    None when there is nothing to repair (the export counts repairs as ``detokenised``)."""
    if not config.enabled or not config.tokenised_marks or sample_fields.get("task") not in REPAIR_TASKS:
        return None
    if sample_fields.get("language") != "en":
        return None
    prompt, _ = _turns(sample_fields)
    if tokenisation_marks(prompt) < config.tokenised_marks:
        return None
    conversation = [dict(turn) for turn in sample_fields["conversation"]]
    conversation[0]["human"] = detokenise_text(prompt)
    return {**sample_fields, "conversation": conversation}


def tokenisation_marks(text: str) -> int:
    """How many places of ``text`` look PTB-tokenised (space inside brackets, spaced hyphens...)."""
    return len(_TOKEN_MARKS.findall(text))


def _turns(fields: Mapping[str, Any]) -> tuple[str, str]:
    conversation = fields.get("conversation") or [{}]
    first = conversation[0] if isinstance(conversation[0], Mapping) else {}
    return str(first.get("human") or ""), str(first.get("assistant") or "")


_SENTINEL = "\x00"


def _translation_source(fields: Mapping[str, Any], prompt: str) -> str:
    """The text to translate: ``input_text`` when given, else the prompt without its
    template's fixed words (the template rendered around a sentinel source), else the prompt."""
    text = fields.get("input_text")
    if isinstance(text, str):
        return text
    try:
        template = default_store().get(str(fields.get("template_id") or ""))
    except Exception:  # noqa: BLE001 - an unknown template id: judge the whole prompt
        return prompt
    source, _, target = str(fields.get("language", "")).partition("-")
    try:
        frame = template.prompt_body.render({"source": _SENTINEL, "source_language": source, "target_language": target})
    except Exception:  # noqa: BLE001 - a template that needs other variables
        return prompt
    before, _, after = frame.partition(_SENTINEL)
    body = prompt[len(before):] if prompt.startswith(before) else prompt
    return body[: len(body) - len(after)] if after and body.endswith(after) else body


def check(sample_fields: Mapping[str, Any], config: QualityConfig) -> str | None:
    """The reason a rendered sample fails the gate, or None when it passes.

    Args:
        sample_fields: a sample's row fields: ``task``, ``language`` (``zh``, ``en``,
            ``zh-en``, ``en-zh``), ``conversation`` (``[{"human", "assistant"}, ...]``),
            ``answer_format``, ``template_id`` (a translation's source is the prompt without
            the template's words), ``parse_context`` (structure or JSON text: label words listed in
            the prompt are not judged for language); optionally ``input_text`` (the record's
            text the prompt shows, for the fragment and tokenisation checks).
        config: the mixture's :class:`QualityConfig`.
    """
    if not config.enabled:
        return None
    task, language = str(sample_fields.get("task", "")), str(sample_fields.get("language", ""))
    prompt, answer = _turns(sample_fields)
    if task == "mt" or "-" in language:
        source, _, target = language.partition("-")
        if not _in_language(_translation_source(sample_fields, prompt), source, config):
            return "prompt_language"
        if not _in_language(answer, target or source, config):
            return "answer_language"
        return None
    if language in ("zh", "en"):
        if not _in_language(_without_labels(prompt, sample_fields), language, config):
            return "prompt_language"
        if sample_fields.get("answer_format") in _TEXT_FORMATS and not _in_language(answer, language, config):
            return "answer_language"
    text = sample_fields.get("input_text")
    if task in INPUT_TASKS and isinstance(text, str):
        if is_fragment(text, language, config):
            return "fragment"
        if language == "en" and config.tokenised_marks and tokenisation_marks(text) >= config.tokenised_marks:
            return "tokenised"
    return None


def is_empty_answer(sample_fields: Mapping[str, Any]) -> bool:
    """Whether a sample's gold answer is empty (nothing to extract: ``无`` / ``none``).

    ``gold`` may be the structure or its JSON text (as export rows store it).
    """
    gold = sample_fields.get("gold")
    if isinstance(gold, str) and sample_fields.get("answer_format") not in _TEXT_FORMATS:
        try:
            gold = json.loads(gold)
        except ValueError:
            return not gold.strip()
    if isinstance(gold, str):
        return not gold.strip()
    return gold is None or (isinstance(gold, (dict, list)) and not gold)


def empty_allowance(non_empty: int, share: float) -> int:
    """How many empty-answer samples a group with ``non_empty`` others may keep, so that they
    are at most ``share`` of the group: ``floor(share / (1 - share) * non_empty)``."""
    if share >= 1:
        return 1 << 62
    return int(share * non_empty / (1 - share) + 1e-9)


def keep_empty(ids: Iterable[str], allowance: int, seed: int) -> set[str]:
    """The empty-answer samples a group keeps: the ``allowance`` ids ranked first by a seeded
    key (blake2b of ``seed|id``: independent of order and of the number of workers)."""
    ranked = sorted(ids, key=lambda i: (stable_seed(f"{seed}|empty|{i}"), i))
    return set(ranked[: max(0, allowance)])
