"""Fault injection on copies of the real samples: run a loader as ``biocurate convert`` does
(records, then validation) and compare with the clean run, item by item.

The clean run gives, per raw item (a document, sentence, JSON element or line), its file, the
lines it spans and the records it converts to. A corruption hits known items, so the expected
outcome follows from the data: every other item's records come out unchanged, and each hit item
is rejected with a reason (or, for a file whose structure is broken, the reader stops with a
:class:`LoaderError` naming it, which the CLI prints as one line).
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from biocurate.errors import LoaderError
from biocurate.loaders import Reject, get_loader
from biocurate.schemas import IdTracker
from biocurate.sources import open_loader
from biocurate.validate import validate_stream

#: Inputs tried per raw format (filled by the tests, printed by conftest's terminal summary).
TRIED: Counter[str] = Counter()


@dataclass
class Item:
    """One raw item of the clean run."""

    split: str
    file: str
    first: int | None
    last: int | None
    records: list[dict] = field(default_factory=list)
    rejected: bool = False


@dataclass
class Outcome:
    """What a run produced: good records (dumps), rejects, and the error that stopped it."""

    records: list[dict]
    rejects: list[Reject]
    error: LoaderError | None = None


def copy_sample(name: str, dest: Path) -> Path:
    """A writable copy of dataset ``name``'s bundled sample folder."""
    source = open_loader(name).data_dir
    shutil.copytree(source, dest)
    return dest


def run(name: str, folder: Path, encoding: str | None = None) -> Outcome:
    """Every split present, as ``convert`` reads it; a LoaderError ends the run (kept)."""
    loader = get_loader(name)(folder)
    if encoding:
        loader.encoding = encoding
    records: list[dict] = []
    rejects: list[Reject] = []
    tracker = IdTracker()
    try:
        for split in loader.available_splits():
            for item in validate_stream(loader.records(split), loader.meta, tracker):
                if isinstance(item, Reject):
                    rejects.append(item)
                else:
                    records.append(item.model_dump())
    except LoaderError as exc:
        return Outcome(records, rejects, exc)
    return Outcome(records, rejects)


def items(name: str, folder: Path) -> list[Item]:
    """The clean run's raw items with the lines each spans and the records it gave."""
    loader = get_loader(name)(folder)
    found: list[Item] = []
    tracker = IdTracker()
    for split in loader.available_splits():
        for index, raw in enumerate(loader.read_source(split)):
            if isinstance(raw, Reject):
                found.append(Item(split, raw.file or "", raw.line, raw.line, rejected=True))
                continue
            item = Item(split, raw.file, raw.line, raw.line)
            for out in validate_stream(loader.convert_item(raw, split, index), loader.meta, tracker):
                if isinstance(out, Reject):
                    item.rejected = True
                else:
                    item.records.append(out.model_dump())
            found.append(item)
    by_file: dict[str, list[Item]] = {}
    for item in found:
        if item.first is not None:
            by_file.setdefault(item.file, []).append(item)
    for file, group in by_file.items():
        group.sort(key=lambda i: i.first)
        total = Path(file).read_bytes().count(b"\n") + 1
        for item, following in zip(group, group[1:] + [None]):
            item.last = (following.first - 1) if following is not None else total
    return found


def line_offsets(data: bytes) -> list[int]:
    """Byte offset of the start of each line (index 0 is line 1)."""
    offsets = [0]
    for k, byte in enumerate(data):
        if byte == 0x0A:
            offsets.append(k + 1)
    return offsets


def good_records(found: list[Item], *, except_items: list[Item] = ()) -> list[dict]:
    """Records of the clean run's good items, leaving out ``except_items``."""
    skip = {id(i) for i in except_items}
    return [r for i in found if id(i) not in skip and not i.rejected for r in i.records]


def assert_located(reject: Reject) -> None:
    """A reject says why and where."""
    assert reject.reason and reject.file, reject
