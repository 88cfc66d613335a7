"""Detokenisation of PTB/Moses-style English token lists (the IOB conversions' sentences).

Corpora distributed as one token per line (BC2GM-IOB and the other Crichton et al. 2017
conversions) lose the original spacing; joining their tokens with single spaces gives text no
writer produced: ``( Richner - Hanhart syndrome ) , IL - 2 .``. :func:`token_spacing` decides,
for each token, whether a space precedes it, so that a reader gets ``(Richner-Hanhart
syndrome), IL-2.``, and the offsets of mentions can still be computed over the joined text.

Rules (each checked on the BC2GM sample): no space before ``, . ; : ! ? % ) ] }`` or a clitic
(``'s``, ``n't``) or a ``+`` closing a name (``CD4+``); none after ``( [ {``; a hyphen or slash
between two tokens is glued on both sides (``Richner-Hanhart``, ``IL-2``, ``p50/p65``); straight double quotes open and
close alternately. The original spelling cannot always be recovered (``a - b`` may have been a
spaced dash); this is the reading that is right for names, which matter most in NER.
"""

from __future__ import annotations

_CLOSE = frozenset({",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "+", "'s", "n't", "'", "'re", "'ve", "'ll", "'d", "'m"})
_OPEN = frozenset({"(", "[", "{"})
_GLUE = frozenset({"-", "/", "--"})
#: a clitic split in two tokens: ``oncoprotein ' s`` -> ``oncoprotein's``
_CLITIC_TAILS = frozenset({"s", "t", "re", "ve", "ll", "d", "m"})


def token_spacing(tokens: list[str]) -> list[bool]:
    """Whether a space goes before each token (always False for the first)."""
    spaces: list[bool] = []
    quote_open = False
    previous = ""
    for k, token in enumerate(tokens):
        if k == 0:
            space = False
        elif token in _CLOSE or previous in _OPEN or (previous == "'" and token in _CLITIC_TAILS):
            space = False
        elif token in _GLUE or previous in _GLUE:
            # hyphens and slashes inside a name are glued both ways
            space = False
        elif token == '"':
            space = not quote_open
        elif previous == '"':
            space = not quote_open
        else:
            space = True
        if token == '"':
            quote_open = not quote_open
        spaces.append(space)
        previous = token
    return spaces


def detokenise(tokens: list[str]) -> str:
    """The tokens joined as :func:`token_spacing` says."""
    return "".join((" " if space else "") + token for token, space in zip(tokens, token_spacing(tokens)))
