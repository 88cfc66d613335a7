"""The BigBio adapter on tiny exports in BigBio's exact field layout (kb Parquet, qa/text/pairs/t2t/te JSONL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from biocurate.errors import BiocurateError, LoaderError
from biocurate.inventory import find_rows
from biocurate.loaders import Reject, all_loaders
from biocurate.loaders.bigbio_adapter import (
    NULL, BigBioAdapter, adapter_loader, adapter_names, bigbio_files, bigbio_loader, fallback_loader,
    records_from_dataset, resolve_loader,
)
from biocurate.schemas import KBRecord, QARecord, TranslationRecord
from biocurate.validate import validate_stream

TITLE = "Naloxone reverses the antihypertensive effect of clonidine."
ABSTRACT = "In rats, naloxone blocked the effect."
START = len(TITLE) + 1


def kb_row(doc: str, document_id: str = "227508", **override: Any) -> dict[str, Any]:
    """One BigBio kb example: two passages, entities with links, an event, a coreference, a relation."""
    row = {
        "id": doc,
        "document_id": document_id,
        "passages": [
            {"id": f"{doc}-p0", "type": "title", "text": [TITLE], "offsets": [[0, len(TITLE)]]},
            {"id": f"{doc}-p1", "type": "abstract", "text": [ABSTRACT], "offsets": [[START, START + len(ABSTRACT)]]},
        ],
        "entities": [
            {"id": f"{doc}-e0", "type": "Chemical", "text": ["Naloxone"], "offsets": [[0, 8]],
             "normalized": [{"db_name": "MESH", "db_id": "D009270"}]},
            {"id": f"{doc}-e1", "type": "Chemical", "text": ["clonidine"], "offsets": [[49, 58]],
             "normalized": [{"db_name": "MESH", "db_id": NULL}]},
            {"id": f"{doc}-e2", "type": "Chemical", "text": ["naloxone"], "offsets": [[START + 9, START + 17]], "normalized": []},
        ],
        "events": [
            {"id": f"{doc}-v0", "type": "Negative_regulation", "trigger": {"text": ["reverses"], "offsets": [[9, 17]]},
             "arguments": [{"role": "Theme", "ref_id": f"{doc}-e1"}]},
        ],
        "coreferences": [{"id": f"{doc}-c0", "entity_ids": [f"{doc}-e0", f"{doc}-e2"]}],
        "relations": [{"id": f"{doc}-r0", "type": "CID", "arg1_id": f"{doc}-e0", "arg2_id": f"{doc}-e1", "normalized": []}],
    }
    row.update(override)
    return row


QA_ROWS = [
    {"id": "0", "question_id": NULL, "document_id": "pm1", "question": "Does naloxone reverse clonidine?", "type": "yesno",
     "choices": ["yes", "no", "maybe"], "context": "Naloxone reverses ...", "answer": ["yes"]},
    {"id": "1", "question_id": "q1", "document_id": NULL, "question": "Why do cells divide?", "type": "why",
     "choices": [], "context": NULL, "answer": ["To grow.", NULL]},
]
TEXT_ROWS = [{"id": "0", "document_id": "d0", "text": "Hallmarks text.", "labels": ["evading growth suppressors", NULL]}]
PAIRS_ROWS = [
    {"id": "0", "document_id": "s0", "text_1": "A cat sat.", "text_2": "A cat was sitting.", "label": "3.8"},
    {"id": "1", "document_id": "s1", "text_1": "Unlabelled.", "text_2": "Pair.", "label": NULL},
]
TE_ROWS = [{"id": "0", "premise": "Aspirin thins blood.", "hypothesis": "Aspirin affects blood.", "label": "entailment"}]
T2T_ROWS = [{"id": "0", "document_id": "nejm-1", "text_1": "也许不能", "text_2": "probably not",
             "text_1_name": "zh", "text_2_name": "en"}]


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows), encoding="utf-8")
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]], schema: str) -> Path:
    datasets = pytest.importorskip("datasets")
    from biocurate.export.bigbio_features import bigbio_features

    path.parent.mkdir(parents=True, exist_ok=True)
    datasets.Dataset.from_list(rows, features=bigbio_features(schema)).to_parquet(str(path))
    return path


def collect(loader: BigBioAdapter, split: str) -> tuple[list[Any], list[Reject]]:
    items = list(validate_stream(loader.records(split), loader.meta))
    return [i for i in items if not isinstance(i, Reject)], [i for i in items if isinstance(i, Reject)]


@pytest.fixture()
def kb_dir(tmp_path: Path) -> Path:
    config = tmp_path / "tiny" / "tiny_bigbio_kb"
    write_parquet(config / "train-00000-of-00001.parquet", [kb_row("0"), kb_row("1", document_id=NULL)], "kb")
    write_parquet(config / "validation-00000-of-00001.parquet", [kb_row("0")], "kb")
    return tmp_path / "tiny"


def test_kb_parquet_in_hub_layout(kb_dir: Path) -> None:
    loader = bigbio_loader("tiny", "kb")(kb_dir)
    assert loader.available_splits() == ["train", "validation"]
    records, rejects = collect(loader, "train")
    assert not rejects and [r.id for r in records] == ["train-0", "train-1"]
    first = records[0]
    assert isinstance(first, KBRecord) and (first.dataset, first.split, first.language) == ("tiny", "train", "en")
    assert first.full_text()[START + 9 : START + 17] == "naloxone"
    assert [(e.text, e.offsets) for e in first.entities] == [(["Naloxone"], [[0, 8]]), (["clonidine"], [[49, 58]]), (["naloxone"], [[START + 9, START + 17]])]
    assert [n.db_id for n in first.entities[0].normalized] == ["D009270"] and first.entities[1].normalized == []  # NULL link dropped
    assert (first.events[0].trigger.text, first.events[0].arguments[0].ref_id) == (["reverses"], "0-e1")
    assert first.relations[0].arg2_id == "0-e1" and first.coreferences[0].entity_ids == ["0-e0", "0-e2"]
    assert records[1].document_id == "1"  # NULL document_id falls back to BigBio's id
    # Ids are unique across splits although BigBio restarts them per split.
    assert [r.id for r in collect(loader, "validation")[0]] == ["validation-0"]


def test_malformed_rows_are_rejected_with_file_row_and_field(tmp_path: Path) -> None:
    bad = kb_row("2", entities=[{"id": "2-e0", "type": "Chemical", "text": ["Naloxone"], "offsets": [[0]], "normalized": []}])
    path = write_parquet(tmp_path / "bad_bigbio_kb_train.parquet", [kb_row("0"), bad], "kb")
    records, rejects = collect(bigbio_loader("bad", "kb")(tmp_path), "train")
    assert len(records) == 1 and len(rejects) == 1
    assert (rejects[0].file, rejects[0].line, rejects[0].record) == (str(path), 2, "2")
    assert rejects[0].field == "entities[0].offsets[0]" and "at least 2 items" in rejects[0].reason

    qa = write_jsonl(tmp_path / "q_bigbio_qa" / "test.jsonl", [QA_ROWS[0], {k: v for k, v in QA_ROWS[1].items() if k != "question"}, "{not json"])
    records, rejects = collect(bigbio_loader("q", "qa")(tmp_path), "test")
    assert len(records) == 1
    assert [(r.file, r.line, r.field) for r in rejects] == [(str(qa), 2, "question"), (str(qa), 3, None)]
    assert "malformed JSON" in rejects[1].reason and rejects[1].stage == "read"


def test_qa_jsonl_and_null_sentinels(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "qa_bigbio_qa_train.jsonl", QA_ROWS)
    records, rejects = collect(bigbio_loader("qa", "qa")(tmp_path), "train")
    assert not rejects
    yesno, free = records
    assert isinstance(yesno, QARecord) and (yesno.question_id, yesno.type, yesno.answer) == ("pm1", "yesno", ["yes"])
    # BigBio lets a loader use its own type word ("why"); without choices or context it is free QA.
    assert (free.type, free.context, free.document_id, free.answer) == ("sqa", "", "1", ["To grow."])


def test_text_pairs_te_and_t2t(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "t" / "t_bigbio_text_train.jsonl", TEXT_ROWS)
    write_jsonl(tmp_path / "p" / "p_bigbio_pairs_test.jsonl", PAIRS_ROWS)
    write_jsonl(tmp_path / "e" / "e_bigbio_te_validation.jsonl", TE_ROWS)
    write_jsonl(tmp_path / "m" / "m_bigbio_t2t" / "train.jsonl", T2T_ROWS)
    text, _ = collect(bigbio_loader("t", "text")(tmp_path / "t"), "train")
    assert text[0].labels == ["evading growth suppressors"]
    pairs, rejects = collect(bigbio_loader("p", "pairs")(tmp_path / "p"), "test")
    assert pairs[0].label == "3.8" and (rejects[0].line, rejects[0].field) == (2, "label")
    te, _ = collect(bigbio_loader("e", "te")(tmp_path / "e"), "validation")
    assert (te[0].premise, te[0].label) == ("Aspirin thins blood.", "entailment")
    plain, _ = collect(bigbio_loader("m", "t2t")(tmp_path / "m"), "train")
    assert (plain[0].text_1_name, plain[0].text_2) == ("zh", "probably not")
    translation, _ = collect(bigbio_loader("m", "translation", languages=["zh", "en"])(tmp_path / "m"), "train")
    assert isinstance(translation[0], TranslationRecord) and translation[0].language == "zh-en"


def test_file_naming_convention(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "x_bigbio_text" / "train.jsonl", TEXT_ROWS)
    write_jsonl(tmp_path / "x_bigbio_text" / "dev.jsonl", TEXT_ROWS)
    write_jsonl(tmp_path / "x_bigbio_text" / "README.jsonl", TEXT_ROWS)  # no split name: ignored
    write_jsonl(tmp_path / "spl_adr_200db_train_bigbio_kb_test.jsonl", [kb_row("0")])  # "train" inside the config name
    write_parquet(tmp_path / "hub" / "y_bigbio_te" / "test" / "0000.parquet", TE_ROWS, "te")  # refs/convert/parquet layout
    found = bigbio_files(tmp_path)
    assert {c: sorted(s) for c, s in found.items()} == {
        "x_bigbio_text": ["train", "validation"], "spl_adr_200db_train_bigbio_kb": ["test"], "y_bigbio_te": ["test"]}
    # The data directory may itself be the config folder.
    assert bigbio_loader("x", "text")(tmp_path / "x_bigbio_text").available_splits() == ["train", "validation"]


def test_several_configs_in_one_folder(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a_bigbio_text_train.jsonl", TEXT_ROWS)
    write_jsonl(tmp_path / "b_bigbio_text_train.jsonl", TEXT_ROWS)
    with pytest.raises(LoaderError, match="several BigBio configs"):
        bigbio_loader("ab", "text")(tmp_path).files_for("train")
    assert bigbio_loader("ab", "text", config="b_bigbio_text")(tmp_path).files_for("train") == [tmp_path / "b_bigbio_text_train.jsonl"]
    with pytest.raises(LoaderError, match="no BigBio text file for split 'test'"):
        bigbio_loader("ab", "text", config="b_bigbio_text")(tmp_path).files_for("test")


def test_in_memory_datasets() -> None:
    datasets = pytest.importorskip("datasets")
    from biocurate.export.bigbio_features import bigbio_features

    dd = datasets.DatasetDict({
        "train": datasets.Dataset.from_list(QA_ROWS, features=bigbio_features("qa")),
        "test": datasets.Dataset.from_list(QA_ROWS[:1], features=bigbio_features("qa")),
    })
    items = list(records_from_dataset(dd, dataset="med_qa_zh"))  # schema from the Features, language from the catalogue
    assert [(r.id, r.split, r.language, r.dataset) for r in items] == [
        ("train-0", "train", "zh", "med_qa_zh"), ("train-1", "train", "zh", "med_qa_zh"), ("test-0", "test", "zh", "med_qa_zh")]
    single = datasets.Dataset.from_list(TE_ROWS, features=bigbio_features("te"))
    assert [r.id for r in records_from_dataset(single, dataset="My Corpus", language="en", split="test")] == ["test-0"]
    with pytest.raises(BiocurateError, match="pass language"):
        list(records_from_dataset(single, dataset="My Corpus"))
    with pytest.raises(BiocurateError, match="cannot tell the BigBio schema"):
        list(records_from_dataset({"train": [{"id": "0"}]}, dataset="x", language="en"))


def test_catalogue_rows_get_generated_loaders_outside_the_registry() -> None:
    names = adapter_names()
    assert names and not any(issubclass(c, BigBioAdapter) for c in all_loaders().values())
    kb_name = next(n for n in names if find_rows(n)[0].bigbio_schema == "kb" and find_rows(n)[0].access == "open")
    row, cls = find_rows(kb_name)[0], adapter_loader(kb_name)
    assert cls is adapter_loader(kb_name.upper().replace("_", "-"))  # cached; case/dash-insensitive
    meta = cls.meta
    assert (meta.name, meta.schema_name, meta.license, meta.homepage) == (row.name, "kb", row.licence, row.homepage)
    assert set(meta.tasks) <= set(row.tasks) | {"ner"} and row.bigbio_config in meta.manual_download
    assert not meta.source_files and cls.bigbio_config == row.bigbio_config
    dua = adapter_loader(next(n for n in names if find_rows(n)[0].access == "dua"))
    assert dua.meta.license == "DUA" and dua.meta.manual_download.startswith("The data needs a data-use agreement")
    assert adapter_loader("CMeEE-V2") is None and adapter_loader("cmedcausal") is None
    assert fallback_loader("CMeEE-V2") is all_loaders()["cmeee"] and fallback_loader("nothing at all") is None


def test_convert_command_through_the_registry_fallback(kb_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # What `biocurate convert` does once loaders/_registry.get_loader falls back to the adapter.
    import biocurate.cli.convert as convert
    from biocurate.cli import main

    name = next(n for n in adapter_names() if find_rows(n)[0].bigbio_schema == "kb")
    (kb_dir / "tiny_bigbio_kb").rename(kb_dir / f"{name}_bigbio_kb")
    monkeypatch.setattr(convert, "get_loader", resolve_loader)
    out = tmp_path / "out.jsonl"
    assert main(["convert", name, "--data-dir", str(kb_dir), "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["dataset"]) for r in rows] == [("train-0", name), ("train-1", name), ("validation-0", name)]
