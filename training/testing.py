"""A tiny offline Qwen2 model and a small export, for tests and smoke runs (no downloads).

Where it sits: beside the training stage; ``tests/training`` and ``scripts/gpu_check.sh`` build
both in seconds. The tokenizer is a byte-level BPE trained with ``tokenizers`` on the export's own
text (specials ``<|endoftext|>``, ``<|im_start|>``, ``<|im_end|>``, ChatML chat template), the model a
randomly initialised ``Qwen2ForCausalLM`` (stack-notes.md sections 2-4).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CHATML = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

_ROWS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    # (category, language, dataset, turns)
    ("ner", "zh", "cmeee", [("从下面文本中识别出指定的实体类型：\n患者出现发热和咳嗽。\n实体类型：疾病，症状", "症状：发热; 咳嗽")]),
    ("ner", "en", "ncbi_disease", [("Extract the disease entities from the following text:\nBRCA1 mutations cause breast cancer.",
                                   "disease: breast cancer")]),
    ("re", "zh", "cmeie", [("找出句子中的具有药物治疗关系类型的头尾实体对：阿司匹林可用于治疗头痛。",
                            "具有药物治疗关系的实体对如下：[头痛, 阿司匹林]")]),
    ("re", "en", "chemprot", [("Extract the relation between compound and protein entity from the text:\nAspirin inhibits COX-1.",
                               "relation between compound and protein entity: [Aspirin, COX-1]")]),
    ("tc", "zh", "kuake_qic", [("现有以下文本：“糖尿病吃什么药好”\n请将上述文本分类至指定类别中：治疗方案，病因分析", "上述文本被分类为：治疗方案")]),
    ("tc", "en", "hallmarks_of_cancer", [("Classify the following text into the specified text label: \"Tumour cells evade apoptosis.\"\nText Labels: apoptosis, angiogenesis",
                                          "Result: apoptosis")]),
    ("mt", "zh-en", "paramed", [("将下面文本翻译成英文：\n高血压是常见病。", "Hypertension is a common disease.")]),
    ("mt", "en-zh", "paramed", [("Translate the following text into Chinese:\nThe patient has a fever.", "患者发烧了。")]),
    ("pair", "zh", "chip_sts", [("语句1：头痛怎么办\n语句2：头疼如何处理\n请评估语义相似度：语义不相同，语义相同", "语义相同")]),
    ("qa", "en", "pubmedqa", [("Does aspirin reduce the risk of heart attack? Answer yes or no.", "yes")]),
    ("qa", "zh", "cmedqa", [("感冒了应该多喝水吗？", "是的，感冒时多喝水有助于恢复。")]),
    ("dialogue", "zh", "meddialog", [
        ("医生你好，我咳嗽三天了。", "请问有痰吗？"),
        ("有一点白痰。", "可以服用止咳化痰药，多喝水。"),
        ("需要去医院吗？", "如果发烧超过三天，请去医院就诊。"),
    ]),
    ("dialogue", "en", "meddialog_en", [
        ("I have had a headache since yesterday.", "Do you have a fever?"),
        ("No fever.", "Rest well and drink water; take paracetamol if needed."),
    ]),
]

SCHEMA_FIELDS = ("id", "dataset", "split", "record_id", "template_id", "task", "category", "language", "licence")


def sample_rows(copies: int = 3) -> list[dict[str, Any]]:
    """Export rows (contract columns) covering NER/RE/TC/MT/pair/QA and multi-turn dialogue, zh and en."""
    rows = []
    for c in range(copies):
        for n, (category, language, dataset, turns) in enumerate(_ROWS):
            rows.append({
                "id": f"{dataset}-{c}-{n}", "dataset": dataset, "split": "train", "record_id": str(n),
                "template_id": f"{category}-{language}-{c}", "task": category, "category": category,
                "language": language, "licence": "CC-BY-4.0",
                "conversation": [{"human": h, "assistant": a} for h, a in turns],
            })
    return rows


def write_export(export_dir: str | Path, rows: list[dict[str, Any]] | None = None, stages: bool = True,
                 shards: int = 2) -> Path:
    """Write ``rows`` (default :func:`sample_rows`) as an export: ``data/train-*.parquet`` + ``manifest.json``.

    With ``stages``, the manifest has Taiyi's two stages (stage1: non-dialogue categories, stage2: all).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    export_dir = Path(export_dir)
    rows = sample_rows() if rows is None else rows
    turn = pa.struct([("human", pa.string()), ("assistant", pa.string())])
    schema = pa.schema([(f, pa.string()) for f in SCHEMA_FIELDS] + [("conversation", pa.list_(turn))])
    (export_dir / "data" / "train").mkdir(parents=True, exist_ok=True)
    for k in range(shards):
        part = rows[k::shards]
        table = pa.Table.from_pylist(part, schema=schema)
        pq.write_table(table, export_dir / "data" / "train" / f"train-{k:05d}-of-{shards:05d}.parquet")
    manifest: dict[str, Any] = {"name": "tiny", "rows": len(rows)}
    if stages:
        manifest["stages"] = [
            {"name": "stage1", "categories": ["ner", "re", "ee", "tc", "pair", "mt", "other"], "epochs": 5},
            {"name": "stage2", "categories": None, "epochs": 3},
        ]
    (export_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return export_dir


def build_tiny_model(out_dir: str | Path, hidden_size: int = 64, num_layers: int = 2, vocab_size: int = 2000,
                     seed: int = 0, extra_text: list[str] | None = None) -> Path:
    """Train a byte-level BPE tokenizer offline and save it with a random tiny Qwen2 to ``out_dir``."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    out_dir = Path(out_dir)
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    lines = [t for r in sample_rows(1) for turn in r["conversation"] for t in turn.values()]
    lines += (extra_text or []) + ["user assistant system"] * 3
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    bpe.train_from_iterator(lines * 20, trainer=trainer)
    tok = PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token="<|endoftext|>", pad_token="<|endoftext|>",
                                  additional_special_tokens=specials[1:])
    tok.chat_template = CHATML
    torch.manual_seed(seed)
    config = Qwen2Config(hidden_size=hidden_size, num_hidden_layers=num_layers, num_attention_heads=4,
                         num_key_value_heads=2, intermediate_size=hidden_size * 2, vocab_size=len(tok),
                         tie_word_embeddings=True, max_position_embeddings=2048,
                         eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id, bos_token_id=None)
    model = Qwen2ForCausalLM(config)
    model.generation_config.eos_token_id = tok.eos_token_id
    model.generation_config.pad_token_id = tok.pad_token_id
    model.save_pretrained(out_dir)
    tok.save_pretrained(out_dir)
    return out_dir
