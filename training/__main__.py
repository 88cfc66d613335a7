"""``python -m biocurate.training ARGS`` = ``biocurate train ARGS`` (for ``torchrun`` / ``accelerate launch``).

Example::

    torchrun --nproc_per_node=4 -m biocurate.training --data export/ --model Qwen/Qwen-7B --out runs/taiyi
"""

import sys

from biocurate.cli import main

sys.exit(main(["train", *sys.argv[1:]]))
