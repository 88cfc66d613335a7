"""XML safety does not depend on expat: entity bombs and external entities are refused as rejects."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders import Reject, get_loader
from biocurate.loaders.formats.common import Malformed
from biocurate.loaders.formats.xmlstream import iterparse_lines
from biocurate.sources import samples_dir

BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE collection [\n <!ENTITY a "aaaaaaaaaa">\n'
    ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
    "<collection><source>&c;</source></collection>\n"
)
EXTERNAL = '<?xml version="1.0"?>\n<!DOCTYPE collection [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<collection>&e;</collection>\n'


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text(BOMB, encoding="utf-8")
    (last,) = [e for e in iterparse_lines(path) if isinstance(e, Malformed)]
    assert last.field == "xml" and last.line == 3 and "EntitiesForbidden(name='a'" in last.reason


def test_external_entity_is_refused_and_nothing_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ext.xml"
    path.write_text(EXTERNAL, encoding="utf-8")
    events = list(iterparse_lines(path))
    assert isinstance(events[-1], Malformed) and "file:///etc/passwd" in events[-1].reason
    assert not any(not isinstance(e, Malformed) and (e[1].text or "").startswith("root:") for e in events)


def test_ddi_loader_turns_a_bomb_file_into_a_reject_and_keeps_the_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "ddi"
    source = samples_dir() / "DDI-2013"
    for path in source.rglob("*"):
        if path.is_file():
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    loader = get_loader("ddi_corpus")(folder)
    split = loader.available_splits()[0]
    files = loader.files_for(split)
    before = [item for item in loader.records(split)]
    files[0].write_text(BOMB, encoding="utf-8")
    after = list(get_loader("ddi_corpus")(folder).records(split))
    rejects = [r for r in after if isinstance(r, Reject)]
    assert any(r.file == str(files[0]) and r.field == "xml" and "EntitiesForbidden" in r.reason for r in rejects)
    kept = [r for r in after if not isinstance(r, Reject)]
    assert kept and len(kept) < len([r for r in before if not isinstance(r, Reject)])


def test_unknown_declared_encoding_is_a_malformed_not_a_crash(tmp_path: Path) -> None:
    # found by test_fuzz.py: a mutated XML declaration raised LookupError out of the parser
    path = tmp_path / "enc.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="utf-9"?>\n<document id="d"></document>\n')
    (problem,) = list(iterparse_lines(path))
    assert isinstance(problem, Malformed) and problem.field == "encoding" and "utf-9" in problem.reason
