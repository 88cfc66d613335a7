"""Regression tests of the rendering defects found by the sample audit (issue 17), on the real
bundled samples: every rendered sample of the affected datasets, all seeds' templates."""

from __future__ import annotations

import re

import biocurate
from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader
from biocurate.templates.engine import default_store, parse_answer
from biocurate.templates.views import ViewContext, display_text, views_for


def _records(name: str, split: str) -> list:
    return [r for r in open_loader(name).records(split) if not isinstance(r, Reject)]


def _ctx(name: str) -> ViewContext:
    meta = get_loader(name).meta
    return ViewContext(meta.label_sets, meta.label_names)


def test_chip_cdn_names_each_terminology_once() -> None:
    records = _records("chip_cdn", "validation")
    multi = [r for r in records if len(r.entities[0].normalized) > 1]
    assert len(multi) > 500  # the records that used to name ICD-10-Beijing-v601 twice
    for record in records:
        (view,) = views_for("nen", record, _ctx("chip_cdn"))
        assert view.vars["db_names"] == ["ICD-10-Beijing-v601"]
        for sample in biocurate.render_record(record, "nen", seed=3):
            assert "ICD-10-Beijing-v601、ICD-10-Beijing-v601" not in sample.conversation[0]["human"]


def test_ge_nested_events_are_written_out_not_as_trigger_words() -> None:
    records = _records("bionlp_st_2011_ge", "train")
    nested = 0
    for record in records:
        events = {e.id: e for e in record.events}
        (view,) = views_for("ee", record, _ctx("bionlp_st_2011_ge"))
        golds = view.golds["events"]
        for event in record.events:
            for arg in event.arguments:
                if arg.ref_id in events:
                    inner = events[arg.ref_id]
                    trigger = " ".join(inner.trigger.text)
                    values = [v for g in golds if g["type"] == event.type for v in g["arguments"].get(arg.role, [])]
                    assert trigger not in values, f"{record.id} {event.id}: nested event shown as its trigger word"
                    assert any(v.startswith(f"{inner.type}(Trigger: {trigger}") for v in values), (record.id, values)
                    nested += 1
    assert nested >= 50
    # the self-referential answer of the audit is gone
    texts = [s.conversation[0]["assistant"] for r in records for s in biocurate.render_record(r, "ee", seed=1)]
    assert not any(re.search(r"\(Trigger: (\w+), Theme: \1\)", t) for t in texts)


def test_ge_prompts_state_roles_and_format_and_round_trip() -> None:
    store = default_store()
    records = _records("bionlp_st_2011_ge", "train")
    seen = set()
    for record in records:
        for seed in range(12):
            for sample in biocurate.render_record(record, "ee", seed=seed):
                seen.add(sample.template_id)
                prompt = sample.conversation[0]["human"]
                assert "Theme, Cause, Site" in prompt, sample.template_id
                assert re.search(r"Type: \(Trigger: [^)]*Role: ", prompt), sample.template_id
                assert not re.search(r"Role Types:\s*$", prompt, re.M)
                # nested events are quoted in the answers, and the prompt says so
                assert 'in double quotes as "Type(Trigger: ..., Role: ...)"' in prompt, sample.template_id
                back = parse_answer(store.get(sample.template_id), sample.conversation[0]["assistant"], sample.parse_context)
                assert back == sample.gold
    assert seen == {t.id for t in store.for_task("ee", "en")}


def test_bc5cdr_cid_pairs_are_named_once_per_concept_pair() -> None:
    records = _records("bc5cdr", "train")
    checked = 0
    for record in records:
        (view, *_) = views_for("re", record, _ctx("bc5cdr"))
        pairs = view.golds["typed_pairs"].get("CID", [])
        concept_pairs = {
            (tuple(sorted(n.db_id for n in ents[r.arg1_id].normalized)), tuple(sorted(n.db_id for n in ents[r.arg2_id].normalized)))
            for ents in [{e.id: e for e in record.entities}]
            for r in record.relations
        }
        assert len(pairs) == len(concept_pairs), record.document_id
        assert len({(h.lower(), t.lower()) for h, t in pairs}) == len(pairs)
        checked += bool(pairs)
    assert checked > 30
    # the audit's example: one dipyridamole-hyperemia pair, not one per spelling
    texts = [s.conversation[0]["assistant"] for r in records for s in biocurate.render_record(r, "re", seed=0)]
    assert not any("[dipyridamole, hyperemia]; [Dipyridamole, hyperemia]" in t for t in texts)
    assert sum("[dipyridamole, hyperemia]" in t.lower() for t in texts) == 1


def test_title_prompts_do_not_call_csl_abstracts_medical() -> None:
    # CSL's abstracts span every discipline (the bundled sample has road tunnels and wetland plants)
    records = _records("csl", "validation")
    assert any("隧道" in r.text_1 for r in records)
    ids = {t.id for t in default_store().for_task("title_gen", "zh")}
    seen = set()
    for record in records[:60]:
        for seed in range(8):
            for sample in biocurate.render_record(record, "title_gen", seed=seed):
                seen.add(sample.template_id)
                assert "医学" not in sample.conversation[0]["human"].replace(record.text_1, ""), sample.template_id
    assert seen == ids


def test_chinese_classification_prompts_ask_for_one_label() -> None:
    # every zh TC corpus is single-label; prompts that invited several labels taught a wrong answer format
    for name in ("chip_ctc", "kuake_qic", "cmid", "csl_ctg", "chip_mdcfnpc"):
        loader = open_loader(name)
        records = [r for split in loader.available_splits() for r in _records(name, split)]
        assert max(len(r.labels) for r in records) == 1
        for record in records[:40]:
            for seed in range(8):
                for sample in biocurate.render_record(record, "tc", seed=seed):
                    prompt = sample.conversation[0]["human"].replace(record.text, "")
                    assert "多个类别" not in prompt and "哪些类别" not in prompt, sample.template_id


def test_ge_ner_asks_for_proteins_only() -> None:
    # GE's "Entity" mentions (sites) are annotated only where an event uses them: not an NER type
    records = _records("bionlp_st_2011_ge", "train")
    assert any(e.type == "Entity" for r in records for e in r.entities)
    for record in records:
        proteins = {" ".join(e.text) for e in record.entities if e.type == "Protein"}
        for seed in range(6):
            for sample in biocurate.render_record(record, "ner", seed=seed):
                prompt = sample.conversation[0]["human"].replace(display_text(record), "")
                assert not re.search(r"\bEntity\b(?! types)", prompt), sample.template_id
                gold = sample.gold if isinstance(sample.gold, dict) else {"Protein": sample.gold}
                assert set(gold) <= {"Protein"} and set(gold.get("Protein", [])) == proteins
