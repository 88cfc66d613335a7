"""Batched tokenisation and the tokenised cache against the row-at-a-time path, on the bundled export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from biocurate.training.data import IGNORE_INDEX, SequenceBuilder
from biocurate.training.encode import BatchEncoder
from biocurate.training.shards import NON_DIALOGUE, load_conversations, shard_files
from biocurate.training.token_cache import TokenCache, tokenizer_fingerprint


@pytest.fixture(scope="session")
def bundled_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``biocurate export --mix taiyi-v1`` over the bundled corpus samples (about 35k rows, two stages)."""
    from biocurate.cli import main

    out = tmp_path_factory.mktemp("bundled") / "taiyi-v1"
    assert main(["export", "--mix", "taiyi-v1", "--out", str(out), "--quiet"]) == 0
    return out


def reference(builder: SequenceBuilder, files: list[str], categories) -> dict[str, list]:
    """Today's path: the stage's rows as load_conversations gives them, encoded one row at a time."""
    out: dict[str, list] = {"input_ids": [], "labels": []}
    for conversation in load_conversations(files, categories, False)["conversation"]:
        enc = builder.encode(conversation)
        if any(label != IGNORE_INDEX for label in enc["labels"]):
            out["input_ids"].append(enc["input_ids"])
            out["labels"].append(enc["labels"])
    return out


def reference_pack(batch: dict[str, list], max_seq_length: int) -> dict[str, list]:
    """The item-by-item first-fit-decreasing packing the training used before (kept here as the oracle)."""
    order = sorted(range(len(batch["input_ids"])), key=lambda i: -len(batch["input_ids"][i]))
    bins: list[list[int]] = []
    room: list[int] = []
    for i in order:
        n = len(batch["input_ids"][i])
        for b, free in enumerate(room):
            if n <= free:
                bins[b].append(i)
                room[b] -= n
                break
        else:
            bins.append([i])
            room.append(max_seq_length - n)
    return {"input_ids": [[t for i in m for t in batch["input_ids"][i]] for m in bins],
            "labels": [[t for i in m for t in batch["labels"][i]] for m in bins],
            "seq_lengths": [[len(batch["input_ids"][i]) for i in m] for m in bins]}


@pytest.mark.parametrize("fmt", ["eod", "chat_template"])
def test_cache_equals_row_at_a_time_path_on_bundled_export(bundled_export, tokenizer, tmp_path, fmt) -> None:
    files = shard_files(bundled_export)
    builder = SequenceBuilder(tokenizer, 1024, fmt)
    cache = TokenCache(tmp_path / "tok", bundled_export, files, builder)
    parts = cache.parts(None)
    stats = cache.build(parts, workers=2)
    assert stats.workers == 2 and stats.parts_done == len(parts)
    ds = cache.dataset(parts)
    ref = reference(builder, files, None)
    assert len(ref["input_ids"]) > 30_000
    assert ds["input_ids"] == ref["input_ids"]
    assert ds["labels"] == ref["labels"]
    assert stats.kept == len(ref["input_ids"]) and stats.tokens == sum(map(len, ref["input_ids"]))


@pytest.mark.parametrize("fmt", ["eod", "chat_template"])
def test_batch_encoder_cuts_and_drops_like_encode(bundled_export, tokenizer, fmt) -> None:
    # short max_seq_length: many rows cut, many left with no trained token; every 7th row of the export
    files = shard_files(bundled_export)
    rows = load_conversations(files, None, False)["conversation"][::7]
    for length in (48, 300):
        builder = SequenceBuilder(tokenizer, length, fmt)
        kept = [builder.encode(c) for c in rows]
        kept = [e for e in kept if any(label != IGNORE_INDEX for label in e["labels"])]
        got = BatchEncoder(builder).encode_pylist(rows)
        assert 0 < len(kept) < len(rows)
        assert got.to_pylist() == {"input_ids": [e["input_ids"] for e in kept], "labels": [e["labels"] for e in kept]}


def test_batch_encoder_reads_null_and_empty_turns_as_encode_does(tokenizer) -> None:
    builder = SequenceBuilder(tokenizer, 64)
    rows = [[{"human": None, "assistant": "答"}], [], None, [{"human": "q", "assistant": None}],
            [{"human": "", "assistant": ""}, {"human": "再问", "assistant": "再答"}]]
    expect = [builder.encode(r or []) for r in rows]
    expect = [e for e in expect if any(label != IGNORE_INDEX for label in e["labels"])]
    got = BatchEncoder(builder).encode_pylist(rows)
    assert got.to_pylist() == {"input_ids": [e["input_ids"] for e in expect], "labels": [e["labels"] for e in expect]}
    assert got.kept.tolist() == [True, False, False, True, True]


def test_stage2_tokenises_only_what_stage1_did_not(export_dir, tokenizer, tmp_path) -> None:
    files = shard_files(export_dir)
    builder = SequenceBuilder(tokenizer, 128)
    cache = TokenCache(tmp_path / "tok", export_dir, files, builder)
    stage1, stage2 = cache.parts(NON_DIALOGUE), cache.parts(None)
    first = cache.build(stage1)
    second = cache.build(stage2)
    assert first.parts_done == len(stage1) and first.rows == 27
    assert second.parts_cached == len(stage1) and second.parts_done == len(stage2) - len(stage1)
    assert second.rows == 12  # the dialogue and QA rows only
    # the export's shards mix categories in one row group: the stage's rows come back in export order
    for parts, cats in ((stage1, NON_DIALOGUE), (stage2, None)):
        ds = cache.dataset(parts)
        ref = reference(builder, files, cats)
        assert ds["input_ids"] == ref["input_ids"] and ds["labels"] == ref["labels"]


def test_second_run_reuses_fresh_redoes_and_a_lost_part_is_rebuilt(export_dir, tokenizer, tmp_path) -> None:
    files = shard_files(export_dir)
    builder = SequenceBuilder(tokenizer, 128)
    parts = TokenCache(tmp_path / "tok", export_dir, files, builder).parts(None)
    TokenCache(tmp_path / "tok", export_dir, files, builder).build(parts)
    again = TokenCache(tmp_path / "tok", export_dir, files, builder)
    assert again.build(parts).parts_done == 0
    lost = again.dir / parts[1].relpath()
    lost.unlink()
    assert again.build(parts).parts_done == 1 and lost.is_file()
    fresh = TokenCache(tmp_path / "tok", export_dir, files, builder, fresh=True)
    assert fresh.build(parts).parts_done == len(parts)
    assert fresh.build(parts).parts_done == 0  # fresh once per pass, not on every stage of it
    assert not list(fresh.dir.rglob("*.tmp*"))


def test_key_follows_export_tokenizer_format_and_length(export_dir, tokenizer, tmp_path) -> None:
    files = shard_files(export_dir)
    root = tmp_path / "tok"
    base = TokenCache(root, export_dir, files, SequenceBuilder(tokenizer, 128)).dir
    assert TokenCache(root, export_dir, files, SequenceBuilder(tokenizer, 128)).dir == base
    assert TokenCache(root, export_dir, files, SequenceBuilder(tokenizer, 64)).dir != base
    assert TokenCache(root, export_dir, files, SequenceBuilder(tokenizer, 128, "chat_template")).dir != base
    before = tokenizer_fingerprint(tokenizer)
    template = tokenizer.chat_template
    try:
        tokenizer.chat_template = template + " "
        assert tokenizer_fingerprint(tokenizer) != before
    finally:
        tokenizer.chat_template = template
    manifest = export_dir / "manifest.json"
    text = manifest.read_text(encoding="utf-8")
    try:
        manifest.write_text(text.replace('"tiny"', '"tiny2"'), encoding="utf-8")
        assert TokenCache(root, export_dir, files, SequenceBuilder(tokenizer, 128)).dir != base
    finally:
        manifest.write_text(text, encoding="utf-8")


def test_packed_cache_equals_previous_packing(bundled_export, tokenizer, tmp_path) -> None:
    files = shard_files(bundled_export)
    builder = SequenceBuilder(tokenizer, 256)
    cache = TokenCache(tmp_path / "tok", bundled_export, files, builder)
    parts = cache.parts(NON_DIALOGUE)
    cache.build(parts)
    plain = cache.dataset(parts)
    packed = cache.dataset(parts, packing=True)
    expect: dict[str, list] = {"input_ids": [], "labels": [], "seq_lengths": []}
    for start in range(0, len(plain), 1000):
        block = reference_pack(plain[start:start + 1000], 256)
        for k in expect:
            expect[k] += block[k]
    assert len(packed) < len(plain)
    for k in expect:
        assert packed[k] == expect[k], k


def test_ffd_bins_equal_item_by_item_ffd_on_random_lengths() -> None:
    from biocurate.training.packing import ffd_bins

    rng = np.random.default_rng(7)
    for trial in range(400):
        n, cap = int(rng.integers(0, 200)), int(rng.integers(1, 80))
        lengths = rng.integers(1, cap + 1, n) if trial % 2 else np.minimum(rng.geometric(0.15, n), cap)
        order, bounds = ffd_bins(lengths, cap)
        bins = [order[bounds[b]:bounds[b + 1]].tolist() for b in range(len(bounds) - 1)]
        ids = [[i] * int(m) for i, m in enumerate(lengths)]
        ref = reference_pack({"input_ids": ids, "labels": ids}, cap)
        expect = [[sample[0] for sample in _split(row, sizes)] for row, sizes in zip(ref["input_ids"], ref["seq_lengths"])]
        assert bins == expect, trial
    with pytest.raises(ValueError, match="lengths must be in"):
        ffd_bins(np.array([3, 9]), 8)


def _split(row: list[int], lengths: list[int]) -> list[list[int]]:
    out, start = [], 0
    for n in lengths:
        out.append(row[start:start + n])
        start += n
    return out
