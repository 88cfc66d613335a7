"""Corrupted copies of the real samples, per raw format: bad bytes, truncation at every record
boundary and inside a record, wrong encodings, out-of-range offsets, duplicate ids, huge lines.

Expected outcomes come from the clean run's items (see :mod:`tests.faults.harness`): the items a
corruption does not touch give exactly their clean records, in order, and each touched item is
rejected with a reason naming file and line, or the file's reader stops with a one-line
LoaderError. No other exception may escape.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .harness import TRIED, Item, assert_located, copy_sample, good_records, items, line_offsets, run

#: (format, dataset, file in its sample folder, kind): ``line`` formats keep every other record
#: when one line is bad; ``json`` formats keep every other element.
FORMATS = [
    ("pubtator", "ncbi_disease", "NCBIdevelopset_corpus.txt", "line"),
    ("pubtator", "bc5cdr", "CDR_sample.PubTator.txt", "line"),
    ("iob", "bc2gm", "devel.tsv", "line"),
    ("tsv", "chemprot", "chemprot_development_abstracts.tsv", "line"),
    ("jsonl", "medmcqa", "dev.json", "line"),
    ("jsonl", "cmeie", "CMeIE_dev.json", "line"),
    ("json-array", "cmeee", "CMeEE_dev.json", "json"),
    ("json-array", "chip_sts", "CHIP-STS_dev.json", "json"),
    ("json-members", "pubmed_qa", "ori_pqal.json", "json"),
]
IDS = [f"{fmt}-{name}" for fmt, name, _, _ in FORMATS]
#: How many items of each file are hit (spread evenly over the file).
PER_FILE = 8


def _hit_items(found: list[Item], path: Path) -> list[Item]:
    """Good items of ``path``, ``PER_FILE`` of them spread over the file."""
    mine = [i for i in found if i.file == str(path) and not i.rejected and i.records and i.first is not None]
    mine.sort(key=lambda i: i.first)
    step = max(1, len(mine) // PER_FILE)
    return mine[::step][:PER_FILE]


def _new(rejects, baseline) -> list:
    """Rejects not in the clean run (compared by file name, line and reason: the folders differ)."""

    def key(r):  # noqa: ANN001, ANN202
        return (Path(r.file).name if r.file else None, r.line, r.reason)

    seen = {key(r) for r in baseline}
    return [r for r in rejects if key(r) not in seen]


def _content_line(data: bytes, offsets: list[int], item: Item, kind: str) -> tuple[int, int]:
    """(line, byte position) inside ``item`` where a byte can be inserted past the record's key:
    json: inside a string value (else a key); lines: after the first tab or ``|`` (else the
    first byte)."""
    lines = range(item.first, (item.last or item.first) + 1)
    markers = ((b'": "', 3), (b'"', 0)) if kind == "json" else ((b"\t", 0), (b"|", 0), (b"", 0))  # past the key
    for marker, skip in markers:
        for line in lines:  # json: inside a string value where there is one, else inside a key
            start = offsets[line - 1]
            end = offsets[line] if line < len(offsets) else len(data)
            found = data.find(marker, start, end)
            if data[start:end].strip() and found != -1:
                return line, found + skip + 1
    raise AssertionError(f"no content line in item at {item.file}:{item.first}")


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Item], object]]:
    out = {}
    for _, name, _, _ in FORMATS:
        folder = copy_sample(name, tmp_path_factory.mktemp("clean") / name)
        out[name] = (folder, items(name, folder), run(name, folder))
    return out


def _copy(clean_folder: Path, tmp_path: Path, tag: str) -> Path:
    import shutil

    dest = tmp_path / tag
    shutil.copytree(clean_folder, dest)
    return dest


@pytest.mark.parametrize(("fmt", "name", "filename", "kind"), FORMATS, ids=IDS)
def test_bad_byte_rejects_only_the_item_it_hits(fmt: str, name: str, filename: str, kind: str, clean, tmp_path: Path) -> None:
    folder, found, baseline = clean[name]
    assert baseline.error is None and baseline.records
    path = folder / filename
    data = path.read_bytes()
    offsets = line_offsets(data)
    hits = _hit_items(found, path)
    assert len(hits) >= min(PER_FILE, 4)
    for k, item in enumerate(hits):
        line, position = _content_line(data, offsets, item, kind)
        work = _copy(folder, tmp_path, f"bad{k}")
        (work / filename).write_bytes(data[:position] + b"\xff" + data[position:])
        outcome = run(name, work)
        TRIED[fmt] += 1
        assert outcome.error is None, outcome.error
        assert outcome.records == good_records(found, except_items=[item])
        (reject,) = _new(outcome.rejects, baseline.rejects)
        assert reject.line == line and reject.file == str(work / filename)
        assert f"byte offset {position}" in reject.reason and "0xff" in reject.reason


@pytest.mark.parametrize(("fmt", "name", "filename", "kind"), FORMATS, ids=IDS)
def test_truncation_at_record_boundaries(fmt: str, name: str, filename: str, kind: str, clean, tmp_path: Path) -> None:
    folder, found, baseline = clean[name]
    path = folder / filename
    data = path.read_bytes()
    offsets = line_offsets(data)
    for k, item in enumerate(_hit_items(found, path)):
        work = _copy(folder, tmp_path, f"cut{k}")
        (work / filename).write_bytes(data[: offsets[item.first - 1]])
        outcome = run(name, work)
        TRIED[fmt] += 1
        lost = [i for i in found if i.file == str(path) and i.first is not None and i.first >= item.first]
        expected = good_records(found, except_items=lost)
        if kind == "json":  # the array/object is left open: the reader stops, naming the file
            if outcome.error is None:  # PubMedQA's loader turns it into a read reject itself
                stops = _new(outcome.rejects, baseline.rejects)  # one per split reading the file
                assert len(stops) == len({i.split for i in found if i.file == str(path)})
                assert all(r.stage == "read" and r.file == str(work / filename) for r in stops)
            else:
                assert str(work / filename) in str(outcome.error)
            assert all(r in expected for r in outcome.records)
            assert [r for r in expected if r in outcome.records] == outcome.records
        else:
            assert outcome.error is None, outcome.error
            assert outcome.records == expected
            for reject in _new(outcome.rejects, baseline.rejects):  # ChemProt: annotations left without their abstract
                assert_located(reject)
                assert reject.field == "pmid" and "no abstract" in reject.reason


@pytest.mark.parametrize(("fmt", "name", "filename", "kind"), FORMATS, ids=IDS)
def test_truncation_inside_a_record(fmt: str, name: str, filename: str, kind: str, clean, tmp_path: Path) -> None:
    folder, found, baseline = clean[name]
    path = folder / filename
    data = path.read_bytes()
    offsets = line_offsets(data)
    for k, item in enumerate(_hit_items(found, path)):
        line, position = _content_line(data, offsets, item, kind)
        end = offsets[line] if line < len(offsets) else len(data)
        cut = (position + end) // 2
        work = _copy(folder, tmp_path, f"mid{k}")
        (work / filename).write_bytes(data[:cut])
        outcome = run(name, work)
        TRIED[fmt] += 1
        before = good_records([i for i in found if i.file == str(path) and i.first is not None and i.first < item.first])
        others = good_records([i for i in found if i.file != str(path)])
        if outcome.error is not None:  # a JSON file left open: the reader stops there, naming it
            assert kind == "json" and str(work / filename) in str(outcome.error)
            kept = before
            assert [r for r in baseline.records if r in outcome.records] == outcome.records  # in order, unchanged
        else:
            kept = before + others
        assert all(r in outcome.records for r in kept)
        extra = [r for r in outcome.records if r not in kept]
        assert len(extra) <= len(item.records)  # the cut item itself, read short, at most
        for reject in _new(outcome.rejects, baseline.rejects):
            assert_located(reject)


#: Chinese corpora re-encoded to GB18030 (as Chinese corpora really ship), English ones to UTF-16
#: with a byte-order mark (which the readers honour); JSON Lines is UTF-8 by definition.
ENCODINGS = {
    "cmeee": "gb18030", "chip_sts": "gb18030", "cmeie": "gb18030",
    "ncbi_disease": "utf-16", "bc5cdr": "utf-16", "bc2gm": "utf-16", "chemprot": "utf-16", "pubmed_qa": "utf-16",
}


def _ascii(record: dict) -> bool:
    return json.dumps(record, ensure_ascii=False).isascii()


@pytest.mark.parametrize(("fmt", "name", "filename", "kind"), [f for f in FORMATS if f[1] in ENCODINGS], ids=[i for i, f in zip(IDS, FORMATS) if f[1] in ENCODINGS])
def test_other_encodings(fmt: str, name: str, filename: str, kind: str, clean, tmp_path: Path) -> None:
    folder, found, baseline = clean[name]
    encoding = ENCODINGS[name]
    work = _copy(folder, tmp_path, "enc")
    data_files = {Path(i.file).name for i in found}  # the run's encoding applies to every file it reads
    assert filename in data_files
    for name_ in data_files:
        text = (folder / name_).read_bytes().decode("utf-8-sig")
        (work / name_).write_bytes(text.encode(encoding))
    TRIED[fmt] += 2
    if encoding == "utf-16":  # a byte-order mark: read right without being told
        assert run(name, work).records == baseline.records
        return
    wrong = run(name, work)  # read as UTF-8: rejected, never a crash, other files untouched
    assert wrong.error is None, wrong.error
    new = _new(wrong.rejects, baseline.rejects)
    hit = [i for i in found if not i.rejected and i.records and not all(_ascii(r) for r in i.records)]
    assert len(new) == len(hit) and all("cannot decode as utf-8" in r.reason for r in new)
    assert wrong.records == good_records(found, except_items=hit)
    assert run(name, work, encoding=encoding).records == baseline.records


@pytest.mark.parametrize(("fmt", "name", "filename", "kind"), [f for f in FORMATS if f[3] == "line"], ids=[i for i, f in zip(IDS, FORMATS) if f[3] == "line"])
def test_huge_line_is_one_reject(fmt: str, name: str, filename: str, kind: str, clean, tmp_path: Path) -> None:
    folder, found, baseline = clean[name]
    work = _copy(folder, tmp_path, "huge")
    data = (folder / filename).read_bytes()
    huge = b"\n\n" + b'{"x": "' + b"a" * (4 << 20) + b'"}\n'
    (work / filename).write_bytes(data + huge)
    outcome = run(name, work)
    TRIED[fmt] += 1
    assert outcome.error is None and outcome.records == baseline.records
    new = _new(outcome.rejects, baseline.rejects)
    assert len(new) == 1 and new[0].line == data.count(b"\n") + 3 and len(new[0].raw or "") <= 600


def test_duplicate_pubtator_pmid_is_a_reject(clean, tmp_path: Path) -> None:
    folder, found, baseline = clean["ncbi_disease"]
    path = folder / "NCBIdevelopset_corpus.txt"
    data = path.read_bytes()
    offsets = line_offsets(data)
    first = [i for i in found if i.file == str(path)][0]
    block = data[offsets[first.first - 1]: offsets[first.last] if first.last < len(offsets) else len(data)]
    work = _copy(folder, tmp_path, "dup")
    (work / path.name).write_bytes(data.rstrip(b"\n") + b"\n\n" + block)
    outcome = run("ncbi_disease", work)
    TRIED["pubtator"] += 1
    assert outcome.records == baseline.records
    (reject,) = _new(outcome.rejects, baseline.rejects)
    pmid = data[: data.index(b"|")].decode().strip()
    assert reject.field == "pmid" and reject.record == pmid and f"first document starts on line {first.first}" in reject.reason


def test_duplicate_cblue_id_is_a_reject(clean, tmp_path: Path) -> None:
    folder, found, baseline = clean["chip_sts"]
    path = folder / "CHIP-STS_dev.json"
    records = json.loads(path.read_text(encoding="utf-8"))
    records.append(dict(records[3], text1="另一个句子"))
    work = _copy(folder, tmp_path, "dup")
    (work / path.name).write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    outcome = run("chip_sts", work)
    TRIED["json-array"] += 1
    assert outcome.records == baseline.records
    (reject,) = _new(outcome.rejects, baseline.rejects)
    assert reject.field == "id" and reject.record == str(records[3]["id"]) and "already used on line" in reject.reason


def test_pubtator_offsets_out_of_range(clean, tmp_path: Path) -> None:
    folder, found, baseline = clean["ncbi_disease"]
    path = folder / "NCBIdevelopset_corpus.txt"
    lines = path.read_bytes().split(b"\n")
    hits = [i for i in found if i.file == str(path) and not i.rejected][:PER_FILE]
    for k, item in enumerate(hits):
        mention = next(n for n in range(item.first, item.last + 1) if lines[n - 1].count(b"\t") >= 4)
        cols = lines[mention - 1].split(b"\t")
        cols[2] = b"99999"
        changed = lines[: mention - 1] + [b"\t".join(cols)] + lines[mention:]
        work = _copy(folder, tmp_path, f"off{k}")
        (work / path.name).write_bytes(b"\n".join(changed))
        outcome = run("ncbi_disease", work)
        TRIED["pubtator"] += 1
        assert outcome.records == good_records(found, except_items=[item])
        (reject,) = _new(outcome.rejects, baseline.rejects)
        assert reject.line == mention and reject.field == "offsets" and "outside the text" in reject.reason


def test_data_after_a_json_array_is_not_ignored(clean, tmp_path: Path) -> None:
    folder, _, _ = clean["cmeee"]
    work = _copy(folder, tmp_path, "tail")
    path = work / "CMeEE_dev.json"
    path.write_bytes(path.read_bytes() + b'\n{"text": "lost"}\n')
    outcome = run("cmeee", work)
    TRIED["json-array"] += 1
    assert outcome.error is not None and "data after the end of the JSON array" in str(outcome.error)
