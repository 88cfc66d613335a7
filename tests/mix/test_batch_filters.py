"""The export hashes and signs a block of records at once; the batch functions must give
exactly what the one-text functions give, on real texts of every bundled dataset."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from biocurate.loaders import Reject, get_loader
from biocurate.mix.content import (
    content_key,
    content_keys,
    input_texts,
    normalise_text,
    normalise_texts,
    normalised_inputs,
    normalised_inputs_of,
)
from biocurate.mix.dedup import NGRAM, SHORT_TEXT, Decontaminator, _ngrams, _SubstringHasher
from biocurate.mix.neardup import NearDedup
from biocurate.sources import datasets_in, samples_dir

EDGE = [normalise_text(t) for t in (
    "", "a", "a b", " ".join(f"w{i}" for i in range(13)), " ".join(f"w{i}" for i in range(14)), "头" * 12, "头" * 13,
    "头 痛 " * 10, "x😀y " * 20, "A  b\tc " * 9, "Ｆｕｌｌ　ｗｉｄｔｈ 全角 " * 4,
)]


@pytest.fixture(scope="module")
def records() -> list:
    found = []
    for name, folder in sorted(datasets_in(samples_dir()).items()):
        loader = get_loader(name)(folder)
        for split in loader.available_splits():
            found += [r for r in itertools.islice(loader.records(split), 40) if not isinstance(r, Reject)]
    random.Random(0).shuffle(found)
    return found


@pytest.fixture(scope="module")
def texts(records: list) -> list[str]:
    return [t for r in records for t in normalised_inputs(r)] + EDGE


def test_ngram_hashes_of_many_texts(texts: list[str]) -> None:
    hasher = _SubstringHasher()
    for chunk in (texts, texts[:1], EDGE, [""]):
        hashes, owners = hasher.ngram_hashes_many(chunk)
        for i, text in enumerate(chunk):
            assert np.array_equal(hashes[owners == i], hasher.ngram_hashes(text)), text[:40]


@pytest.mark.parametrize("ngram, num_perm", [(5, 64), (3, 64), (5, 100), (9, 32)])
def test_signatures_of_many_texts(texts: list[str], ngram: int, num_perm: int) -> None:
    near = NearDedup(seed=3, ngram=ngram, num_perm=num_perm)
    for text, signature in zip(texts, near.signatures(texts)):
        if not text:
            assert signature is None
        else:
            assert np.array_equal(signature, near.signature(text)), text[:40]


def test_decontamination_of_many_records(records: list) -> None:
    """drop_reasons (hashed, bitmap-filtered, block-wise) against the plain definition: the
    same normalised text, or a shared n-gram from the reference ``_ngrams``."""
    evaluation = records[::7]  # every 7th record plays an evaluation item
    decon = Decontaminator()
    for record in evaluation:
        decon.add_eval_record(record)
    eval_texts = {normalise_text(t) for r in evaluation for t in input_texts(r)} - {""}
    eval_grams = {g for text in eval_texts if len(text) >= SHORT_TEXT for g in _ngrams(text)}

    def reference(record) -> str | None:
        for text in normalised_inputs(record):
            if text in eval_texts:
                return "contaminated: same text as an evaluation item"
            if len(text) >= NGRAM and eval_grams.intersection(_ngrams(text)):
                return f"contaminated: shares a {NGRAM}-gram with an evaluation item"
        return None

    expected = [reference(r) for r in records]
    assert decon.drop_reasons([normalised_inputs(r) for r in records]) == expected
    assert [decon.drop_reason(r) for r in records[:200]] == expected[:200]
    assert sum(reason is not None for reason in expected) >= len(evaluation)
    assert any(reason and "13-gram" in reason for reason in expected)


def test_near_checks_of_many_slots_match_one_at_a_time(texts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """check_many (the exporting process's block-wise check) decides as check_signature does,
    also when the sorted key arrays are merged in the middle of a block."""
    import biocurate.mix.neardup as neardup

    monkeypatch.setattr(neardup, "_FLUSH_KEYS", 64)  # merge every few records
    originals = [t for t in texts if t]
    texts = originals * 2  # second copies are near duplicates (a copy has its original's task)
    tasks = ["tc" if i % 3 else "sts" for i in range(len(originals))] * 2
    one = NearDedup(seed=9)
    expected = [one.check_signature(one.signature(t), task) for t, task in zip(texts, tasks)]
    many = NearDedup(seed=9)
    keys, small = many.prepare(np.stack(many.signatures(texts)))
    keys = keys + many.task_salts(tasks)[:, None]
    got = []
    for start in range(0, len(texts), 50):  # blocks of 50 checks
        got += many.check_many(keys[start:start + 50], small[start:start + 50])
    assert got == expected
    assert many._merges > 3
    assert expected.count("near duplicate") >= len(texts) // 2


#: Characters where a batch shortcut could go wrong: full-width forms and the ideographic space
#: (table-mapped), characters NFKC expands (①, Ⅲ, ℃, ﬁ), combining marks (compose across a
#: mapped neighbour?), capital sigma (lowercase depends on the neighbours), odd whitespace, NUL.
TRICKY = "ＡａＺｚ０！～　①Ⅲ℃ﬁ\u0301\u0308Σσ \t\n\x0b\x1c\x85\xa0\u2028\u3000\x00e头İ"


def test_normalise_texts_equals_one_at_a_time(texts: list[str]) -> None:
    rng = random.Random(7)
    alphabet = TRICKY + "abc XYZ 中文"
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12))) for _ in range(3000)]
    for chunk in (made[:1000], made[1000:], [t for t in made if "\x00" not in t], texts, ["plain ascii", "  A\tB "], [], [""]):
        assert normalise_texts(chunk) == [normalise_text(t) for t in chunk]


def test_block_keys_and_inputs_equal_one_at_a_time(records: list) -> None:
    tasks = ["ner", "qa"]
    assert content_keys(records, tasks) == [[content_key(r, t) for t in tasks] for r in records]
    assert normalised_inputs_of(records) == [list(normalised_inputs(r)) for r in records]
