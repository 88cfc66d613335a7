"""The writers (``export/writers.py``) on rows whose output is written out here by hand: JSON
Lines lines spelled out literally for known samples, Parquet shard names, boundaries, row groups
and row order worked out from the row counts, ``shard_rows`` and ``ROW_GROUP_ROWS``.

The texts are real samples: BenTsao's liver-cancer file (a single-turn question about 逍遥散
and a two-turn dialogue on liver cancer, split at its ``<user>``/``<bot>`` markers), CHIP-CTC's
first dev criterion (``s1``, label ``Disease``) and the fourth line pair of ParaMed's doc1
(tokens joined, case restored, as its loader gives them); the instruction wording around the
CHIP-CTC and ParaMed texts is made up.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from biocurate.export.rows import ROW_SCHEMA, SHARD_SCHEMA, with_messages
from biocurate.export.writers import AlpacaWriter, FireflyWriter, JsonlWriter, ParquetShardWriter, ShareGPTWriter, jsonl_schema

XIAOYAO = {  # BenTsao liver_cancer.json, single turn
    "human": "你好，请问逍遥散是什么？",
    "assistant": "逍遥散是一种传统中药方，由多种中药组成。在本文中，它被用于治疗肝郁脾虚型慢性乙型肝炎。",
}
LIVER = [  # BenTsao liver_cancer.json, two turns
    {"human": "你好，我想了解一下肝癌的发病原因有哪些？",
     "assistant": "肝癌的发生原因较为复杂，其中主要包括肝炎病毒感染、长期饮酒、脂肪肝、遗传因素、环境污染等。"},
    {"human": "我有一位朋友被诊断出患有肝癌，想了解一下目前肝癌的治疗方式。",
     "assistant": "目前，肝癌的治疗方式包括手术切除、肝移植、放疗、化疗等，具体治疗方式需要根据患者的病情、肝功能、肿瘤分期等因素综合考虑。"},
]
JIANGHUANG = [  # BenTsao liver_cancer.json, two turns
    {"human": "你好，根据的研究结果，姜黄素对肝癌细胞增殖有什么影响？能降低肝癌的复发率吗？",
     "assistant": "你好，据研究发现，姜黄素预处理的外泌体能抑制肝癌细胞的活力并阻滞细胞周期，促进细胞凋亡。这反映姜黄素可能作为治疗肝癌的新靶点和新途径。"
                  "但是，针对肝癌的治疗是多方面的，姜黄素单独使用可能并不能完全控制肝癌的复发。"},
    {"human": "姜黄素预处理的外泌体是什么？",
     "assistant": "姜黄素预处理的外泌体是一种型号小巧的囊泡结构，可以在细胞外泌出，封装着一定数量和种类的生物分子，例如蛋白质、核酸、代谢产物等，"
                  "可以作为细胞之间信息传递的一种方式。"},
]
CTC = {"human": "判断临床试验筛选标准的类别：4）既往患有骨髓增生异常综合征（Myelodysplastic syndrome，MDS）的患者，或者未定型的急性白血病患者。",
       "assistant": "Disease"}
PARAMED = {"human": "Translate into English: 加用吉西他滨联合顺铂诱导化疗在2期试验中显示出很有前景的疗效。",
           "assistant": "Additional gemcitabine and cisplatin induction chemotherapy has shown promising efficacy in phase 2 trials."}


def _row(rid: str, dataset: str, task: str, category: str, language: str, conversation: list[dict[str, str]]) -> dict:
    return {"id": f"{dataset}/{rid}/{task}/0", "dataset": dataset, "split": "train", "record_id": rid, "template_id": f"{task}-1",
            "task": task, "category": category, "language": language, "licence": "unknown", "conversation": conversation}


#: rows in this order: single-turn zh, two-turn zh, tc zh, mt zh-en, another two-turn zh
ROWS = [
    _row("train-28", "bentsao_livercancer", "dialogue", "dialogue", "zh", [XIAOYAO]),
    _row("train-17", "bentsao_livercancer", "dialogue", "dialogue", "zh", LIVER),
    _row("validation-0", "chip_ctc", "tc", "tc", "zh", [CTC]),
    _row("train-0", "paramed", "mt", "mt", "zh-en", [PARAMED]),
    _row("train-20", "bentsao_livercancer", "dialogue", "dialogue", "zh", JIANGHUANG),
]


def _table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=ROW_SCHEMA)


def _written(writer: JsonlWriter, table: pa.Table, rows: np.ndarray | None = None) -> list[str]:
    writer.write(table, rows)
    (path,) = writer.close()
    assert path.name == f"{writer.name}.jsonl" and not list(path.parent.glob("*.tmp"))
    return path.read_text(encoding="utf-8").splitlines()


def test_sharegpt_lines(tmp_path: Path) -> None:
    lines = _written(ShareGPTWriter(tmp_path), _table(ROWS[:2]))
    assert lines == [
        '{"id": "bentsao_livercancer/train-28/dialogue/0", "conversations": [{"from": "human", "value": "你好，请问逍遥散是什么？"}, '
        '{"from": "gpt", "value": "逍遥散是一种传统中药方，由多种中药组成。在本文中，它被用于治疗肝郁脾虚型慢性乙型肝炎。"}]}',
        '{"id": "bentsao_livercancer/train-17/dialogue/0", "conversations": [{"from": "human", "value": "你好，我想了解一下肝癌的发病原因有哪些？"}, '
        '{"from": "gpt", "value": "肝癌的发生原因较为复杂，其中主要包括肝炎病毒感染、长期饮酒、脂肪肝、遗传因素、环境污染等。"}, '
        '{"from": "human", "value": "我有一位朋友被诊断出患有肝癌，想了解一下目前肝癌的治疗方式。"}, '
        '{"from": "gpt", "value": "目前，肝癌的治疗方式包括手术切除、肝移植、放疗、化疗等，具体治疗方式需要根据患者的病情、肝功能、肿瘤分期等因素综合考虑。"}]}',
    ]


def test_sharegpt_system_per_language_and_rows_by_position(tmp_path: Path) -> None:
    # zh has its own prompt, zh-en falls back to "default"; rows 3, 2, 3 in that order
    writer = ShareGPTWriter(tmp_path, system={"zh": "你是医学助手。", "default": "You are a medical assistant."})
    lines = _written(writer, _table(ROWS), np.array([3, 2, 3]))
    paramed = ('{"id": "paramed/train-0/mt/0", "conversations": [{"from": "human", "value": "Translate into English: 加用吉西他滨联合顺铂诱导化疗在2期试验中显示出很有前景的疗效。"}, '
               '{"from": "gpt", "value": "Additional gemcitabine and cisplatin induction chemotherapy has shown promising efficacy in phase 2 trials."}], '
               '"system": "You are a medical assistant."}')
    assert lines == [
        paramed,
        '{"id": "chip_ctc/validation-0/tc/0", "conversations": [{"from": "human", "value": '
        '"判断临床试验筛选标准的类别：4）既往患有骨髓增生异常综合征（Myelodysplastic syndrome，MDS）的患者，或者未定型的急性白血病患者。"}, '
        '{"from": "gpt", "value": "Disease"}], "system": "你是医学助手。"}',
        paramed,
    ]


def test_a_language_without_a_prompt_gets_an_empty_system(tmp_path: Path) -> None:
    lines = _written(AlpacaWriter(tmp_path, system={"en": "You are a medical assistant."}), _table(ROWS[3:4]))
    assert lines == ['{"instruction": "Translate into English: 加用吉西他滨联合顺铂诱导化疗在2期试验中显示出很有前景的疗效。", "input": "", '
                     '"output": "Additional gemcitabine and cisplatin induction chemotherapy has shown promising efficacy in phase 2 trials.", "history": [], "system": ""}']


def test_alpaca_lines_with_the_first_multi_turn_row_on_top(tmp_path: Path) -> None:
    # written order: CTC, 逍遥散, liver (two turns), liver again, 姜黄素 (two turns), ParaMed; the
    # first two-turn row (line 2) moves to the top, the others keep their order
    lines = _written(AlpacaWriter(tmp_path, system="你是医学助手。"), _table(ROWS), np.array([2, 0, 1, 1, 4, 3]))
    liver = ('{"instruction": "我有一位朋友被诊断出患有肝癌，想了解一下目前肝癌的治疗方式。", "input": "", '
             '"output": "目前，肝癌的治疗方式包括手术切除、肝移植、放疗、化疗等，具体治疗方式需要根据患者的病情、肝功能、肿瘤分期等因素综合考虑。", '
             '"history": [["你好，我想了解一下肝癌的发病原因有哪些？", "肝癌的发生原因较为复杂，其中主要包括肝炎病毒感染、长期饮酒、脂肪肝、遗传因素、环境污染等。"]], '
             '"system": "你是医学助手。"}')
    assert lines == [
        liver,
        '{"instruction": "判断临床试验筛选标准的类别：4）既往患有骨髓增生异常综合征（Myelodysplastic syndrome，MDS）的患者，或者未定型的急性白血病患者。", '
        '"input": "", "output": "Disease", "history": [], "system": "你是医学助手。"}',
        '{"instruction": "你好，请问逍遥散是什么？", "input": "", '
        '"output": "逍遥散是一种传统中药方，由多种中药组成。在本文中，它被用于治疗肝郁脾虚型慢性乙型肝炎。", "history": [], "system": "你是医学助手。"}',
        liver,
        '{"instruction": "姜黄素预处理的外泌体是什么？", "input": "", '
        '"output": "姜黄素预处理的外泌体是一种型号小巧的囊泡结构，可以在细胞外泌出，封装着一定数量和种类的生物分子，例如蛋白质、核酸、代谢产物等，'
        '可以作为细胞之间信息传递的一种方式。", "history": [["你好，根据的研究结果，姜黄素对肝癌细胞增殖有什么影响？能降低肝癌的复发率吗？", '
        '"你好，据研究发现，姜黄素预处理的外泌体能抑制肝癌细胞的活力并阻滞细胞周期，促进细胞凋亡。这反映姜黄素可能作为治疗肝癌的新靶点和新途径。'
        '但是，针对肝癌的治疗是多方面的，姜黄素单独使用可能并不能完全控制肝癌的复发。"]], "system": "你是医学助手。"}',
        '{"instruction": "Translate into English: 加用吉西他滨联合顺铂诱导化疗在2期试验中显示出很有前景的疗效。", "input": "", '
        '"output": "Additional gemcitabine and cisplatin induction chemotherapy has shown promising efficacy in phase 2 trials.", "history": [], "system": "你是医学助手。"}',
    ]


@pytest.mark.parametrize("order", [[1, 0, 2], [0, 2, 1]])
def test_alpaca_keeps_the_order_when_no_row_needs_moving(tmp_path: Path, order: list[int]) -> None:
    # the two-turn row already first, or a single-turn row first and the two-turn one later
    lines = _written(AlpacaWriter(tmp_path), _table(ROWS[:3]), np.array(order))
    instructions = [json.loads(line)["instruction"] for line in lines]
    first_multi = LIVER[1]["human"]
    by_row = {0: XIAOYAO["human"], 1: first_multi, 2: CTC["human"]}
    expected = [by_row[i] for i in order]
    if order[0] != 1:  # the two-turn row moves up, the others keep their order
        expected = [first_multi] + [t for t in expected if t != first_multi]
    assert instructions == expected
    assert [len(json.loads(line)["history"]) for line in lines] == [1, 0, 0]


def test_alpaca_moves_the_first_of_two_different_multi_turn_rows(tmp_path: Path) -> None:
    lines = _written(AlpacaWriter(tmp_path), _table(ROWS), np.array([0, 4, 1]))  # 逍遥散, 姜黄素, liver
    assert [json.loads(line)["instruction"] for line in lines] == [JIANGHUANG[1]["human"], XIAOYAO["human"], LIVER[1]["human"]]


def test_alpaca_without_a_multi_turn_row_is_written_as_is(tmp_path: Path) -> None:
    lines = _written(AlpacaWriter(tmp_path), _table([ROWS[2], ROWS[0]]))
    assert [json.loads(line)["instruction"] for line in lines] == [CTC["human"], XIAOYAO["human"]]
    assert "system" not in json.loads(lines[0])


def test_firefly_lines(tmp_path: Path) -> None:
    writer = FireflyWriter(tmp_path, system="ignored: Firefly has no system field")
    writer.write(_table(ROWS[1:3]))
    lines = _written(writer, _table(ROWS), np.array([3]))
    assert lines == [
        '{"conversation_id": 1, "dataset": "bentsao_livercancer", "category": "MRD", "language": "zh", "conversation": '
        '[{"human": "你好，我想了解一下肝癌的发病原因有哪些？", "assistant": "肝癌的发生原因较为复杂，其中主要包括肝炎病毒感染、长期饮酒、脂肪肝、遗传因素、环境污染等。"}, '
        '{"human": "我有一位朋友被诊断出患有肝癌，想了解一下目前肝癌的治疗方式。", '
        '"assistant": "目前，肝癌的治疗方式包括手术切除、肝移植、放疗、化疗等，具体治疗方式需要根据患者的病情、肝功能、肿瘤分期等因素综合考虑。"}]}',
        '{"conversation_id": 2, "dataset": "chip_ctc", "category": "TC", "language": "zh", "conversation": '
        '[{"human": "判断临床试验筛选标准的类别：4）既往患有骨髓增生异常综合征（Myelodysplastic syndrome，MDS）的患者，或者未定型的急性白血病患者。", '
        '"assistant": "Disease"}]}',
        '{"conversation_id": 3, "dataset": "paramed", "category": "MT-zh2en", "language": "zh-en", "conversation": '
        '[{"human": "Translate into English: 加用吉西他滨联合顺铂诱导化疗在2期试验中显示出很有前景的疗效。", "assistant": "Additional gemcitabine and cisplatin induction chemotherapy has shown promising efficacy in phase 2 trials."}]}',
    ]


def test_jsonl_schemas(tmp_path: Path) -> None:
    """The types the card's ``dataset_info`` gives each format, and the keys the writers write."""
    conversation = pa.list_(pa.struct([("human", pa.string()), ("assistant", pa.string())]))
    turns = pa.list_(pa.struct([("from", pa.string()), ("value", pa.string())]))
    expected = {
        "firefly": [("conversation_id", pa.int64()), ("dataset", pa.string()), ("category", pa.string()),
                    ("language", pa.string()), ("conversation", conversation)],
        "sharegpt": [("id", pa.string()), ("conversations", turns)],
        "alpaca": [("instruction", pa.string()), ("input", pa.string()), ("output", pa.string()),
                   ("history", pa.list_(pa.list_(pa.string())))],
    }
    for name, fields in expected.items():
        assert jsonl_schema(name) == pa.schema(fields), name
        with_system = fields if name == "firefly" else fields + [("system", pa.string())]
        assert jsonl_schema(name, system=True) == pa.schema(with_system), name
    for k, system in enumerate((None, "你是医学助手。")):
        for writer in (FireflyWriter, ShareGPTWriter, AlpacaWriter):
            (tmp_path / str(k)).mkdir(exist_ok=True)
            out = writer(tmp_path / str(k), system=system)
            line = json.loads(_written(out, _table(ROWS[:1]))[0])
            assert list(line) == jsonl_schema(writer.name, system=system is not None).names, (writer.name, system)


# -- Parquet ----------------------------------------------------------------------------------

def _numbered(n: int, streams: list[tuple[str, str]]) -> pa.Table:
    """``n`` rows ``r0, r1, ...``; row i belongs to stream ``streams[i % len(streams)]``."""
    rows = []
    for i in range(n):
        category, language = streams[i % len(streams)]
        rows.append({**_row(f"r{i}", "chip_ctc", "tc", category, language, [CTC]), "id": f"r{i}"})
    return _table(rows)


def _ids(path: Path) -> list[str]:
    return pq.read_table(path, columns=["id"]).column("id").to_pylist()


def _groups(path: Path) -> list[int]:
    meta = pq.ParquetFile(path).metadata
    return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]


def test_parquet_shards_per_stream_in_written_order(tmp_path: Path) -> None:
    # 25 rows, every 5th (r0, r5, ...) mt/zh-en, the other 20 tc/zh; shards of 8 rows:
    # tc/zh -> 8 + 8 + 4, mt/zh-en -> 5, each stream numbered from 00000
    streams = [("mt", "zh-en")] + [("tc", "zh")] * 4
    writer = ParquetShardWriter(tmp_path, shard_rows=8, schema=ROW_SCHEMA)
    writer.write(_numbered(25, streams))
    files = writer.close()
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "data/mt/zh-en/train-00000.parquet", "data/tc/zh/train-00000.parquet",
        "data/tc/zh/train-00001.parquet", "data/tc/zh/train-00002.parquet"]
    assert [_ids(p) for p in files] == [
        ["r0", "r5", "r10", "r15", "r20"],
        ["r1", "r2", "r3", "r4", "r6", "r7", "r8", "r9"],
        ["r11", "r12", "r13", "r14", "r16", "r17", "r18", "r19"],
        ["r21", "r22", "r23", "r24"]]
    assert not list(tmp_path.rglob("*.tmp"))


def test_parquet_rows_by_position_with_repeats(tmp_path: Path) -> None:
    streams = [("mt", "zh-en")] + [("tc", "zh")] * 4
    writer = ParquetShardWriter(tmp_path, shard_rows=4, schema=ROW_SCHEMA)
    table = _numbered(10, streams)
    writer.write(table, np.array([3, 3, 0, 7, 5, 9, 1]))  # tc/zh: r3 r3 r7 | r9 r1; mt/zh-en: r0 r5
    writer.write(table, np.array([0, 2]))  # mt/zh-en: r0 (third row of its shard); tc/zh: r2 after r1
    files = writer.close()
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "data/mt/zh-en/train-00000.parquet", "data/tc/zh/train-00000.parquet", "data/tc/zh/train-00001.parquet"]
    assert [_ids(p) for p in files] == [["r0", "r5", "r0"], ["r3", "r3", "r7", "r9"], ["r1", "r2"]]


def test_parquet_row_groups_close_at_the_call_that_reaches_row_group_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # six calls of 2 rows, groups of >= 3, shards of 8: the 2nd call closes a group of 4; the
    # 4th fills the shard (groups 4, 4); shard 1: the 6th call closes a group of 4
    monkeypatch.setattr(ParquetShardWriter, "ROW_GROUP_ROWS", 3)
    writer = ParquetShardWriter(tmp_path, shard_rows=8, schema=ROW_SCHEMA)
    table = _numbered(12, [("tc", "zh")])
    for start in range(0, 12, 2):
        writer.write(table.slice(start, 2))
    files = writer.close()
    assert [_groups(p) for p in files] == [[4, 4], [4]]
    assert [_ids(p) for p in files] == [[f"r{i}" for i in range(8)], [f"r{i}" for i in range(8, 12)]]


def test_parquet_flush_ends_a_row_group(tmp_path: Path) -> None:
    writer = ParquetShardWriter(tmp_path, shard_rows=10, schema=ROW_SCHEMA)
    table = _numbered(7, [("tc", "zh")])
    writer.write(table.slice(0, 3))
    writer.flush()  # a dataset is done: 3 rows become a group
    writer.write(table.slice(3, 4))
    (path,) = writer.close()
    assert _groups(path) == [3, 4] and _ids(path) == [f"r{i}" for i in range(7)]


def test_default_shard_and_row_group_sizes(tmp_path: Path) -> None:
    # 100,001 rows of one stream in calls of 4096 rows: a group closes every 4 calls (16,384 rows,
    # the default ROW_GROUP_ROWS) -> 6 groups = 98,304 rows; the 25th call fills the default
    # 100,000-row shard with 1,696 more and its last row starts shard 1
    n = 100_001
    ids = pa.array([f"r{i}" for i in range(n)])
    same = {name: pa.array(["x"] * n) for name in ROW_SCHEMA.names if name not in ("id", "category", "language", "conversation")}
    table = pa.table({**same, "id": ids, "category": pa.array(["tc"] * n), "language": pa.array(["zh"] * n),
                      "conversation": pa.array([[{"human": "q", "assistant": "a"}]] * n, ROW_SCHEMA.field("conversation").type)}).select(ROW_SCHEMA.names)
    writer = ParquetShardWriter(tmp_path, schema=ROW_SCHEMA)
    for start in range(0, n, 4096):
        writer.write(table.slice(start, 4096))
    files = writer.close()
    assert [p.name for p in files] == ["train-00000.parquet", "train-00001.parquet"]
    assert [_groups(p) for p in files] == [[16_384] * 6 + [1_696], [1]]
    assert _ids(files[1]) == ["r100000"]


def test_parquet_finish_adds_messages_with_the_system_prompt(tmp_path: Path) -> None:
    writer = ParquetShardWriter(tmp_path, schema=SHARD_SCHEMA, system={"zh": "你是医学助手。"}, finish=with_messages)
    writer.write(_table(ROWS), np.array([1, 3]))
    files = writer.close()
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["data/dialogue/zh/train-00000.parquet", "data/mt/zh-en/train-00000.parquet"]
    dialogue, mt = (pq.read_table(p).column("messages").to_pylist() for p in files)
    assert dialogue == [[
        {"role": "system", "content": "你是医学助手。"},
        {"role": "user", "content": "你好，我想了解一下肝癌的发病原因有哪些？"},
        {"role": "assistant", "content": "肝癌的发生原因较为复杂，其中主要包括肝炎病毒感染、长期饮酒、脂肪肝、遗传因素、环境污染等。"},
        {"role": "user", "content": "我有一位朋友被诊断出患有肝癌，想了解一下目前肝癌的治疗方式。"},
        {"role": "assistant", "content": "目前，肝癌的治疗方式包括手术切除、肝移植、放疗、化疗等，具体治疗方式需要根据患者的病情、肝功能、肿瘤分期等因素综合考虑。"},
    ]]
    assert mt == [[{"role": "user", "content": "Translate into English: 加用吉西他滨联合顺铂诱导化疗在2期试验中显示出很有前景的疗效。"},
                   {"role": "assistant", "content": "Additional gemcitabine and cisplatin induction chemotherapy has shown promising efficacy in phase 2 trials."}]]


def test_parquet_without_a_schema_writes_the_tables_own(tmp_path: Path) -> None:
    # schema=None: each stream's files take the schema of the rows given (here ROW_SCHEMA, no messages)
    writer = ParquetShardWriter(tmp_path, shard_rows=3)
    table = _numbered(5, [("tc", "zh")])
    writer.write(table.slice(0, 2))
    writer.write(table.slice(2, 3))
    files = writer.close()
    assert [pq.read_schema(p).remove_metadata() for p in files] == [ROW_SCHEMA, ROW_SCHEMA]
    assert [_ids(p) for p in files] == [["r0", "r1", "r2"], ["r3", "r4"]]
