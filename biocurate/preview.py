"""A quick look at rendered samples: the first records of each dataset under a data root.

No dedup, decontamination, budgets or shards: records are streamed from each loader and
rendered with the same seeded template choice as an export, and reading stops as soon as
enough samples are shown, so a preview takes seconds on any data root. ``biocurate preview``
prints these; :func:`preview_samples` yields them for code.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from biocurate.errors import LoaderError, MixtureError
from biocurate.loaders import Reject, all_loaders, resolve_name
from biocurate.sources import datasets_in, open_loader, samples_dir
from biocurate.tasks import TASKS
from biocurate.templates.engine import RenderedSample, render_record
from biocurate.templates.views import ViewContext

#: Records read per dataset before giving up on finding a match for the filters.
MAX_RECORDS = 500


@dataclass(frozen=True)
class PreviewSample:
    """One rendered sample and where it came from."""

    dataset: str
    split: str
    record_id: str
    sample: RenderedSample


def _tasks_matching(selector: str | None) -> set[str] | None:
    if selector is None:
        return None
    chosen = {name for name, task in TASKS.items() if selector in (name, task.category)}
    if not chosen:
        categories = sorted({t.category for t in TASKS.values()})
        raise MixtureError(f"--task {selector!r}: not a task or category (tasks: {', '.join(TASKS)}; categories: {', '.join(categories)})")
    return chosen


def _language_matches(wanted: str | None, language: str) -> bool:
    return wanted is None or language == wanted or language.split("-")[0] == wanted


def preview_samples(
    data_dir: str | Path | None = None,
    *,
    datasets: Sequence[str] | None = None,
    task: str | None = None,
    language: str | None = None,
    per_dataset: int = 2,
    seed: int = 42,
) -> Iterator[PreviewSample]:
    """Up to ``per_dataset`` samples of each dataset found under ``data_dir`` (default: the
    bundled samples), filtered by fine task or category (``task``) and language.

    Rejected raw records are skipped (``biocurate convert`` reports them).

    Raises:
        MixtureError: ``task`` is neither a fine task nor a category.
        LoaderError: an unknown dataset name (with suggestions) or a missing data root.
    """
    root = Path(data_dir) if data_dir is not None else samples_dir()
    wanted_tasks = _tasks_matching(task)
    found = datasets_in(root)
    names = [resolve_name(n) for n in datasets] if datasets else sorted(found)
    loaders = all_loaders()
    for name in names:
        if name not in found:
            raise MixtureError(f"dataset {name!r} has no folder under {root}")
        meta = loaders[name].meta
        tasks = [t for t in meta.tasks if wanted_tasks is None or t in wanted_tasks]
        if not tasks or not any(_language_matches(language, lang) for lang in [*meta.languages, "zh-en", "en-zh"]):
            continue
        yield from _samples_of(name, root, tasks, language, per_dataset, seed)


def _samples_of(name: str, root: Path, tasks: list[str], language: str | None, limit: int, seed: int) -> Iterator[PreviewSample]:
    loader = open_loader(name, root)
    meta = loader.meta
    ctx = ViewContext(meta.label_sets, meta.label_names)
    shown = read = 0
    for split in (s for s in meta.splits if s not in meta.unlabelled_splits):
        split_read = 0
        try:
            for item in loader.records(split):
                read += 1
                split_read += 1
                if read > MAX_RECORDS:
                    return
                if isinstance(item, Reject):
                    continue
                for task in tasks:
                    for sample in render_record(item, task, seed, ctx):
                        if not _language_matches(language, sample.language):
                            continue
                        yield PreviewSample(name, split, item.id, sample)
                        shown += 1
                        if shown >= limit:
                            return
        except LoaderError:
            if split_read == 0:
                continue  # this split's files are not in the data dir: try the next split
            raise


__all__ = ["MAX_RECORDS", "PreviewSample", "preview_samples"]
