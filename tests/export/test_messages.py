"""The ``messages`` column of Parquet shards: role/content turns, the mixture's system prompt."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from biocurate.cli import main
from biocurate.export.rows import CONVERSATION_TYPE, messages_array, with_messages

from tests.support import make_root, write_mix


def _conversations(*rows: list[tuple[str, str]]) -> pa.Array:
    return pa.array([[{"human": h, "assistant": a} for h, a in row] for row in rows], CONVERSATION_TYPE)


def test_turns_become_user_and_assistant_messages_in_order() -> None:
    conversations = _conversations([("q1", "a1")], [("q2", "a2"), ("q3", "a3")], [])
    assert messages_array(conversations).to_pylist() == [
        [{"role": "user", "content": "q1"}, {"role": "assistant", "content": "a1"}],
        [{"role": "user", "content": "q2"}, {"role": "assistant", "content": "a2"},
         {"role": "user", "content": "q3"}, {"role": "assistant", "content": "a3"}],
        [],
    ]


def test_system_prompt_comes_first_and_only_where_set() -> None:
    conversations = _conversations([("q1", "a1")], [("q2", "a2")])
    assert messages_array(conversations, ["be brief", None]).to_pylist() == [
        [{"role": "system", "content": "be brief"}, {"role": "user", "content": "q1"}, {"role": "assistant", "content": "a1"}],
        [{"role": "user", "content": "q2"}, {"role": "assistant", "content": "a2"}],
    ]


def test_a_slice_of_a_table_keeps_its_own_rows() -> None:
    table = pa.table({"language": ["zh", "en", "en"],
                      "conversation": _conversations([("甲", "乙")], [("q", "a")], [("r", "b"), ("s", "c")])})
    got = with_messages(table.slice(1), {"zh": "中文提示", "default": "English prompt"}).column("messages").to_pylist()
    assert got == [
        [{"role": "system", "content": "English prompt"}, {"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
        [{"role": "system", "content": "English prompt"}, {"role": "user", "content": "r"}, {"role": "assistant", "content": "b"},
         {"role": "user", "content": "s"}, {"role": "assistant", "content": "c"}],
    ]


def _export(tmp_path: Path, mix: Path, *extra: str) -> Path:
    out = tmp_path / "out"
    root = make_root(tmp_path, "CMeEE", "PromptCBLUE-toy")
    assert main(["export", "--mix", str(mix), "--data-dir", str(root), "--out", str(out), "--quiet", *extra]) == 0
    return out


def _rows(out: Path) -> list[dict]:
    return [row for path in sorted(out.glob("data/*/*/*.parquet")) for row in pq.read_table(path).to_pylist()]


def test_every_shard_row_has_messages_matching_its_conversation(tmp_path: Path) -> None:
    mix = write_mix(tmp_path, targets={"ner": {"zh": 40}, "dialogue": {"zh": 10}}, caps={"default": 40})
    rows = _rows(_export(tmp_path, mix))
    multi_turn = [r for r in rows if len(r["conversation"]) > 1]
    assert len(rows) == 50 and multi_turn  # MedDG dialogues from the PromptCBLUE sample have several turns
    for row in rows:
        assert [m["role"] for m in row["messages"]] == ["user", "assistant"] * len(row["conversation"])
        assert [m["content"] for m in row["messages"]] == [text for turn in row["conversation"] for text in (turn["human"], turn["assistant"])]
    schema = pq.read_schema(next((tmp_path / "out").glob("data/ner/zh/*.parquet")))
    assert schema.field("messages").type == pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))


def test_mixture_system_prompt_per_language(tmp_path: Path) -> None:
    mix = write_mix(tmp_path, targets={"ner": {"zh": 30}}, system={"zh": "你是生物医学助手。", "default": "You are a biomedical assistant."})
    rows = _rows(_export(tmp_path, mix, "--format", "parquet", "--format", "sharegpt"))
    assert rows and all(r["messages"][0] == {"role": "system", "content": "你是生物医学助手。"} for r in rows)
    assert all(r["messages"][1]["content"] == r["conversation"][0]["human"] for r in rows)
    import json

    shared = [json.loads(line) for line in (tmp_path / "out" / "sharegpt.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {s["system"] for s in shared} == {"你是生物医学助手。"}
