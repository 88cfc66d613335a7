"""BigBio's content from the raw files (stage 2, beside the adapter): what ``convert --bigbio`` writes.

biocurate's loaders and BigBio's loading scripts read some raw files differently (see
docs/datasets.md, "BigBio's own output, compared"). For those datasets a *view* is a loader that
reads the same raw files the way BigBio's script does and yields records whose BigBio layout
(:meth:`~biocurate.schemas.Record.to_bigbio`) equals what the BigBio adapter makes of BigBio's
own output for the same files, ids included (the adapter's ``<split>-<BigBio id>``). The views
are checked against the output of BigBio's scripts in ``tests/fixtures/bigbio_reference/``.

* ``pubmed_qa``: the PMID is the id; the context is the CONTEXTS joined by one space, without
  section names.
* ``med_qa``: BigBio's ``med_qa_en`` reads the 5-option files ``US/{train,dev,test}.jsonl``;
  they are read when present, else the 4-option files (BigBio's ``med_qa_en_4options``).
  Choices are the options in file order, question and document ids the 0-based line number.
* ``bc5cdr`` / ``bc5cdr_bioc``: BigBio reads the BioC XML of the release (composite-mention
  parts as entities; relations from its consistent CID infons), so both read the BioC files;
  ids are BigBio's running number over the split (see :mod:`._bigbio_kb_views`).
* ``ddi_corpus``: BigBio reads the release's BRAT conversion: one ``abstract`` passage holding
  the non-empty sentences (trailing whitespace cut) joined by one space, the file name as document id,
  upper-case types, brat ids ``T<n>``/``R<n>`` prefixed by the document id.
* ``bionlp_st_2011_ge``: brat ids prefixed by the document id, one ``abstract`` passage, record
  ids numbered in file order.
* ``hallmarks_of_cancer``: one record per sentence (``<PMID>_<n>``), ids numbered from 1.

Other datasets have no view: their loader's records already carry BigBio's content, or the
difference is kept by design (docs/datasets.md lists them); :func:`bigbio_view` returns the
loader unchanged then.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from biocurate.errors import ConversionError, LoaderError
from biocurate.schemas import QARecord, TextRecord

from ._base import Loader, Reject, SourceItem
from ._bigbio_kb_views import KB_VIEWS
from .formats.common import files_under, split_files
from .hallmarks_of_cancer import HALLMARKS, HallmarksOfCancer
from .med_qa import MedQA
from .pubmed_qa import PubMedQA


class PubMedQABigBio(PubMedQA):
    """PubMedQA as BigBio's ``pubmed_qa_labeled_fold*_bigbio_qa``: PMID ids, contexts joined by spaces."""

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        entry = item.data["entry"]
        for record in super().to_schema(item, split, index):  # the loader's checks (decision, test truth)
            yield record.model_copy(update={"id": f"{split}-{item.data['pmid']}", "context": " ".join(entry["CONTEXTS"])})


#: BigBio's ``med_qa_en`` files (5 options), relative to a data directory holding ``US/``.
MEDQA_5_OPTIONS = {"train": "US/train.jsonl | */US/train.jsonl", "validation": "US/dev.jsonl | */US/dev.jsonl",
                   "test": "US/test.jsonl | */US/test.jsonl"}


class MedQABigBio(MedQA):
    """MedQA as BigBio's ``med_qa_en`` (5-option files) or, without them, ``med_qa_en_4options``.

    The 5-option files (``data_clean/questions/US/{train,dev,test}.jsonl`` of the MedQA release)
    hold ``{"question", "answer": option text, "options": {"A".."E": text}, "meta_info"}`` per
    line: the source features BigBio's ``med_qa.py`` (913327733b) declares for ``med_qa_en_source``
    and the fields its ``bigbio_qa`` branch reads.
    """

    def __init__(self, data_dir: str | Path, encoding: str | None = None) -> None:
        super().__init__(data_dir, encoding)
        tree = files_under(self.data_dir)
        self.five_options = any(_has_files(self.data_dir, MEDQA_5_OPTIONS, split, tree) for split in MEDQA_5_OPTIONS)
        if self.five_options:
            self.meta = self.meta.model_copy(update={"splits": MEDQA_5_OPTIONS})
        else:
            print("note: med_qa --bigbio: no 5-option US/<split>.jsonl files (BigBio's med_qa_en); writing the 4-option "
                  "files as BigBio's med_qa_en_4options does", file=sys.stderr)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        raw = item.data
        if not self.five_options:
            for record in super().to_schema(item, split, index):
                yield record.model_copy(update={"question_id": str(index), "document_id": str(index),
                                                "choices": list(raw["options"].values())})
            return
        options = raw.get("options")
        if not isinstance(options, dict) or not options:
            raise ConversionError("options must be an object of letter -> option text", field="options")
        yield QARecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en", question_id=str(index),
            document_id=str(index), question=raw["question"], type="multiple_choice", choices=list(options.values()),
            answer=[raw["answer"]],
        )


def _has_files(data_dir: Path, splits: dict[str, str], split: str, tree: list[str]) -> bool:
    try:
        return bool(split_files(data_dir, splits, split, "med_qa", tree))
    except LoaderError:
        return False


class HallmarksOfCancerBigBio(HallmarksOfCancer):
    """HoC as BigBio's ``hallmarks_of_cancer_bigbio_text``: one record per sentence (document id
    ``<PMID>_<n>``), ids one running number from 1 over the split in file order; a sentence's
    labels are its field's distinct top-level hallmarks, ``none`` for a blank field, none for
    ``NULL`` (BigBio's order is a Python set's; here :data:`HALLMARKS` order)."""

    meta = HallmarksOfCancer.meta.model_copy(update={"label_sets": {"labels": [*HALLMARKS, "none"]}})

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        uid = 1
        for item in super().read_source(split):
            if isinstance(item, Reject):
                yield item
                continue
            pairs = list(zip(item.data["sentences"], item.data["labels"].split("<")[1:]))
            yield SourceItem({**item.data, "pairs": pairs, "first": uid}, item.file, item.line, item.key)
            uid += len(pairs)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[TextRecord]:
        list(super().to_schema(item, split, index))  # the loader's checks (field count, known hallmarks)
        for k, (sentence, field) in enumerate(item.data["pairs"]):
            label = field.strip() or "none"
            found = {part.strip().split("--")[0].lower().lstrip() for part in label.split("AND") if part.strip() != "NULL"}
            order = [*HALLMARKS, "none"]
            yield TextRecord(id=f"{split}-{item.data['first'] + k}", dataset=self.name, split=split, language="en",
                             document_id=f"{item.key}_{k}", text=sentence,
                             labels=sorted(found, key=lambda h: (order.index(h) if h in order else len(order), h)))


#: loader name -> view class, constructed with the user's data directory and encoding.
VIEWS: dict[str, type[Loader]] = {"pubmed_qa": PubMedQABigBio, "med_qa": MedQABigBio, "hallmarks_of_cancer": HallmarksOfCancerBigBio,
                                  **KB_VIEWS}


def bigbio_view(loader: Loader) -> Loader:
    """The loader whose records carry BigBio's content for ``loader``'s dataset and data directory.

    Returns ``loader`` itself for a dataset without a view (its records already carry BigBio's
    content, or the difference is by design).
    """
    view = VIEWS.get(loader.name)
    if view is None:
        return loader
    return view(loader.data_dir, loader.__dict__.get("_encoding"))  # the encoding a user set (--encoding), if any

