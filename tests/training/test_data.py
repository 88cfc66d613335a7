"""Sequence building (Firefly/Taiyi <eod> layout), loss masks, truncation, padding and packing."""

from __future__ import annotations

import pytest
import torch
from biocurate.training.data import (
    IGNORE_INDEX,
    SequenceBuilder,
    SFTCollator,
    pack_batch,
)


def ids(tok, text: str) -> list[int]:
    return tok(text, add_special_tokens=False)["input_ids"]


def test_eod_layout_and_mask_single_turn(tokenizer) -> None:
    b = SequenceBuilder(tokenizer, 1024)
    E = tokenizer.eos_token_id
    assert tokenizer.convert_ids_to_tokens(E) == "<|endoftext|>"
    q, a = ids(tokenizer, "患者出现发热"), ids(tokenizer, "症状：发热")
    enc = b.encode([{"human": "患者出现发热", "assistant": "症状：发热"}])
    assert enc["input_ids"] == [E, *q, E, *a, E]
    assert enc["labels"] == [IGNORE_INDEX] * (len(q) + 2) + [*a, E]


def test_eod_mask_multi_turn_trains_every_assistant_turn(tokenizer) -> None:
    b = SequenceBuilder(tokenizer, 1024)
    E = tokenizer.eos_token_id
    turns = [("I have a cough.", "Any phlegm?"), ("A little.", "Drink water."), ("Hospital?", "If fever.")]
    enc = b.encode([{"human": h, "assistant": a} for h, a in turns])
    expect_ids, expect_labels = [E], [IGNORE_INDEX]
    for h, a in turns:
        hi, ai = ids(tokenizer, h) + [E], ids(tokenizer, a) + [E]
        expect_ids += hi + ai
        expect_labels += [IGNORE_INDEX] * len(hi) + ai
    assert enc["input_ids"] == expect_ids and enc["labels"] == expect_labels
    # the trained spans decode to exactly the three answers
    spans, cur = [], []
    for tok_id, lab in zip(enc["input_ids"], enc["labels"]):
        if lab != IGNORE_INDEX:
            cur.append(tok_id)
        elif cur:
            spans.append(cur)
            cur = []
    spans.append(cur)
    assert [tokenizer.decode(s[:-1]) for s in spans] == [a for _, a in turns]
    assert all(s[-1] == E for s in spans)


def test_chat_template_mask_is_assistant_content_and_end_marker(tokenizer) -> None:
    b = SequenceBuilder(tokenizer, 1024, format="chat_template")
    assert tokenizer.convert_ids_to_tokens(b.stop_ids[0]) == "<|im_end|>"
    turns = [{"human": "你好", "assistant": "您好，请讲。"}, {"human": "头痛", "assistant": "多休息。"}]
    enc = b.encode(turns)
    assert tokenizer.decode(enc["input_ids"]) == tokenizer.apply_chat_template(
        [m for t in turns for m in ({"role": "user", "content": t["human"]},
                                    {"role": "assistant", "content": t["assistant"]})], tokenize=False)
    trained = tokenizer.decode([i for i, lab in zip(enc["input_ids"], enc["labels"]) if lab != IGNORE_INDEX])
    assert trained == "您好，请讲。<|im_end|>\n多休息。<|im_end|>\n"
    # the generation prompt is the training prefix up to the answer
    prompt = b.prompt_ids([("你好", "您好，请讲。")], "头痛")
    assert enc["input_ids"][: len(prompt)] == prompt


def test_prompt_ids_match_training_layout(tokenizer) -> None:
    b = SequenceBuilder(tokenizer, 1024)
    enc = b.encode([{"human": "q1", "assistant": "a1"}, {"human": "q2", "assistant": "a2"}])
    prompt = b.prompt_ids([("q1", "a1")], "q2")
    assert enc["input_ids"][: len(prompt)] == prompt
    assert enc["labels"][len(prompt) - 1] == IGNORE_INDEX and enc["labels"][len(prompt)] != IGNORE_INDEX


def test_truncation_and_untrainable_rows_dropped(tokenizer) -> None:
    b = SequenceBuilder(tokenizer, 8)
    long_q = "很长的问题" * 20
    enc = b.encode([{"human": "q", "assistant": "answer text that is long " * 5}])
    assert len(enc["input_ids"]) == 8 and len(enc["labels"]) == 8
    batch = {"conversation": [[{"human": long_q, "assistant": "a"}], [{"human": "q", "assistant": "a"}]]}
    out = b.encode_batch(batch)
    assert len(out["input_ids"]) == 1  # the first has no trained token left after truncation


def test_collator_right_pads_to_longest_and_caps(tokenizer) -> None:
    pad = tokenizer.pad_token_id
    coll = SFTCollator(pad, max_seq_length=6)
    batch = coll([{"input_ids": [5, 6, 7], "labels": [-100, 6, 7]},
                  {"input_ids": [1, 2, 3, 4, 5], "labels": [-100, -100, 3, 4, 5]}])
    assert batch["input_ids"].tolist() == [[5, 6, 7, pad, pad], [1, 2, 3, 4, 5]]
    assert batch["labels"].tolist() == [[-100, 6, 7, -100, -100], [-100, -100, 3, 4, 5]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]
    capped = coll([{"input_ids": list(range(10)), "labels": list(range(10))}])
    assert capped["input_ids"].shape == (1, 6)


def test_pack_batch_first_fit_and_position_ids() -> None:
    batch = {"input_ids": [[1] * 5, [2] * 3, [3] * 4, [4] * 2], "labels": [[-100] * 5, [-100] * 3, [-100] * 4, [-100] * 2]}
    packed = pack_batch(batch, max_seq_length=8)
    assert packed["seq_lengths"] == [[5, 3], [4, 2]]
    assert packed["input_ids"][0] == [1] * 5 + [2] * 3
    coll = SFTCollator(0, 8)
    out = coll([{k: packed[k][i] for k in packed} for i in range(2)])
    assert "attention_mask" not in out
    assert out["position_ids"].tolist() == [[0, 1, 2, 3, 4, 0, 1, 2], [0, 1, 2, 3, 0, 1, 0, 1]]
    assert out["labels"][1, 6:].tolist() == [-100, -100]


@pytest.mark.parametrize("attn", ["sdpa", "eager"])
def test_packing_has_no_cross_sample_attention(tiny_model, tokenizer, attn: str) -> None:
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(tiny_model), attn_implementation=attn).eval()
    b = SequenceBuilder(tokenizer, 128)
    samples = [b.encode([{"human": "头痛怎么办", "assistant": "多休息"}]),
               b.encode([{"human": "Any fever?", "assistant": "No fever."}])]
    packed = pack_batch({k: [s[k] for s in samples] for k in ("input_ids", "labels")}, 128)
    assert len(packed["input_ids"]) == 1
    batch = SFTCollator(tokenizer.pad_token_id, 128)([{k: packed[k][0] for k in packed}])
    with torch.no_grad():
        # use_cache=False as in training: with a cache, transformers skips packed-sequence detection
        joint = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False).logits[0]
        start = 0
        for n in packed["seq_lengths"][0]:
            alone = model(input_ids=batch["input_ids"][:, start:start + n]).logits[0]
            torch.testing.assert_close(joint[start:start + n], alone, atol=1e-5, rtol=1e-4)
            start += n
