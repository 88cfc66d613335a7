"""Sequence building, loss masks, packing and the batch collator (Firefly/Taiyi layout).

Where it sits: turns each exported ``conversation`` (a list of ``{human, assistant}`` turns) into
``input_ids`` + ``labels`` for the Trainer, and builds generation prompts for ``biocurate chat``
with the very same code, so training and inference agree token for token.

``format="eod"`` (Taiyi/Firefly)::

    <eod> human1 <eod> assistant1 <eod> human2 <eod> assistant2 <eod> ...

``<eod>`` is the tokenizer's end-of-document token (``eos``; ``<|endoftext|>`` for Qwen). Every
utterance is tokenized alone with ``add_special_tokens=False``. Labels are ``-100`` except on
assistant tokens and the ``<eod>`` that closes each of them, so every assistant turn of a dialogue
is trained in one sample. Sequences are cut to ``max_seq_length``; samples left with no trained token
are dropped.

``format="chat_template"`` renders the tokenizer's own chat template turn by turn and trains on
the text each assistant message adds (its content and end-of-turn marker), with the same mask rule.

Packing (optional) puts several samples in one row of at most ``max_seq_length`` tokens and gives
each its own ``position_ids`` starting at 0, with no ``attention_mask``: transformers then builds a
block-diagonal causal mask (sdpa/eager/flex) or uses variable-length kernels (flash-attention), so
no token attends across samples. Every sample starts with a masked token, so no loss crosses a
boundary either.
"""

from __future__ import annotations

from typing import Any

from biocurate.training.encode import IGNORE_INDEX, encoder_for
from biocurate.training.packing import ffd_bins


def eod_token_id(tokenizer: Any) -> int:
    """The end-of-document id: ``eos_token_id``, or Qwen-1's ``eod_id``.

    Raises:
        ValueError: the tokenizer has neither.
    """
    tid = getattr(tokenizer, "eos_token_id", None)
    if tid is None:
        tid = getattr(tokenizer, "eod_id", None)
    if tid is None:
        raise ValueError("the tokenizer has no eos token (nor Qwen's eod_id); set tokenizer.eos_token first")
    return int(tid)


class SequenceBuilder:
    """Tokenize conversations into ``input_ids``/``labels`` and build generation prompts.

    Args:
        tokenizer: a Hugging Face tokenizer.
        max_seq_length: truncation length for training sequences.
        format: ``"eod"`` (Taiyi/Firefly) or ``"chat_template"`` (the tokenizer's template).
    """

    def __init__(self, tokenizer: Any, max_seq_length: int = 1024, format: str = "eod") -> None:
        if format not in ("eod", "chat_template"):
            raise ValueError(f"format must be 'eod' or 'chat_template', got {format!r}")
        if format == "chat_template" and not getattr(tokenizer, "chat_template", None):
            raise ValueError("format 'chat_template': this tokenizer has no chat_template; use format 'eod'")
        self.tokenizer = tokenizer
        self.max_seq_length = max_seq_length
        self.format = format
        self.eod = eod_token_id(tokenizer)
        self.stop_ids = [self.eod] if format == "eod" else self._template_stop_ids()

    # ---- tokenization helpers ----
    def _ids(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def _render(self, messages: list[dict[str, str]], generation_prompt: bool) -> str:
        return self.tokenizer.apply_chat_template(
            messages, tokenize=False, add_generation_prompt=generation_prompt
        )

    def _template_pieces(self, turns: list[tuple[str, str | None]]) -> list[tuple[str, bool]]:
        """Split the rendered conversation into (text, trained) pieces; a None assistant ends on the prompt."""
        pieces: list[tuple[str, bool]] = []
        messages: list[dict[str, str]] = []
        prev = ""
        for human, assistant in turns:
            messages.append({"role": "user", "content": human})
            text = self._render(messages, generation_prompt=True)
            pieces.append((self._suffix(prev, text), False))
            prev = text
            if assistant is None:
                break
            messages.append({"role": "assistant", "content": assistant})
            text = self._render(messages, generation_prompt=False)
            pieces.append((self._suffix(prev, text), True))
            prev = text
        return pieces

    @staticmethod
    def _suffix(prev: str, text: str) -> str:
        if not text.startswith(prev):
            raise ValueError(
                "format 'chat_template': the template is not prefix-stable (rendering more turns changes earlier "
                "text), so assistant spans cannot be located; use format 'eod'"
            )
        return text[len(prev):]

    def _template_stop_ids(self) -> list[int]:
        probe = "\u2063probe\u2063"
        piece = self._template_pieces([("x", probe)])[-1][0]
        suffix = piece[piece.rindex(probe) + len(probe):]
        ids = self._ids(suffix) if suffix.strip() else []
        stops = [ids[0]] if ids else []
        return stops + [self.eod] if self.eod not in stops else stops

    # ---- public API ----
    def encode(self, conversation: list[dict[str, str]]) -> dict[str, list[int]]:
        """Token ids and labels of one conversation (truncated to ``max_seq_length``).

        Example (eod format, ``E`` = eod id)::

            [{"human": "q", "assistant": "a"}]  ->  input_ids [E, q.., E, a.., E]
                                                      labels [-100, -100.., -100, a.., E]
        """
        input_ids: list[int] = []
        labels: list[int] = []
        if self.format == "eod":
            input_ids.append(self.eod)
            labels.append(IGNORE_INDEX)
            for turn in conversation:
                human = self._ids(turn["human"] or "") + [self.eod]
                answer = self._ids(turn["assistant"] or "") + [self.eod]
                input_ids += human + answer
                labels += [IGNORE_INDEX] * len(human) + answer
        else:
            turns = [(t["human"] or "", t["assistant"] or "") for t in conversation]
            for text, trained in self._template_pieces(turns):
                ids = self._ids(text)
                input_ids += ids
                labels += ids if trained else [IGNORE_INDEX] * len(ids)
        return {"input_ids": input_ids[: self.max_seq_length], "labels": labels[: self.max_seq_length]}

    def prompt_ids(self, history: list[tuple[str, str]], human: str) -> list[int]:
        """Generation prompt: earlier ``(human, assistant)`` turns, then ``human``, ready for the reply.

        Same layout as training: ``<eod>h1<eod>a1<eod>...<eod>human<eod>`` (or the chat template
        with its generation prompt). Not truncated.
        """
        if self.format == "eod":
            ids = [self.eod]
            for h, a in history:
                ids += self._ids(h) + [self.eod] + self._ids(a) + [self.eod]
            return ids + self._ids(human) + [self.eod]
        ids = []
        for text, _ in self._template_pieces([*history, (human, None)]):
            ids += self._ids(text)
        return ids

    def encode_batch(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        """``datasets.map(batched=True)`` function: conversations -> input_ids/labels, dropping untrainable rows.

        Same output as :meth:`encode` row by row, computed by the batched encoder
        (:class:`biocurate.training.encode.BatchEncoder`).
        """
        return encoder_for(self).encode_pylist(batch["conversation"]).to_pylist()


def pack_batch(batch: dict[str, list[Any]], max_seq_length: int) -> dict[str, list[Any]]:
    """``datasets.map(batched=True)`` function: first-fit-decreasing packing into rows of <= max_seq_length.

    Returns the columns ``input_ids``, ``labels`` and ``seq_lengths`` (the length of each packed
    sample, used by :class:`SFTCollator` to restart ``position_ids``). Deterministic; the bins of
    :func:`biocurate.training.packing.ffd_bins`.
    """
    lengths = [len(ids) for ids in batch["input_ids"]]
    order, bounds = ffd_bins(lengths, max_seq_length)
    out: dict[str, list[Any]] = {"input_ids": [], "labels": [], "seq_lengths": []}
    for b in range(len(bounds) - 1):
        members = order[bounds[b]:bounds[b + 1]].tolist()
        out["input_ids"].append([t for i in members for t in batch["input_ids"][i]])
        out["labels"].append([t for i in members for t in batch["labels"][i]])
        out["seq_lengths"].append([lengths[i] for i in members])
    return out


class SFTCollator:
    """Right-pad a list of encoded samples into tensors (Firefly's ``SFTDataCollator``).

    Pads to the longest row of the batch (capped at ``max_seq_length``) with ``pad_token_id``;
    padded positions get ``attention_mask`` 0 and label -100. Packed rows (with ``seq_lengths``)
    get ``position_ids`` restarting at 0 for every sample (and for the padding) and no
    ``attention_mask``, which makes transformers mask attention block-diagonally.
    """

    def __init__(self, pad_token_id: int, max_seq_length: int = 1024) -> None:
        self.pad_token_id = pad_token_id
        self.max_seq_length = max_seq_length

    def __call__(self, features: list[dict[str, Any]]) -> dict[str, Any]:
        import torch

        length = min(max(len(f["input_ids"]) for f in features), self.max_seq_length)
        packed = "seq_lengths" in features[0]
        ids, labels, mask, positions = [], [], [], []
        for f in features:
            row = list(f["input_ids"][:length])
            pad = length - len(row)
            ids.append(row + [self.pad_token_id] * pad)
            labels.append(list(f["labels"][:length]) + [IGNORE_INDEX] * pad)
            mask.append([1] * len(row) + [0] * pad)
            if packed:
                pos: list[int] = []
                for n in f["seq_lengths"]:
                    pos += range(n)
                positions.append(pos[:length] + list(range(pad)))
        batch = {"input_ids": torch.tensor(ids, dtype=torch.long), "labels": torch.tensor(labels, dtype=torch.long)}
        if packed:
            batch["position_ids"] = torch.tensor(positions, dtype=torch.long)
        else:
            batch["attention_mask"] = torch.tensor(mask, dtype=torch.long)
        return batch
