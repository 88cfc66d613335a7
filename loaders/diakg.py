"""DiaKG (CCKS 2021): Chinese diabetes guidelines annotated for knowledge-graph construction, as NER and RE.

Raw format: one JSON object per document (the full release has 41 files; the code repository's
``data/sample.json`` is one of them): ``{"doc_id", "paragraphs": [{"paragraph_id",
"paragraph", "sentences": [{"sentence_id", "sentence", "start_idx", "end_idx", "entities":
[{"entity_id", "entity", "entity_type", "start_idx", "end_idx"}], "relations":
[{"relation_type", "relation_id", "head_entity_id", "tail_entity_id"}]}]}]}``. A sentence's
``start_idx``/``end_idx`` locate it in its paragraph; entity offsets are relative to the
sentence, end exclusive.

Mapping: one KB record per paragraph (relations may cross sentences, the README says, so a
sentence is too small a unit): one passage holding the paragraph, entities at
``sentence start + entity offset`` with their raw ids and types, relations with their raw
ids and types. The README's 18 entity and 15 relation types are the label sets (its spelling
``Operation_Disese`` included). A sentence that does not sit at its offsets in the paragraph,
an entity whose text does not slice back, or a relation naming an entity outside the
paragraph rejects the paragraph, naming the field. Paragraphs without entities give no
record. Every ``*.json`` in the folder is a ``train`` document (the release has no splits).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from biocurate.errors import ConversionError
from biocurate.schemas import Entity, KBRecord, Passage, Relation

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader
from .formats.cblue import require_list, require_str

ENTITY_TYPES = ["Disease", "Class", "Reason", "Pathogenesis", "Symptom", "Test", "Test_items", "Test_Value", "Drug",
                "Frequency", "Method", "Treatment", "Operation", "ADE", "Anatomy", "Level", "Duration", "Amount"]
RELATION_TYPES = ["Test_items_Disease", "Anatomy_Disease", "Drug_Disease", "Method_Drug", "Treatment_Disease",
                  "Pathogenesis_Disease", "Test_Disease", "Operation_Disese", "Class_Disease", "Reason_Disease",
                  "Duration_Drug", "Symptom_Disease", "Amount_Drug", "ADE_Drug", "Frequency_Drug"]


def _int(data: dict, key: str, field: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConversionError(f"{key!r} must be a non-negative integer, got {value!r}", field=field)
    return value


@register_loader
class DiaKG(Loader):
    meta = DatasetMeta(
        name="diakg",
        display_name="DiaKG",
        description="41 Chinese diabetes guidelines and expert consensuses annotated with 22,050 entities (18 types) and "
        "6,890 relations (15 types) for medical knowledge-graph construction (CCKS 2021).",
        languages=["zh"],
        tasks=["ner", "re"],
        schema="kb",
        license="unknown",
        citation="""@inproceedings{chang2021diakg,
  title = {DiaKG: an Annotated Diabetes Dataset for Medical Knowledge Graph Construction},
  author = {Chang, Dejie and Chen, Mosha and Liu, Chaozhen and Liu, Liping and Li, Dongdong and Li, Wei and Kong, Fei and Liu, Bangchang and Luo, Xiaobin and Qiu, Ji and Jin, Qiao and Xu, Jun},
  booktitle = {Knowledge Graph and Semantic Computing (CCKS 2021)},
  year = {2021},
  note = {arXiv:2105.15033}
}""",
        homepage="https://tianchi.aliyun.com/dataset/88836",
        splits={"train": "*.json"},
        source_files=[],
        manual_download="Apply for the full set on Tianchi (https://tianchi.aliyun.com/dataset/88836) and put its document "
        "JSON files in the data directory; the code repository https://github.com/changdejie/diaKG-code ships one document "
        "as data/sample.json.",
        label_sets={"entity_types": ENTITY_TYPES, "relation_types": RELATION_TYPES},
        aliases=["DiaKG", "dia_kg"],
        format_note="document JSON (doc_id/paragraphs/sentences with sentence-relative entity offsets); one KB record per paragraph.",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            try:
                document = json.loads(path.read_text(encoding=self.encoding))
            except json.JSONDecodeError as exc:
                yield self.reject(split, f"malformed JSON: {exc.msg}", file=str(path), line=exc.lineno, stage="read")
                continue
            try:
                paragraphs = require_list(document, "paragraphs")
                doc_id = require_str(document, "doc_id")
            except ConversionError as exc:
                yield self.reject(split, exc.reason, file=str(path), field=exc.field, stage="read")
                continue
            for number, paragraph in enumerate(paragraphs):
                pid = paragraph.get("paragraph_id", number) if isinstance(paragraph, dict) else number
                yield SourceItem(paragraph, str(path), None, key=f"{doc_id}/{pid}")

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        text = require_str(item.data, "paragraph")
        entities: list[Entity] = []
        relations: list[Relation] = []
        for s_number, sentence in enumerate(require_list(item.data, "sentences")):
            where = f"sentences[{s_number}]"
            start, end = _int(sentence, "start_idx", f"{where}.start_idx"), _int(sentence, "end_idx", f"{where}.end_idx")
            if text[start:end] != require_str(sentence, "sentence", field=f"{where}.sentence"):
                raise ConversionError(f"the sentence is not at {start}:{end} of the paragraph", field=f"{where}.start_idx")
            for e_number, raw in enumerate(require_list(sentence, "entities", field=f"{where}.entities")):
                field = f"{where}.entities[{e_number}]"
                s, e = start + _int(raw, "start_idx", f"{field}.start_idx"), start + _int(raw, "end_idx", f"{field}.end_idx")
                mention = require_str(raw, "entity", field=f"{field}.entity")
                if text[s:e] != mention:
                    raise ConversionError(f"{mention!r} does not slice back at {s}:{e} (reads {text[s:e]!r})", field=f"{field}.start_idx")
                entities.append(Entity(id=require_str(raw, "entity_id", field=f"{field}.entity_id"),
                                       type=require_str(raw, "entity_type", field=f"{field}.entity_type"), text=[mention], offsets=[[s, e]]))
            for r_number, raw in enumerate(require_list(sentence, "relations", field=f"{where}.relations")):
                field = f"{where}.relations[{r_number}]"
                relations.append(Relation(id=require_str(raw, "relation_id", field=f"{field}.relation_id"),
                                          type=require_str(raw, "relation_type", field=f"{field}.relation_type"),
                                          arg1_id=require_str(raw, "head_entity_id", field=f"{field}.head_entity_id"),
                                          arg2_id=require_str(raw, "tail_entity_id", field=f"{field}.tail_entity_id")))
        known = {e.id for e in entities}
        for relation in relations:
            for arg in (relation.arg1_id, relation.arg2_id):
                if arg not in known:
                    raise ConversionError(f"relation {relation.id} names entity {arg}, which is not in this paragraph", field="relations")
        if not entities:
            return
        yield KBRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="zh", document_id=str(item.key),
            passages=[Passage(id="p0", type="paragraph", text=[text], offsets=[[0, len(text)]])],
            entities=entities, relations=relations,
        )
