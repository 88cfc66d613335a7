"""NearDedup: MinHash LSH over character n-grams, for Chinese and English text."""

from __future__ import annotations

import random

import pytest
from biocurate.schemas import TextRecord

from biocurate.mix.neardup import NearDedup, band_layout

ZH = ("患者男性，65岁，因反复胸闷气短3年，加重1周入院。既往有高血压病史10年，规律服用降压药物，"
      "血压控制尚可。入院查体：血压150/90mmHg，心率88次/分，双肺呼吸音粗，可闻及少量湿啰音。")
ZH_OTHER = ("小儿急性喉炎多见于6个月至3岁的婴幼儿，常在冬春季节发病，起病急，主要表现为犬吠样咳嗽、"
            "声音嘶哑、吸气性喉鸣和三凹征，严重时可出现喉梗阻而危及生命，应及时就医并给予糖皮质激素治疗。")
EN = ("A 45-year-old woman presents with a three-week history of progressive fatigue, shortness of breath "
      "on exertion and pale conjunctivae; laboratory studies show a microcytic anaemia with low ferritin.")
EN_OTHER = ("Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
            "How many clips did Natalia sell altogether in April and May, and how many did she keep?")


def record(text: str, i: int, language: str = "zh") -> TextRecord:
    return TextRecord(id=f"r{i}", dataset="demo", split="train", language=language, document_id=f"d{i}", text=text, labels=[])


def change_one(text: str, position: int, char: str) -> str:
    assert text[position] != char
    return text[:position] + char + text[position + 1:]


def shingles(text: str, n: int = 5) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1)}


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a.lower()), shingles(b.lower())
    return len(sa & sb) / len(sa | sb)


@pytest.mark.parametrize("text, other, language", [(ZH, ZH_OTHER, "zh"), (EN, EN_OTHER, "en")])
def test_one_changed_character_is_dropped_unrelated_kept(text: str, other: str, language: str) -> None:
    near = NearDedup()
    edited = change_one(text, len(text) // 2, "X")
    assert jaccard(text, edited) > 0.85
    assert near.drop_reason(record(text, 0, language), "tc") is None
    assert near.drop_reason(record(edited, 1, language), "tc") == "near duplicate"
    assert near.drop_reason(record(other, 2, language), "tc") is None
    assert near.kept == 2


def test_first_seen_is_kept_and_tasks_are_separate() -> None:
    near = NearDedup()
    first, second = record(ZH, 0), record(change_one(ZH, 10, "肝"), 1)
    assert near.drop_reason(first, "tc") is None
    assert near.drop_reason(second, "tc") == "near duplicate"
    # keyed per task, like the exact-dedup key: the same text under another task is not a duplicate
    assert near.drop_reason(second, "sts") is None
    # the same record asked again for the first task is (it was kept for "tc" already)
    assert near.drop_reason(first, "tc") == "near duplicate"


def test_exact_copy_and_whitespace_case_variants_are_dropped() -> None:
    near = NearDedup()
    assert near.drop_reason(record(EN, 0, "en"), "qa_free") is None
    assert near.drop_reason(record("  " + EN.upper().replace(" ", "   ") + "\n", 1, "en"), "qa_free") == "near duplicate"


def test_well_below_threshold_is_kept() -> None:
    # every fifth character replaced: 5-gram Jaccard far below 0.8
    rng = random.Random(0)
    edited = "".join("某" if i % 5 == 0 else c for i, c in enumerate(ZH))
    assert jaccard(ZH, edited) < 0.2
    half = ZH[: len(ZH) // 2] + ZH_OTHER[len(ZH_OTHER) // 2:]
    assert 0.3 < jaccard(ZH, half) < 0.6
    near = NearDedup()
    assert near.drop_reason(record(ZH, 0), "tc") is None
    assert near.drop_reason(record(edited, 1), "tc") is None
    assert near.drop_reason(record(half, 2), "tc") is None
    words = EN.split()
    rng.shuffle(words)
    assert near.drop_reason(record(" ".join(words), 3, "en"), "tc") is None


def test_threshold_is_respected_on_average() -> None:
    # pairs with true Jaccard ~0.95 are dropped, ~0.45 kept, over many random edits
    rng = random.Random(1)
    base = ZH + ZH_OTHER + EN
    dropped_high = dropped_low = 0
    for trial in range(40):
        near = NearDedup(seed=trial)
        near.drop_reason(record(base, 0), "tc")
        chars = list(base)
        for pos in rng.sample(range(len(chars)), 2):
            chars[pos] = "#"
        high = "".join(chars)
        start = rng.randrange(len(base) // 4)
        low = base[start: start + len(base) * 6 // 10] + ZH_OTHER[::-1]
        dropped_high += near.drop_reason(record(high, 1), "tc") == "near duplicate"
        dropped_low += near.drop_reason(record(low, 2), "tc") == "near duplicate"
        assert jaccard(base, high) > 0.9 and jaccard(base, low) < 0.55
    assert dropped_high >= 38
    assert dropped_low == 0


def test_similarity_estimate_is_close() -> None:
    near = NearDedup(num_perm=128)
    edited = ZH[:40] + "截然不同的一段文字插入这里" + ZH[60:]
    assert abs(near.similarity(ZH, edited) - jaccard(ZH, edited)) < 0.15
    assert near.similarity(ZH, ZH) == 1.0


def test_short_texts() -> None:
    near = NearDedup()
    assert near.drop_reason(record("头痛", 0), "tc") is None
    assert near.drop_reason(record("头痛", 1), "tc") == "near duplicate"
    assert near.drop_reason(record("发热", 2), "tc") is None
    assert near.drop_reason(record("头痛怎么办", 3), "tc") is None


def test_deterministic_for_a_seed() -> None:
    rng = random.Random(7)
    texts = []
    for _ in range(300):
        base = rng.choice([ZH, ZH_OTHER, EN, EN_OTHER])
        chars = list(base)
        for pos in rng.sample(range(len(chars)), rng.randint(1, 30)):
            chars[pos] = rng.choice("的一是在不了有和人这中大为上个国我以要他")
        texts.append("".join(chars))

    def decisions(seed: int) -> list[str | None]:
        near = NearDedup(seed=seed)
        return [near.drop_reason(record(t, i), "tc") for i, t in enumerate(texts)]

    first = decisions(42)
    assert first == decisions(42)
    assert first.count("near duplicate") > 10 and first.count(None) > 10
    assert NearDedup(seed=1).signature("abcdefgh").tolist() != NearDedup(seed=2).signature("abcdefgh").tolist()


def test_save_and_load_state_restores_kept(tmp_path) -> None:
    near = NearDedup()
    assert near.drop_reason(record(ZH, 0), "tc") is None
    near.save_state(tmp_path / "a.near")
    assert near.drop_reason(record(EN, 1, "en"), "tc") is None
    near.save_state(tmp_path / "b.near")

    resumed = NearDedup()
    resumed.load_state(tmp_path / "a.near")
    resumed.load_state(tmp_path / "b.near")
    assert resumed.kept == 2
    assert resumed.drop_reason(record(change_one(ZH, 5, "肺"), 2), "tc") == "near duplicate"
    assert resumed.drop_reason(record(change_one(EN, 5, "Q"), 3, "en"), "tc") == "near duplicate"
    assert resumed.drop_reason(record(ZH_OTHER, 4), "tc") is None

    # loading in another order (a dataset re-spooled in between) still works
    other = NearDedup()
    assert other.drop_reason(record(ZH_OTHER, 0), "tc") is None
    other.load_state(tmp_path / "b.near")
    assert other.drop_reason(record(EN, 1, "en"), "tc") == "near duplicate"
    assert other.drop_reason(record(ZH_OTHER, 2), "tc") == "near duplicate"
    assert other.drop_reason(record(ZH, 3), "tc") is None

    with pytest.raises(ValueError, match="other parameters"):
        NearDedup(seed=1).load_state(tmp_path / "a.near")
    NearDedup().load_state(tmp_path / "missing.near")  # nothing saved yet: no-op


def test_state_survives_the_merge_into_sorted_keys(tmp_path, monkeypatch) -> None:
    from biocurate.mix import neardup

    monkeypatch.setattr(neardup, "_FLUSH_KEYS", 16)
    near = NearDedup()
    unrelated = [f"第{i}条：" + "".join(random.Random(i).sample(ZH + ZH_OTHER, 80)) for i in range(12)]
    for i, t in enumerate(unrelated):
        assert near.drop_reason(record(t, i), "tc") is None
    assert len(near._keys) > 0  # merged at least once
    for i, t in enumerate(unrelated):
        assert near.drop_reason(record(t + "。", 100 + i), "tc") == "near duplicate"
    near.save_state(tmp_path / "s.near")
    resumed = NearDedup()
    resumed.load_state(tmp_path / "s.near")
    for i, t in enumerate(unrelated):
        assert resumed.drop_reason(record(t + "！", 200 + i), "tc") == "near duplicate"


def test_band_layout_reaches_the_threshold() -> None:
    for threshold in (0.5, 0.7, 0.8, 0.9):
        bands, rows = band_layout(threshold, 64)
        assert bands * rows <= 64
        assert 1 - (1 - threshold**rows) ** bands >= 0.95
    assert band_layout(0.8, 64) == (10, 6)


def test_bad_parameters() -> None:
    with pytest.raises(ValueError):
        NearDedup(threshold=0)
    with pytest.raises(ValueError):
        NearDedup(threshold=1.5)


def test_signatures_computed_elsewhere_give_the_same_decisions() -> None:
    """The export computes signatures in worker processes (a pickled, fresh copy) and checks
    them in record order: the decisions must equal drop_reason's."""
    import pickle

    rng = random.Random(3)
    texts = [ZH, EN, ZH_OTHER, EN_OTHER]
    texts += [change_one(t, rng.randrange(len(t)), "X") for t in texts for _ in range(3)]
    records = [record(t, i, "zh" if t[0] > "\u3000" else "en") for i, t in enumerate(texts)]
    direct = NearDedup(seed=5)
    expected = [direct.drop_reason(r, "tc") for r in records]
    signer = pickle.loads(pickle.dumps(NearDedup(seed=5).fresh()))
    checker = NearDedup(seed=5)
    assert [checker.check_signature(signer.signature_of(r), "tc") for r in records] == expected
    assert expected.count("near duplicate") >= 4
    # a filter that already kept records survives pickling with its state
    copy = pickle.loads(pickle.dumps(checker))
    assert [copy.check_signature(signer.signature_of(r), "tc") for r in records] == ["near duplicate"] * len(records)
