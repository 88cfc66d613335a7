"""Loading the base model and tokenizer, 4-bit quantisation, and LoRA wrapping.

Where it sits: called by :mod:`biocurate.training.trainer` for training and by the chat/merge
commands for inference. QLoRA follows Firefly (taiyi-pipeline.md section 4): NF4 4-bit weights with
double quantisation via bitsandbytes, ``prepare_model_for_kbit_training``, and LoRA on every linear
layer except the output head, found by module type like Firefly's ``find_all_linear_names``.

Without CUDA, ``quantization="auto"`` falls back to full-precision LoRA and says so; ``"4bit"``
forces bitsandbytes' CPU 4-bit path (slow, for tests).
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Iterator
from typing import Any

CPU_FALLBACK_MESSAGE = (
    "biocurate train: CUDA is not available, so 4-bit QLoRA is off: training full-precision (float32) LoRA on the "
    "CPU instead. Same adapter format; pass --quantization 4bit to force bitsandbytes 4-bit on the CPU."
)


@contextlib.contextmanager
def _quiet_peft() -> Iterator[None]:
    """Hide transformers 5's ``gradient_checkpointing`` -> ``activation_checkpointing`` rename warnings that
    peft 0.21 triggers internally (nothing to fix on our side; see stack-notes.md)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(is_gradient_checkpointing|gradient_checkpointing_enable).*",
                                category=FutureWarning)
        yield


def cuda_available() -> bool:
    """True when torch sees a CUDA device."""
    import torch

    return torch.cuda.is_available()


def local_rank() -> int:
    """This process's GPU index under torchrun / accelerate (0 when not distributed)."""
    return int(os.environ.get("LOCAL_RANK", "0"))


def is_main_process() -> bool:
    """True on the rank that prints and writes run metadata."""
    return int(os.environ.get("RANK", "0")) == 0


def resolve_quantization(quantization: str, announce: bool = True) -> bool:
    """Decide 4-bit loading: ``auto`` -> CUDA present; ``4bit`` -> yes; ``none`` -> no.

    Prints :data:`CPU_FALLBACK_MESSAGE` (stderr, main rank) when ``auto`` falls back on a CPU machine.
    """
    if quantization == "4bit":
        return True
    if quantization == "none":
        return False
    if cuda_available():
        return True
    if announce and is_main_process():
        print(CPU_FALLBACK_MESSAGE, file=sys.stderr, flush=True)
    return False


def resolve_dtype(name: str) -> Any:
    """``auto`` -> bf16 on CUDA when supported, else fp16; fp32 on CPU. Otherwise the named torch dtype."""
    import torch

    if name != "auto":
        return getattr(torch, name)
    if cuda_available():
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


def load_tokenizer(name_or_path: str, trust_remote_code: bool = False) -> Any:
    """Load a tokenizer and make sure it has an eos (eod) and a pad token (pad = eod, as Firefly does for Qwen)."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(name_or_path, trust_remote_code=trust_remote_code)
    if tok.eos_token_id is None and getattr(tok, "eod_id", None) is not None:  # Qwen-1: <|endoftext|> is eod_id
        with contextlib.suppress(Exception):  # remote tokenizers may refuse; SequenceBuilder falls back to eod_id
            tok.eos_token = tok.pad_token = tok.convert_ids_to_tokens(tok.eod_id)
    if tok.pad_token_id is None and tok.eos_token is not None:
        tok.pad_token = tok.eos_token
    return tok


def load_base_model(
    name_or_path: str,
    load_in_4bit: bool,
    dtype: Any,
    trust_remote_code: bool = False,
    attn_implementation: str = "",
    device_map: Any = None,
) -> Any:
    """Load the causal LM, 4-bit NF4 with double quantisation when ``load_in_4bit`` (Firefly's settings).

    ``device_map`` defaults to ``{"": LOCAL_RANK}`` for 4-bit on CUDA (one full copy per DDP rank)
    and ``{"": "cpu"}`` for 4-bit on CPU; full-precision models are placed by the Trainer.
    """
    import torch
    from transformers import AutoModelForCausalLM

    kwargs: dict[str, Any] = {"dtype": dtype, "trust_remote_code": trust_remote_code}
    if attn_implementation:
        kwargs["attn_implementation"] = attn_implementation
    if load_in_4bit:
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_compute_dtype=dtype,
            bnb_4bit_use_double_quant=True,
            bnb_4bit_quant_type="nf4",
            llm_int8_threshold=6.0,
            llm_int8_has_fp16_weight=False,
        )
        if device_map is None:
            device_map = {"": local_rank()} if torch.cuda.is_available() else {"": "cpu"}
    if device_map is not None:
        kwargs["device_map"] = device_map
    return AutoModelForCausalLM.from_pretrained(name_or_path, **kwargs)


def find_all_linear_names(model: Any) -> list[str]:
    """Names (last component) of every linear layer except the output head, found by module type.

    Counts ``torch.nn.Linear`` and bitsandbytes ``Linear4bit``/``Linear8bitLt``; the head is the
    model's output embedding (``lm_head``), tied or not.
    """
    import torch

    types: tuple[type, ...] = (torch.nn.Linear,)
    try:
        import bitsandbytes as bnb
    except Exception:  # noqa: BLE001 - bitsandbytes missing or broken: plain Linear only
        bnb = None
    if bnb is not None:
        types += (bnb.nn.Linear4bit, bnb.nn.Linear8bitLt)
    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    names = set()
    for name, module in model.named_modules():
        if isinstance(module, types) and module is not head:
            names.add(name.split(".")[-1])
    names.discard("lm_head")
    return sorted(names)


def add_lora(model: Any, cfg: Any, load_in_4bit: bool) -> Any:
    """Prepare (4-bit) and wrap ``model`` with a fresh LoRA adapter from ``cfg`` (a TrainConfig)."""
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    if load_in_4bit:
        with _quiet_peft():
            model = prepare_model_for_kbit_training(
                model,
                use_gradient_checkpointing=cfg.gradient_checkpointing,
                gradient_checkpointing_kwargs={"use_reentrant": False},
            )
    targets = find_all_linear_names(model) if cfg.lora_target_modules == "all-linear" else list(cfg.lora_target_modules)
    lora = LoraConfig(
        r=cfg.lora_rank,
        lora_alpha=cfg.lora_alpha,
        lora_dropout=cfg.lora_dropout,
        target_modules=targets,
        bias="none",
        task_type="CAUSAL_LM",
    )
    with _quiet_peft():
        return get_peft_model(model, lora)


def load_lora(model: Any, adapter_dir: str, load_in_4bit: bool, trainable: bool, gradient_checkpointing: bool = True) -> Any:
    """Attach a saved adapter to ``model`` (trainable to continue training it, e.g. in stage 2)."""
    from peft import PeftModel, prepare_model_for_kbit_training

    with _quiet_peft():
        if load_in_4bit and trainable:
            model = prepare_model_for_kbit_training(
                model,
                use_gradient_checkpointing=gradient_checkpointing,
                gradient_checkpointing_kwargs={"use_reentrant": False},
            )
        return PeftModel.from_pretrained(model, adapter_dir, is_trainable=trainable)
