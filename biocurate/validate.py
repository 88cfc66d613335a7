"""The validate step: schema rules beyond types, applied to a stream of records.

It sits between loading and rendering; a record that breaks a rule leaves the stream as a
:class:`~biocurate.loaders.Reject` (stage ``validate``) naming the field and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.loaders import DatasetMeta, Reject
from biocurate.schemas import IdTracker, Record, check_record


def validate_stream(
    items: Iterable[Record | Reject], meta: DatasetMeta, tracker: IdTracker | None = None
) -> Iterator[Record | Reject]:
    """Pass sound records through; turn unsound ones into rejects (rejects pass through too)."""
    tracker = tracker or IdTracker()
    for item in items:
        if isinstance(item, Reject):
            yield item
            continue
        problems = tracker.check(item) + check_record(item, meta.label_sets)
        if problems:
            first = problems[0]
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            yield Reject(
                dataset=item.dataset, split=item.split, stage="validate", record=item.id,
                field=first.field, reason=first.reason + more,
            )
        else:
            yield item
