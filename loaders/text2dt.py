"""Text2DT (CHIP 2022 / CBLUE): medical decision trees extracted from Chinese clinical guideline text.

No real excerpt was available (``format from description``). The CHIP 2022 Text2DT task
(its evaluation format checker and scorer, which read these fields) defines a JSON array of
``{"text": str, "tree": [node, ...]}`` where the tree is listed in pre-order and each node is
``{"role": "C" (condition) | "D" (decision), "triples": [[head, relation, tail], ...],
"logical_rel": "and" | "or" | "null"}``; a decision node with no triples ends a branch.
Files: ``Text2DT_train.json`` / ``Text2DT_dev.json`` (and a test file without trees).

biocurate has no decision-tree task, so the records are context QA (``cqa``): the context is
the text, the question a fixed instruction (:data:`QUESTION`) and the answer the tree written
one node per line in pre-order, ``C: (head, relation, tail) and (…)`` or ``D: …`` (``D: 无``
for a decision without triples), the logical relation between a node's triples joining them.
A node with another role, a triple that is not three strings, or an unknown logical relation
is rejected naming the node.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from biocurate.errors import ConversionError
from biocurate.schemas import QARecord

from ._arrayfiles import JsonArrayLoader
from ._base import DatasetMeta, SourceItem
from ._registry import register_loader
from .formats.cblue import require_list, require_str

QUESTION = ("请根据上述文本构建诊疗决策树：按先序逐行写出节点，条件节点以“C:”开头、决策节点以“D:”开头，"
            "节点内的三元组写作（头实体, 关系, 尾实体），并用and/or连接。")
LOGICAL = ("and", "or", "null")


def linearise(tree: list[Any], field: str = "tree") -> str:
    """The tree as pre-order lines ``C: (h, r, t) and (h, r, t)`` / ``D: …``.

    Raises:
        ConversionError: a malformed node (field ``tree[i]``).
    """
    if not tree:
        raise ConversionError("empty tree", field=field)
    lines = []
    for number, node in enumerate(tree):
        where = f"{field}[{number}]"
        if not isinstance(node, dict) or node.get("role") not in ("C", "D"):
            raise ConversionError("a node needs role 'C' or 'D'", field=f"{where}.role")
        logical = node.get("logical_rel", "null")
        if logical not in LOGICAL:
            raise ConversionError(f"logical_rel {logical!r} is not one of {LOGICAL}", field=f"{where}.logical_rel")
        triples = node.get("triples")
        if not isinstance(triples, list) or not all(isinstance(t, list) and len(t) == 3 and all(isinstance(x, str) for x in t) for t in triples):
            raise ConversionError("triples must be [head, relation, tail] lists of strings", field=f"{where}.triples")
        joined = f" {logical} " if logical != "null" else " "
        body = joined.join(f"({h}, {r}, {t})" for h, r, t in triples) or "无"
        lines.append(f"{node['role']}: {body}")
    return "\n".join(lines)


@register_loader
class Text2DT(JsonArrayLoader):
    meta = DatasetMeta(
        name="text2dt",
        display_name="Text2DT",
        description="Chinese clinical guideline and textbook passages annotated with the medical decision tree they "
        "describe (condition and decision nodes of (head, relation, tail) triples; CHIP 2022).",
        languages=["zh"],
        tasks=["qa_context"],
        schema="qa",
        license="unknown",
        citation="""@article{zhu2023text2dt,
  title = {Text2MDT: Extracting Medical Decision Trees from Medical Texts},
  author = {Zhu, Wei and Li, Wenfeng and Tian, Xing and Wang, Pengfei and Wang, Xiaoling and Chen, Jin and Wu, Yuanbin and Ni, Yuan and Xie, Guotong},
  journal = {arXiv preprint arXiv:2401.02034},
  year = {2024}
}""",
        homepage="https://tianchi.aliyun.com/dataset/95414",
        splits={"train": "Text2DT_train.json", "validation": "Text2DT_dev.json"},
        manual_download="Register on Tianchi for CBLUE / CHIP 2022 (https://tianchi.aliyun.com/dataset/95414) and put "
        "Text2DT_train.json and Text2DT_dev.json in the data directory.",
        aliases=["Text2DT", "text2mdt"],
        format_note="JSON array of {text, tree: [{role C|D, triples, logical_rel}]} (CHIP 2022 checker); tree as pre-order "
        "lines, asked as context QA.",
        format_source="format from description",
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        text = require_str(item.data, "text").strip()
        answer = linearise(require_list(item.data, "tree"))
        record_id = self.record_id(split, index)
        yield QARecord(id=record_id, dataset=self.name, split=split, language="zh", question_id=record_id, document_id=record_id,
                       question=QUESTION, type="cqa", context=text, answer=[answer])
