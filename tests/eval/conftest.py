"""Fixtures for the evaluation tests: a hand-written template store, a scoring helper, and an
evaluation export built from the bundled real samples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from biocurate.eval import Predictions, evaluate
from tests.eval.support import HAND_TEMPLATES


@pytest.fixture(scope="session")
def hand_store(tmp_path_factory: pytest.TempPathFactory):
    """A TemplateStore over :data:`HAND_TEMPLATES`."""
    import yaml
    from biocurate.templates.engine import TemplateStore

    folder = tmp_path_factory.mktemp("hand-templates")
    for name, spec in HAND_TEMPLATES.items():
        (folder / name).write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return TemplateStore(folder)


@pytest.fixture
def score(hand_store):
    """``score([(row, prediction or None), ...])`` -> the evaluation report (None: no prediction)."""

    def run(pairs: list[tuple[dict[str, Any], str | None]]) -> dict[str, Any]:
        predictions = Predictions(by_id={r["id"]: p for r, p in pairs if p is not None})
        return evaluate([r for r, _ in pairs], predictions, store=hand_store)

    return run



def exportable_datasets() -> list[str]:
    """Registered loaders all of whose tasks have shipped templates in the loader's languages."""
    from biocurate.loaders import all_loaders
    from biocurate.templates.engine import default_store

    store = default_store()
    names = []
    for name, cls in sorted(all_loaders().items()):
        meta = cls.meta
        if all(any(store.for_task(task, lang) for lang in (["zh", "en"] if task == "mt" else meta.languages))
               for task in meta.tasks):
            names.append(name)
    return names


@pytest.fixture(scope="session")
def real_exports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Evaluation exports (``biocurate export --split``, 20 records per dataset) of the bundled samples:
    validation, test and train splits, so datasets whose excerpt has only one split are covered too."""
    from biocurate.cli import main

    datasets = ",".join(exportable_datasets())
    out = []
    for split in ("validation", "test", "train"):
        folder = tmp_path_factory.mktemp(f"eval-{split}")
        code = main(["export", "--mix", "taiyi-v1", "--split", split, "--limit", "20", "--out", str(folder),
                     "--quiet", "--datasets", datasets])
        assert code == 0, f"export --split {split} failed"
        out.append(folder)
    return out
