"""The quality gate (biocurate/mix/quality.py) on the bundled real samples."""

from __future__ import annotations

import itertools
import json

import pytest

import biocurate
from biocurate.loaders import Reject
from biocurate.loaders.formats.iob import iter_iob, rebuild
from biocurate.mix.quality import (
    QualityConfig, check, cjk_share, empty_allowance, is_empty_answer, keep_empty, repair, tokenisation_marks,
)
from biocurate.mix.spec import MixtureSpec, load_mixture
from biocurate.schemas import Entity, KBRecord, Passage, TranslationRecord
from biocurate.sources import open_loader, samples_dir
from biocurate.templates.views import display_text

CFG = QualityConfig()


def _fields(sample, record=None) -> dict:
    fields = {"task": sample.task, "language": sample.language, "conversation": sample.conversation, "template_id": sample.template_id,
              "answer_format": sample.answer_format, "gold": json.dumps(sample.gold, ensure_ascii=False),
              "parse_context": json.dumps(sample.parse_context, ensure_ascii=False)}
    if isinstance(record, KBRecord):
        fields["input_text"] = display_text(record)
    return fields


def _records(name: str, split: str, n: int | None = None) -> list:
    return list(itertools.islice((r for r in open_loader(name).records(split) if not isinstance(r, Reject)), n))


def test_translation_sides_must_be_in_their_languages() -> None:
    # ParaMed align.txt line 311: the "zh" line is the English sentence (the loader rejects it;
    # the gate catches the same defect in any translation source)
    reject = next(r for r in open_loader("paramed").records("train") if isinstance(r, Reject))
    english = "presented in part at the 53rd annual meeting of the american society of clinical oncology, chicago."
    assert reject.line == 311
    record = TranslationRecord(id="t", dataset="paramed", split="train", language="zh", document_id="doc3",
                               text_1=english, text_2=english, text_1_name="zh", text_2_name="en")
    reasons = {s.language: check(_fields(s), CFG) for seed in range(6) for s in biocurate.render_record(record, "mt", seed)}
    assert reasons == {"zh-en": "prompt_language", "en-zh": "answer_language"}
    good = _records("paramed", "train", 50)
    assert all(check(_fields(s), CFG) is None for r in good for s in biocurate.render_record(r, "mt", 42))


def test_real_prompts_pass_and_label_words_do_not_count() -> None:
    drops, total = 0, 0
    for name, split in [("cmeee", "validation"), ("diakg", "train"), ("bc5cdr", "train"), ("chip_sts", "validation"),
                        ("kuake_qic", "validation"), ("pubmed_qa", "train"), ("meddg", "validation"), ("cmeie", "validation")]:
        loader = open_loader(name)
        if split not in loader.available_splits():
            split = loader.available_splits()[0]
        for record in _records(name, split, 150):
            for task in loader.meta.tasks:
                for sample in biocurate.render_record(record, task, 42):
                    total += 1
                    drops += check(_fields(sample, record), CFG) is not None
    assert total > 800 and drops / total < 0.005
    assert cjk_share("Test_items_Disease，糖尿病") == pytest.approx(3 / 6)
    assert cjk_share("主办机构：美国儿科学会（american academy of pediatrics）") > 0.5 and cjk_share("presented in part") == 0


def test_fragments_and_tokenised_inputs() -> None:
    first = _records("bc2gm", "validation", 2)
    (sample,) = biocurate.render_record(first[0], "ner", 42)[:1]
    assert display_text(first[0]) == "Joys and F." and check(_fields(sample, first[0]), CFG) == "fragment"
    assert check(_fields(biocurate.render_record(first[1], "ner", 42)[0], first[1]), CFG) is None
    # the same sentence as BC2GM ships it (tokens joined by spaces) is caught as tokenised
    sentences = [s for s in iter_iob(samples_dir() / "BC2GM" / "devel.tsv")][:60]
    caught = 0
    for sentence in sentences:
        text, mentions = rebuild(sentence.tokens, sentence.tags)
        entities = [Entity(id=f"e{k}", type="GENE", text=[m.text], offsets=[[m.start, m.end]]) for k, m in enumerate(mentions)]
        record = KBRecord(id="x", dataset="bc2gm", split="validation", language="en", document_id="x",
                          passages=[Passage(id="p", type="sentence", text=[text], offsets=[[0, len(text)]])], entities=entities)
        reason = check(_fields(biocurate.render_record(record, "ner", 1)[0], record), CFG)
        caught += reason == "tokenised"
    assert caught >= 5
    # short inputs are normal for normalisation: CHIP-CDN's "卵巢Ca" passes
    cdn = _records("chip_cdn", "validation", 2)[1]
    assert check(_fields(biocurate.render_record(cdn, "nen", 42)[0], cdn), CFG) is None


def test_hoc_prompts_are_detokenised_not_dropped() -> None:
    records = _records("hallmarks_of_cancer", "train", 20)
    repaired = 0
    for record in records:
        for sample in biocurate.render_record(record, "tc", 42):
            fields = _fields(sample)
            fixed = repair(fields, CFG)
            if fixed is None:
                continue
            repaired += 1
            assert tokenisation_marks(fixed["conversation"][0]["human"]) < tokenisation_marks(fields["conversation"][0]["human"]) / 3
            assert fixed["conversation"][0]["assistant"] == fields["conversation"][0]["assistant"]
            assert check(fixed, CFG) is None
    assert repaired >= 15
    assert repair({"task": "ner", "language": "en", "conversation": [{"human": "( a ) , b , c ; d ( e )", "assistant": ""}]}, CFG) is None


def test_bc2gm_empty_answers_are_capped_at_the_configured_share() -> None:
    rows = [(f"{r.id}/{k}", s) for r in _records("bc2gm", "validation") for k, s in enumerate(biocurate.render_record(r, "ner", 42))
            if s.unit == "whole"]
    empty = [i for i, s in rows if is_empty_answer(_fields(s))]
    non_empty = len(rows) - len(empty)
    assert len(empty) > 900 and len(empty) / len(rows) > 0.35  # the audit found 4 in 10 BC2GM answers "none"
    allowance = empty_allowance(non_empty, CFG.empty_share("ner"))
    kept = keep_empty(empty, allowance, seed=42)
    assert len(kept) == allowance and len(kept) / (len(kept) + non_empty) <= 0.1 < (len(kept) + 1) / (len(kept) + 1 + non_empty)
    assert keep_empty(list(reversed(empty)), allowance, seed=42) == kept  # order-free
    assert keep_empty(empty, allowance, seed=7) != kept


def test_mixture_file_configures_the_gate() -> None:
    spec = MixtureSpec.model_validate({"name": "q", "targets": {"ner": {"en": 10}},
                                       "quality": {"max_empty_share": 0.2, "max_empty_share_by_task": {"re": 0.3}}})
    assert (spec.quality.empty_share("ner"), spec.quality.empty_share("re")) == (0.2, 0.3)
    assert load_mixture("taiyi-v1").quality == QualityConfig()
    with pytest.raises(ValueError):
        MixtureSpec.model_validate({"name": "q", "targets": {"ner": {"en": 10}}, "quality": {"max_empty": 0.2}})
