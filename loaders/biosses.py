"""BIOSSES: 100 biomedical sentence pairs scored 0-4 for semantic similarity by five annotators.

Raw format read here: the plain-text copy of Blagec et al. 2019 (the original is a .rar of two
Word tables). ``biosses_sentence_pairs_test_derived_from_github.txt`` has two consecutive lines
per pair (sentence 1, then sentence 2; 200 lines, no final newline);
``annotation_scores_from_github.txt`` beside it has the mean of the five annotator scores of
each pair, one per line, in pair order (``4``, ``2.2``...).

Mapping: the label is the mean score as a string in BigBio's convention
(``str((a + b + c + d + e) / 5)``: ``"4.0"``, ``"2.2"``); a score that is not a mean of five
integer scores 0-4 is rejected. document_id is the 1-based pair number. BIOSSES has no official
split; the train/validation/test pair numbers below are BLUE's and BLURB's, as in BigBio.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from biocurate.schemas import PairsRecord

from ._base import DatasetMeta, Loader, Reject, SourceFile, SourceItem
from ._registry import register_loader

PAIRS_FILE = "biosses_sentence_pairs_test_derived_from_github.txt"
SCORES_FILE = "annotation_scores_from_github.txt"
_BLAGEC = "https://raw.githubusercontent.com/kathrinblagec/neural-sentence-embedding-models-for-biomedical-applications/36a0baff84935e9adf3affd4ec92940fd5332efe/data"

#: 1-based pair numbers per split (BLUE/BLURB, copied by BigBio).
SPLIT_PAIRS = {
    "train": {78, 45, 35, 50, 27, 13, 87, 1, 58, 99, 55, 74, 66, 39, 44, 18, 84, 76, 19, 10, 75, 46, 15, 86, 60, 14,
              51, 79, 29, 34, 94, 28, 62, 42, 21, 30, 11, 53, 6, 12, 26, 48, 31, 32, 77, 37, 95, 85, 36, 56, 43, 61,
              16, 5, 67, 65, 54, 3, 73, 98, 17, 4, 92, 93},
    "validation": {88, 82, 8, 63, 47, 68, 40, 90, 100, 24, 41, 91, 80, 9, 72, 2},
    "test": {59, 96, 70, 22, 81, 38, 57, 23, 33, 89, 69, 49, 7, 71, 97, 25, 83, 64, 52, 20},
}


def _split_of(number: int) -> str:
    """The split of a pair number; numbers beyond the 100 pairs are reported under ``train``."""
    return next((split for split, numbers in SPLIT_PAIRS.items() if number in numbers), "train")


def mean_label(raw: str) -> str:
    """BigBio's label for a mean score line (``"2.2"`` -> ``"2.2"``, ``"4"`` -> ``"4.0"``).

    Raises:
        ValueError: not a number, outside 0-4, or not a multiple of 1/5.
    """
    total = float(raw) * 5
    if not (0 <= total <= 20 and abs(total - round(total)) < 1e-6):
        raise ValueError(f"score {raw!r} is not a mean of five scores 0-4")
    return str(round(total) / 5)


#: Every possible label: the mean of five integer scores 0-4 ("0.0", "0.2", ..., "4.0"). Declared so
#: prompts show the scale as the answer options and validation rejects an impossible score.
SCORE_LABELS = [str(k / 5) for k in range(21)]


@register_loader
class BIOSSES(Loader):
    meta = DatasetMeta(
        name="biosses",
        display_name="BIOSSES",
        description="100 sentence pairs from biomedical articles (TAC 2014 Biomedical Summarization track) with similarity scores 0-4 averaged over five annotators.",
        languages=["en"],
        tasks=["sts"],
        schema="pairs",
        license="GPL-3.0-only",
        citation="""@article{sogancioglu2017biosses,
  title = {{BIOSSES}: a semantic sentence similarity estimation system for the biomedical domain},
  author = {So{\\u{g}}anc{\\i}o{\\u{g}}lu, Gizem and {\\"O}zt{\\"u}rk, Hakime and {\\"O}zg{\\"u}r, Arzucan},
  journal = {Bioinformatics},
  volume = {33},
  number = {14},
  pages = {i49--i58},
  year = {2017},
  doi = {10.1093/bioinformatics/btx238}
}""",
        homepage="https://tabilab.cmpe.boun.edu.tr/BIOSSES/DataSet.html",
        splits={split: f"*{PAIRS_FILE}" for split in SPLIT_PAIRS},
        source_files=[
            SourceFile(url=f"{_BLAGEC}/{name}", filename=f"blagec2019-plaintext/{name}") for name in (PAIRS_FILE, SCORES_FILE)
        ],
        aliases=["BIOSSES"],
        bigbio_name="biosses",
        label_sets={"labels": SCORE_LABELS},
        format_note="Plain-text copy (Blagec et al. 2019): pairs file (2 lines per pair) + mean-scores file (1 line per pair).",
    )

    def read_source(self, split: str) -> Iterator[SourceItem | Reject]:
        for path in self.files_for(split):
            scores_path = path.with_name(SCORES_FILE)
            lines = path.read_text(encoding="utf-8").split("\n")
            scores = scores_path.read_text(encoding="utf-8").split("\n") if scores_path.is_file() else []
            if lines and lines[-1] == "" and len(lines) % 2:
                lines.pop()  # tolerate a final newline
            for number in range(1, (len(lines) + 1) // 2 + 1):
                if _split_of(number) != split:
                    continue
                line = 2 * number - 1
                if number not in SPLIT_PAIRS[split]:
                    yield self.reject(split, f"pair {number} is beyond the 100 BIOSSES pairs", stage="read", file=str(path), line=line, record=str(number))
                elif line == len(lines):
                    yield self.reject(split, f"pair {number} has no second sentence", stage="read", file=str(path), line=line, record=str(number), field="text_2")
                elif number > len(scores) or not scores[number - 1].strip():
                    yield self.reject(split, f"no score for pair {number} in {SCORES_FILE}", stage="read", file=str(scores_path), line=number, record=str(number), field="label")
                else:
                    try:
                        label = mean_label(scores[number - 1].strip())
                    except ValueError as exc:
                        yield self.reject(split, str(exc), stage="read", file=str(scores_path), line=number, record=str(number), field="label", raw=scores[number - 1])
                        continue
                    pair = {"number": str(number), "text_1": lines[line - 1], "text_2": lines[line], "label": label}
                    yield SourceItem(pair, str(path), line, str(number))

    def to_schema(self, item: SourceItem, split: str, index: int) -> Iterable[PairsRecord]:
        pair = item.data
        yield PairsRecord(
            id=self.record_id(split, index), dataset=self.name, split=split, language="en",
            document_id=pair["number"], text_1=pair["text_1"].strip(), text_2=pair["text_2"].strip(), label=pair["label"],
        )
