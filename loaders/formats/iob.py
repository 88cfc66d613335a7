"""CoNLL-style IOB files: one ``token<TAB>tag`` per line, a blank line between sentences.

Used by the Crichton et al. (2017) conversions (BC2GM ``devel.tsv`` etc.): tags are ``O``,
``B-<TYPE>`` and ``I-<TYPE>``; the files carry no document ids and no character offsets.

:func:`iter_iob` streams :class:`IOBSentence` objects; a line without exactly two columns or
with a tag outside ``O``/``B-x``/``I-x`` makes its sentence a
:class:`~loaders.formats.common.Malformed` naming that line. :func:`rebuild` joins the tokens
with single spaces and returns each mention's character span in that text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .common import DecodeFailure, Malformed, iter_text_lines

_TAG = re.compile(r"^(O|[BI]-\S+)$")


@dataclass
class IOBSentence:
    line: int
    tokens: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class IOBMention:
    type: str
    start: int
    end: int
    text: str
    first_token: int


def iter_iob(path: Path, sep: str = "\t", encoding: str | None = None) -> Iterator[IOBSentence | Malformed]:
    """Yield the sentences of an IOB file (or the problem of an unreadable one), streaming; a
    line that cannot be decoded makes its sentence a :class:`Malformed` (field ``encoding``)."""
    sentence: IOBSentence | None = None
    problem: Malformed | None = None
    for number, line in iter_text_lines(path, encoding):
        if isinstance(line, DecodeFailure):
            sentence = sentence or IOBSentence(number)
            problem = problem or line.malformed()
            continue
        if not line.strip():
            if sentence is not None:
                yield problem or sentence
            sentence, problem = None, None
            continue
        if sentence is None:
            sentence = IOBSentence(number)
        cols = line.split(sep)
        if problem is not None:
            continue
        if len(cols) != 2 or not cols[0]:
            problem = Malformed(f"line {number}: expected 'token{sep!r}tag', got {len(cols)} column(s)", str(path), number, "columns", None, line)
        elif not _TAG.match(cols[1]):
            problem = Malformed(f"line {number}: tag {cols[1]!r} is not O, B-<type> or I-<type>", str(path), number, "tag", None, line)
        else:
            sentence.tokens.append(cols[0])
            sentence.tags.append(cols[1])
    if sentence is not None:
        yield problem or sentence


def rebuild(tokens: list[str], tags: list[str], spacing: list[bool] | None = None) -> tuple[str, list[IOBMention]]:
    """The sentence text (tokens joined by one space, or as ``spacing`` says: whether a space
    precedes each token, see :func:`.detok.token_spacing`) and its mentions with character spans.

    A mention starts at ``B-x``, or at an ``I-x`` that does not continue a mention of type
    ``x`` (the usual conlleval reading of a stray ``I-``), and extends over following ``I-x``.
    """
    spacing = spacing if spacing is not None else [k > 0 for k in range(len(tokens))]
    starts, position = [], 0
    for token, space in zip(tokens, spacing):
        position += 1 if space else 0
        starts.append(position)
        position += len(token)
    text = "".join((" " if space else "") + token for token, space in zip(tokens, spacing))
    mentions: list[IOBMention] = []
    current: IOBMention | None = None
    for k, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        end = starts[k] + len(tokens[k])
        if prefix == "I" and current is not None and current.type == kind:
            current.end = end
            continue
        if current is not None:
            current.text = text[current.start:current.end]
            mentions.append(current)
            current = None
        if prefix in ("B", "I"):
            current = IOBMention(kind, starts[k], end, "", k)
    if current is not None:
        current.text = text[current.start:current.end]
        mentions.append(current)
    return text, mentions
