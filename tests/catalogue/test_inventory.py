"""The bundled catalogue: Taiyi's 140-row inventory + extras, valid keys, and how rows are reached."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from biocurate.errors import BiocurateError
from biocurate.inventory import (
    BIGBIO, BIGBIO_SCHEMAS, MANUAL, NOT_YET, OWN, REACH_KINDS, coverage, find_rows, load_catalogue, reach_of, read_catalogue,
)
from biocurate.licence_map import normalise_licence
from biocurate.licenses import LICENCES
from biocurate.tasks import TASKS

ROWS = load_catalogue()
TAIYI = [r for r in ROWS if not r.row.startswith("x-")]


def _fake(name: str, languages: list[str], aliases: list[str] = (), bigbio: str | None = None) -> SimpleNamespace:
    meta = SimpleNamespace(name=name, display_name=name, aliases=list(aliases), bigbio_name=bigbio, languages=languages)
    return SimpleNamespace(meta=meta)


def test_taiyi_inventory_is_complete() -> None:
    assert len(TAIYI) == 140
    assert sum(r.languages == ("zh",) for r in TAIYI) == 38
    assert sum(r.languages == ("en",) for r in TAIYI) == 102
    assert [r.row for r in TAIYI[:2]] == ["zh-1", "zh-2"] and TAIYI[-1].row == "en-102"
    bc5cdr = find_rows("bc5cdr")[0]
    assert (bc5cdr.tasks_taiyi, bc5cdr.size, bc5cdr.taiyi_v1_sft_counts) == ("NER/NEN,RE", "Train:500; Dev:500; Test:500", "NER:650; RE:500")
    assert (bc5cdr.licence_source, bc5cdr.licence, bc5cdr.bigbio_config) == ("PUBLIC_DOMAIN_MARK_1p0", "PDM-1.0", "bc5cdr_bigbio_kb")


def test_extras_are_taiyis_other_sft_sources() -> None:
    extras = {r.name for r in ROWS if r.row.startswith("x-")}
    assert extras == {
        "zhiwang_mt", "zhiwang_ds_zh", "zhiwang_ds_en", "cdr_jnlpba_ner", "icliniq_chatdoctor", "icliniq_chatgpt",
        "icliniq_icliniq", "belle_cot_cn", "gsm8k", "moss_003_sft_data",
    }
    assert "Inferred" in find_rows("moss-003-sft-data")[0].note


def test_every_row_carries_valid_keys() -> None:
    assert len({r.name for r in ROWS}) == len(ROWS)
    for row in ROWS:
        assert row.licence in LICENCES, row.row
        assert all(t in TASKS for t in row.tasks), row.row
        assert row.bigbio_schema in ("", *BIGBIO_SCHEMAS), row.row
        if row.tasks:
            assert row.schema == TASKS[row.tasks[0]].schema, row.row


def test_exact_licence_keys_not_yet_in_the_controlled_list_fall_back_to_unknown() -> None:
    pending = {r.licence_exact for r in ROWS if r.licence_exact and r.licence_exact not in LICENCES}
    assert pending <= {"CC-BY-SA-3.0", "CC-BY-2.0", "CC-BY-NC-2.0", "ISC", "NCBI-license"}
    for row in ROWS:
        if row.licence_exact:
            assert row.licence == (row.licence_exact if row.licence_exact in LICENCES else "unknown")


def test_bigbio_coverage_matches_the_inventory() -> None:
    covered = [r for r in TAIYI if r.bigbio in ("loader", "hub link")]
    assert len(covered) == 93 and all(r.bigbio_config for r in covered)
    # BigBio also has three the inventory marks "no"; each says so in its note.
    extra = {r.name for r in TAIYI if r.bigbio == "no" and r.bigbio_config}
    assert extra == {"ask_a_patient", "med_qa_zh", "meddialog_zh"}
    assert all("BigBio" in r.note for r in TAIYI if r.name in extra)
    assert find_rows("genetag")[0].bigbio_config == "genetaggold_bigbio_kb"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Creative Commons Attribution 4.0 International", ("CC-BY-4.0", "CC-BY-4.0")),
        ("CC_BY_4p0", ("CC-BY-4.0", "CC-BY-4.0")),
        ("Data User Agreement", ("DUA", "DUA")),
        ("DUA (local files required)", ("DUA", "DUA")),
        ("License information unavailable", ("unknown", "unknown")),
        ("not given", ("unknown", "unknown")),
        ("—", ("unknown", "unknown")),
        ("Public Domain Mark 1.0", ("PDM-1.0", "PDM-1.0")),
        ("GENIA_PROJECT_LICENSE", ("GENIA-license", "GENIA-license")),
        ("NLM_LICENSE", ("NLM-license", "NLM-license")),
        ("GPL_3p0", ("GPL-3.0-only", "GPL-3.0-only")),
        ("APACHE_2p0", ("Apache-2.0", "Apache-2.0")),
        ("CC_BY_NC_SA_3p0", ("CC-BY-NC-SA-3.0", "CC-BY-NC-SA-3.0")),
        ("Creative Commons Attribution Non Commercial 2.0 Generic", (None, "CC-BY-NC-2.0")),
        ("CC_BY_SA_3p0", (None, "CC-BY-SA-3.0")),
        ("cc-by-nc-4.0", ("CC-BY-NC-4.0", "CC-BY-NC-4.0")),
    ],
)
def test_bigbio_licence_strings_normalise(text: str, expected: tuple[str | None, str]) -> None:
    now, exact = normalise_licence(text)
    assert exact == expected[1]
    assert now == (exact if exact in LICENCES else "unknown")


def test_find_rows_ignores_case_dashes_and_spaces() -> None:
    assert [r.row for r in find_rows("cmeee-v2")] == ["zh-6"]
    assert [r.row for r in find_rows("CHIP CDEE")] == ["zh-2"]
    assert find_rows("no such corpus") == []


def test_reach_kinds_with_a_given_registry() -> None:
    loaders = {"cmeee": _fake("cmeee", ["zh"], ["CMeEE"]), "med_qa": _fake("med_qa", ["en"], ["medqa"], "med_qa")}
    row = find_rows("CMeEE-V2")[0]
    assert reach_of(row, loaders).kind == OWN and reach_of(row, loaders).loader == "cmeee"
    # "medqa" is also Taiyi's name of the Chinese MEDQA row: an English loader must not claim it.
    zh = find_rows("med_qa_zh")[0]
    assert reach_of(zh, loaders).kind == BIGBIO
    assert reach_of(find_rows("anat_em")[0], loaders).kind == BIGBIO
    assert reach_of(find_rows("n2c2_2014_deid")[0], loaders).kind == MANUAL
    assert reach_of(find_rows("zhiwang_mt")[0], loaders).kind == NOT_YET
    assert reach_of(find_rows("cmedcausal")[0], loaders).detail == "registration required; no loader yet"


def test_coverage_counts_add_up() -> None:
    loaders = {"cmeee": _fake("cmeee", ["zh"], ["CMeEE"]), "extra_one": _fake("extra_one", ["en"])}
    cov = coverage(loaders=loaders)
    assert cov["total"] == 150 and sum(cov["by_reach"].values()) == 150
    assert list(cov["by_reach"]) == list(REACH_KINDS)
    assert cov["by_reach"][OWN] == 1 and cov["by_reach"][MANUAL] == 8
    assert sum(sum(c.values()) for c in cov["by_language"].values()) == 150
    assert {k: sum(c.values()) for k, c in cov["by_catalogue_file"].items()} == {"taiyi_datasets": 140, "taiyi_extras": 10}
    assert cov["loaders_outside_catalogue"] == ["extra_one"]


def test_bad_catalogue_rows_are_named(tmp_path: Path) -> None:
    header = (Path(__file__).parents[2] / "biocurate" / "catalogue" / "taiyi_extras.csv").read_text(encoding="utf-8").splitlines()[0]
    good = "x-1,demo,Demo,,en,NER,ner,kb,,http://example.org,,unknown,,open,no,,,,,"
    (tmp_path / "a.csv").write_text(f"{header}\n{good.replace(',unknown,', ',CC-BY-99,')}\n", encoding="utf-8")
    with pytest.raises(BiocurateError, match=r"a\.csv row 'x-1' column 'licence'"):
        read_catalogue(tmp_path)
    (tmp_path / "a.csv").write_text(f"{header}\n{good}\n{good.replace('x-1', 'x-2')}\n", encoding="utf-8")
    with pytest.raises(BiocurateError, match="name 'demo' already used"):
        read_catalogue(tmp_path)
    (tmp_path / "a.csv").write_text(f"{header}\n{good.replace(',ner,', ',ner;parsing,')}\n", encoding="utf-8")
    with pytest.raises(BiocurateError, match="unknown tasks"):
        read_catalogue(tmp_path)
