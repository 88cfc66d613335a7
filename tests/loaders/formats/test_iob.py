"""IOB (token<TAB>tag) parser and text rebuilding."""

from __future__ import annotations

from pathlib import Path

from biocurate.loaders.formats.common import Malformed
from biocurate.loaders.formats.iob import IOBSentence, iter_iob, rebuild


def test_bc2gm_devel_counts(samples: Path) -> None:
    sentences = list(iter_iob(samples / "BC2GM" / "devel.tsv"))
    assert len(sentences) == 2519 and all(isinstance(s, IOBSentence) for s in sentences)
    assert sum(len(rebuild(s.tokens, s.tags)[1]) for s in sentences) == 3061
    assert (sentences[0].line, sentences[0].tokens) == (1, ["Joys", "and", "F", "."])
    assert sentences[1].line == 6


def test_rebuild_offsets() -> None:
    text, mentions = rebuild(["the", "c", "-", "jun", "gene", "and", "fos"], ["O", "B-GENE", "I-GENE", "I-GENE", "O", "O", "B-GENE"])
    assert text == "the c - jun gene and fos"
    assert [(m.type, m.start, m.end, m.text, m.first_token) for m in mentions] == [
        ("GENE", 4, 11, "c - jun", 1), ("GENE", 21, 24, "fos", 6),
    ]


def test_stray_inside_tag_starts_a_mention() -> None:
    _, mentions = rebuild(["a", "b", "c"], ["I-GENE", "O", "I-GENE"])
    assert [m.text for m in mentions] == ["a", "c"]
    _, mentions = rebuild(["a", "b"], ["B-GENE", "B-GENE"])
    assert [m.text for m in mentions] == ["a", "b"]


def test_bad_tag_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "devel.tsv"
    path.write_text("IL-2\tB-GENE\n\nfoo\tX-GENE\nbar\tO\n\nbaz\n", encoding="utf-8")
    good, bad_tag, bad_columns = iter_iob(path)
    assert isinstance(good, IOBSentence) and good.tags == ["B-GENE"]
    assert isinstance(bad_tag, Malformed) and (bad_tag.file, bad_tag.line, bad_tag.field) == (str(path), 3, "tag")
    assert (bad_columns.line, bad_columns.field) == (6, "columns")
