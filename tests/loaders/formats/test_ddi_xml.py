"""DDI 2013 XML parser on the real excerpt and on broken inputs."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders.formats.common import Malformed
from biocurate.loaders.formats.ddi_xml import DDIDocument, iter_ddi, read_ddi

DDI = "DDI-2013"


def test_whole_excerpt(samples: Path) -> None:
    docs = list(iter_ddi(sorted((samples / DDI).rglob("*.xml"))))
    assert len(docs) == 96 and all(isinstance(d, DDIDocument) for d in docs)
    assert sum(len(s.entities) for d in docs for s in d.sentences) == 1452
    assert sum(p.ddi for d in docs for s in d.sentences for p in s.pairs) == 258


def test_inclusive_offsets_and_escaped_newlines(samples: Path) -> None:
    path = samples / DDI / "Train" / "MedLine" / "10150268.xml"
    doc = read_ddi(path)
    assert doc.id == "DDI-MedLine.d78"
    s0 = doc.sentences[0]
    assert s0.text.endswith("a review.\r\n") and s0.line == 3
    assert (s0.entities[0].spans, s0.entities[0].pieces) == ([(4, 20)], ["fluoroquinolones"])


def test_discontinuous_entity_without_separator(samples: Path) -> None:
    docs = [read_ddi(p) for p in (samples / DDI).rglob("*.xml")]
    entity = next(e for d in docs for s in d.sentences for e in s.entities if e.id == "DDI-MedLine.d75.s3.e0")
    assert entity.text == "mu-selective opioids" and entity.pieces == ["mu-", "selective opioids"]
    assert entity.spans == [(44, 47), (70, 87)]


def test_bad_char_offset_names_line(tmp_path: Path) -> None:
    path = tmp_path / "d.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<document id="D1">\n <sentence id="D1.s0" text="Aspirin and warfarin.">\n'
        '  <entity id="D1.s0.e0" charOffset="0-6" type="drug" text="Aspirin"/>\n'
        '  <entity id="D1.s0.e1" charOffset="12-19" type="drug" text="warfarin"/>\n'
        '  <pair id="D1.s0.p0" e1="D1.s0.e0" e2="D1.s0.e2" ddi="true" type="effect"/>\n'
        " </sentence>\n</document>\n",
        encoding="utf-8",
    )
    bad = read_ddi(path)
    assert isinstance(bad, Malformed) and (bad.file, bad.line, bad.field, bad.key) == (str(path), 6, "e2", "D1")
    path.write_text(path.read_text().replace('charOffset="0-6"', 'charOffset="0-5"'), encoding="utf-8")
    bad = read_ddi(path)
    assert (bad.line, bad.field) == (4, "charOffset") and "'Aspiri'" in bad.reason
