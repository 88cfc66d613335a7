"""biocurate: raw biomedical corpora (zh/en) -> typed records -> instruction mixture -> fine-tune.

Notebook use::

    import biocurate
    loader = biocurate.open_loader("cmeee")              # bundled real sample
    record = next(loader.iter_split("validation"))
    samples = biocurate.render_record(record, "ner", seed=42)

See docs/ for the export, push, train and eval workflows.
"""

from __future__ import annotations

__version__ = "0.1.0"

from biocurate.errors import BiocurateError  # noqa: E402
from biocurate.loaders import all_loaders, get_loader  # noqa: E402
from biocurate.sources import dataset_dir, open_loader, samples_dir  # noqa: E402


def render_record(record, task, seed=42, ctx=None):  # noqa: ANN001, ANN201 - thin re-export
    """Render a schema record as instruction samples (see :func:`biocurate.templates.engine.render_record`)."""
    from biocurate.templates.engine import render_record as _render
    from biocurate.templates.views import ViewContext

    if ctx is None:
        meta = get_loader(record.dataset).meta
        ctx = ViewContext(meta.label_sets, meta.label_names)
    return _render(record, task, seed, ctx)


__all__ = ["__version__", "BiocurateError", "all_loaders", "get_loader", "open_loader", "samples_dir", "dataset_dir", "render_record"]
