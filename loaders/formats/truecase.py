"""Partial truecasing of lowercased English (ParaMed's NEJM alignment files ship lowercased text).

The original case is not recoverable in general; what can be restored without guessing:

* sentence starts: the first letter after ``. ``/``? ``/``! `` (also ``. (``), unless the period
  ends an abbreviation (``i.e.``, ``vs.``, ``et al.``, ``fig.``, ``u.s.``);
* words of a lexicon that are (almost) never lowercase in biomedical prose: abbreviations
  (``ci`` -> ``CI``, ``hiv`` -> ``HIV``, ``her2`` -> ``HER2``), eponyms (``kaposi``,
  ``hodgkin``), places and nationalities, trial registries (``nct01872962``);
* nothing inside a web address (``https://aidsinfo.nih.gov``);
* a few patterns: ``p = 0.28`` -> ``P = 0.28``, ``mm hg`` -> ``mm Hg``, roman numerals after
  ``stage``/``class``/``grade``/``phase``/``type``, ``table s1`` -> ``Table S1``,
  ``figure 2a`` -> ``Figure 2A``, ``group b`` / ``hepatitis c`` / ``b-cell``.

A word is matched as a whole run of ASCII letters and digits, so it is found both in English
text (``hiv-associated`` -> ``HIV-associated``) and between Chinese characters
(``hiv感染人群`` -> ``HIV感染人群``); :func:`truecase_words` applies only the lexicon and the
``P`` rule (for the Latin words of a Chinese text), :func:`truecase_en` everything.

Example:
    >>> truecase_en("in hiv-infected persons (95% ci, 0.3 to 0.8; p = 0.01). kaposi's sarcoma, stage iii or iv.")
    "In HIV-infected persons (95% CI, 0.3 to 0.8; P = 0.01). Kaposi's sarcoma, stage III or IV."
    >>> truecase_words("许多hiv感染人群（95% ci）")
    '许多HIV感染人群（95% CI）'
"""

from __future__ import annotations

import re

__all__ = ["LEXICON", "truecase_en", "truecase_words"]

_UPPER = (
    "acog adp aids ash bmi bp ci brca brca1 brca2 cd4 cd8 cd20 cns copd csf ct dna ebv engot fda fdg fosi gbs hbv hcv "
    "hiv hpv hrd her2 iris jw kics kshv lana mri nejm nih nsgo nyha parp pcr pet psa rna sbp sglt sglt1 sglt2 ssb "
    "tnm art"
)
_NAMES = (
    "africa african america american asia asian barr california canada chinese china epstein europe european "
    "haenszel hispanic hodgkin japan japanese kaplan kaposi mantel meier pap pneumocystis saharan sternberg cox "
    "january february april june july august september october november december"
)
#: lowercase word -> its case in biomedical prose
LEXICON: dict[str, str] = {
    **{w: w.upper() for w in _UPPER.split()},
    **{w: w.capitalize() for w in _NAMES.split()},
    "gbrca": "gBRCA", "ssbs": "SSBs", "clinicaltrials": "ClinicalTrials", "reed": "Reed",
}
#: words of the lexicon that are also plain English words when glued to a hyphen (state-of-the-art)
_HYPHEN_PLAIN = {"art"}

_WORD = re.compile(r"(?<![A-Za-z0-9])[a-z][a-z0-9]*(?![A-Za-z0-9])")
_NCT = re.compile(r"(?<![A-Za-z0-9])nct(\d{8})(?![A-Za-z0-9])")
_P_VALUE = re.compile(r"(?<![A-Za-z0-9.])p(?=\s*[=<>≤≥])")
_ROMAN = r"(?:i{1,3}|iv[ab]?|iii[abc]?|ii[abc]?|v|vi)"
_NUMERAL = re.compile(rf"\b(stages?|class(?:es)?|grades?|phases?|types?|steps?) ({_ROMAN})\b((?:,? (?:or|to|and|through) ({_ROMAN})\b)?)")
_REFERENCE = re.compile(r"\b(tables?|figures?|figs?\.) (s?)(\d+)([a-z]?)\b")
_PHRASES = (
    (re.compile(r"\b(S\d+[A-Z]?)( and | or |, | to | through )s(\d+)\b"), lambda m: f"{m[1]}{m[2]}S{m[3]}"),
    (re.compile(r"\bmm hg\b"), "mm Hg"),
    (re.compile(r"\b(group|hepatitis|type|factor) ([a-d])\b(?![.-])"), lambda m: f"{m[1]} {m[2].upper()}"),
    (re.compile(r"\b([bt])-(cells?|lymphocytes?)\b"), lambda m: f"{m[1].upper()}-{m[2]}"),
    (re.compile(r"\bc-reactive\b"), "C-reactive"),
    (re.compile(r"\bnew york\b"), "New York"),
    (re.compile(r"\bunited (states|kingdom)\b"), lambda m: f"United {m[1].capitalize()}"),
    (re.compile(r"\bu\.s\.(?=\s|$|[,;)])"), "U.S."),
    (re.compile(r"\bsupplementary appendix\b"), "Supplementary Appendix"),
    (re.compile(r"\b([a-z])[a-z]+(?= et al\.)"), lambda m: m[0].capitalize()),
)
_ABBREVIATIONS = ("i.e.", "e.g.", "vs.", "al.", "fig.", "figs.", "no.", "dr.", "u.s.", "approx.", "ref.")
_SENTENCE = re.compile(r"([.?!])(\s+)(\(?)([a-z])")


_URL = re.compile(r"(?:https?://|www\.)[^\s）)\]，。]*")


def _word(match: re.Match[str]) -> str:
    word, text, start = match[0], match.string, match.start()
    if any(url.start() <= start < url.end() for url in _URL.finditer(text)):
        return word  # addresses keep their case
    if word in _HYPHEN_PLAIN and ((start and text[start - 1] == "-") or text[match.end():match.end() + 1] == "-"):
        return word
    return LEXICON.get(word, word)


def truecase_words(text: str) -> str:
    """The lexicon's words, trial numbers and the ``P`` of p values, in any text (also Chinese)."""
    text = _WORD.sub(_word, text)
    text = _NCT.sub(lambda m: f"NCT{m[1]}", text)
    return _P_VALUE.sub("P", text)


def _sentence_start(match: re.Match[str]) -> str:
    before = match.string[: match.start() + 1].lower().rsplit(None, 1)[-1].lstrip("([")
    if before in _ABBREVIATIONS or re.fullmatch(r"[a-z]\.", before):
        return match[0]
    return f"{match[1]}{match[2]}{match[3]}{match[4].upper()}"


def truecase_en(text: str) -> str:
    """Lowercased English with its sentence starts, lexicon words and patterns cased (see above)."""
    text = truecase_words(text)
    text = _NUMERAL.sub(lambda m: f"{m[1]} {m[2].upper()}" + (m[3][: len(m[3]) - len(m[4])] + m[4].upper() if m[4] else ""), text)
    text = _REFERENCE.sub(lambda m: f"{m[1].capitalize()} {m[2].upper()}{m[3]}{m[4].upper()}", text)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    text = _SENTENCE.sub(_sentence_start, text)
    return text[:1].upper() + text[1:] if text[:1].islower() else text
