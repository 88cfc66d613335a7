"""TSV helpers and the ChemProt/DrugProt abstract-entities-relations reader."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders.formats.chemprot_tsv import AbstractBundle, iter_abstract_bundles, sibling
from biocurate.loaders.formats.common import Malformed
from biocurate.loaders.formats.tsv import TsvIndex, iter_tsv


def _bundles(folder: Path, abstracts: str) -> list:
    path = folder / abstracts
    return list(iter_abstract_bundles(path, sibling(path, "entities"), sibling(path, "relations")))


def test_sibling_names() -> None:
    assert sibling(Path("d/chemprot_development_abstracts.tsv"), "entities").name == "chemprot_development_entities.tsv"
    assert sibling(Path("d/drugprot_training_abstracs.tsv"), "relations").name == "drugprot_training_relations.tsv"
    assert sibling(Path("d/chemprot_test_abstracts_gs.tsv"), "entities").name == "chemprot_test_entities_gs.tsv"


def test_chemprot_sample(samples: Path) -> None:
    docs = _bundles(samples / "ChemProt", "chemprot_development_abstracts.tsv")
    assert len(docs) == 71 and all(isinstance(d, AbstractBundle) for d in docs)
    assert sum(len(d.entities) for d in docs) == 1994 and sum(len(d.relations) for d in docs) == 475
    first = docs[0]
    assert first.pmid == "10064839" and first.title.startswith("Binding of dimemorfan to sigma-1 receptor")
    rel = first.relations[0]
    assert (rel.labels, rel.arg1, rel.arg2, rel.line) == (["CPR:2", "N ", "DIRECT-REGULATOR"], "T18", "T53", 1)


def test_drugprot_sample_out_of_order_annotations(samples: Path) -> None:
    docs = _bundles(samples / "DrugProt", "drugprot_development_abstracs.tsv")
    assert len(docs) == 200 and sum(len(d.entities) for d in docs) == 5184 and sum(len(d.relations) for d in docs) == 1083
    doc = next(d for d in docs if d.pmid == "17643344")
    t1 = next(e for e in doc.entities if e.id == "T1")
    assert (t1.type, t1.start, t1.end, t1.text) == ("CHEMICAL", 290, 301, "melarsoprol")
    assert doc.text[290:301] == "melarsoprol"


def test_index_reads_lines_back(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_bytes("\ufeffb\t1\r\na\t2\r\nb\t3\n".encode())
    index = TsvIndex(path)
    assert index.keys() == ["b", "a"] and index.first_line("a") == 2 and index.first_line("z") is None
    assert index.rows("b") == [(1, ["b", "1"]), (3, ["b", "3"])]
    assert list(iter_tsv(path)) == [(1, ["b", "1"]), (2, ["a", "2"]), (3, ["b", "3"])]


def _write(tmp_path: Path, entities: str, relations: str) -> Path:
    (tmp_path / "x_abstracts.tsv").write_text("1\tAspirin title.\tIt inhibits COX1.\n", encoding="utf-8")
    (tmp_path / "x_entities.tsv").write_text(entities, encoding="utf-8")
    (tmp_path / "x_relations.tsv").write_text(relations, encoding="utf-8")
    return tmp_path / "x_abstracts.tsv"


def test_relation_to_missing_entity(tmp_path: Path) -> None:
    path = _write(tmp_path, "1\tT1\tCHEMICAL\t0\t7\tAspirin\n", "1\tINHIBITOR\tArg1:T1\tArg2:T2\n")
    (bad,) = iter_abstract_bundles(path, sibling(path, "entities"), sibling(path, "relations"))
    assert isinstance(bad, Malformed)
    assert (bad.file, bad.line, bad.field, bad.key) == (str(tmp_path / "x_relations.tsv"), 1, "Arg2", "1")


def test_bad_entity_offsets_and_orphan_annotations(tmp_path: Path) -> None:
    path = _write(tmp_path, "1\tT1\tCHEMICAL\t0\t7\tAspirin\n1\tT2\tGENE-Y\t26\t30\tCOX1\n9\tT1\tGENE-N\t0\t1\tx\n", "")
    bad, orphan = iter_abstract_bundles(path, sibling(path, "entities"), sibling(path, "relations"))
    assert (bad.line, bad.field) == (2, "offsets") and "'COX1'" in bad.reason
    assert (orphan.line, orphan.field, orphan.key) == (3, "pmid", "9")
