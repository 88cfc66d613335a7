"""HuatuoGPT-sft-data-v1 and the three public parts of Huatuo-26M (FreedomIntelligence, CUHK-Shenzhen),
Chinese medical QA released as files of Hub dataset repos.

No real excerpt was available, so the parsers follow the published descriptions
(format from description); the test fixtures in ``tests/fixtures/<name>/`` are built from them.

* **HuatuoGPT-sft-data-v1** (Hub ``FreedomIntelligence/HuatuoGPT-sft-data-v1``, file
  ``HuatuoGPT_sft_data_v1.jsonl``, 226,042 lines, pinned at commit a910d4c, the upload of the
  ``.jsonl``): one ``{"data": ["问：…", "答：…", ...]}`` per line, utterances alternating
  ``问：`` (user) and ``答：`` (assistant), as HuatuoGPT's README and the code that reads it
  (``data[0]`` / ``data[1]`` with those prefixes) show. Mapping: one ``sqa`` QA record per
  line. A single exchange gives question and answer without their prefixes; a longer
  conversation keeps every earlier utterance, prefixes included, on its own line before the
  last question, and the last ``答：`` utterance is the answer. A list that does not alternate
  问/答 starting with 问 and ending with 答 is rejected (field ``data``).
* **Huatuo-26M parts** (Hub ``FreedomIntelligence/huatuo_encyclopedia_qa``,
  ``huatuo_knowledge_graph_qa``, ``huatuo_consultation_qa``): ``train_datasets.jsonl``,
  ``validation_datasets.jsonl`` and ``test_datasets.jsonl``, one ``{"questions": [...],
  "answers": [...]}`` per line (the repos' ``my_dataset.py`` declares both as sequences of
  strings; encyclopedia lines may nest the questions one level, ``[["q1", "q2"]]``, which is
  flattened). ``questions`` are alternative wordings sharing the answers, so the mapping is one
  ``sqa`` record per question with every non-empty answer. The consultation part releases
  only the URL of each answer (its README: "答案为url形式"): such answers are rejected
  (field ``answers``) rather than trained on, so that part yields records only from files
  whose answers were fetched as text.

Every part has the ``validation``/``test`` splits of its files; test lines are held out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from biocurate.errors import ConversionError
from biocurate.hub_snapshot import HubSnapshot
from biocurate.schemas import QARecord

from ._base import DatasetMeta, SourceItem
from ._hub_files import HubQALoader, hub_manual
from ._registry import register_loader

HUATUOGPT_CITATION = """@article{huatuogpt-2023,
  title = {HuatuoGPT, Towards Taming Language Models To Be a Doctor},
  author = {Hongbo Zhang and Junying Chen and Feng Jiang and Fei Yu and Zhihong Chen and Jianquan Li and Guiming Chen and Xiangbo Wu and Zhiyi Zhang and Qingying Xiao and Xiang Wan and Benyou Wang and Haizhou Li},
  journal = {arXiv preprint arXiv:2305.15075},
  year = {2023}
}"""
HUATUO26M_CITATION = """@misc{li2023huatuo26m,
  title = {Huatuo-26M, a Large-scale Chinese Medical QA Dataset},
  author = {Jianquan Li and Xidong Wang and Xiangbo Wu and Zhiyi Zhang and Xiaolong Xu and Jie Fu and Prayag Tiwari and Xiang Wan and Benyou Wang},
  year = {2023},
  eprint = {2305.01526},
  archivePrefix = {arXiv}
}"""
_ROLES = (("问：", "user"), ("答：", "assistant"))
_URL = re.compile(r"^https?://\S+$")


def huatuo_turns(data: Any) -> list[tuple[str, str]]:
    """``{"data": ["问：a", "答：b"]}`` -> ``[("问：", "a"), ("答：", "b")]``, checked.

    Raises:
        ConversionError: not a list of strings alternating 问：/答： from 问 to 答 (field ``data``).
    """
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items or not all(isinstance(v, str) for v in items):
        raise ConversionError("'data' must be a non-empty list of strings", field="data")
    turns = []
    for number, text in enumerate(items):
        prefix = _ROLES[number % 2][0]
        stripped = text.strip()
        if not stripped.startswith(prefix):
            raise ConversionError(f"utterance {number} must start with {prefix!r}, got {stripped[:20]!r}", field="data")
        body = stripped[len(prefix):].strip()
        if not body:
            raise ConversionError(f"utterance {number} is empty", field="data")
        turns.append((prefix, body))
    if len(turns) % 2:
        raise ConversionError("the conversation must end with an answer (答：)", field="data")
    return turns


def strings(data: Any, key: str) -> list[str]:
    """The non-empty strings of ``data[key]`` (a list, possibly nested one level), stripped.

    Raises:
        ConversionError: missing, not a list of strings, or empty (field ``key``).
    """
    values = data.get(key) if isinstance(data, dict) else None
    if not isinstance(values, list):
        raise ConversionError(f"{key!r} must be a list", field=key)
    flat = [v for item in values for v in (item if isinstance(item, list) else [item])]
    if not all(isinstance(v, str) for v in flat):
        raise ConversionError(f"{key!r} must hold strings", field=key)
    texts = [v.strip() for v in flat if v.strip()]
    if not texts:
        raise ConversionError(f"{key!r} has no non-empty string", field=key)
    return texts


_HUATUOGPT = HubSnapshot("FreedomIntelligence/HuatuoGPT-sft-data-v1", "a910d4ce15ef5fa26c474a3c528dcb1484e9a0ff",
                         ("HuatuoGPT_sft_data_v1.jsonl",))


@register_loader
class HuatuoGPTSftDataV1(HubQALoader):
    hub = _HUATUOGPT
    meta = DatasetMeta(
        name="huatuogpt_sft_data_v1",
        display_name="HuatuoGPT-sft-data-v1",
        description="226,042 Chinese medical instruction and consultation samples of HuatuoGPT: distilled from ChatGPT "
        "and real doctors' answers, single- and multi-turn; Taiyi samples 100,000 of them as QA.",
        languages=["zh"],
        tasks=["qa_free"],
        schema="qa",
        license="Apache-2.0",
        citation=HUATUOGPT_CITATION,
        homepage="https://huggingface.co/datasets/FreedomIntelligence/HuatuoGPT-sft-data-v1",
        splits={"train": "HuatuoGPT_sft_data_v1.jsonl|*train/*.parquet"},
        manual_download=hub_manual(_HUATUOGPT, "huatuogpt_sft_data_v1"),
        aliases=["HuatuoGPT-sft-data-v1", "huatuogpt_sft"],
        format_note="JSON Lines {\"data\": [\"问：…\", \"答：…\", …]} (HuatuoGPT README and the Hub file); history kept as "
        "问：/答： lines, the last 答 is the answer.",
        format_source="format from description",
    )

    def question_answer(self, data: Any) -> tuple[str, str]:
        turns = huatuo_turns(data)
        if len(turns) == 2:
            return turns[0][1], turns[1][1]
        return "\n".join(prefix + text for prefix, text in turns[:-1]), turns[-1][1]


class Huatuo26MPart(HubQALoader):
    """One record per question of a Huatuo-26M ``{"questions", "answers"}`` line."""

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        questions, answers = strings(item.data, "questions"), strings(item.data, "answers")
        if any(_URL.match(a) for a in answers):
            raise ConversionError("the answer is a URL, not text (Huatuo-26M releases only answer URLs for this part)",
                                  field="answers")
        for number, question in enumerate(questions):
            record_id = self.record_id(split, index, str(number) if len(questions) > 1 else "")
            yield QARecord(
                id=record_id, dataset=self.name, split=split, language="zh", question_id=record_id,
                document_id=self.record_id(split, index), question=question, type="sqa", answer=answers,
            )


def _huatuo26m_meta(name: str, display: str, description: str, hub: HubSnapshot, extra_aliases: list[str]) -> DatasetMeta:
    return DatasetMeta(
        name=name, display_name=display, description=description, languages=["zh"], tasks=["qa_free"], schema="qa",
        license="Apache-2.0", citation=HUATUO26M_CITATION, homepage=f"https://huggingface.co/datasets/{hub.repo_id}",
        splits={"train": "train_datasets.jsonl|*train/*.parquet", "validation": "validation_datasets.jsonl|*validation/*.parquet",
                "test": "test_datasets.jsonl|*test/*.parquet"},
        manual_download=hub_manual(hub, name), aliases=extra_aliases,
        format_note="JSON Lines {\"questions\": [...], \"answers\": [...]} (the repo's my_dataset.py); one sqa record per question.",
        format_source="format from description",
    )


_FILES = ("train_datasets.jsonl", "validation_datasets.jsonl", "test_datasets.jsonl")
_ENCYCLOPEDIA = HubSnapshot("FreedomIntelligence/huatuo_encyclopedia_qa", "d460dc3c2e88cb6f0b7d768cfa0130f818e77083", _FILES)
_KNOWLEDGE_GRAPH = HubSnapshot("FreedomIntelligence/huatuo_knowledge_graph_qa", "b01fb013d5595abe18c97408dd2fc939e4f7ea3f", _FILES)
# Only the short hash of the last commit ("Update README.md", 2023-05-17) is published: the branch is checked against it.
_CONSULTATION = HubSnapshot("FreedomIntelligence/huatuo_consultation_qa", "main", _FILES, commit="b0f5723")


@register_loader
class HuatuoEncyclopediaQA(Huatuo26MPart):
    hub = _ENCYCLOPEDIA
    meta = _huatuo26m_meta("huatuo_encyclopedia_qa", "Huatuo-26M encyclopedia QA",
                           "364,420 Chinese medical QA pairs from online medical encyclopedias (part of Huatuo-26M).",
                           _ENCYCLOPEDIA, ["huatuo_encyclopedia"])


@register_loader
class HuatuoKnowledgeGraphQA(Huatuo26MPart):
    hub = _KNOWLEDGE_GRAPH
    meta = _huatuo26m_meta("huatuo_knowledge_graph_qa", "Huatuo-26M knowledge-graph QA",
                           "798,444 Chinese medical QA pairs generated from medical knowledge graphs (part of Huatuo-26M).",
                           _KNOWLEDGE_GRAPH, ["huatuo_kg_qa"])


@register_loader
class HuatuoConsultationQA(Huatuo26MPart):
    hub = _CONSULTATION
    meta = _huatuo26m_meta("huatuo_consultation_qa", "Huatuo-26M consultation QA",
                           "25.3M Chinese consultation questions from online medical forums (part of Huatuo-26M); the "
                           "release gives each answer only as the URL of its page, and those lines are rejected.",
                           _CONSULTATION, ["huatuo_consultation"])
