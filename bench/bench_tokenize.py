"""Tokenisation throughput of training data preparation: today's row-at-a-time path, the batched
tokenised cache, and a plain batched ``tokenizer(texts)`` floor, side by side in one run.

    .venv/bin/python bench/generate.py --out /tmp/bench-raw --scale 1
    .venv/bin/biocurate export --mix bench/taiyi-v1-bench.yaml --data-dir /tmp/bench-raw --out /tmp/bench-export
    .venv/bin/python bench/bench_tokenize.py --export /tmp/bench-export

The tokenizer is a byte-level BPE of Qwen2's size (151,643 merges' worth of vocabulary, Qwen2's
pre-tokenisation regex and NFC normaliser, ``<|endoftext|>``/``<|im_start|>``/``<|im_end|>``,
ChatML template) trained offline with ``tokenizers`` on the export's own text; it is saved under
``--tokenizer-dir`` and reused by later runs. Nothing is downloaded.

Measured (wall seconds, this process plus its workers):
  * today: ``load_conversations`` + ``datasets.map`` of ``SequenceBuilder.encode`` row by row (the
    code path training used before the cache), on an even sample of ``--today-rows`` rows (the full
    export would take tens of minutes);
  * new: :class:`biocurate.training.token_cache.TokenCache` over every row of the export (fresh
    folder, ``--workers`` processes), then the same rows again as stage 2 would ask (all cached);
  * floor: ``tokenizer(texts, add_special_tokens=False)`` over every human and assistant text of the
    export, in batches of 10,000, texts read beforehand (not timed);
  * packing: first-fit-decreasing over the cached rows (blocks of 1,000).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|"
                 r"\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_VOCAB = 151_643  # BPE tokens of Qwen2 (the specials come on top)


def export_texts(files: list[str]) -> tuple[list[str], int]:
    """Every human and assistant text of the export, in order, and the row count."""
    texts: list[str] = []
    rows = 0
    for f in files:
        conv = pq.read_table(f, columns=["conversation"]).column("conversation").combine_chunks()
        rows += len(conv)
        turns = conv.flatten()
        humans = pc.fill_null(pc.struct_field(turns, "human"), "").to_pylist()
        answers = pc.fill_null(pc.struct_field(turns, "assistant"), "").to_pylist()
        pair: list[str] = [""] * (2 * len(humans))
        pair[0::2], pair[1::2] = humans, answers
        texts += pair
    return texts, rows


def qwen_size_tokenizer(folder: Path, texts: list[str], train_texts: int) -> object:
    """Load the bench tokenizer from ``folder``, training and saving it first when absent."""
    from transformers import PreTrainedTokenizerFast

    from biocurate.training.testing import CHATML

    if (folder / "tokenizer.json").is_file():
        return PreTrainedTokenizerFast.from_pretrained(str(folder))
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    bpe = Tokenizer(models.BPE())
    bpe.normalizer = normalizers.NFC()
    bpe.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=QWEN2_VOCAB + len(specials), special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    step = max(1, len(texts) // train_texts)
    start = time.perf_counter()
    bpe.train_from_iterator(texts[::step], trainer=trainer)
    print(f"trained the BPE tokenizer on {len(texts[::step]):,} texts in {time.perf_counter() - start:.0f} s: "
          f"vocabulary {bpe.get_vocab_size():,}", flush=True)
    tok = PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token="<|endoftext|>", pad_token="<|endoftext|>",
                                  additional_special_tokens=specials[1:])
    tok.chat_template = CHATML
    folder.mkdir(parents=True, exist_ok=True)
    tok.save_pretrained(str(folder))
    return tok


def today(builder, files: list[str], sample: int) -> tuple[int, int, float]:
    """Rows, tokens, seconds of the row-at-a-time path (datasets.map, one process) on an even sample."""
    from biocurate.training.data import IGNORE_INDEX
    from biocurate.training.shards import load_conversations

    def encode_rows(batch):  # SequenceBuilder.encode_batch before the batched encoder
        out = {"input_ids": [], "labels": []}
        for conversation in batch["conversation"]:
            enc = builder.encode(conversation)
            if any(label != IGNORE_INDEX for label in enc["labels"]):
                out["input_ids"].append(enc["input_ids"])
                out["labels"].append(enc["labels"])
        return out

    ds = load_conversations(files, None, False)
    ds = ds.select(np.linspace(0, len(ds) - 1, min(sample, len(ds))).astype(np.int64))
    start = time.perf_counter()
    out = ds.map(encode_rows, batched=True, remove_columns=["conversation", "category"])
    seconds = time.perf_counter() - start
    tokens = int(pc.sum(pc.list_value_length(out.data.column("input_ids"))).as_py())
    return len(ds), tokens, seconds


def floor(tokenizer, texts: list[str], rows: int) -> tuple[int, int, float]:
    """Rows, tokens, seconds of plain batched ``tokenizer(texts)`` over ``texts``."""
    tokens = 0
    start = time.perf_counter()
    for i in range(0, len(texts), 10_000):
        tokens += sum(map(len, tokenizer(texts[i:i + 10_000], add_special_tokens=False)["input_ids"]))
    return rows, tokens, time.perf_counter() - start


def line(name: str, rows: int, tokens: int, seconds: float) -> str:
    return f"{name:<34} {rows:>10,} {tokens:>13,} {seconds:>9.1f} {rows / seconds:>11,.0f} {tokens / seconds:>12,.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", required=True, help="export folder (bench/taiyi-v1-bench.yaml over bench data)")
    parser.add_argument("--tokenizer-dir", default=str(Path(tempfile.gettempdir()) / "biocurate-bench-qwen-bpe"))
    parser.add_argument("--train-texts", type=int, default=300_000, help="texts the BPE trainer sees")
    parser.add_argument("--today-rows", type=int, default=20_000, help="sample size of the row-at-a-time path")
    parser.add_argument("--format", default="eod", choices=["eod", "chat_template"])
    parser.add_argument("--max-seq-length", type=int, default=1024)
    parser.add_argument("--workers", type=int, default=0, help="tokenisation processes (0: one per CPU)")
    parser.add_argument("--work", default=None, help="scratch folder for the cache (default: a temporary one)")
    args = parser.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from biocurate.training.data import SequenceBuilder
    from biocurate.training.packing import iter_packed
    from biocurate.training.shards import shard_files
    from biocurate.training.token_cache import TokenCache, default_workers

    files = shard_files(args.export)
    texts, rows = export_texts(files)
    tok = qwen_size_tokenizer(Path(args.tokenizer_dir), texts, args.train_texts)
    builder = SequenceBuilder(tok, args.max_seq_length, args.format)
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-tokenize-"))
    os.environ["HF_DATASETS_CACHE"] = str(work / "hf-datasets")  # today's map writes its cache here
    print(f"export {args.export}: {rows:,} rows, {len(texts):,} texts; tokenizer vocabulary {len(tok):,}; "
          f"format {args.format}, max_seq_length {args.max_seq_length}; {os.cpu_count()} CPUs", flush=True)
    results = []
    try:
        results.append(("today (row at a time, sample)", *today(builder, files, args.today_rows)))
        print(line(*results[-1]), flush=True)
        cache = TokenCache(work / "tokenized", args.export, files, builder)
        parts = cache.parts(None)
        stats = cache.build(parts, args.workers)
        results.append((f"new (cache, {stats.workers} workers)", stats.rows, stats.tokens, stats.seconds))
        print(line(*results[-1]), flush=True)
        start = time.perf_counter()
        again = TokenCache(work / "tokenized", args.export, files, builder).build(parts)
        reuse = time.perf_counter() - start
        table = cache.table(parts)
        start = time.perf_counter()
        packed = sum(b.num_rows for b in iter_packed(table, args.max_seq_length))
        pack_s = time.perf_counter() - start
        results.append(("floor (tokenizer(texts) batched)", *floor(tok, texts, rows)))
        print(line(*results[-1]), flush=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"{'path':<34} {'rows':>10} {'tokens':>13} {'seconds':>9} {'rows/s':>11} {'tokens/s':>12}")
    for r in results:
        print(line(*r))
    base, new, flo = (r[1] / r[3] for r in results)
    print(f"\nnew / today: {new / base:.1f}x rows/s; floor / new: {flo / new:.2f}x")
    print(f"stage 2 over the same rows: {again.parts_cached} parts from the cache, {reuse:.2f} s")
    print(f"packing {table.num_rows:,} rows -> {packed:,} packed rows: {pack_s:.1f} s "
          f"({table.num_rows / pack_s:,.0f} rows/s); default workers here: {default_workers()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
