"""Inference with a trained run: single/multi-turn generation, an interactive REPL, JSONL batch mode.

Where it sits: after ``biocurate train`` (or ``biocurate merge``); used by ``biocurate chat`` and by
the evaluation stage through the batch mode. Prompts are built by
:class:`biocurate.training.data.SequenceBuilder`, so they match training exactly
(``<eod>h1<eod>a1<eod>...<eod>h<eod>`` for the Taiyi format) and generation stops at ``<eod>``.

Batch mode reads JSON Lines rows ``{"id": ..., "conversation": [{"human": ..., "assistant": ...}, ...]}``
and writes ``{"id": ..., "prediction": ...}`` per row, in input order. ``prediction`` answers the
last human turn. Earlier turns use their given ``assistant`` text as history; an earlier turn whose
``assistant`` is missing or empty is generated first (the extra replies go to ``turn_predictions``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from biocurate.training.data import SequenceBuilder

#: Written by ``biocurate merge`` beside a merged model: the prompt format it was trained with.
MERGED_INFO = "biocurate_chat.json"


@dataclass
class GenerationSettings:
    """Decoding options (greedy by default, for reproducible evaluation)."""

    max_new_tokens: int = 512
    do_sample: bool = False
    temperature: float = 0.3
    top_p: float = 0.9
    repetition_penalty: float = 1.0
    max_prompt_tokens: int = 0  # 0 = the run's max_seq_length; longer prompts keep their last tokens


@dataclass
class ChatModel:
    """A loaded model, its tokenizer and the prompt builder of the run's format."""

    model: Any
    tokenizer: Any
    builder: SequenceBuilder
    max_seq_length: int = 1024


def load_chat_model(path: str | Path, adapter: str | None = None, load_in_4bit: bool = False,
                    dtype: str = "auto", device: str | None = None) -> ChatModel:
    """Load a run directory (base model + its final adapter) or a merged model folder for generation.

    Args:
        path: a ``biocurate train`` run directory, or a ``biocurate merge`` output folder.
        adapter: a specific adapter folder of the run (default: ``RUN_DIR/adapter``).
        load_in_4bit: load the base model in 4-bit NF4 (needs less memory, slightly different outputs).
        dtype: ``auto``, ``float16``, ``bfloat16`` or ``float32``.
        device: ``cuda``/``cpu`` (default: CUDA when available).
    """
    import torch
    from biocurate.training.model import (
        load_base_model,
        load_lora,
        load_tokenizer,
        resolve_dtype,
    )
    from biocurate.training.stages import RUN_FILE, read_run

    path = Path(path)
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    torch_dtype = resolve_dtype(dtype)
    if (path / RUN_FILE).is_file():
        run = read_run(path)
        adapter_dir = Path(adapter) if adapter else path / (run.get("adapter") or "adapter")
        base, trust = run["base_model"], bool(run.get("trust_remote_code"))
        tokenizer = load_tokenizer(str(adapter_dir) if (adapter_dir / "tokenizer_config.json").is_file() else base, trust)
        model = load_base_model(base, load_in_4bit, torch_dtype, trust, device_map={"": device} if load_in_4bit else None)
        model = load_lora(model, str(adapter_dir), load_in_4bit, trainable=False)
        fmt, max_len = run.get("format", "eod"), int(run.get("max_seq_length", 1024))
    else:
        info = json.loads((path / MERGED_INFO).read_text(encoding="utf-8")) if (path / MERGED_INFO).is_file() else {}
        trust = bool(info.get("trust_remote_code"))
        tokenizer = load_tokenizer(str(path), trust)
        model = load_base_model(str(path), load_in_4bit, torch_dtype, trust, device_map={"": device} if load_in_4bit else None)
        fmt, max_len = info.get("format", "eod"), int(info.get("max_seq_length", 1024))
    if not load_in_4bit:
        model.to(device)
    model.eval()
    return ChatModel(model, tokenizer, SequenceBuilder(tokenizer, max_len, fmt), max_len)


def generate(chat: ChatModel, prompts: list[tuple[list[tuple[str, str]], str]],
             settings: GenerationSettings | None = None) -> list[str]:
    """Replies to a batch of prompts, each ``(history, human)`` with history a list of (human, assistant).

    Prompts are left-padded into one batch; decoding stops at the format's end token.
    """
    import torch

    settings = settings or GenerationSettings()
    limit = settings.max_prompt_tokens or chat.max_seq_length
    ids = [chat.builder.prompt_ids(history, human)[-limit:] for history, human in prompts]
    width = max(len(x) for x in ids)
    pad = chat.tokenizer.pad_token_id if chat.tokenizer.pad_token_id is not None else chat.builder.eod
    device = next(chat.model.parameters()).device
    input_ids = torch.tensor([[pad] * (width - len(x)) + x for x in ids], device=device)
    attention = torch.tensor([[0] * (width - len(x)) + [1] * len(x) for x in ids], device=device)
    kwargs: dict[str, Any] = {"max_new_tokens": settings.max_new_tokens, "do_sample": settings.do_sample,
                              "repetition_penalty": settings.repetition_penalty,
                              "eos_token_id": chat.builder.stop_ids, "pad_token_id": pad}
    if settings.do_sample:
        kwargs.update(temperature=settings.temperature, top_p=settings.top_p)
    else:
        kwargs.update(temperature=None, top_p=None, top_k=None)
    with torch.no_grad():
        out = chat.model.generate(input_ids=input_ids, attention_mask=attention, **kwargs)
    return [chat.tokenizer.decode(row[width:], skip_special_tokens=True).strip() for row in out.tolist()]


def answer_rows(chat: ChatModel, rows: list[dict[str, Any]], settings: GenerationSettings | None = None) -> list[dict[str, Any]]:
    """Predictions for batch-mode rows (see module docstring); one output dict per row, same order."""
    histories: list[list[tuple[str, str]]] = [[] for _ in rows]
    generated: list[list[str]] = [[] for _ in rows]
    turns = [[(t.get("human") or "", t.get("assistant")) for t in (r.get("conversation") or [])] for r in rows]
    for i, row in enumerate(rows):
        if not turns[i]:
            raise ValueError(f"batch input row {row.get('id')!r}: 'conversation' has no turns")
    for t in range(max(len(x) for x in turns)):
        todo = [i for i, x in enumerate(turns) if t < len(x) and (t == len(x) - 1 or not x[t][1])]
        replies = generate(chat, [(histories[i], turns[i][t][0]) for i in todo], settings) if todo else []
        reply_of = dict(zip(todo, replies))
        for i, x in enumerate(turns):
            if t < len(x):
                if i in reply_of:
                    generated[i].append(reply_of[i])
                histories[i].append((x[t][0], reply_of[i] if i in reply_of else x[t][1]))
    out = []
    for row, gen in zip(rows, generated):
        item = {"id": row.get("id"), "prediction": gen[-1]}
        if len(gen) > 1:
            item["turn_predictions"] = gen
        out.append(item)
    return out


def run_batch(chat: ChatModel, rows: Iterable[dict[str, Any]], out: IO[str], batch_size: int = 8,
              settings: GenerationSettings | None = None) -> int:
    """Generate for every row of ``rows`` in batches of ``batch_size`` and write JSON Lines to ``out``."""
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch_size:
            count += _flush(chat, chunk, out, settings)
            chunk = []
    if chunk:
        count += _flush(chat, chunk, out, settings)
    return count


def _flush(chat: ChatModel, chunk: list[dict[str, Any]], out: IO[str], settings: GenerationSettings | None) -> int:
    for item in answer_rows(chat, chunk, settings):
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
    out.flush()
    return len(chunk)


def read_jsonl(path: str | Path) -> Iterable[dict[str, Any]]:
    """Rows of a JSON Lines file (blank lines skipped); errors name the line."""
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"file {path} line {n}: not valid JSON ({exc})") from exc


def repl(chat: ChatModel, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout,
         settings: GenerationSettings | None = None) -> None:
    """Interactive multi-turn chat: one line per user turn; ``/reset`` clears history, ``/exit`` or EOF quits."""
    history: list[tuple[str, str]] = []
    interactive = stdin.isatty()
    if interactive:
        print("biocurate chat: type a message; /reset clears the history, /exit quits.", file=sys.stderr)
    while True:
        if interactive:
            stdout.write("User: ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text == "/exit":
            break
        if text == "/reset":
            history = []
            continue
        reply = generate(chat, [(history, text)], settings)[0]
        history.append((text, reply))
        stdout.write(f"Assistant: {reply}\n")
        stdout.flush()
