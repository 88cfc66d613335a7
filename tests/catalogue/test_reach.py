"""How the real registry reaches the catalogue: what is left "not yet", and that every large Taiyi source has a way in."""

from __future__ import annotations

import re

from biocurate.cli import main
from biocurate.inventory import NOT_YET, coverage, find_rows, load_catalogue, reach_of
from biocurate.loaders import all_loaders


def _sft_rows(counts: str) -> int:
    """Taiyi's SFT sample count of a row: the sum of the numbers in ``NER:2977; RE:3664``-style cells."""
    return sum(int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", counts.split("(")[0] if "later" in counts else counts))


def test_at_most_ten_rows_not_yet_and_three_chinese() -> None:
    cov = coverage()
    assert cov["by_reach"][NOT_YET] <= 10
    assert cov["by_language"]["zh"][NOT_YET] <= 3


def test_every_released_taiyi_source_of_5000_rows_or_more_is_reachable() -> None:
    loaders = all_loaders()
    big = [r for r in load_catalogue() if r.taiyi_v1_sft_counts and _sft_rows(r.taiyi_v1_sft_counts) >= 5000]
    assert len(big) >= 15
    missing = [r.name for r in big if reach_of(r, loaders).kind == NOT_YET and r.access != "unreleased"]
    assert missing == []
    assert {r.name for r in big if reach_of(r, loaders).kind == NOT_YET} == {"zhiwang_mt", "zhiwang_ds_zh", "zhiwang_ds_en"}


def test_rows_left_are_unreleased_or_behind_an_agreement_or_without_a_format() -> None:
    left = {r.name: r.access for r in load_catalogue() if reach_of(r).kind == NOT_YET}
    assert {n for n, a in left.items() if a not in ("unreleased", "dua")} == {"medical_books_zh"}


def test_list_all_and_info_mark_loaders_written_from_a_description(capsys) -> None:
    assert main(["list", "--all"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("zh-22 "))
    assert "own loader" in line and "[format from description]" in line
    cmid = next(line for line in out.splitlines() if line.startswith("zh-25 "))
    assert "own loader" in cmid and "from description" not in cmid
    assert main(["info", "huatuogpt_sft_data_v1"]) == 0
    assert "format basis: format from description" in capsys.readouterr().out
    assert main(["info", "liveqa"]) == 0
    assert "format basis: real sample" in capsys.readouterr().out
    assert [reach_of(r).loader for r in find_rows("IMCS-V2-MRG")] == ["imcs_v2_mrg_raw"]
