"""Training configuration: Taiyi's QLoRA recipe as defaults, overridable from a file and the CLI.

Where it sits: the first thing ``biocurate train`` builds. Precedence is
defaults < config file (JSON or YAML) < command-line ``--KEY VALUE`` options. This module does not
import torch, so the CLI can describe the options without the ``train`` extra.

Field names follow Hugging Face ``TrainingArguments`` / Firefly where they exist, so a Firefly
``train_args`` file mostly loads as is; a few short aliases (``epochs``, ``lr``, ``batch_size``,
``model_name_or_path``, ``output_dir``, ``lora_r``) are accepted in files and on the command line.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from biocurate.errors import BiocurateError

#: Taiyi-1's epochs when neither the config nor the manifest stage says.
DEFAULT_EPOCHS = 3.0


class TrainingConfigError(BiocurateError):
    """A training configuration is invalid (unknown key, wrong type, impossible combination)."""


def _opt(default: Any, help: str, **kw: Any) -> Any:
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda d=default: type(d)(d), metadata={"help": help, **kw})
    return field(default=default, metadata={"help": help, **kw})


@dataclass
class TrainConfig:
    """Everything one ``biocurate train`` run needs. Defaults are Taiyi-1's reported recipe.

    ``data`` is an export directory (``manifest.json`` + ``data/**.parquet``), ``model`` a Hub id
    or local folder of the base model, ``out`` the run directory (adapters, checkpoints, ``run.json``).
    """

    data: str = _opt("", "export directory: manifest.json + data/**.parquet")
    model: str = _opt("", "base model: Hub id or local folder")
    out: str = _opt("", "run directory (adapters, checkpoints, run.json)")
    # --- Taiyi-1 hyper-parameters (taiyi-pipeline.md section 4) ---
    num_train_epochs: float | None = _opt(
        None, "epochs of every stage (default: each manifest stage's own epochs, else 3)", type=float
    )
    per_device_train_batch_size: int = _opt(12, "samples (or packed rows) per device per micro-batch")
    gradient_accumulation_steps: int = _opt(2, "micro-batches per optimizer step")
    learning_rate: float = _opt(2e-4, "peak learning rate")
    max_seq_length: int = _opt(1024, "truncate every sequence (and packed row) to this many tokens")
    lr_scheduler_type: str = _opt("constant_with_warmup", "transformers scheduler name")
    warmup_ratio: float = _opt(0.1, "fraction of each stage's steps used for warm-up")
    lora_rank: int = _opt(64, "LoRA rank r")
    lora_alpha: float = _opt(16.0, "LoRA alpha (scale = alpha / r)")
    lora_dropout: float = _opt(0.05, "LoRA dropout")
    lora_target_modules: Any = _opt(  # noqa: RUF009 - _opt returns a dataclasses.field
        "all-linear", "'all-linear' (every linear layer except the output head, found by type) or a list of names"
    )
    weight_decay: float = _opt(0.0, "AdamW weight decay")
    max_grad_norm: float = _opt(0.3, "gradient clipping norm")
    seed: int = _opt(42, "random seed (data order, LoRA init)")
    # --- model loading ---
    quantization: str = _opt("auto", "'auto' (4-bit NF4 when CUDA is present, else none), '4bit' (force), 'none'")
    compute_dtype: str = _opt("auto", "'auto' (bf16 on CUDA if supported, else fp16; fp32 on CPU), float16, bfloat16, float32")
    optim: str = _opt("auto", "optimizer; 'auto' = paged_adamw_32bit with 4-bit on CUDA (Firefly), else adamw_torch")
    gradient_checkpointing: bool = _opt(True, "activation checkpointing (use_reentrant=False)")
    attn_implementation: str = _opt("", "'sdpa', 'eager', 'flash_attention_2' ('' = the model's default)")
    trust_remote_code: bool = _opt(False, "allow the model's own code (Qwen-1 needs it)")
    # --- data ---
    format: str = _opt("eod", "'eod' (Taiyi/Firefly <eod>human<eod>assistant<eod>...) or 'chat_template'")
    packing: bool = _opt(False, "pack several samples per row (no cross-sample attention; see docs/training.md)")
    streaming: str = _opt("auto", "'auto' (map-style from the tokenised cache; without the cache, stream when the "
                                  "stage has more rows than streaming_threshold_rows), 'true', 'false'")
    streaming_threshold_rows: int = _opt(1_000_000, "row count above which 'auto' streams the shards (cache off)")
    shuffle_buffer: int = _opt(10_000, "shuffle buffer size when streaming")
    use_stages: bool = _opt(True, "follow the manifest's stages (false: one stage over everything)")
    preprocess_workers: int = _opt(0, "tokenisation worker processes (0: one per CPU)")
    cache: bool = _opt(True, "reuse the tokenised cache across stages, runs and --resume (false / --no-cache: "
                              "tokenise every stage afresh)")
    tokenized_cache: str = _opt("", "tokenised cache folder ('': RUN_DIR/tokenized); runs given one folder share it")
    # --- loop control ---
    max_steps: int = _opt(-1, "optimizer steps per stage (-1: from epochs)")
    logging_steps: int = _opt(10, "log the loss every N steps")
    save_steps: int = _opt(500, "checkpoint every N steps (for --resume)")
    save_total_limit: int = _opt(2, "checkpoints kept per stage")
    dataloader_num_workers: int = _opt(0, "data-loader worker processes")
    resume: bool = _opt(False, "continue an interrupted run from its last checkpoint")
    report_to: str = _opt("none", "'none', 'tensorboard', 'wandb', ...")
    training_args: dict = _opt({}, "extra TrainingArguments fields, passed through unchanged")  # noqa: RUF009

    def validate(self) -> TrainConfig:
        """Check values; return self. Raises TrainingConfigError naming the field and what is expected."""
        for name in ("data", "model", "out"):
            if not getattr(self, name):
                raise TrainingConfigError(f"field {name!r}: required (pass --{name} or set it in the config file)")
        choices = {
            "quantization": ("auto", "4bit", "none"),
            "compute_dtype": ("auto", "float16", "bfloat16", "float32"),
            "format": ("eod", "chat_template"),
            "streaming": ("auto", "true", "false"),
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise TrainingConfigError(f"field {name!r}: got {getattr(self, name)!r}, expected one of {allowed}")
        if self.preprocess_workers < 0:
            raise TrainingConfigError(f"field 'preprocess_workers': must be >= 0 (0: one per CPU), got "
                                      f"{self.preprocess_workers}")
        for name in ("per_device_train_batch_size", "gradient_accumulation_steps", "max_seq_length", "lora_rank"):
            if getattr(self, name) < 1:
                raise TrainingConfigError(f"field {name!r}: must be >= 1, got {getattr(self, name)}")
        if not 0 <= self.warmup_ratio < 1:
            raise TrainingConfigError(f"field 'warmup_ratio': must be in [0, 1), got {self.warmup_ratio}")
        if self.packing and self.streaming == "true" and self.max_steps < 1:
            raise TrainingConfigError("packing while streaming: the step count is unknown in advance; set max_steps")
        if isinstance(self.lora_target_modules, str) and self.lora_target_modules != "all-linear":
            self.lora_target_modules = [m.strip() for m in self.lora_target_modules.split(",") if m.strip()]
        return self

    def stage_epochs(self, stage_epochs: float | None) -> float:
        """Epochs of a stage: this config's ``num_train_epochs`` when set, else the stage's, else 3 (Taiyi)."""
        if self.num_train_epochs is not None:
            return self.num_train_epochs
        return stage_epochs if stage_epochs is not None else DEFAULT_EPOCHS

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON view (written to RUN_DIR/train_config.json)."""
        return dataclasses.asdict(self)


ALIASES = {
    "epochs": "num_train_epochs",
    "lr": "learning_rate",
    "batch_size": "per_device_train_batch_size",
    "model_name_or_path": "model",
    "output_dir": "out",
    "lora_r": "lora_rank",
    "train_dir": "data",
}

FIELDS = {f.name: f for f in dataclasses.fields(TrainConfig)}


def canonical_key(key: str) -> str:
    """Map a CLI/file key (dashes or underscores, aliases) to a TrainConfig field name.

    Raises:
        TrainingConfigError: unknown key, with the closest field names as suggestions.
    """
    name = key.lstrip("-").replace("-", "_")
    name = ALIASES.get(name, name)
    if name not in FIELDS:
        close = difflib.get_close_matches(name, list(FIELDS) + list(ALIASES), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; put extra TrainingArguments under 'training_args'"
        raise TrainingConfigError(f"unknown training option {key!r}{hint}")
    return name


def coerce(name: str, value: Any) -> Any:
    """Convert a string (CLI) or loaded value to the type of field ``name``."""
    default = FIELDS[name].default
    if FIELDS[name].default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        default = FIELDS[name].default_factory()  # type: ignore[misc]
    if default is None:
        default = FIELDS[name].metadata["type"]()
        if value is None or str(value).lower() == "none":
            return None
    try:
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if isinstance(default, int) and not isinstance(value, bool):
            return int(value) if not isinstance(value, str) else int(float(value))
        if isinstance(default, float):
            return float(value)
        if isinstance(default, dict):
            return json.loads(value) if isinstance(value, str) else dict(value)
        if name == "lora_target_modules":
            if isinstance(value, str) and value.startswith("["):
                return json.loads(value)
            return value if isinstance(value, (str, list)) else list(value)
        if name == "streaming":
            return str(value).lower() if isinstance(value, bool) else str(value)
        return str(value)
    except (ValueError, TypeError) as exc:
        raise TrainingConfigError(f"field {name!r}: cannot read {value!r} as {type(default).__name__}") from exc


def read_config_file(path: str | Path) -> dict[str, Any]:
    """Read a JSON or YAML config file into canonical field names (values coerced)."""
    path = Path(path)
    if not path.is_file():
        raise TrainingConfigError(f"config file {path} not found")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        raw = yaml.safe_load(text) or {}
    else:
        raw = json.loads(text)
    if not isinstance(raw, dict):
        raise TrainingConfigError(f"config file {path}: expected a mapping of option -> value")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = canonical_key(key)
        out[name] = coerce(name, value)
    return out


def make_config(
    file: str | Path | None = None, overrides: dict[str, Any] | None = None, **kwargs: Any
) -> TrainConfig:
    """Build a validated TrainConfig: defaults < ``file`` < ``overrides`` < ``kwargs``.

    Example:
        >>> cfg = make_config(data="export/", model="Qwen/Qwen-7B", out="runs/a", lr="1e-4")
        >>> cfg.learning_rate
        0.0001
    """
    values: dict[str, Any] = {}
    if file:
        values.update(read_config_file(file))
    for source in (overrides or {}, kwargs):
        for key, value in source.items():
            if value is None:
                continue
            name = canonical_key(key)
            values[name] = coerce(name, value)
    return TrainConfig(**values).validate()
