"""biocurate: raw biomedical corpora (zh/en) -> typed records -> instruction mixture -> fine-tune.

Notebook use::

    import biocurate
    biocurate.plan("taiyi-v1", size=20_000)              # budget table (pandas DataFrame)
    result = biocurate.export("taiyi-v1", "export/small", size=20_000, seed=1)
    ds = biocurate.load("export/small")                  # datasets.DatasetDict
    frame = biocurate.records("cmeee", "validation")     # a loader's records as a DataFrame
    loader = biocurate.open_loader("cmeee")              # bundled real sample
    record = next(loader.iter_split("validation"))
    samples = biocurate.render_record(record, "ner", seed=42)

Every public name is imported on first use, so ``import biocurate`` (and the CLI) stays cheap.
See docs/quickstart.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it (imported on first attribute access)
_LAZY: dict[str, str] = {
    "BiocurateError": "biocurate.errors",
    "all_loaders": "biocurate.loaders",
    "get_loader": "biocurate.loaders",
    "open_loader": "biocurate.sources",
    "samples_dir": "biocurate.sources",
    "dataset_dir": "biocurate.sources",
    "plan": "biocurate.api",
    "export": "biocurate",  # the biocurate.export package, callable as biocurate.api.export
    "load": "biocurate.api",
    "mixture": "biocurate.api",
    "records": "biocurate.api",
    "records_dataset": "biocurate.api",
}

if TYPE_CHECKING:
    from biocurate.api import export, load, mixture, plan, records, records_dataset  # noqa: F401
    from biocurate.errors import BiocurateError
    from biocurate.loaders import all_loaders, get_loader
    from biocurate.sources import dataset_dir, open_loader, samples_dir


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'biocurate' has no attribute {name!r}")
    if name == "export":  # importing the subpackage binds it here
        return importlib.import_module("biocurate.export")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def render_record(record, task, seed=42, ctx=None):  # noqa: ANN001, ANN201 - thin re-export
    """Render a schema record as instruction samples (see :func:`biocurate.templates.engine.render_record`)."""
    from biocurate.loaders import get_loader
    from biocurate.templates.engine import render_record as _render
    from biocurate.templates.views import ViewContext

    if ctx is None:
        meta = get_loader(record.dataset).meta
        ctx = ViewContext(meta.label_sets, meta.label_names)
    return _render(record, task, seed, ctx)


__all__ = ["__version__", "render_record", *_LAZY]
