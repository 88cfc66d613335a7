"""Decontamination (``mix/dedup.py``) on real texts whose normalised forms, n-grams and hashes are
written out here, not taken from a second path through the code.

Texts: CHIP-CTC dev criteria (``validation-81``: 40 normalised characters, exactly the
``SHORT_TEXT`` boundary; ``validation-176``: 39; ``validation-62``: exactly one third CJK, the
word/character boundary) and a 15-word MedMCQA question. The hash of an n-gram is the
polynomial of the ``_SubstringHasher`` docstring, computed here in plain Python:
``sum(ord(c[k]) * B^-k for k)`` mod 2^64 over the n-gram's characters (a word n-gram with its
single spaces, a character n-gram without spaces).
"""

from __future__ import annotations

import numpy as np
import pytest

from biocurate.loaders import Reject, get_loader
from biocurate.mix.content import normalise_text, normalised_inputs
from biocurate.mix.dedup import Decontaminator, _ngrams, _SubstringHasher
from biocurate.sources import datasets_in, samples_dir

_B_INV = pow(0x9E3779B97F4A7C15, -1, 1 << 64)

#: CHIP-CTC validation-81 raw and normalised (NFKC turns （）； into ()；, the leading space goes)
CTC_81 = " 9.在访视1前30天内或者5个半衰期内（以较长的时间为准）曾使用了其他试验药物；"
CTC_81_NORM = "9.在访视1前30天内或者5个半衰期内(以较长的时间为准)曾使用了其他试验药物;"
CTC_176 = "A：（1）对受试药物耐受的健康人；（2）年龄：0-18岁；（3）自愿参加本研究"
CTC_176_NORM = "a:(1)对受试药物耐受的健康人;(2)年龄:0-18岁;(3)自愿参加本研究"
#: 18 characters, 6 of them CJK (体 能 状 态 评 分): 6 * 3 == 18, so words, and only two of them
CTC_62_NORM = "5.体能状态ecog评分≤ 2.0;"
MEDMCQA = "Which of the following are not a branch of external carotid Aery in Kiesselbach's plexus."
MEDMCQA_NORM = "which of the following are not a branch of external carotid aery in kiesselbach's plexus."
MEDMCQA_GRAMS = [
    "which of the following are not a branch of external carotid aery in",
    "of the following are not a branch of external carotid aery in kiesselbach's",
    "the following are not a branch of external carotid aery in kiesselbach's plexus.",
]


def _hash(text: str) -> int:
    """The documented substring hash, in plain Python."""
    return sum(ord(c) * pow(_B_INV, k, 1 << 64) for k, c in enumerate(text)) % (1 << 64)


@pytest.fixture(scope="module")
def ctc() -> dict:
    loader = get_loader("chip_ctc")(datasets_in(samples_dir())["chip_ctc"])
    return {r.id: r for r in loader.records("validation") if not isinstance(r, Reject)}


def test_the_texts_are_the_samples_normalised(ctc: dict) -> None:
    assert ctc["validation-81"].text == CTC_81 and normalise_text(CTC_81) == CTC_81_NORM and len(CTC_81_NORM) == 40
    assert ctc["validation-176"].text == CTC_176 and normalise_text(CTC_176) == CTC_176_NORM and len(CTC_176_NORM) == 39
    assert normalise_text(ctc["validation-62"].text) == CTC_62_NORM and len(CTC_62_NORM) == 18
    assert normalise_text(MEDMCQA) == MEDMCQA_NORM and len(MEDMCQA_NORM.split()) == 15


def test_reference_ngrams() -> None:
    # Chinese-heavy: 40 characters, no spaces -> 40 - 13 + 1 = 28 character 13-grams
    grams = list(_ngrams(CTC_81_NORM))
    assert len(grams) == 28 and grams[0] == "9.在访视1前30天内或者" and grams[-1] == "准)曾使用了其他试验药物;"
    assert list(_ngrams(MEDMCQA_NORM)) == MEDMCQA_GRAMS  # 15 words -> 3 word 13-grams
    assert list(_ngrams(CTC_62_NORM)) == []  # exactly one third CJK: two words, no 13-gram
    assert list(_ngrams(" ".join(MEDMCQA_NORM.split()[:12]))) == []  # 12 words: none
    assert list(_ngrams(" ".join(MEDMCQA_NORM.split()[:13]))) == MEDMCQA_GRAMS[:1]
    assert list(_ngrams(CTC_81_NORM[:12])) == [] and list(_ngrams(CTC_81_NORM[:13])) == ["9.在访视1前30天内或者"]


#: texts, each with its n-grams written out (the code points of the CJK range's ends:
#: U+3400 and U+9FFF are CJK, U+A000 (Yi) is not and makes one 13-character word)
CASES = [
    (CTC_81_NORM, [CTC_81_NORM[i:i + 13] for i in range(28)]),
    (MEDMCQA_NORM, MEDMCQA_GRAMS),
    (CTC_62_NORM, []),
    ("\u3400" * 13, ["\u3400" * 13]),
    ("\u9fff" * 6 + " " + "\u9fff" * 7, ["\u9fff" * 13]),  # character mode drops the space
    ("\ua000" * 13, []),
    (CTC_81_NORM[:12], []),
]


@pytest.mark.parametrize("text, grams", CASES, ids=range(len(CASES)))
def test_hashes_of_one_text_follow_the_definition(text: str, grams: list[str]) -> None:
    hashes = _SubstringHasher().ngram_hashes(text)  # a fresh hasher: its power tables grow here
    assert hashes.dtype == np.uint64 and hashes.tolist() == [_hash(g) for g in grams]


def test_one_hasher_over_texts_one_character_longer_each_time() -> None:
    # its power tables are sized for the longest text so far: the next one may be one longer
    hasher = _SubstringHasher()
    for prefix in ("", "入", "入选", "入选前"):
        text = prefix + CTC_81_NORM
        grams = [text[i:i + 13] for i in range(len(text) - 12)]
        assert hasher.ngram_hashes(text).tolist() == [_hash(g) for g in grams], len(text)


@pytest.mark.parametrize("order", [[0, 1, 2, 3, 4, 5, 6], [1, 6, 2, 5, 4, 3, 0], [5, 0], [0], [2, 1]])
def test_hashes_of_many_texts_follow_the_definition(order: list[int]) -> None:
    # texts side by side in several orders (a character-mode text last, first, alone; a word
    # text after a short one): each text's hashes are its own n-grams', in order
    texts = [CASES[i][0] for i in order]
    hashes, owners = _SubstringHasher().ngram_hashes_many(texts)
    for k, i in enumerate(order):
        assert hashes[owners == k].tolist() == [_hash(g) for g in CASES[i][1]], (k, i)
    assert len(hashes) == sum(len(CASES[i][1]) for i in order)


def test_decontamination_at_the_short_text_and_ngram_boundaries(ctc: dict) -> None:
    decon = Decontaminator()
    assert decon.drop_reasons([[CTC_81_NORM]]) == [None] and decon.eval_items == 0  # nothing to match yet
    decon.add_eval_record(ctc["validation-81"])  # 40 characters: matched whole and by its 13-grams
    decon.add_eval_record(ctc["validation-176"])  # 39: matched whole only
    assert decon.eval_items == 2
    same = "contaminated: same text as an evaluation item"
    gram = "contaminated: shares a 13-gram with an evaluation item"
    inputs = [
        [CTC_81_NORM],  # the evaluation text itself
        [CTC_81_NORM[5:18]],  # 13 characters, one of its 13-grams: "1前30天内或者5个半衰期"
        [CTC_81_NORM[5:17]],  # 12 characters: shorter than an n-gram, not the whole text
        ["入选前" + CTC_81_NORM[20:]],  # its last 20 characters after other words: 8 shared 13-grams
        [CTC_176_NORM],  # the 39-character item itself
        [CTC_176_NORM[:13]],  # 13 characters of it: its n-grams are not kept (shorter than 40)
        ["年龄18-65岁", CTC_176_NORM],  # the second input text decides
        [CTC_81_NORM[:13], CTC_176_NORM],  # both match: the first text's reason is given
        [CTC_176_NORM, CTC_81_NORM[:13]],  # the same, the other way round
        [MEDMCQA_NORM],
        [],
    ]
    assert CTC_81_NORM[5:18] == "1前30天内或者5个半衰期"
    assert decon.drop_reasons(inputs) == [same, gram, None, gram, same, None, same, gram, same, None, None]
    assert decon.drop_reason(ctc["validation-81"]) == same
    assert normalised_inputs(ctc["validation-62"]) == [CTC_62_NORM] and decon.drop_reason(ctc["validation-62"]) is None


def test_the_evaluation_bitmap_holds_the_top_27_bits_of_each_ngram_hash(ctc: dict) -> None:
    # 2^27 bits (16 MiB); bit (hash >> 37) is set for each of validation-81's 28 13-gram hashes
    decon = Decontaminator()
    decon.add_eval_record(ctc["validation-81"])
    assert decon.drop_reasons([[MEDMCQA_NORM]]) == [None]  # the first check builds the bitmap
    assert decon._bitmap.nbytes == 1 << 24
    slots = {_hash(CTC_81_NORM[i:i + 13]) >> 37 for i in range(28)}
    assert np.flatnonzero(np.unpackbits(decon._bitmap, bitorder="little")).tolist() == sorted(slots)
