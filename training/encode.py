"""Batched tokenisation: a whole Arrow batch of conversations -> ``input_ids``/``labels`` in a few calls.

Where it sits: the fast path behind :class:`biocurate.training.data.SequenceBuilder`. ``encode`` there
is the reference (one conversation, one tokenizer call per utterance); :class:`BatchEncoder` gives
the same ids and labels for a batch of rows with one tokenizer call for every utterance (or chat
template piece) of the batch, then stitches the pieces back with numpy:

1. every text piece of the batch goes into one list (eod: ``h1, a1, h2, a2, ...`` of every row;
   chat_template: the pieces :meth:`SequenceBuilder._template_pieces` cuts, in order);
2. one ``encode_batch`` of the fast tokenizer's backend (no special tokens) gives the flat ids
   and each piece's length;
3. each row is a run of segments (a piece, or a literal ``<eod>``), each trained or not; the
   token arrays, the mask, the cut to ``max_seq_length`` and the "no trained token left" drop are
   array operations over all tokens of the batch at once.

The result is a pair of Arrow ``list<int32>`` arrays plus the kept-row mask, ready to be written
to the tokenised cache (:mod:`biocurate.training.token_cache`) without a round trip through Python
lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: label of tokens that are not trained (the cross-entropy's ignore_index)
IGNORE_INDEX = -100
#: words whose BPE merges the backend keeps (tokenizers' default is 10,000)
BPE_WORD_CACHE = 100_000

if TYPE_CHECKING:
    from biocurate.training.data import SequenceBuilder


@dataclass
class EncodedBatch:
    """Tokenised rows of one batch.

    Attributes:
        input_ids: ``list<int32>``, one entry per kept row.
        labels: ``list<int32>``, same shape, ``-100`` on untrained tokens.
        kept: bool per input row; False where the row has no trained token after the cut.
    """

    input_ids: pa.ListArray
    labels: pa.ListArray
    kept: np.ndarray

    @property
    def tokens(self) -> int:
        """Tokens over all kept rows (after the cut)."""
        return len(self.input_ids.values)

    def to_pylist(self) -> dict[str, list[list[int]]]:
        """The columns as Python lists (for ``datasets.map``)."""
        return {"input_ids": self.input_ids.to_pylist(), "labels": self.labels.to_pylist()}


class BatchEncoder:
    """Encode Arrow batches of conversations exactly as :meth:`SequenceBuilder.encode` does row by row.

    Args:
        builder: gives the tokenizer, ``format``, ``max_seq_length`` and the ``<eod>`` id.

    Example:
        >>> enc = BatchEncoder(SequenceBuilder(tok, 1024))                        # doctest: +SKIP
        >>> out = enc.encode_arrow(table.column("conversation").combine_chunks())  # doctest: +SKIP
        >>> out.input_ids[0].as_py() == builder.encode(rows[0])["input_ids"]         # doctest: +SKIP
        True
    """

    def __init__(self, builder: SequenceBuilder) -> None:
        self.builder = builder
        tok = builder.tokenizer
        backend = getattr(tok, "backend_tokenizer", None) if getattr(tok, "is_fast", False) else None
        self._backend = backend
        model = getattr(backend, "model", None)
        if hasattr(model, "_resize_cache"):
            # BPE keeps the merges of recent words; 10,000 by default, too few for a corpus's vocabulary
            # (measured: -25 % tokenisation time on the bench mixture). A cache only; ids unchanged.
            model._resize_cache(BPE_WORD_CACHE)
        self._split_special = bool(getattr(tok, "split_special_tokens", False))

    # ---- tokenisation of a flat list of texts ----
    def token_ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(flat_ids int32, lengths int64)`` of ``texts``, each tokenised alone without special tokens."""
        if not texts:
            return np.zeros(0, np.int32), np.zeros(0, np.int64)
        if self._backend is not None:
            # the same backend call transformers' fast tokenizer makes, minus the BatchEncoding lists
            if self._backend.encode_special_tokens != self._split_special:
                self._backend.encode_special_tokens = self._split_special
            encode = getattr(self._backend, "encode_batch_fast", self._backend.encode_batch)
            encodings = encode(texts, add_special_tokens=False)
            lengths = np.fromiter((len(e) for e in encodings), np.int64, len(encodings))
            flat = np.fromiter(chain.from_iterable(e.ids for e in encodings), np.int32, int(lengths.sum()))
            return flat, lengths
        pieces = self.builder.tokenizer(texts, add_special_tokens=False)["input_ids"]
        lengths = np.fromiter((len(p) for p in pieces), np.int64, len(pieces))
        return np.fromiter(chain.from_iterable(pieces), np.int32, int(lengths.sum())), lengths

    # ---- public API ----
    def encode_arrow(self, conversations: pa.Array) -> EncodedBatch:
        """Encode a ``list<struct<human, assistant>>`` array (nulls read as empty, as ``encode`` does)."""
        if isinstance(conversations, pa.ChunkedArray):
            conversations = conversations.combine_chunks()
        if self.builder.format == "eod":
            return self._encode_eod(conversations)
        return self.encode_pylist(conversations.to_pylist())

    def encode_pylist(self, conversations: list[list[dict[str, str]] | None]) -> EncodedBatch:
        """Encode conversations given as Python lists of ``{human, assistant}`` dicts."""
        if self.builder.format == "eod":
            turn = pa.struct([("human", pa.string()), ("assistant", pa.string())])
            return self._encode_eod(pa.array(conversations, type=pa.list_(turn)))
        texts: list[str] = []
        trained: list[bool] = []
        pieces_per_row = np.zeros(len(conversations), np.int64)
        for r, conversation in enumerate(conversations):
            turns = [((t or {}).get("human") or "", (t or {}).get("assistant") or "") for t in conversation or []]
            pieces = self.builder._template_pieces(turns)
            pieces_per_row[r] = len(pieces)
            for text, is_trained in pieces:
                texts.append(text)
                trained.append(is_trained)
        flat, lengths = self.token_ids(texts)
        n_seg = len(texts)
        seg_row = np.repeat(np.arange(len(conversations)), pieces_per_row)
        return self._assemble(len(conversations), seg_row, lengths, np.ones(n_seg, bool),
                              np.asarray(trained, bool).reshape(n_seg), flat)

    # ---- eod layout: <eod> h1 <eod> a1 <eod> h2 <eod> a2 <eod> ... ----
    def _encode_eod(self, conversations: pa.ListArray) -> EncodedBatch:
        rows = len(conversations)
        turns_per_row = pc.fill_null(pc.list_value_length(conversations), 0).to_numpy(zero_copy_only=False)
        turns_per_row = turns_per_row.astype(np.int64)
        turns = conversations.flatten()  # the non-null rows' turns, in order
        n_turns = len(turns)
        humans = pc.fill_null(pc.struct_field(turns, "human"), "").to_pylist()
        answers = pc.fill_null(pc.struct_field(turns, "assistant"), "").to_pylist()
        texts: list[str] = [""] * (2 * n_turns)
        texts[0::2] = humans
        texts[1::2] = answers
        flat, lengths = self.token_ids(texts)
        # segments: row r opens with <eod>; turn t (of row r) adds [human, <eod>, answer, <eod>]
        turn_row = np.repeat(np.arange(rows), turns_per_row)
        turn_start = np.concatenate([[0], np.cumsum(turns_per_row)[:-1]]).astype(np.int64)
        n_seg = rows + 4 * n_turns
        seg_len = np.ones(n_seg, np.int64)
        seg_text = np.zeros(n_seg, bool)
        seg_trained = np.zeros(n_seg, bool)
        base = turn_row + 1 + 4 * np.arange(n_turns)  # position of turn t's human segment
        seg_len[base] = lengths[0::2]
        seg_len[base + 2] = lengths[1::2]
        seg_text[base] = seg_text[base + 2] = True
        seg_trained[base + 2] = seg_trained[base + 3] = True
        seg_row = np.empty(n_seg, np.int64)
        seg_row[np.arange(rows) + 4 * turn_start] = np.arange(rows)
        for k in range(4):
            seg_row[base + k] = turn_row
        return self._assemble(rows, seg_row, seg_len, seg_text, seg_trained, flat)

    def _assemble(self, rows: int, seg_row: np.ndarray, seg_len: np.ndarray, seg_text: np.ndarray,
                  seg_trained: np.ndarray, flat: np.ndarray) -> EncodedBatch:
        """Lay the segments out as tokens, cut rows to ``max_seq_length``, drop rows with nothing trained.

        Segments are in row order; a text segment takes the next ``seg_len`` ids of ``flat``, a
        non-text segment is one literal ``<eod>``.
        """
        total = int(seg_len.sum())
        ids = np.full(total, self.builder.eod, np.int32)
        is_text = np.repeat(seg_text, seg_len)
        ids[is_text] = flat
        trained = np.repeat(seg_trained, seg_len)
        row_len = np.bincount(seg_row, weights=seg_len, minlength=rows).astype(np.int64)
        row_start = np.concatenate([[0], np.cumsum(row_len)[:-1]]).astype(np.int64)
        token_row = np.repeat(np.arange(rows), row_len)
        in_cut = (np.arange(total) - row_start[token_row]) < self.builder.max_seq_length
        kept = np.bincount(token_row[in_cut & trained], minlength=rows) > 0
        keep_tok = in_cut & kept[token_row]
        out_len = np.minimum(row_len, self.builder.max_seq_length)[kept]
        offsets = pa.array(np.concatenate([[0], np.cumsum(out_len)]).astype(np.int32))
        values = ids[keep_tok]
        labels = np.where(trained[keep_tok], values, np.int32(IGNORE_INDEX)).astype(np.int32)
        return EncodedBatch(pa.ListArray.from_arrays(offsets, pa.array(values)),
                            pa.ListArray.from_arrays(offsets, pa.array(labels)), kept)


def encoder_for(builder: SequenceBuilder) -> BatchEncoder:
    """The :class:`BatchEncoder` of ``builder`` (built once, kept on the builder)."""
    enc: Any = getattr(builder, "_batch_encoder", None)
    if enc is None:
        enc = BatchEncoder(builder)
        builder._batch_encoder = enc  # type: ignore[attr-defined]
    return enc
