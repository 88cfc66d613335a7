"""scripts/audit.py on a real export of the bundled samples, and its detectors on the audit's old defects."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import pytest

from biocurate.cli import main as cli
from biocurate.loaders import Reject, get_loader
from biocurate.mix.quality import QualityConfig
from biocurate.sources import open_loader
from biocurate.templates.engine import render_record
from biocurate.templates.views import ViewContext

_SPEC = importlib.util.spec_from_file_location("audit", Path(__file__).parents[1] / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(audit)

DATASETS = "cmeee,chip_cdn,bc2gm,paramed,bionlp_st_2011_ge,cmeie,bc5cdr,chip_sts,pubmed_qa,meddg,hallmarks_of_cancer"


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("audit") / "exp"
    assert cli(["export", "--mix", "taiyi-v1", "--out", str(out), "--quiet", "--datasets", DATASETS]) == 0
    return out


def test_audit_of_the_bundled_samples_finds_at_most_one_percent(export, tmp_path) -> None:
    report = tmp_path / "audit.json"
    code = audit.main([str(export), "--rows", "150", "--json", str(report)])
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["rows"] >= 100 and result["strata"] >= 10
    assert code == 0 and result["rate"] <= 0.01, result["findings"]


def test_a_row_that_is_not_its_records_rendering_is_caught(export) -> None:
    rows = audit.load_rows(export)
    row = next(r for r in rows if r["dataset"] == "cmeee")
    tampered = dict(row, conversation=[dict(row["conversation"][0], assistant="无")])
    sources = audit.Sources(None)
    assert audit.audit_row(row, sources, 42, QualityConfig()) is None
    assert audit.audit_row(tampered, sources, 42, QualityConfig())[0] == "rerender"


def test_rows_whose_prompt_the_gate_repaired_re_render(export) -> None:
    # HoC ships tokenised abstracts; the export detokenises its prompts, the audit must too
    rows = [r for r in audit.load_rows(export) if r["dataset"] == "hallmarks_of_cancer"]
    repaired = [r for r in rows if " ( " not in r["conversation"][0]["human"]]
    sources = audit.Sources(None)
    record = sources.record("hallmarks_of_cancer", rows[0]["split"], rows[0]["record_id"])
    assert " ( " in record.text or " , " in record.text  # the raw text is tokenised
    assert len(repaired) == len(rows) and all(audit.audit_row(r, sources, 42, QualityConfig()) is None for r in rows)


def test_detectors_catch_the_original_defects() -> None:
    # GE without declared role types: an event-less record showed an empty "Role Types:"
    ge = next(r for r in open_loader("bionlp_st_2011_ge").records("train") if not isinstance(r, Reject) and not r.events)
    old_ctx = ViewContext({"event_types": get_loader("bionlp_st_2011_ge").meta.label_sets["event_types"]})
    sample = next(s for seed in range(20) for s in render_record(ge, "ee", seed, old_ctx) if "Role Types" in s.conversation[0]["human"])
    assert audit.template_defect(ge, sample, old_ctx, ()) == "empty slot 'roles'"
    # an answer that leaves out a mention of the record
    cmeee = next(r for r in open_loader("cmeee").records("validation") if not isinstance(r, Reject) and len(r.entities) > 2)
    ctx = audit._ctx("cmeee")
    whole = next(s for seed in range(20) for s in render_record(cmeee, "ner", seed, ctx) if s.unit == "whole")
    first_type = next(iter(whole.gold))
    short = dataclasses.replace(whole, gold={**whole.gold, first_type: whole.gold[first_type][1:]})
    assert audit.incomplete(cmeee, short, ctx).startswith("mentions missing")
    assert audit.incomplete(cmeee, whole, ctx) is None
