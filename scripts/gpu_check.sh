#!/usr/bin/env bash
# Short real 4-bit QLoRA check on a CUDA machine (no downloads: the model is built locally).
#
#   scripts/gpu_check.sh                 # from the repository root, with .venv (or PYTHON=...) holding the train extra
#
# Prints tokens/s, peak GPU memory and the loss curve of a few dozen QLoRA steps on a small random Qwen2
# (hidden 512, 8 layers by default; GPU_CHECK_HIDDEN / GPU_CHECK_LAYERS / GPU_CHECK_STEPS change it), then
# chats with and merges the result, runs the @pytest.mark.gpu tests, and with 2+ GPUs a torchrun smoke run.
# GPU_CHECK_ALLOW_CPU=1 lets the script run without CUDA (full-precision fallback; for checking the script).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python
WORK=${GPU_CHECK_DIR:-$(mktemp -d /tmp/biocurate-gpu-check.XXXXXX)}
export HF_HUB_OFFLINE=1 HF_HOME="$WORK/hf" TOKENIZERS_PARALLELISM=false
echo "== work dir: $WORK"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv || true

"$PY" - "$WORK" <<'PYEOF'
import json, os, sys, time
from pathlib import Path

import torch
from transformers import TrainerCallback

work = Path(sys.argv[1])
cuda = torch.cuda.is_available()
if not cuda and os.environ.get("GPU_CHECK_ALLOW_CPU") != "1":
    sys.exit("gpu_check: no CUDA device visible to torch (set GPU_CHECK_ALLOW_CPU=1 to run the CPU fallback anyway)")
print(f"== torch {torch.__version__}, cuda {torch.version.cuda}, device: "
      f"{torch.cuda.get_device_name(0) if cuda else 'cpu'}")

from biocurate.training import make_config, train
from biocurate.training.chat import GenerationSettings, answer_rows, load_chat_model
from biocurate.training.merge import merge
from biocurate.training.testing import build_tiny_model, sample_rows, write_export

hidden = int(os.environ.get("GPU_CHECK_HIDDEN", "512"))
layers = int(os.environ.get("GPU_CHECK_LAYERS", "8"))
steps = int(os.environ.get("GPU_CHECK_STEPS", "60"))
t0 = time.time()
model_dir = build_tiny_model(work / "model", hidden_size=hidden, num_layers=layers)
rows = sample_rows(copies=60)  # 780 rows, zh/en, incl. multi-turn dialogues
write_export(work / "export", rows, stages=True, shards=4)
n_params = sum(p.numel() for p in __import__("transformers").AutoModelForCausalLM.from_pretrained(str(model_dir)).parameters())
print(f"== built model ({n_params / 1e6:.1f} M params, hidden {hidden}, {layers} layers) and export in {time.time() - t0:.1f} s")


class Meter(TrainerCallback):
    def on_train_begin(self, args, state, control, model=None, **kw):
        import bitsandbytes as bnb
        self.t = time.time()
        self.four_bit = any(isinstance(m, bnb.nn.Linear4bit) for m in model.modules())
        if cuda:
            torch.cuda.reset_peak_memory_stats()

    def on_train_end(self, args, state, control, **kw):
        self.seconds = time.time() - self.t
        self.tokens = state.num_input_tokens_seen
        self.peak = torch.cuda.max_memory_allocated() / 2**20 if cuda else float("nan")


meter = Meter()
cfg = make_config(data=str(work / "export"), model=str(model_dir), out=str(work / "run"), max_steps=steps,
                  logging_steps=5, save_steps=max(steps // 2, 1), max_seq_length=512,
                  training_args={"include_num_input_tokens_seen": "non_padding"})
print(f"== config: batch {cfg.per_device_train_batch_size} x accum {cfg.gradient_accumulation_steps}, lr {cfg.learning_rate}, "
      f"LoRA r {cfg.lora_rank}/alpha {cfg.lora_alpha}, quantization {cfg.quantization}, {steps} steps per stage")
result = train(cfg, callbacks=[meter])
for stage in result.stages:
    ls = stage.losses
    print(f"== {stage.name}: {stage.global_step} steps, loss {ls[0]:.4f} -> {ls[-1]:.4f} (logged every 5 steps: "
          f"{', '.join(f'{x:.3f}' for x in ls)})")
print(f"== last stage: 4-bit layers: {meter.four_bit}; {meter.tokens} non-pad tokens in {meter.seconds:.1f} s = "
      f"{meter.tokens / meter.seconds:,.0f} tokens/s; peak GPU memory {meter.peak:,.0f} MiB")
chat = load_chat_model(work / "run")
preds = answer_rows(chat, rows[:3] + [r for r in rows if r["category"] == "dialogue"][:1], GenerationSettings(max_new_tokens=16))
print("== chat batch mode:", json.dumps(preds, ensure_ascii=False)[:400])
merge(work / "run", work / "merged")
print("== merged into", work / "merged", "| gpu_check: OK")
PYEOF

echo "== pytest -m gpu tests/training"
"$PY" -m pytest -q -m gpu tests/training -p no:cacheprovider

NGPU=$("$PY" -c "import torch; print(torch.cuda.device_count())")
if [ "$NGPU" -ge 2 ]; then
  echo "== torchrun smoke run on 2 GPUs"
  "$PY" -m torch.distributed.run --nproc_per_node=2 -m biocurate.training --data "$WORK/export" \
    --model "$WORK/model" --out "$WORK/run-ddp" --max-steps 10 --max-seq-length 512 --logging-steps 5
fi
