"""Loaders written from a format description: their fixture records render through every template of
their tasks and the answers parse back to the gold (the round trip the template suite runs on bundled
samples, which these loaders do not have), and each one's docstring cites the description it follows."""

from __future__ import annotations

import itertools

import pytest

from biocurate.loaders import Reject, all_loaders
from biocurate.sources import dataset_dir
from biocurate.templates.views import ViewContext

from tests.conformance.test_loaders import FIXTURES
from tests.templates.test_roundtrip import STORE, _round_trip

DESCRIBED = sorted(n for n, c in all_loaders().items() if c.meta.format_source == "format from description")


def test_the_described_loaders_are_known() -> None:
    assert len(DESCRIBED) >= 20 and "huatuogpt_sft_data_v1" in DESCRIBED and "cmid" not in DESCRIBED


@pytest.mark.parametrize("name", DESCRIBED)
def test_fixture_records_round_trip_every_template(name: str) -> None:
    cls = all_loaders()[name]
    folder = dataset_dir(FIXTURES, name)
    assert folder is not None, f"{name}: no fixture under tests/fixtures"
    loader = cls(folder)
    ctx = ViewContext(cls.meta.label_sets, cls.meta.label_names)
    splits = [s for s in loader.available_splits() if s not in cls.meta.unlabelled_splits]
    records = [r for s in splits for r in itertools.islice((x for x in loader.records(s) if not isinstance(x, Reject)), 10)]
    checked = 0
    for task in cls.meta.tasks:
        for language in cls.meta.languages:
            for template in STORE.for_task(task, language):
                checked += sum(_round_trip(template, record, ctx) for record in records)
    assert checked, f"{name}: no template rendered a fixture record"


@pytest.mark.parametrize("name", DESCRIBED)
def test_docstring_cites_the_description(name: str) -> None:
    module = __import__(all_loaders()[name].__module__, fromlist=["_"])
    assert "format from description" in (module.__doc__ or ""), f"{name}: say which description the parser follows"
