"""Fold a run's LoRA adapter into its base model (Firefly's ``merge_lora.py``).

Where it sits: after ``biocurate train``; the merged folder is a plain transformers model that
``biocurate chat``, vLLM or any Hub tool can load without peft. The base model is loaded in full
precision (not 4-bit), the standard QLoRA export path, so the merged weights are not re-quantised.
"""

from __future__ import annotations

import json
from pathlib import Path

from biocurate.training.chat import MERGED_INFO


def merge(run_dir: str | Path, out_dir: str | Path, adapter: str | None = None, dtype: str = "auto") -> Path:
    """Merge the run's final adapter (or ``adapter``) into the base model and save it to ``out_dir``.

    Args:
        run_dir: a ``biocurate train`` run directory.
        out_dir: where the merged model, tokenizer and ``biocurate_chat.json`` go.
        adapter: another adapter folder (e.g. ``RUN_DIR/stage1/adapter``).
        dtype: weight dtype of the merged model: ``auto`` (bf16 if CUDA supports it, fp16 on other
            CUDA, fp32 on CPU), ``float16``, ``bfloat16`` or ``float32``.

    Returns:
        The output folder.
    """
    from biocurate.training.model import (
        load_base_model,
        load_lora,
        load_tokenizer,
        resolve_dtype,
    )
    from biocurate.training.stages import read_run

    run_dir, out_dir = Path(run_dir), Path(out_dir)
    run = read_run(run_dir)
    adapter_dir = Path(adapter) if adapter else run_dir / (run.get("adapter") or "adapter")
    if not (adapter_dir / "adapter_config.json").is_file():
        raise FileNotFoundError(f"{adapter_dir}: no adapter_config.json (has training finished? see run.json)")
    trust = bool(run.get("trust_remote_code"))
    base = load_base_model(run["base_model"], False, resolve_dtype(dtype), trust)
    model = load_lora(base, str(adapter_dir), load_in_4bit=False, trainable=False).merge_and_unload()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out_dir))
    tok_src = str(adapter_dir) if (adapter_dir / "tokenizer_config.json").is_file() else run["base_model"]
    load_tokenizer(tok_src, trust).save_pretrained(str(out_dir))
    info = {"format": run.get("format", "eod"), "max_seq_length": run.get("max_seq_length", 1024),
            "base_model": run["base_model"], "adapter": str(adapter_dir), "trust_remote_code": trust}
    (out_dir / MERGED_INFO).write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
    return out_dir
