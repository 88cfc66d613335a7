"""CMID (Chinese Medical Intent Dataset, Inner Mongolia University): intent classification of
Chinese medical questions, 4 coarse and 36 fine intents.

Raw format: ``CMID.json``, one object per question ``{"originalText", "entities":
[{"label_type", "start_pos", "end_pos"}], "seg_result", "label_4class": [str],
"label_36class": [str]}``. Two published layouts are read:

* the **2019 first public version** (the bundled excerpt): JSON Lines despite the name, and
  every label string carries literal single quotes (``["'病症'"]``, ``["'临床表现(病症表现)'"]``);
* the **2022 upload** to IMU-MachineLearningSXD/CMID, as its README (``README_official_2022.md``)
  shows: the same fields with plain labels (``["病症"]``, ``["临床表现"]``). Whether that file is
  JSON Lines or one JSON array, both are read (the first non-blank byte decides).

Mapping: a ``TextRecord`` per question whose label is the fine (36-class) intent, with the
quotes stripped and the 2019 spelling ``临床表现(病症表现)`` mapped to the README's ``临床表现``.
The label set is the README's 36 intents plus ``功效``, which the 2019 file uses once (a drug
question). The coarse label must be one of the README's four (it is not required to be the fine
label's parent: the 2019 file pairs 药物 with 禁忌, for instance); a fine label outside the set
or a label list that does not hold exactly one label is rejected. The
machine NER ``entities`` and ``seg_result`` are not kept. The corpus has no splits: ``train``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from biocurate.errors import ConversionError
from biocurate.schemas import TextRecord

from ._base import DatasetMeta, SourceItem
from ._chatfiles import ChatFileLoader
from ._registry import register_loader
from .formats.cblue import require_list, require_str

#: README_official_2022.md: coarse intent -> its fine intents (+ 功效, used once by the 2019 file).
HIERARCHY: dict[str, list[str]] = {
    "病症": ["定义", "病因", "临床表现", "相关病症", "治疗方法", "推荐医院", "预防", "所属科室", "禁忌", "传染性", "治愈率", "严重性"],
    "药物": ["作用", "适用症", "价钱", "药物禁忌", "用法", "副作用", "成分", "功效"],
    "治疗方案": ["方法", "费用", "有效时间", "临床意义/检查目的", "治疗时间", "疗效", "恢复时间", "正常指标", "化验/体检方案", "恢复"],
    "其他": ["设备用法", "多问", "养生", "整容", "两性", "对比", "无法确定"],
}
FINE_LABELS = [label for labels in HIERARCHY.values() for label in labels]
#: 2019 spellings -> the README's.
_SPELLINGS = {"临床表现(病症表现)": "临床表现"}


def one_label(data: Any, key: str) -> str:
    """The single label of ``data[key]``, literal quotes stripped and 2019 spellings mapped.

    Raises:
        ConversionError: not a one-element list of strings (field ``key``).
    """
    values = require_list(data, key)
    if len(values) != 1 or not isinstance(values[0], str):
        raise ConversionError(f"{key!r} must hold exactly one label string, got {values!r}", field=key)
    label = values[0].strip()
    if len(label) >= 2 and label[0] == label[-1] == "'":
        label = label[1:-1].strip()
    return _SPELLINGS.get(label, label)


@register_loader
class CMID(ChatFileLoader):
    meta = DatasetMeta(
        name="cmid",
        display_name="CMID",
        description="Chinese Medical Intent Dataset: 12k Chinese medical questions labelled with 4 coarse and 36 fine "
        "intents (BMC MIDM 2020); the official README restricts it to scientific research.",
        languages=["zh"],
        tasks=["tc"],
        schema="text",
        license="research-only",
        citation="""@article{chen2020cmid,
  title = {A benchmark dataset and case study for Chinese medical question intent classification},
  author = {Chen, Nan and Su, Xiangdong and Liu, Tongyang and Hao, Qizhi and Wei, Ming},
  journal = {BMC Medical Informatics and Decision Making},
  volume = {20},
  number = {Suppl 3},
  pages = {125},
  year = {2020}
}""",
        homepage="https://github.com/IMU-MachineLearningSXD/CMID",
        splits={"train": "CMID.json"},
        manual_download="Download CMID.json from https://github.com/IMU-MachineLearningSXD/CMID (or the Tianchi page "
        "https://tianchi.aliyun.com/dataset/92109) and put it in the data directory; the 2019 JSON Lines file with quoted "
        "labels and the 2022 file with plain labels are both read.",
        label_sets={"labels": FINE_LABELS},
        aliases=["CMID", "chinese_medical_intent_dataset"],
        format_note="JSON Lines (2019) or JSON array; label_36class as the label, literal quotes stripped, "
        "临床表现(病症表现) -> 临床表现; label_4class checked against the README's four.",
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[TextRecord]:
        data = item.data
        text = require_str(data, "originalText")
        coarse, fine = one_label(data, "label_4class"), one_label(data, "label_36class")
        if coarse not in HIERARCHY:
            raise ConversionError(f"unknown coarse intent {coarse!r}; expected one of {list(HIERARCHY)}", field="label_4class")
        if fine not in FINE_LABELS:
            raise ConversionError(f"unknown fine intent {fine!r}; expected one of {FINE_LABELS}", field="label_36class")
        record_id = self.record_id(split, index)
        yield TextRecord(id=record_id, dataset=self.name, split=split, language="zh", document_id=record_id, text=text, labels=[fine])
