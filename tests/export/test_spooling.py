"""The spooler's decisions: a clean block with only new ids and keys keeps every slot without
the record-by-record walk, and gives exactly what the walk gives, whatever the block holds."""

from __future__ import annotations

import io
import random
from collections import Counter

import numpy as np
import pytest

from biocurate.export import spooling
from biocurate.export.blocks import Block
from biocurate.export.pipeline import build_decontaminator
from biocurate.export.sources import find_sources
from biocurate.export.spooling import Filters, _decide, _SplitTally
from biocurate.export.workers import BuildSettings, InlineBlocks
from biocurate.loaders import Reject
from biocurate.mix.spec import MixtureSpec, load_mixture
from biocurate.schemas import IdTracker

from tests.support import make_root, write_mix

TASKS = ["ner", "re"]
GROUPS = ["ner|en", "re|en", "ner|all"]


def _block(rng: random.Random, records: int, id_pool: int, key_pool: int, dirty: float) -> Block:
    """A block as a builder makes one: ids and keys drawn from small pools (so some repeat),
    a few rejects, schema problems, decontaminated slots and rendering failures when ``dirty``."""
    results: list = []
    targets: dict[str, int] = {}
    no_target = slots = 0
    clean = True
    for _ in range(records):
        if rng.random() < dirty / 3:
            results.append(Reject(dataset="demo", split="train", reason="bad item", stage="convert"))
            clean = False
            continue
        record_id = f"r{rng.randrange(id_pool)}"
        if rng.random() < dirty / 3:
            results.append((record_id, "demo", "train", [("text", "empty")], None, []))
            clean = False
            continue
        tasks = []
        for _ in TASKS:
            slots += 1
            if rng.random() < dirty / 3:
                tasks.append(("decontaminated: test item", None, [], 0, None))
                clean = False
                continue
            key = rng.randrange(key_pool).to_bytes(16, "big")
            if rng.random() < dirty / 6:
                tasks.append((None, key, [], 0, ValueError("template failed")))
                clean = False
                continue
            slot_targets = [rng.choice(GROUPS) for _ in range(rng.randrange(0, 3))]
            missing = rng.randrange(0, 2)
            for group in slot_targets:
                targets[group] = targets.get(group, 0) + 1
            no_target += missing
            tasks.append((None, key, slot_targets, missing, None))
        results.append((record_id, "demo", "train", [], None, tasks))
    return Block(records, results, None, np.zeros(0, dtype=np.int64), slots, clean=clean, targets=targets, no_target=no_target)


def _run(blocks: list[Block], fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple:
    if not fast:
        monkeypatch.setattr(spooling, "_all_new", lambda *args: False)
    filters = Filters(MixtureSpec.model_validate({"name": "t", "total": 10, "targets": {"ner": {"en": 10}}}))
    tracker, tally, rejects = IdTracker(), _SplitTally(), io.StringIO()
    kept = []
    for block in blocks:
        try:
            kept.append(_decide(block, TASKS, filters, tracker, tally, rejects).tolist())
        except ValueError as exc:  # a kept slot whose rendering failed
            kept.append(str(exc))
    monkeypatch.undo()
    return kept, tally.as_dict(), dict(tally.available), rejects.getvalue(), filters.exact.take_new_keys(), tracker._seen


@pytest.mark.parametrize("seed", range(6))
def test_fast_path_decides_as_the_walk(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    # large pools: most blocks are all new; small ones: repeats within and across blocks
    blocks = [_block(rng, rng.randrange(0, 40), rng.choice([50, 10**6]), rng.choice([60, 10**9]), rng.choice([0, 0, 0.2]))
              for _ in range(30)]
    taken = []
    monkeypatch.setattr(spooling, "_keep_all", lambda block, tally, real=spooling._keep_all: taken.append(block) or real(block, tally))
    fast = _run(blocks, True, monkeypatch)
    assert _run(blocks, False, monkeypatch) == fast
    assert taken and all(block.clean for block in taken)


def test_a_repeat_sends_a_clean_block_down_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    def clean(ids: list[str], keys: list[int]) -> Block:
        results = [(i, "demo", "train", [], None, [(None, k.to_bytes(16, "big"), ["ner|en"], 0, None)]) for i, k in zip(ids, keys)]
        return Block(len(ids), results, None, np.zeros(0, dtype=np.int64), len(ids), clean=True, targets={"ner|en": len(ids)})

    blocks = [clean(["a", "b"], [1, 2]), clean(["c", "d"], [3, 1]), clean(["e", "e"], [4, 5]), clean(["f", "g"], [6, 6])]
    kept, counts, available, rejects, keys, _ = _run(blocks, True, monkeypatch)
    assert kept == [[True, True], [True, False], [True, False], [True, False]]
    assert counts["dropped"] == {"exact duplicate": 2} and counts["rejected"] == 1 and "'e' already used" in rejects
    assert available == {"ner|en": 5} and keys == b"".join(k.to_bytes(16, "big") for k in (1, 2, 3, 4, 6))


def test_builders_summarise_each_block(tmp_path) -> None:
    """A block's ``targets``, ``no_target`` and ``clean`` say what its slots hold (real rejects:
    BC5CDR; decontaminated records: CMeEE against its test split)."""
    spec = load_mixture(write_mix(tmp_path, targets={"ner": {"zh": 300, "en": 100}, "re": {"en": 50}}))
    sources, _ = find_sources(spec, make_root(tmp_path, "CMeEE", "BC5CDR"), ["train"], [])
    settings = BuildSettings(spec, build_decontaminator(spec, sources), True)
    (tmp_path / "spool").mkdir()
    clean = dirty = 0
    for source in sources:
        for block in InlineBlocks(settings, tmp_path / "spool", block_items=8).blocks(source, "train"):
            slot_results = [task for result in block.results if isinstance(result, tuple) for task in result[5]]
            assert block.targets == Counter(target for task in slot_results for target in task[2])
            assert block.no_target == sum(task[3] for task in slot_results)
            troubled = any(isinstance(r, Reject) or r[3] for r in block.results) or any(t[0] or t[4] for t in slot_results)
            assert block.clean is not troubled
            clean, dirty = clean + block.clean, dirty + troubled
    assert clean and dirty
