"""TCM-SD (CCL 2022): syndrome differentiation of Traditional Chinese Medicine clinical records, as
text classification (Taiyi's TCM-SD-TC).

Raw format: JSON Lines (``.json`` name; the repository's sample and the files of
``TCM_SD_train_dev.zip`` / ``test.json``): one ``{"example_id", "lcd_id", "lcd_name" (the
disease), "syndrome" (as written), "chief_complaint", "medical_history", "FDMR" (the
four-diagnostic-methods record), "norm_syndrome"}`` per line.

Mapping: a ``TextRecord`` per line whose text is the three clinical fields as labelled lines
(``主诉：…`` / ``现病史：…`` / ``四诊信息：…``; an empty field is left out) and whose label is the
normalised syndrome ``norm_syndrome`` (148 in the release; the list is not published apart
from the data, so no closed label set is declared). A record without ``norm_syndrome`` or
without any clinical text is rejected naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable

from biocurate.errors import ConversionError
from biocurate.schemas import TextRecord

from ._base import DatasetMeta, SourceItem
from ._chatfiles import ChatFileLoader
from ._registry import register_loader
from .formats.cblue import require_str

FIELDS = (("chief_complaint", "主诉"), ("medical_history", "现病史"), ("FDMR", "四诊信息"))


@register_loader
class TCMSD(ChatFileLoader):
    meta = DatasetMeta(
        name="tcm_sd_tc",
        display_name="TCM-SD",
        description="54,152 real-world Traditional Chinese Medicine clinical records labelled with one of 148 normalised "
        "syndromes (syndrome differentiation, 辨证); the README licenses the data CC BY-NC-SA 4.0.",
        languages=["zh"],
        tasks=["tc"],
        schema="text",
        license="CC-BY-NC-SA-4.0",
        citation="""@inproceedings{mucheng-etal-2022-tcm,
  title = {{TCM}-{SD}: A Benchmark for Probing Syndrome Differentiation via Natural Language Processing},
  author = {Ren, Mucheng and Huang, Heyan and Zhou, Yuxiang and Cao, Qianwen and Bu, Yuan and Gao, Yang},
  booktitle = {Proceedings of the 21st Chinese National Conference on Computational Linguistics},
  year = {2022},
  url = {https://aclanthology.org/2022.ccl-1.80}
}""",
        homepage="https://github.com/Borororo/ZY-BERT",
        splits={"train": "*train*.json|TCM-SD_data_sample.json", "validation": "*dev*.json", "test": "test.json"},
        manual_download="Download TCM_SD_train_dev.zip and test.json from https://github.com/Borororo/ZY-BERT (or Tianchi, "
        "https://tianchi.aliyun.com/dataset/139034), unzip, and put the JSON Lines files in the data directory.",
        aliases=["TCM-SD", "TCM-SD-TC", "TCM_SD"],
        format_note="JSON Lines {example_id, lcd_id, lcd_name, syndrome, chief_complaint, medical_history, FDMR, norm_syndrome}; "
        "label = norm_syndrome.",
    )

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[TextRecord]:
        data = item.data
        label = require_str(data, "norm_syndrome").strip()
        lines = [f"{name}：{data[key].strip()}" for key, name in FIELDS if isinstance(data.get(key), str) and data[key].strip()]
        if not lines:
            raise ConversionError("no clinical text (chief_complaint, medical_history, FDMR)", field="chief_complaint")
        yield TextRecord(id=self.record_id(split, index), dataset=self.name, split=split, language="zh",
                         document_id=str(data.get("example_id") or self.record_id(split, index)), text="\n".join(lines), labels=[label])
