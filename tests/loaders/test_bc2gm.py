"""BC2GM (IOB conversion) on the real devel.tsv."""

from __future__ import annotations

import itertools
from pathlib import Path

from biocurate.loaders import Reject, get_loader
from biocurate.sources import open_loader


def test_counts() -> None:
    loader = open_loader("BC2GM")
    assert loader.name == "bc2gm" and loader.available_splits() == ["validation"]
    records = list(loader.iter_split("validation"))
    assert len(records) == 2519 and sum(len(r.entities) for r in records) == 3061
    assert records[0].passages[0].text == ["Joys and F."] and records[0].entities == []
    assert records[1].passages[0].text == ["2 cases of type II tyrosinosis (Richner-Hanhart syndrome)"]


def test_multi_token_gene_offsets() -> None:
    record = next(itertools.islice(open_loader("bc2gm").iter_split("validation"), 6, None))
    text = record.passages[0].text[0]
    # detokenised: "c - jun oncoprotein ' s" reads "c-jun oncoprotein's"; offsets index the new text
    assert text.startswith("A portion of Region II also resembles part of the human c-jun oncoprotein's leucine zipper,")
    assert [(e.type, e.text) for e in record.entities] == [("GENE", ["c-jun"]), ("GENE", ["jun"]), ("GENE", ["fos oncoproteins"])]
    assert all(text[s:e] == entity.text[0] for entity in record.entities for s, e in entity.offsets)
    assert record.entities[0].offsets == [[56, 61]]
    assert record.document_id == record.id == "validation-6"


def test_malformed_line_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "devel.tsv").write_text("IL-2\tB-GENE\n\nfoo bar\n\nok\tO\n", encoding="utf-8")
    good, bad, ok = get_loader("bc2gm")(tmp_path).records("validation")
    assert good.entities[0].text == ["IL-2"] and ok.entities == []
    assert isinstance(bad, Reject) and (bad.line, bad.field) == (3, "columns") and bad.file.endswith("devel.tsv")


def test_other_entity_type_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "train.tsv").write_text("x\tO\naspirin\tB-CHEM\n", encoding="utf-8")
    (reject,) = get_loader("bc2gm")(tmp_path).records("train")
    assert (reject.line, reject.field) == (1, "entities[0].type") and "line 2" in reject.reason


def test_no_tokenisation_spaces_remain_in_the_real_sample() -> None:
    import re

    records = list(open_loader("bc2gm").iter_split("validation"))
    texts = [r.passages[0].text[0] for r in records]
    assert not any(re.search(r"\( | \)| [,.;:%]( |$)|\w - \w", t) for t in texts)
    for record in records:  # every mention still slices back from its offsets
        for entity in record.entities:
            (start, end), = entity.offsets
            assert record.passages[0].text[0][start:end] == entity.text[0]
