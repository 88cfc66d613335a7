"""PTB/Moses detokenisation of IOB token lists (loaders/formats/detok.py)."""

from __future__ import annotations

from loaders.formats.detok import detokenise, token_spacing
from loaders.formats.iob import rebuild


def test_rules() -> None:
    assert detokenise("2 cases of type II tyrosinosis ( Richner - Hanhart syndrome )".split()) == (
        "2 cases of type II tyrosinosis (Richner-Hanhart syndrome)"
    )
    assert detokenise("IL - 2 , CD4 + and/or p50 / p65 ( 95 % ) .".split()) == "IL-2, CD4+ and/or p50/p65 (95%)."
    assert detokenise(["the", "c", "-", "jun", "oncoprotein", "'", "s", "zipper"]) == "the c-jun oncoprotein's zipper"
    assert detokenise(['a', '"', 'quoted', 'name', '"', 'here']) == 'a "quoted name" here'
    assert token_spacing([]) == [] and token_spacing(["x"]) == [False]


def test_rebuild_spans_follow_the_spacing() -> None:
    tokens = ["(", "c", "-", "jun", ")", "binds", "fos", "."]
    tags = ["O", "B-GENE", "I-GENE", "I-GENE", "O", "O", "B-GENE", "O"]
    text, mentions = rebuild(tokens, tags, token_spacing(tokens))
    assert text == "(c-jun) binds fos."
    assert [(m.text, text[m.start:m.end]) for m in mentions] == [("c-jun", "c-jun"), ("fos", "fos")]
    assert rebuild(tokens, tags)[0] == " ".join(tokens)  # default: single spaces, as before
