"""PubMed title generation from the |t|/|a| lines of the real NCBI disease development excerpt (70 abstracts)."""

from __future__ import annotations

from biocurate.loaders import Reject, get_loader


def _loader(path):
    return get_loader("pubmed_titles")(path)


def test_counts_per_split(samples) -> None:
    loader = _loader(samples / "NCBI-disease")
    assert loader.available_splits() == ["validation"]
    assert sum(1 for _ in loader.iter_split("validation")) == 70


def test_spaced_and_plain_markers(samples) -> None:
    records = list(_loader(samples / "NCBI-disease").iter_split("validation"))
    first = records[0]  # "8808605 |t| Somatic-cell ..." (spaces around the marker)
    assert first.document_id == "8808605"
    assert first.text_2 == (
        "Somatic-cell selection is a major determinant of the blood-cell phenotype in heterozygotes for "
        "glucose-6-phosphate dehydrogenase mutations causing severe enzyme deficiency."
    )
    assert first.text_1.startswith("X-chromosome inactivation in mammals is regarded as an essentially random process")
    third = records[2]  # "9012409|t|Molecular basis ..." (no spaces)
    assert (third.document_id, third.text_2) == ("9012409", "Molecular basis for Duarte and Los Angeles variant galactosemia.")
    assert (first.text_1_name, first.text_2_name, first.language) == ("abstract", "title", "en")


def test_inline_category_tags_are_removed(tmp_path) -> None:
    (tmp_path / "NCBItestset_corpus.txt").write_text(
        '1|t|A <category="SpecificDisease">G6PD deficiency</category> study.\n1|a|Abstract.\n', encoding="utf-8"
    )
    (record,) = _loader(tmp_path).records("test")
    assert record.text_2 == "A G6PD deficiency study." and record.text_1 == "Abstract."


def test_incomplete_and_repeated_documents_are_rejected(tmp_path) -> None:
    (tmp_path / "NCBItrainset_corpus.txt").write_text(
        "\n1 |t| Title one.\n1 |a| Abstract one.\n1\t0\t5\tTitle\tDiseaseClass\tD1\n\n"
        "2|t|Title two.\n\n3|a|Abstract three.\n\n1|t|Title one.\n1|a|Abstract one.\n",
        encoding="utf-8",
    )
    items = list(_loader(tmp_path).records("train"))
    assert items[0].text_2 == "Title one." and items[0].text_1 == "Abstract one."
    assert all(isinstance(r, Reject) and r.file.endswith("NCBItrainset_corpus.txt") for r in items[1:])
    assert [(r.record, r.line, r.field) for r in items[1:]] == [("2", 6, "abstract"), ("3", 8, "title"), ("1", 10, "pmid")]
