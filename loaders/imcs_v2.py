"""The IMCS-V2 family (IMCS-21 in CBLUE 2.0) from the official dialogue files: NER, SR, DAC and MRG.

Raw format: see :mod:`.formats.imcs` (the imcs21-cblue README's 数据格式). The four CBLUE tasks
share ``IMCS-V2_train.json`` / ``IMCS-V2_dev.json`` / ``IMCS-V2_test.json`` (Tianchi; the
imcs21-cblue repository names them ``train.json`` / ``dev.json`` / ``test.json``); CBLUE's test
file carries no labels, so ``test`` is unlabelled. No annotated dialogue was available
(``format from description``): the fixture ``tests/fixtures/IMCS-V2/`` follows the README, and
the submission templates and ``mappings.json`` in ``shared/reference/imcs-v2`` fix the names.

Mappings:

* ``imcs_v2_ner``: one KB record per sentence; the space-joined per-character ``BIO_label``
  gives entities of the five types, named as in the README's table (症状, 药品名, 药物类别,
  检查, 操作); ids ``<split>-<dialogue index>-<sentence_id>``.
* ``imcs_v2_sr``: symptom recognition, one KB record per sentence with a symptom: each
  ``Symptom`` mention of the BIO labels is an entity whose type is its ``symptom_type`` status
  (``1`` 患有的症状, ``0`` 没有的症状, ``2`` 不确定的症状) and whose normalisation is its
  ``symptom_norm`` (db ``IMCS-V2``); the README says both lists follow the mentions' order,
  so a sentence where their lengths differ from the mention count is rejected.
* ``imcs_v2_dac``: dialogue act classification, one text record per sentence,
  ``"<speaker>：<sentence>"`` labelled with one of the 16 acts (shown in Chinese).
* ``imcs_v2_mrg_raw``: report generation, one t2t record per reference report (two per
  dialogue): the input is the self-report and the dialogue as ``患者：``/``医生：`` lines, the
  output the six sections. This replaces the PromptCBLUE stand-in (``imcs_v2_mrg``) wherever
  the raw files are given.

A dialogue that cannot be read is rejected naming file, line, example id and field; records
of its sentences before the failure are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from biocurate.errors import ConversionError
from biocurate.schemas import Entity, KBRecord, Normalization, Passage, Section, T2TRecord, TextRecord

from ._base import DatasetMeta, Loader, Reject, SourceItem
from ._registry import register_loader
from .formats.imcs import DIALOGUE_ACTS, ENTITY_TYPES, REPORT_SECTIONS, bio_spans, dialogue_lines, iter_dialogues, sentences
from .imcs_v2_mrg import IMCS_CITATION

SPLITS = {"train": "IMCS-V2_train.json|train.json", "validation": "IMCS-V2_dev.json|dev.json",
          "test": "IMCS-V2_test.json|test_input.json"}
MANUAL = ("Register on Tianchi for CBLUE (https://tianchi.aliyun.com/dataset/95414) and download IMCS-V2-NER.zip (the four "
          "IMCS-V2 tasks share its IMCS-V2_train.json / IMCS-V2_dev.json / IMCS-V2_test.json), or take train.json / dev.json "
          "from https://github.com/lemuria-wchen/imcs21; put them in one folder.")
HOMEPAGE = "https://github.com/lemuria-wchen/imcs21-cblue"
STATUS = {"1": "患有的症状", "0": "没有的症状", "2": "不确定的症状"}
ACTS_ZH = ["提问-症状", "告知-症状", "提问-病因", "告知-病因", "提问-基本信息", "告知-基本信息", "提问-已有检查和治疗",
           "告知-已有检查和治疗", "提问-用药建议", "告知-用药建议", "提问-就医建议", "告知-就医建议", "提问-注意事项",
           "告知-注意事项", "诊断", "其他"]


def _meta(name: str, display: str, description: str, tasks: list[str], schema: str, **extra: Any) -> DatasetMeta:
    return DatasetMeta(
        name=name, display_name=display, description=description, languages=["zh"], tasks=tasks, schema=schema,
        license="unknown", citation=IMCS_CITATION, homepage=HOMEPAGE, splits=SPLITS, manual_download=MANUAL,
        unlabelled_splits=["test"], format_source="format from description", **extra,
    )


class IMCSV2Loader(Loader):
    """Reads the shared dialogue files: one source item per dialogue."""

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            for line, key, example in iter_dialogues(path):
                yield SourceItem(example, str(path), line, key=key)

    def labelled(self, split: str) -> bool:
        return split not in self.meta.unlabelled_splits

    def sentence_id(self, split: str, index: int, sentence: dict[str, Any], number: int) -> str:
        return self.record_id(split, index, str(sentence.get("sentence_id") or number + 1))


@register_loader
class IMCSV2NER(IMCSV2Loader):
    meta = _meta("imcs_v2_ner", "IMCS-V2-NER", "Named entities (symptom, drug, drug category, examination, operation) in "
                 "the sentences of paediatric online consultations (IMCS-21, CBLUE 2.0).", ["ner"], "kb",
                 label_sets={"entity_types": list(ENTITY_TYPES.values())}, aliases=["IMCS-V2", "IMCS-V2-NER", "imcs21_ner"],
                 format_note="IMCS-V2 dialogue json; one KB record per sentence from its per-character BIO_label.")

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        for number, sentence in enumerate(sentences(item.data)):
            text, labels = sentence["sentence"], sentence.get("BIO_label")
            if labels is None and not self.labelled(split):
                spans = []
            elif isinstance(labels, str):
                spans = bio_spans(text, labels, f"dialogue[{number}].BIO_label")
            else:
                raise ConversionError("missing BIO_label", field=f"dialogue[{number}].BIO_label")
            yield KBRecord(
                id=self.sentence_id(split, index, sentence, number), dataset=self.name, split=split, language="zh",
                document_id=str(item.key), passages=[Passage(id="p0", type="sentence", text=[text], offsets=[[0, len(text)]])],
                entities=[Entity(id=f"e{k}", type=ENTITY_TYPES[t], text=[text[s:e]], offsets=[[s, e]]) for k, (s, e, t) in enumerate(spans)],
            )


@register_loader
class IMCSV2SR(IMCSV2Loader):
    meta = _meta("imcs_v2_sr", "IMCS-V2-SR", "Symptom recognition in paediatric online consultations (IMCS-21, CBLUE "
                 "2.0): each symptom mention with its normalised name and whether the patient has it.", ["ner"], "kb",
                 label_sets={"entity_types": list(STATUS.values())}, aliases=["IMCS-V2-SR", "imcs21_sr"], reads_folder_of="imcs_v2_ner",
                 format_note="IMCS-V2 dialogue json; Symptom BIO mentions typed by symptom_type, normalised to symptom_norm.")

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[KBRecord]:
        for number, sentence in enumerate(sentences(item.data)):
            where = f"dialogue[{number}]"
            if sentence.get("BIO_label") is None and not self.labelled(split):
                continue
            text = sentence["sentence"]
            if not isinstance(sentence.get("BIO_label"), str):
                raise ConversionError("missing BIO_label", field=f"{where}.BIO_label")
            mentions = [(s, e) for s, e, t in bio_spans(text, sentence["BIO_label"], f"{where}.BIO_label") if t == "Symptom"]
            norms, types = sentence.get("symptom_norm", []), sentence.get("symptom_type", [])
            if not (isinstance(norms, list) and isinstance(types, list) and len(norms) == len(types) == len(mentions)):
                raise ConversionError(f"{len(mentions)} symptom mentions but symptom_norm/symptom_type hold "
                                      f"{len(norms) if isinstance(norms, list) else '?'}/{len(types) if isinstance(types, list) else '?'}",
                                      field=f"{where}.symptom_norm")
            if not mentions:
                continue
            entities = []
            for k, ((start, end), norm, status) in enumerate(zip(mentions, norms, types)):
                if str(status) not in STATUS or not isinstance(norm, str) or not norm:
                    raise ConversionError(f"symptom {k}: status {status!r} / norm {norm!r}", field=f"{where}.symptom_type")
                entities.append(Entity(id=f"e{k}", type=STATUS[str(status)], text=[text[start:end]], offsets=[[start, end]],
                                       normalized=[Normalization(db_name="IMCS-V2", db_id=norm)]))
            yield KBRecord(
                id=self.sentence_id(split, index, sentence, number), dataset=self.name, split=split, language="zh",
                document_id=str(item.key), passages=[Passage(id="p0", type="sentence", text=[text], offsets=[[0, len(text)]])],
                entities=entities,
            )


@register_loader
class IMCSV2DAC(IMCSV2Loader):
    meta = _meta("imcs_v2_dac", "IMCS-V2-DAC", "Dialogue act classification of the sentences of paediatric online "
                 "consultations (IMCS-21, CBLUE 2.0): 16 doctor/patient intents.", ["tc"], "text",
                 label_sets={"labels": DIALOGUE_ACTS}, label_names=dict(zip(DIALOGUE_ACTS, ACTS_ZH)),
                 aliases=["IMCS-V2-DAC", "imcs21_dac"], reads_folder_of="imcs_v2_ner",
                 format_note="IMCS-V2 dialogue json; one text record per sentence, '<speaker>：<sentence>' -> dialogue_act.")

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[TextRecord]:
        for number, sentence in enumerate(sentences(item.data)):
            act = sentence.get("dialogue_act")
            if act is None and not self.labelled(split):
                labels = []
            elif act in DIALOGUE_ACTS:
                labels = [act]
            else:
                raise ConversionError(f"dialogue_act {act!r} is not one of the 16 acts", field=f"dialogue[{number}].dialogue_act")
            yield TextRecord(id=self.sentence_id(split, index, sentence, number), dataset=self.name, split=split, language="zh",
                             document_id=str(item.key), text=f"{sentence['speaker']}：{sentence['sentence'].strip()}", labels=labels)


@register_loader
class IMCSV2MRGRaw(IMCSV2Loader):
    meta = _meta("imcs_v2_mrg_raw", "IMCS-V2-MRG (official files)", "Medical report generation from the official IMCS-21 "
                 "dialogue files: the six-section report (主诉, 现病史, 辅助检查, 既往史, 诊断, 建议) of a paediatric consultation; "
                 "two reference reports per dialogue.", ["report_gen"], "t2t", aliases=["imcs21_mrg"], reads_folder_of="imcs_v2_ner",
                 format_note="IMCS-V2 dialogue json; self-report + dialogue as 患者：/医生： lines -> each of the two reports.")

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[T2TRecord]:
        reports = item.data.get("report") if isinstance(item.data, dict) else None
        if reports is None and not self.labelled(split):
            reports = [{}]
        if not isinstance(reports, list) or not reports:
            raise ConversionError("missing 'report' list", field="report")
        dialogue = dialogue_lines(item.data)
        for number, report in enumerate(reports):
            if not isinstance(report, dict) or (self.labelled(split) and any(not isinstance(report.get(s), str) for s in REPORT_SECTIONS)):
                raise ConversionError(f"report {number} must hold the six sections {REPORT_SECTIONS} as strings", field=f"report[{number}]")
            sections = [Section(name=s, text=report[s].strip()) for s in REPORT_SECTIONS if s in report]
            yield T2TRecord(
                id=self.record_id(split, index, f"r{number + 1}"), dataset=self.name, split=split, language="zh",
                document_id=str(item.key), text_1=dialogue, text_1_name="dialogue",
                text_2="\n".join(f"{s.name}：{s.text}" for s in sections), text_2_name="report", sections=sections,
            )
