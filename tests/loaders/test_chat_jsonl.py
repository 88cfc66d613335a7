"""The general chat reader (formats/chat.py) and the ``chat_jsonl`` loader for user-supplied files."""

from __future__ import annotations

import json

import pytest

from biocurate.errors import ConversionError
from biocurate.loaders import Reject, get_loader
from biocurate.loaders.formats.chat import detect_language, detect_shape, parse_chat
from biocurate.sources import dataset_dir, samples_dir

FIREFLY = {"conversation_id": 7, "conversation": [{"human": "你好", "assistant": "你好！"}, {"human": "1+1=?", "assistant": "2"}]}
SHAREGPT = {"id": "s1", "conversations": [
    {"from": "system", "value": "You are helpful."},
    {"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello!"},
]}
ALPACA = {"instruction": "Translate to French.", "input": "cat", "output": "chat"}


def _pairs(chat):
    return [(t.role, t.text) for t in chat.turns]


def test_firefly_shape() -> None:
    chat = parse_chat(FIREFLY)
    assert chat.shape == "firefly" and chat.context == ""
    assert _pairs(chat) == [("user", "你好"), ("assistant", "你好！"), ("user", "1+1=?"), ("assistant", "2")]


def test_sharegpt_shape_system_becomes_context() -> None:
    chat = parse_chat(SHAREGPT)
    assert chat.shape == "sharegpt" and chat.context == "You are helpful."
    assert _pairs(chat) == [("user", "Hi"), ("assistant", "Hello!")]


def test_alpaca_shape_with_history() -> None:
    chat = parse_chat({**ALPACA, "history": [["Say hi", "hi"]]})
    assert _pairs(chat) == [("user", "Say hi"), ("assistant", "hi"), ("user", "Translate to French.\ncat"), ("assistant", "chat")]
    assert detect_shape({"text": "x"}) is None


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"conversation": [{"human": "q"}]}, "conversation[0].assistant"),
        ({"conversations": [{"from": "human", "value": "q"}]}, "conversations"),
        ({"conversations": [{"from": "human", "value": "q"}, {"from": "tool", "value": "x"}]}, "conversations[1].from"),
        ({"instruction": "q", "output": ""}, "output"),
        ({"instruction": "q", "output": " \n\u3000"}, "output"),  # whitespace only (ideographic space too)
        ({"output": "a", "instruction": None, "input": "x"}, "instruction"),
        ({"conversation": [{"human": "q", "assistant": "a"}, {"human": "\t", "assistant": "b"}]}, "conversation[1].human"),
        ({"conversation": [{"human": "q", "assistant": 3}]}, "conversation[0].assistant"),
        ({"conversation": [{"human": "q", "assistant": "a"}], "system": ["not", "text"]}, "system"),
    ],
)
def test_broken_conversations(obj, field) -> None:
    with pytest.raises(ConversionError) as info:
        parse_chat(obj)
    assert info.value.field == field


def test_language_detection() -> None:
    assert detect_language("如何用Python读取CSV文件？可以用 pandas.read_csv。") == "zh"
    assert detect_language("What does 太乙 mean in Chinese mythology?") == "en"


@pytest.mark.parametrize("route", ["c", "numpy"])
def test_language_detection_counts_like_the_regex_definition(route: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """detect_language counts code points in C (or with numpy when the C loop is not built); it
    must agree with the plain definition."""
    import random
    import re

    from biocurate.loaders.formats import chat

    if route == "numpy":
        monkeypatch.setattr(chat, "_c_loops", None)
    elif chat._c_loops is None:
        pytest.skip("biocurate._text is not built")

    cjk, latin = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"), re.compile(r"[A-Za-z]")

    def reference(text: str) -> str:
        c, n = len(cjk.findall(text)), len(latin.findall(text))
        return "zh" if c and c >= 0.2 * (c + n) else "en"

    # range edges, their neighbours, letters next to A-Z/a-z, full-width letters, accents
    pool = "abzAZ@[`{太乙\u3400\u4dbf\u4e00\u9fff\uf900\ufaff\u33ff\u4dc0\ufa00\ufb00\uff21é 1，😀\U00020000"
    rng = random.Random(0)
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randrange(0, 30)))
        assert detect_language(text) == reference(text), text


def test_real_sample_is_read_like_firefly() -> None:
    loader = get_loader("chat_jsonl")(samples_dir() / "Firefly-dummy")
    assert sum(1 for _ in loader.iter_split("train")) == 33


def test_not_picked_up_from_another_dataset_folder() -> None:
    # A data root's Firefly-dummy folder belongs to the firefly loader only.
    assert dataset_dir(samples_dir(), "chat_jsonl") is None


def test_mixed_user_files_and_rejects(tmp_path) -> None:
    lines = [json.dumps(FIREFLY, ensure_ascii=False), json.dumps(SHAREGPT), "{not json", json.dumps(ALPACA),
             json.dumps({"conversations": [{"from": "human", "value": "unanswered"}]})]
    (tmp_path / "mine.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "arr.json").write_text(json.dumps([ALPACA, {"instruction": "只有问题", "output": "只有答案"}], indent=2), encoding="utf-8")
    items = list(get_loader("chat_jsonl")(tmp_path).records("train"))
    records = [i for i in items if not isinstance(i, Reject)]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [r.language for r in records] == ["en", "zh", "zh", "en", "en"]  # arr.json sorts first
    assert records[2].document_id == "7" and records[3].context == "You are helpful."
    bad_json, unanswered = rejects
    assert bad_json.file.endswith("mine.jsonl") and (bad_json.line, bad_json.field, bad_json.stage) == (3, None, "read")
    assert unanswered.line == 5 and unanswered.field == "conversations" and "no assistant turn" in unanswered.reason
