"""PubTator parser on the real BC5CDR / NCBI files and on broken inputs."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders.formats.common import Malformed
from biocurate.loaders.formats.pubtator import PubTatorDocument, iter_pubtator


def test_bc5cdr_sample_documents(samples: Path) -> None:
    docs = list(iter_pubtator(samples / "BC5CDR" / "CDR_sample.PubTator.txt"))
    assert len(docs) == 35 and all(isinstance(d, PubTatorDocument) for d in docs)
    assert sum(len(d.mentions) for d in docs) == 592
    assert sum(len(d.relations) for d in docs) == 83
    first = docs[0]
    assert (first.pmid, first.line) == ("26094", 1)
    assert first.title == "Antihypertensive drugs and depression: a reappraisal."
    m = first.mentions[-2]
    assert (m.line, m.start, m.end, m.text, m.type, m.ids) == (12, 567, 578, "methyl dopa", "Chemical", "D008750")
    assert (first.relations[0].line, first.relations[0].type, first.relations[0].args) == (14, "CID", ["D008750", "D003866"])


def test_composite_mention_keeps_individual_names(samples: Path) -> None:
    doc = next(d for d in iter_pubtator(samples / "BC5CDR" / "CDR_sample.PubTator.txt") if d.pmid == "2224762")
    composite = next(m for m in doc.mentions if m.ids == "D007674|D008107")
    assert composite.text == "renal and/or hepatic dysfunction"
    assert composite.extra == ["renal dysfunction|hepatic dysfunction"]


def test_ncbi_spaced_marker_and_leading_blank_line(samples: Path) -> None:
    docs = list(iter_pubtator(samples / "NCBI-disease" / "NCBIdevelopset_corpus.txt"))
    assert len(docs) == 70 and sum(len(d.mentions) for d in docs) == 552
    first = docs[0]
    # "8808605 |t| Somatic-cell ...": the space after the marker is not part of the title
    assert first.pmid == "8808605" and first.line == 2 and first.title.startswith("Somatic-cell selection")
    assert first.text[154:171] == "enzyme deficiency" and first.mentions[0].ids == "D008661"


def test_non_numeric_offset_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "x.PubTator.txt"
    path.write_text("1|t|Aspirin hurts.\n1|a|Really.\n1\t0\t7\tAspirin\tChemical\tD001241\n1\t8\tx\thurts\tDisease\t-1\n\n"
                    "2|t|Fine.\n2|a|Yes.\n", encoding="utf-8")
    items = list(iter_pubtator(path))
    assert isinstance(items[0], Malformed) and isinstance(items[1], PubTatorDocument)
    bad = items[0]
    assert (bad.file, bad.line, bad.field, bad.key) == (str(path), 4, "offsets", "1")
    assert "not non-negative integers" in bad.reason


def test_offset_spelling_another_mention_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("1|t|Aspirin hurts.\n1|a|Really.\n1\t0\t6\tAspirin\tChemical\tD001241\n", encoding="utf-8")
    (bad,) = iter_pubtator(path)
    assert isinstance(bad, Malformed) and (bad.line, bad.field) == (3, "offsets")
    assert "'Aspiri'" in bad.reason and "'Aspirin'" in bad.reason


def test_offset_beyond_text_and_wrong_pmid(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("1|t|Short.\n1\t0\t99\tShort.\tDisease\t-1\n\n2|t|Other.\n3\t0\t6\tOther.\tDisease\t-1\n", encoding="utf-8")
    first, second = iter_pubtator(path)
    assert first.line == 2 and "outside the text" in first.reason
    assert (second.line, second.field) == (5, "pmid")
