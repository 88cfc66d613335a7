"""Property-based fuzzing of every raw-format parser (hypothesis), seeded from the real samples.

Each input is a real sample file's opening bytes with random edits (bytes replaced, inserted or
deleted, lines cut, structural characters and undecodable bytes spliced in). Whatever the bytes,
a parser yields its documents or a Malformed naming file and line, and a reader of whole JSON
files raises at most a LoaderError; any other exception is a bug. Also: brat and XML corpora
corrupted document by document keep every other document unchanged.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biocurate.errors import LoaderError
from biocurate.loaders.formats import bioc, brat, ddi_xml, iob, jsonfiles, pubtator, tsv
from biocurate.loaders.formats.common import DecodeFailure, Malformed
from biocurate.sources import samples_dir

from .harness import TRIED, copy_sample, good_records, items, run

SAMPLES = samples_dir()
#: Structural bytes of the formats and bytes no UTF-8 text holds.
SPLICE = [b"\t", b"\n", b"|t|", b"|a|", b'"', b"{", b"}", b"[", b"]", b",", b":", b"<", b">", b"</", b"&", b"\xff", b"\xc3", b"\xe5\xa4", b"\x00", b"\r"]
EXAMPLES = 200


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["replace", "insert", "delete", "cut", "splice"]))
        if op == "replace":
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif op == "cut":
            del data[at:]
        else:
            data[at:at] = draw(st.sampled_from(SPLICE))
    return bytes(data)


def _seed(path: Path, size: int = 3000) -> bytes:
    return path.read_bytes()[:size]


@contextmanager
def _written(data: bytes, name: str) -> Iterator[Path]:
    """``data`` as file ``name`` in a fresh folder, removed afterwards whatever the outcome
    (hypothesis runs one test function many times, so pytest's function-scoped ``tmp_path``
    would be shared by all examples)."""
    with tempfile.TemporaryDirectory(prefix="biocurate-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def _check_stream(stream, allowed: tuple[type, ...], fmt: str) -> None:  # noqa: ANN001
    TRIED[fmt] += 1
    for item in stream:
        assert isinstance(item, allowed + (Malformed,)), type(item)
        if isinstance(item, Malformed):
            assert item.reason and item.file


#: The same inputs every run (a suite others run must not fail at random); set
#: BIOCURATE_FUZZ_RANDOM=1 to explore new ones (and BIOCURATE_FUZZ_EXAMPLES for more of them).
FUZZ = settings(
    max_examples=int(os.environ.get("BIOCURATE_FUZZ_EXAMPLES", EXAMPLES)), deadline=None,
    derandomize=not os.environ.get("BIOCURATE_FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(mutated(_seed(SAMPLES / "NCBI-disease" / "NCBIdevelopset_corpus.txt")))
def test_fuzz_pubtator(data: bytes) -> None:
    with _written(data, "f.PubTator.txt") as path:
        _check_stream(pubtator.iter_pubtator(path), (pubtator.PubTatorDocument,), "pubtator")


@FUZZ
@given(mutated(_seed(SAMPLES / "BC2GM" / "devel.tsv")))
def test_fuzz_iob(data: bytes) -> None:
    with _written(data, "devel.tsv") as path:
        _check_stream(iob.iter_iob(path), (iob.IOBSentence,), "iob")


@FUZZ
@given(mutated(_seed(SAMPLES / "ChemProt" / "chemprot_development_abstracts.tsv")))
def test_fuzz_tsv(data: bytes) -> None:
    with _written(data, "a.tsv") as path:
        TRIED["tsv"] += 1
        for number, cols in tsv.iter_tsv(path):
            assert isinstance(number, int) and (isinstance(cols, DecodeFailure) or all(isinstance(c, str) for c in cols))
        index = tsv.TsvIndex(path)
        for key in index.keys():
            try:
                index.rows(key)
            except DecodeFailure as failure:
                assert failure.line is not None and failure.offset >= 0


@FUZZ
@given(mutated(_seed(SAMPLES / "MedMCQA" / "dev.json")))
def test_fuzz_jsonl(data: bytes) -> None:
    with _written(data, "dev.jsonl") as path:
        TRIED["jsonl"] += 1
        for number, obj in jsonfiles.iter_jsonl(path):
            assert isinstance(number, int)
            if isinstance(obj, str):
                obj.encode("utf-8")  # no lone surrogate reaches a record


def _no_surrogates(value: object) -> None:
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, dict):
        for k, v in value.items():
            _no_surrogates(k)
            _no_surrogates(v)
    elif isinstance(value, list):
        for v in value:
            _no_surrogates(v)


@FUZZ
@given(mutated(_seed(SAMPLES / "CMeEE" / "CMeEE_dev.json")))
def test_fuzz_json_array(data: bytes) -> None:
    with _written(data, "CMeEE_dev.json") as path:
        TRIED["json-array"] += 1
        try:
            for line, element in jsonfiles.iter_json_array(path):
                assert isinstance(line, int)
                if not isinstance(element, DecodeFailure):
                    _no_surrogates(element)  # an undecodable byte never reaches a value
        except LoaderError as exc:
            assert exc.file == str(path) and exc.line is not None


@FUZZ
@given(mutated(_seed(SAMPLES / "PubMedQA" / "ori_pqal.json", 6000)))
def test_fuzz_json_members(data: bytes) -> None:
    with _written(data, "ori_pqal.json") as path:
        TRIED["json-members"] += 1
        try:
            for line, key, value in jsonfiles.iter_json_members(path):
                assert isinstance(line, int)
                _no_surrogates(key)
                if not isinstance(value, DecodeFailure):
                    _no_surrogates(value)
        except LoaderError as exc:
            assert exc.file == str(path)


def _first_xml(folder: Path) -> Path:
    return sorted(folder.rglob("*.xml"))[0]


@FUZZ
@given(mutated(_seed(_first_xml(SAMPLES / "DDI-2013"), 4000)))
def test_fuzz_ddi_xml(data: bytes) -> None:
    with _written(data, "d.xml") as path:
        _check_stream(ddi_xml.iter_ddi([path]), (ddi_xml.DDIDocument,), "ddi-xml")


@FUZZ
@given(mutated(_seed(SAMPLES / "BC5CDR" / "CDR_sample.gold.BioC.xml", 5000)))
def test_fuzz_bioc(data: bytes) -> None:
    with _written(data, "c.BioC.xml") as path:
        _check_stream(bioc.iter_bioc(path), (bioc.BioCDocument,), "bioc")


GE = SAMPLES / "BioNLP-ST-2011-GE"


@FUZZ
@given(mutated(_seed(GE / "PMID-9616159.ann")), mutated(_seed(GE / "PMID-9616159.txt")))
def test_fuzz_brat(ann: bytes, txt: bytes) -> None:
    with _written(txt, "d.txt") as path:
        path.with_suffix(".ann").write_bytes(ann)
        TRIED["brat"] += 1
        doc = brat.read_brat(path)
        assert isinstance(doc, (brat.BratDocument, Malformed))


def _docs_unchanged_but_one(name: str, folder: Path, corrupt, tmp_path: Path, fmt: str, limit: int = 10) -> None:  # noqa: ANN001
    """Corrupt each of the first ``limit`` documents' files in turn: every other document's
    records are unchanged and the corrupted one is rejected, naming its file."""
    found = items(name, folder)
    baseline = run(name, folder)
    by_file = [i for i in found if not i.rejected and i.records][:limit]
    assert by_file
    for k, item in enumerate(by_file):
        work = tmp_path / f"w{k}"
        shutil.copytree(folder, work)
        target = corrupt(work, Path(item.file))
        outcome = run(name, work)
        TRIED[fmt] += 1
        assert outcome.error is None, outcome.error
        assert outcome.records == good_records(found, except_items=[item])
        names = {Path(r.file).name for r in outcome.rejects if r.file} - {Path(r.file).name for r in baseline.rejects if r.file}
        assert names & {target.name, Path(item.file).name}, (target, outcome.rejects)


def test_brat_documents_corrupted_one_at_a_time(tmp_path: Path) -> None:
    folder = copy_sample("bionlp_st_2011_ge", tmp_path / "ge")

    def bad_txt_byte(work: Path, ann: Path) -> Path:
        target = (work / ann.name).with_suffix(".txt")
        target.write_bytes(b"\xff" + target.read_bytes())
        return target

    def bad_ann_byte(work: Path, ann: Path) -> Path:
        target = work / ann.name
        data = target.read_bytes()
        if b"\t" not in data:  # a document without annotations: its text takes the byte
            return bad_txt_byte(work, ann)
        tab = data.index(b"\t")
        target.write_bytes(data[: tab + 1] + b"\xff" + data[tab + 1:])
        return target

    def span_out_of_range(work: Path, ann: Path) -> Path:
        target = work / ann.name
        lines = target.read_text(encoding="utf-8").split("\n")
        first = next((k for k, line in enumerate(lines) if line.startswith("T")), None)
        if first is None:
            return bad_txt_byte(work, ann)
        ident, head, text = lines[first].split("\t")
        kind, start, _ = head.split(" ")
        lines[first] = f"{ident}\t{kind} {start} 999999\t{text}"
        target.write_text("\n".join(lines), encoding="utf-8")
        return target

    def missing_ann(work: Path, ann: Path) -> Path:
        (work / ann.name).unlink()
        return ann.with_suffix(".txt")

    for corrupt in (bad_txt_byte, bad_ann_byte, span_out_of_range, missing_ann):
        _docs_unchanged_but_one("bionlp_st_2011_ge", folder, corrupt, tmp_path / corrupt.__name__, "brat")


def test_ddi_files_truncated_or_bad_byte_one_at_a_time(tmp_path: Path) -> None:
    folder = copy_sample("ddi_corpus", tmp_path / "ddi")

    def truncated(work: Path, xml: Path) -> Path:
        target = work / xml.relative_to(folder)
        data = target.read_bytes()
        target.write_bytes(data[: len(data) // 2])
        return target

    def bad_byte(work: Path, xml: Path) -> Path:
        target = work / xml.relative_to(folder)
        data = target.read_bytes()
        at = data.index(b'text="') + 6
        target.write_bytes(data[:at] + b"\xff" + data[at:])
        return target

    for corrupt in (truncated, bad_byte):
        _docs_unchanged_but_one("ddi_corpus", folder, corrupt, tmp_path / corrupt.__name__, "ddi-xml")
