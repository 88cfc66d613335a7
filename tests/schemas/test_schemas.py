"""Schema models: strictness, BigBio layout, JSON Schema files in sync, semantic checks."""

from __future__ import annotations

import json
import random

import jsonschema
import pytest
from pydantic import ValidationError

from biocurate.schemas import (
    SCHEMAS, DialogueRecord, Entity, IdTracker, KBRecord, Passage, QARecord, Relation, TextRecord, Turn, check_record,
)
from biocurate.schemas import checks
from biocurate.schemas.jsonschema_files import check_files, path_for


def _kb(**kw) -> KBRecord:
    text = "Naloxone reverses clonidine."
    base = dict(
        id="0", dataset="d", split="train", language="en", document_id="227508",
        passages=[Passage(id="p0", type="title", text=[text], offsets=[[0, len(text)]])],
        entities=[
            Entity(id="e0", type="Chemical", text=["Naloxone"], offsets=[[0, 8]]),
            Entity(id="e1", type="Chemical", text=["clonidine"], offsets=[[18, 27]]),
        ],
    )
    base.update(kw)
    return KBRecord(**base)


def test_checked_in_json_schemas_match_the_models() -> None:
    assert check_files() == [], "run `python -m biocurate.schemas` and commit the files"


def test_exports_validate_against_the_json_schema_files() -> None:
    record = _kb()
    schema = json.loads(path_for("kb").read_text())
    jsonschema.validate(record.model_dump(), schema)
    bad = record.model_dump()
    bad["entities"][0]["offsets"] = [[0]]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_strict_no_coercion_and_no_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        TextRecord(id=0, dataset="d", split="train", language="zh", document_id="x", text="t", labels=[])
    with pytest.raises(ValidationError):
        TextRecord(id="0", dataset="d", split="train", language="zh", document_id="x", text="t", labels=[], extra=1)
    with pytest.raises(ValidationError):
        TextRecord(id="0", dataset="d", split="train", language="fr", document_id="x", text="t", labels=[])


def test_to_bigbio_drops_only_biocurate_fields() -> None:
    row = _kb().to_bigbio()
    assert set(row) == {"id", "document_id", "passages", "entities", "events", "coreferences", "relations"}
    qa = QARecord(id="0", dataset="d", split="test", language="en", question_id="0", document_id="0", question="q?",
                  type="yesno", choices=["yes", "no"], answer=["yes"], long_answer=["because"])
    assert "long_answer" not in qa.to_bigbio() and qa.to_bigbio()["answer"] == ["yes"]


def test_offsets_must_slice_to_the_entity_text() -> None:
    record = _kb(entities=[Entity(id="e0", type="Chemical", text=["Naloxone"], offsets=[[1, 9]])])
    problems = check_record(record)
    assert [p.field for p in problems] == ["entities[0].offsets[0]"]
    assert "'aloxone '" in problems[0].reason


def test_span_shortcut_agrees_with_the_full_span_check() -> None:
    # the shortcut must never pass what the full check reports: out-of-range spans of empty
    # pieces, piece/offset count mismatches, reversed and negative spans included
    rng = random.Random(4)
    doc = "Naloxone reverses the effect of clonidine."
    for _ in range(5000):
        pieces = rng.randrange(0, 3)
        offsets = []
        for _ in range(pieces + rng.choice([0, 0, 0, 1, -1]) if pieces else rng.choice([0, 1])):
            start = rng.randrange(-2, len(doc) + 3)
            offsets.append([start, start + rng.randrange(-1, 12)])
        texts = [doc[max(s, 0):e] if rng.random() < 0.8 else "x" for s, e in offsets[:pieces]] + [""] * max(0, pieces - len(offsets))
        assert checks._spans_match(texts, offsets, doc) == (checks._check_spans("e", texts, offsets, doc) == []), (texts, offsets)


def test_references_ids_and_label_sets() -> None:
    record = _kb(relations=[Relation(id="r0", type="CID", arg1_id="e0", arg2_id="e9")])
    assert [p.field for p in check_record(record)] == ["relations[0].arg2_id"]
    dup = _kb(relations=[Relation(id="e0", type="CID", arg1_id="e0", arg2_id="e1")])
    assert "used twice" in check_record(dup)[0].reason
    assert check_record(_kb(), {"entity_types": ["Disease"]})[0].field == "entities[0].type"


def test_multiple_choice_answer_among_choices() -> None:
    qa = QARecord(id="0", dataset="d", split="test", language="en", question_id="0", document_id="0", question="q?",
                  type="multiple_choice", choices=["a", "b"], answer=["c"])
    assert check_record(qa)[0].field == "answer[0]"


def test_dialogue_must_end_with_assistant_and_ids_unique_per_dataset() -> None:
    dialogue = DialogueRecord(id="0", dataset="d", split="train", language="zh", document_id="0",
                              turns=[Turn(role="user", text="头痛怎么办")])
    assert check_record(dialogue)[0].field == "turns"
    tracker = IdTracker()
    assert tracker.check(_kb()) == [] and tracker.check(_kb())[0].field == "id"
    assert tracker.check(_kb(dataset="other")) == []


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_every_schema_has_a_file(name: str) -> None:
    assert path_for(name).exists()
