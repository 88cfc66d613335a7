"""PubMedQA, expert-labelled subset PQA-L: yes/no/maybe questions over PubMed abstracts.

Raw format (``data/ori_pqal.json`` of github.com/pubmedqa/pubmedqa, indent=4): one JSON
object keyed by PMID, ``{"PMID": {"QUESTION", "CONTEXTS": [str], "LABELS": [str], "MESHES",
"YEAR", "reasoning_required_pred", "reasoning_free_pred", "final_decision": "yes|no|maybe",
"LONG_ANSWER"}}``. CONTEXTS and LABELS are parallel (structured-abstract section names; the
abstract's conclusion is the LONG_ANSWER and is not in CONTEXTS). ``test_ground_truth.json``
maps the 500 test PMIDs to their decision; it is optional: without it there is no test split and
every entry is ``train`` (a one-line note on stderr says so).

Split: the authors' ``split_dataset.py`` (and BigBio's ``pqal_test_set.json``) make the 500
test_ground_truth PMIDs the test set; the other 500 are ``train`` here (BigBio further cuts them
into 10 train/dev folds, which are not in the raw files). A test entry whose decision disagrees
with test_ground_truth.json is rejected.

Context: the CONTEXTS joined by newlines, each prefixed by its section name (``RESULTS: ...``;
no prefix for ``UNLABELLED``). BigBio joins them with a space and no names; the names keep the
abstract's structure visible in prompts.

:func:`iter_json_members` decodes one member of a top-level JSON object or array at a time
and reports its line. The file text is read whole (the complete ori_pqal.json is about 2.5 MB
and fixed in size) but entries are decoded and converted one by one; malformed JSON ends the
file with one reject naming its line, since nothing after it can be located reliably.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from biocurate.errors import ConversionError, LoaderError
from biocurate.schemas import QARecord

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader
from .formats.jsonfiles import iter_json_members

_COMMIT = "1cbae8e92f72f20c8d3747cbb3bf5bc53554d997"
CHOICES = ["yes", "no", "maybe"]
TRUTH_FILE = "test_ground_truth.json"


@register_loader
class PubMedQA(Loader):
    meta = DatasetMeta(
        name="pubmed_qa",
        display_name="PubMedQA (PQA-L)",
        description="Yes/no/maybe research questions over PubMed abstracts, with the abstract's conclusion as long answer; the 1k expert-labelled PQA-L subset.",
        languages=["en"],
        tasks=["qa_yesno"],
        schema="qa",
        license="MIT",
        citation="""@inproceedings{jin2019pubmedqa,
  title = {{PubMedQA}: A Dataset for Biomedical Research Question Answering},
  author = {Jin, Qiao and Dhingra, Bhuwan and Liu, Zhengping and Cohen, William and Lu, Xinghua},
  booktitle = {Proceedings of EMNLP-IJCNLP 2019},
  pages = {2567--2577},
  year = {2019}
}""",
        homepage="https://pubmedqa.github.io/",
        splits={"train": "*ori_pqal.json", "test": "*ori_pqal.json"},
        source_files=[
            SourceFile(url=f"https://raw.githubusercontent.com/pubmedqa/pubmedqa/{_COMMIT}/data/{name}", filename=name)
            for name in ("ori_pqal.json", "test_ground_truth.json")
        ],
        aliases=["PubMedQA", "pqal"],
        pubmed=True,
        bigbio_name="pubmed_qa",
        format_note="ori_pqal.json (object keyed by PMID) + test_ground_truth.json (PMID -> decision, selects the test split).",
    )

    def _truth_file(self) -> Path | None:
        """test_ground_truth.json beside ori_pqal.json, or None when it is absent."""
        for source in self.files_for("train"):
            truth = source.with_name(TRUTH_FILE)
            if truth.is_file():
                return truth
        return None

    def available_splits(self) -> list[str]:
        """``train`` and, only when test_ground_truth.json is present, ``test``: that file
        only marks which entries are the test split, so without it every entry is train."""
        splits = super().available_splits()
        if "test" in splits and self._truth_file() is None:
            if not self.__dict__.get("_noted"):  # a one-line note, once per loader
                self.__dict__["_noted"] = True
                print(f"note: pubmed_qa: no {TRUTH_FILE} in {self.data_dir}; every ori_pqal.json entry is read as train",
                      file=sys.stderr)
            splits.remove("test")
        return splits

    def _test_pmids(self, source: Path, split: str) -> dict[str, str]:
        truth = source.with_name(TRUTH_FILE)
        if not truth.is_file():
            if split == "test":
                raise LoaderError(f"{truth.name} missing beside {source.name}: it defines the test split", dataset=self.name, file=str(truth))
            return {}
        with open(truth, encoding="utf-8-sig") as handle:
            return json.load(handle)

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            test = self._test_pmids(path, split)
            try:
                for line, pmid, entry in iter_json_members(path):
                    if (pmid in test) == (split == "test"):
                        yield SourceItem({"pmid": pmid, "entry": entry, "truth": test.get(pmid)}, str(path), line, pmid)
            except LoaderError as exc:
                yield self.reject(split, exc.reason, stage="read", file=exc.file, line=exc.line)

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[QARecord]:
        pmid, entry = item.data["pmid"], item.data["entry"]
        decision = entry["final_decision"]
        if decision not in CHOICES:
            raise ConversionError(f"final_decision {decision!r} is not one of {CHOICES}", field="final_decision")
        if item.data["truth"] not in (None, decision):
            raise ConversionError(f"final_decision {decision!r} disagrees with test_ground_truth.json {item.data['truth']!r}", field="final_decision")
        contexts, labels = entry["CONTEXTS"], entry["LABELS"]
        if len(contexts) != len(labels):
            raise ConversionError(f"{len(contexts)} CONTEXTS but {len(labels)} LABELS", field="LABELS")
        context = "\n".join(text if label == "UNLABELLED" else f"{label}: {text}" for label, text in zip(labels, contexts))
        yield QARecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en",
            question_id=pmid, document_id=pmid, question=entry["QUESTION"], type="yesno",
            choices=list(CHOICES), context=context, answer=[decision], long_answer=[entry["LONG_ANSWER"]],
        )
