"""BioC XML parser on the real BC5CDR BioC file and on broken inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from biocurate.loaders.formats.bioc import BioCDocument, iter_bioc
from biocurate.loaders.formats.common import Malformed

BIOC = "BC5CDR/CDR_sample.gold.BioC.xml"


def test_first_document(samples: Path) -> None:
    doc = next(iter_bioc(samples / BIOC))
    assert isinstance(doc, BioCDocument) and (doc.id, doc.line) == ("26094", 6)
    title, abstract = doc.passages
    assert (title.infons["type"], title.offset, abstract.offset) == ("title", 0, 54)
    first = title.annotations[0]
    assert (first.id, first.infons, first.spans, first.pieces) == ("0", {"type": "Disease", "MESH": "D003866"}, [(27, 37)], ["depression"])
    assert [(r.id, r.infons["Chemical"], r.infons["Disease"]) for r in doc.relations] == [("R0", "D008750", "D003866")]


def test_declared_passage_offsets_break_on_escaped_titles(samples: Path) -> None:
    # PMID 2224762's abstract <offset> is 102, computed on the title with "&apos;" unexpanded.
    broken = {d.key for d in iter_bioc(samples / BIOC) if isinstance(d, Malformed)}
    assert "2224762" in broken
    joined = next(d for d in iter_bioc(samples / BIOC, passage_offsets="joined") if getattr(d, "id", None) == "2224762")
    assert [(p.offset, p.declared) for p in joined.passages] == [(0, 0), (97, 102)]


def test_discontinuous_individual_mention(samples: Path) -> None:
    doc = next(d for d in iter_bioc(samples / BIOC, "joined") if getattr(d, "id", None) == "2224762")
    part = next(a for p in doc.passages for a in p.annotations if a.text == "renal dysfunction")
    assert part.infons["CompositeRole"] == "IndividualMention" and part.pieces == ["renal", "dysfunction"]


def test_source_offset_error_is_reported_with_line(samples: Path) -> None:
    items = list(iter_bioc(samples / BIOC, "joined"))
    bad = [i for i in items if isinstance(i, Malformed)]
    assert len(items) == 35 and len(bad) == 1
    assert (bad[0].key, bad[0].line, bad[0].field) == ("11587867", 3800, "location")
    assert "offset=478 length=11" in bad[0].reason


def test_not_well_formed_xml(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<collection>\n<document><id>1</id>\n<passage>\n</document>\n</collection>\n", encoding="utf-8")
    (bad,) = iter_bioc(path)
    assert isinstance(bad, Malformed) and (bad.file, bad.line, bad.field) == (str(path), 4, "xml")
    assert "not well-formed" in bad.reason


def test_non_integer_location(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text(
        "<collection><document><id>7</id>\n<passage><offset>0</offset><text>Aspirin</text>\n"
        "<annotation id='a'><infon key='type'>Chemical</infon>\n<location offset='x' length='7'/>\n<text>Aspirin</text></annotation>\n"
        "</passage></document></collection>\n",
        encoding="utf-8",
    )
    (bad,) = iter_bioc(path)
    assert (bad.key, bad.line, bad.field) == ("7", 4, "location")


def test_unknown_passage_mode() -> None:
    with pytest.raises(ValueError):
        next(iter_bioc(Path("nowhere.xml"), passage_offsets="guess"))
