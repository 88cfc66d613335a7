"""TCM-NER (Tianchi 2020 中药说明书实体识别挑战): named entities in Chinese traditional-medicine drug package
inserts, brat standoff.

No real excerpt was available (``format from description``). The competition's training data
(``round1_train/train/<n>.txt`` + ``<n>.ann``) is brat standoff: one insert per ``.txt`` and
text-bound lines ``T1<TAB>DRUG_EFFICACY 10 14<TAB>清热解毒`` in the ``.ann`` (see
:mod:`.formats.brat`); the competition lists 13 entity types, the codes in
:data:`TYPE_NAMES`. Test inserts come without ``.ann``.

Mapping: one KB record per insert: one passage holding the text, an entity per text-bound
annotation with its type code shown in Chinese (药品, 中药功效...). A code outside the 13 is
rejected naming the annotation (so a release that differs from the description is not read
silently), as are relation or event lines (the task has none).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import Entity, KBRecord, Passage

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader
from .formats.brat import BratDocument, iter_brat
from .formats.common import Malformed

#: The competition's 13 entity type codes -> their Chinese names.
TYPE_NAMES = {
    "DRUG": "药品", "DRUG_INGREDIENT": "药物成分", "DISEASE": "疾病", "SYMPTOM": "症状", "SYNDROME": "证候",
    "DISEASE_GROUP": "疾病分组", "FOOD": "食物", "FOOD_GROUP": "食物分组", "PERSON_GROUP": "人群",
    "DRUG_GROUP": "药品分组", "DRUG_DOSAGE": "药物剂型", "DRUG_TASTE": "药物性味", "DRUG_EFFICACY": "中药功效",
}


@register_loader
class TCMNER(Loader):
    meta = DatasetMeta(
        name="tcm_ner",
        display_name="TCM drug insert NER (Tianchi 2020)",
        description="Chinese traditional-medicine drug package inserts annotated with 13 entity types (drugs, ingredients, "
        "diseases, symptoms, syndromes, efficacies, populations...), brat standoff (Tianchi 2020 中药说明书实体识别).",
        languages=["zh"],
        tasks=["ner"],
        schema="kb",
        license="unknown",
        citation="@misc{tianchi_tcm_ner_2020,\n  title = {“万创杯”中医药天池大数据竞赛——中药说明书实体识别挑战},\n"
        "  publisher = {Alibaba Tianchi},\n  year = {2020},\n  howpublished = {\\url{https://tianchi.aliyun.com/dataset/86819}}\n}",
        homepage="https://tianchi.aliyun.com/dataset/86819",
        splits={"train": "*.txt"},
        manual_download="Register on Tianchi (https://tianchi.aliyun.com/dataset/86819) and put the training .txt/.ann "
        "pairs (round1_train/train/) in the data directory.",
        label_sets={"entity_types": list(TYPE_NAMES.values())},
        aliases=["TCM-NER", "tianchi_tcm_ner"],
        format_note="brat standoff .txt + .ann per drug insert, 13 type codes (competition description) shown in Chinese.",
        format_source="format from description",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for doc in iter_brat(self.files_for(split)):
            if isinstance(doc, Malformed):
                yield self.reject(split, doc.reason, **doc.where())
            else:
                yield SourceItem(doc, doc.ann_files[-1] if doc.ann_files else doc.txt_file, None, doc.id)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        doc: BratDocument = item.data
        if doc.events or doc.relations:
            raise ConversionError("TCM-NER has entities only; the .ann holds event or relation lines", field="relations")
        entities = []
        for tb in doc.text_bounds.values():
            if tb.type not in TYPE_NAMES:
                raise ConversionError(f"{tb.file} line {tb.line}: {tb.id} type {tb.type!r} is not one of {list(TYPE_NAMES)}",
                                      field=f"entities[{len(entities)}].type")
            entities.append(Entity(id=tb.id, type=TYPE_NAMES[tb.type], text=tb.pieces, offsets=[list(s) for s in tb.spans]))
        text = doc.text
        yield KBRecord(id=self.record_id(split, index), dataset=self.name, split=split, language="zh", document_id=doc.id,
                       passages=[Passage(id="p0", type="insert", text=[text], offsets=[[0, len(text)]])], entities=entities)
