"""Firefly dummy data (MOSS conversations): 33 conversations, 154 rounds, zh and en."""

from __future__ import annotations

from collections import Counter

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts_and_languages() -> None:
    records = list(open_loader("Firefly-dummy").iter_split("train"))
    assert len(records) == 33
    assert sum(len(r.turns) for r in records) == 2 * 154
    assert Counter(r.language for r in records) == {"zh": 25, "en": 8}


def test_first_conversations() -> None:
    first, second = list(open_loader("firefly").iter_split("train"))[:2]
    assert first.document_id == "1" and first.language == "zh" and len(first.turns) == 10
    assert (first.turns[0].role, first.turns[0].text) == ("user", "如何保障工作中遵循正确的安全准则？")
    assert first.turns[1].text.startswith("为了保障工作中遵循正确的安全准则，以下是一些建议：")
    assert second.language == "en" and second.turns[0].text.startswith("What best practices should I follow when designing a website?")


def test_round_without_assistant_is_rejected(tmp_path) -> None:
    (tmp_path / "d.jsonl").write_text(
        '{"conversation_id": 1, "conversation": [{"human": "hi", "assistant": "hello"}]}\n'
        '{"conversation_id": 2, "conversation": [{"human": "hi"}]}\n'
        '{"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "yo"}]}',
        encoding="utf-8",
    )
    items = list(get_loader("firefly")(tmp_path).records("train"))
    assert not isinstance(items[0], Reject)
    assert isinstance(items[1], Reject) and items[1].file.endswith("d.jsonl")
    assert (items[1].line, items[1].record, items[1].field) == (2, "2", "conversation[0].assistant")
    assert isinstance(items[2], Reject) and items[2].line == 3 and "not a firefly object" in items[2].reason
