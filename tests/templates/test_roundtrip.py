"""Every template renders gold records and its answer parses back to exactly the gold.

Gold records: the hand-made ones of ``conftest.py`` (every task, zh and en), the real CMeEE
sample, and the first records of every other registered loader that has a bundled sample.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from biocurate.loaders import Reject, all_loaders
from biocurate.sources import dataset_dir, open_loader, samples_dir
from biocurate.templates.engine import (
    Template, default_store, parse_answer, parse_context_of, prompt_languages, render_record, render_view,
)
from biocurate.templates.views import VIEW_VARIABLES, ViewContext, views_for

STORE = default_store()
TEMPLATE_IDS = sorted(STORE.by_id)


def _round_trip(template: Template, record: Any, ctx: ViewContext) -> int:
    """Render ``record`` with ``template`` in every view it fits; assert each answer parses to gold."""
    if template.language not in prompt_languages(template.task, record):
        return 0
    checked = 0
    for view in views_for(template.task, record, ctx):
        assert set(view.vars) == VIEW_VARIABLES[template.task][view.unit], f"{template.task}/{view.unit}: view variables drifted"
        if view.unit != template.unit or template.answer_format not in view.golds:
            continue
        conversation, gold = render_view(template, view, template.language)
        answer = conversation[0]["assistant"]
        # the export stores parse_context as JSON (tuples become lists)
        context = json.loads(json.dumps(parse_context_of(view), ensure_ascii=False))
        parsed = parse_answer(template, answer, context)
        assert parsed == gold, f"{template.id} on {record.dataset}/{record.id}:\n{answer}\n-> {parsed!r}\n!= {gold!r}"
        checked += 1
    return checked


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_round_trips_hand_made_gold(template_id: str, gold_cases: dict) -> None:
    template = STORE.get(template_id)
    checked = sum(_round_trip(template, record, ctx) for record, ctx in gold_cases[template.task])
    assert checked, f"{template_id}: no hand-made gold record exercises this template"


def _ctx(name: str) -> ViewContext:
    meta = all_loaders()[name].meta
    return ViewContext(meta.label_sets, meta.label_names)


def test_cmeee_sample_round_trips_every_ner_template() -> None:
    records = list(open_loader("cmeee").iter_split("validation"))
    assert len(records) == 700
    ctx = _ctx("cmeee")
    for template in STORE.for_task("ner", "zh"):
        assert sum(_round_trip(template, r, ctx) for r in records) >= 700


def test_cmeee_first_record_renders_taiyi_style() -> None:
    record = next(open_loader("cmeee").iter_split("validation"))
    view = next(v for v in views_for("ner", record, _ctx("cmeee")) if v.unit == "whole")
    conversation, gold = render_view(STORE.get("ner-zh-specified-types"), view, "zh")
    assert gold == {"疾病": ["成人SARS"], "身体": ["SARST细胞"]}
    assert conversation[0]["human"].startswith("从下面文本中识别出指定的实体类型：\n对儿童SARST细胞亚群的研究表明")
    assert conversation[0]["human"].endswith("实体类型：疾病，临床表现，医疗程序，医疗设备，药物，医学检验项目，身体，科室，微生物类")
    assert conversation[0]["assistant"] == "上述文本中包含的疾病为：成人SARS\n上述文本中包含的身体为：SARST细胞"


OTHER_LOADERS = sorted(n for n in all_loaders() if n != "cmeee")


@pytest.mark.parametrize("name", OTHER_LOADERS or ["<none>"])
def test_other_loader_samples_round_trip(name: str) -> None:
    """Real records of the loaders written alongside (skipped while a loader or sample is missing)."""
    if name not in all_loaders():
        pytest.skip("no other loader registered yet")
    cls = all_loaders()[name]
    if dataset_dir(samples_dir(), name) is None:
        pytest.skip(f"{name}: no bundled sample")
    loader = open_loader(name)
    ctx = _ctx(name)
    splits = [s for s in loader.available_splits() if s not in cls.meta.unlabelled_splits]
    # rejects are the loader's business (its own tests); only converted records are rendered here
    records = [r for s in splits for r in itertools.islice((x for x in loader.records(s) if not isinstance(x, Reject)), 15)]
    if not records:
        pytest.skip(f"{name}: no labelled record in the sample")
    for task in cls.meta.tasks:
        checked = sum(
            _round_trip(template, record, ctx)
            for language in ("zh", "en") for template in STORE.for_task(task, language) for record in records
        )
        assert checked, f"{name}/{task}: no template round-tripped any of the sample's {len(records)} records"


def test_render_record_fields_and_decomposition(gold_cases: dict) -> None:
    record, ctx = gold_cases["ner"][0]
    per_type = [t.id for t in STORE.for_task("ner", "zh") if t.unit == "per_type"]
    for seed in range(40):
        samples = render_record(record, "ner", seed, ctx)
        if samples[0].template_id in per_type:
            assert [s.gold for s in samples] == [["沙眼衣原体肺炎"], ["大环内酯类抗生素", "磺胺二甲基异唑", "氟喹诺酮类"]]
            assert [s.parse_context["type"] for s in samples] == ["疾病", "药物"]
            break
    else:
        pytest.fail("no per-type template chosen in 40 seeds")
    sample = samples[0]
    assert (sample.task, sample.category, sample.language, sample.unit) == ("ner", "ner", "zh", "per_type")
    assert len(sample.conversation) == 1 and set(sample.conversation[0]) == {"human", "assistant"}


def test_translation_directions_and_sample_language(gold_cases: dict) -> None:
    record, ctx = gold_cases["mt"][0]
    seen = set()
    for seed in range(30):
        (sample,) = render_record(record, "mt", seed, ctx)
        template = STORE.get(sample.template_id)
        expected = ("zh-en", "zh2en", record.text_2) if template.language == "zh" else ("en-zh", "en2zh", record.text_1)
        assert (sample.language, sample.unit, sample.conversation[0]["assistant"]) == expected
        seen.add(sample.language)
    assert seen == {"zh-en", "en-zh"}


def test_dialogue_later_turns_pass_through(gold_cases: dict) -> None:
    record, ctx = gold_cases["chat"][0]
    (sample,) = render_record(record, "chat", 7, ctx)
    assert sample.conversation[1:] == [{"human": "  写一首关于春天的诗  ", "assistant": "春风拂面……"}]
    assert sample.conversation[0]["assistant"] == "你好！我是一个人工智能助手。"
    record, ctx = gold_cases["dialogue"][1]
    (sample,) = render_record(record, "dialogue", 7, ctx)
    assert sample.gold == "请问有发热吗？\n有没有呕吐？" and "我头疼。\n已经两天了。" in sample.conversation[0]["human"]


def test_empty_extraction_answers(gold_cases: dict) -> None:
    record, ctx = next((r, c) for r, c in gold_cases["ner"] if r.id == "ner-en-empty")
    (sample,) = render_record(record, "ner", 3, ctx)
    assert sample.gold == {} and sample.conversation[0]["assistant"].endswith("none")
    assert render_record(record, "ner", 3, ViewContext(ctx.label_sets, empty_answers=False)) == []
    assert render_record(record, "ner", 3, ViewContext()) == []  # no label set: nothing to ask for


def test_report_without_sections_uses_text_templates(gold_cases: dict) -> None:
    record, ctx = next((r, c) for r, c in gold_cases["report_gen"] if r.id == "rg-zh-2")
    for seed in range(20):
        (sample,) = render_record(record, "report_gen", seed, ctx)
        assert sample.answer_format == "text" and sample.gold == "主诉：咳嗽。诊断：上呼吸道感染。"
