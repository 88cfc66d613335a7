"""ParaMed on the real manual-alignment set (12 NEJM documents, align.txt with 1,019 lines)."""

from __future__ import annotations

import re

from biocurate.loaders import Reject, get_loader
from biocurate.loaders.paramed import detok_en, detok_zh
from biocurate.sources import open_loader


def test_counts() -> None:
    loader = open_loader("ParaMed-NEJM-zh-en")
    assert loader.available_splits() == ["train"]
    items = list(loader.records("train"))
    # 1,019 alignments, all status OK; 21 have an 'omitted' side and are skipped; two zh lines
    # are untranslated English (doc3 lines 147 and 190 of align.txt's 311 and 354) and rejected.
    rejects = [r for r in items if isinstance(r, Reject)]
    records = [r for r in items if not isinstance(r, Reject)]
    assert len(records) == 996 and [(r.line, r.field) for r in rejects] == [(311, "zh"), (354, "zh")]
    assert "presented in part" in rejects[0].reason and rejects[0].file.endswith("align.txt")
    assert sum(r.document_id == "doc1" for r in records) == 154


def test_one_to_two_alignment_is_joined_and_detokenised() -> None:
    # align.txt line 18: "doc1<TAB>18 <=> 18,19<TAB>OK" (zh line 18, en lines 18 and 19).
    record = [r for r in open_loader("paramed").records("train") if not isinstance(r, Reject)][17]
    assert (record.text_1_name, record.text_2_name, record.language) == ("zh", "en", "zh")
    assert record.text_1 == (
        "在局部区域晚期鼻咽癌患者中，与单独采用放化疗相比，在放化疗的基础上加用诱导化疗显著提高了患者的无复发生存率和总生存率"
        "（由中国教育部创新团队发展计划等资助；在ClinicalTrials.gov注册号为NCT01872962）。"
    )
    assert record.text_2 == (
        "Induction chemotherapy added to chemoradiotherapy significantly improved recurrence-free survival and overall "
        "survival, as compared with chemoradiotherapy alone, among patients with locoregionally advanced nasopharyngeal "
        "carcinoma. (Funded by the innovation team development plan of the ministry of education and others; "
        "ClinicalTrials.gov number, NCT01872962.)"
    )


def test_detokenisation_rules() -> None:
    assert detok_en("the o &apos;brien @-@ fleming ( 95 % ci ) , in a 1 : 1 ratio ; kaposi &apos;s") == (
        "the o'brien-fleming (95% ci), in a 1:1 ratio; kaposi's"
    )
    assert detok_en("pediatrics &apos; recent &#91; e @-@ pub &#93; &quot; pocket guide &quot; to") == (
        "pediatrics' recent [e-pub] \"pocket guide\" to"
    )
    # URLs, a closing quote after an opening one, a lone @ that is not a Moses joint
    assert detok_en("see https : / / www.nejm.org \" a \" b @ c @x@ d") == 'see https://www.nejm.org "a" b @ cxd'
    # only a token's first character makes it special: ",z" is a word, "' 9" an apostrophe alone
    assert detok_en("it&apos;s a&apos;b ( x ) ,z 5 ' 9 @-@ ( [ @,@ ] \" q") == 'it\'s a\'b (x) ,z 5\' 9-([,] "q'
    # single spaces are segmentation, three spaces are a space of the original text
    assert detok_zh("剂量 为 每平方米 80   mg ， 在 第 1 日 给药 （ kaplan - meier ） 。") == "剂量为每平方米80 mg，在第1日给药（kaplan-meier）。"


def _write(tmp_path, align: str) -> None:
    (tmp_path / "manual_align_input").mkdir()
    (tmp_path / "manual_align_input" / "doc1.zh").write_text("背景\n方法 方法\n", encoding="utf-8")
    (tmp_path / "manual_align_input" / "doc1.en").write_text("background\nmethods\n", encoding="utf-8")
    (tmp_path / "align.txt").write_text(align, encoding="utf-8")


def test_bad_status_range_and_line_are_rejected(tmp_path) -> None:
    _write(tmp_path, "doc1\t1 <=> 1\tOK\ndoc1\t2 <=> 2\tBAD\ndoc1\t3 <=> 2\tOK\ndoc1 2-2\ndoc1\tomitted <=> 2\tOK\n")
    items = list(get_loader("paramed")(tmp_path).records("train"))
    assert [type(i).__name__ for i in items] == ["TranslationRecord", "Reject", "Reject", "Reject"]
    assert items[0].text_1 == "背景" and items[0].text_2 == "Background"
    status, out_of_range, malformed = items[1:]
    assert (status.line, status.field) == (2, "status") and "BAD" in status.reason
    assert (out_of_range.line, out_of_range.field) == (3, "zh") and "doc1.zh (2 lines)" in out_of_range.reason
    assert malformed.line == 4 and malformed.field is None and malformed.file.endswith("align.txt")


def _pairs() -> dict[str, tuple[str, str]]:
    return {r.id: (r.text_1, r.text_2) for r in open_loader("paramed").records("train") if not isinstance(r, Reject)}


def test_source_artefacts_are_cleaned_on_the_real_file() -> None:
    pairs = _pairs()
    # doubled section headings of the zh files ("背景背景") are written once
    assert pairs["train-1"] == ("背景", "Background")
    assert not any(zh[: len(zh) // 2] * 2 == zh and len(zh) >= 4 for zh, _ in pairs.values())
    # reference markers glued to a word on both sides are dropped from both ...
    assert pairs["train-58"] == ("放疗指南见补充附录。", "The guidelines regarding radiotherapy are provided in the Supplementary Appendix.")
    assert "化疗方案；" in pairs["train-25"][0] and "carcinoma and" in pairs["train-25"][1]
    # ... but identifiers with digits stay
    assert "NCT01872962" in pairs["train-17"][0] and "NCT01872962" in pairs["train-17"][1]
    assert "intandem3 ClinicalTrials.gov" in pairs["train-651"][1] and pairs["train-659"][1] == "SGLT2 inhibition decreases renal glucose reabsorption."
    assert sum(en.count("HER2") for _, en in pairs.values()) >= 20
    # markers after a sentence's period, spaced by the tokeniser, with the zh copy after "）"
    assert pairs["train-74"] == ("因此，最终样本量为476例（每组238例患者）。", "This yielded a final sample size of 476 (238 patients per group).")
    assert pairs["train-77"][0].endswith("（主要分析）。") and pairs["train-77"][1].endswith("(primary analysis).")
    # ... and glued to a period, the zh copy with another separator ("domains.5,6" / "机制5-6。")
    assert pairs["train-185"][0].endswith("作用机制。") and pairs["train-185"][1].endswith("binding to different domains.")
    assert not any(re.search(r" \.\d", en) for _, en in pairs.values())


def test_lowercased_text_is_cased_where_it_is_not_a_guess() -> None:
    pairs = _pairs()
    zh, en = pairs["train-119"]
    assert "(95% CI, 70.4 to 81.5)" in en and "P = 0.001) (Table 2 and Figure 2A)." in en
    assert "（95% CI，70.4%～81.5%）" in zh and "P=0.001" in zh
    assert pairs["train-967"] == ("许多HIV感染人群的吸烟率远高于一般人群，而肺癌是最常见的癌症相关性死亡原因之一。",
                                  "Smoking prevalence is substantially higher in many HIV-infected populations than in the general "
                                  "public, and lung cancer is one of the most common causes of cancer-related mortality.")
    assert "stage III to IVB disease" in pairs["train-44"][1] and "; i.e., those with" in pairs["train-44"][1]
    assert "Mantel-Haenszel" in pairs["train-429"][0] and "Mantel-Haenszel test" in pairs["train-429"][1]
    # words that are not abbreviations stay as the source has them
    assert "the mychoice HRD test (myriad genetics)" in pairs["train-531"][1]
    # every sentence of an n:m pair starts upper case (after a period, unless it ends an abbreviation)
    starts = [m for _, en in pairs.values() for m in re.finditer(r"(\S+)\. \(?[a-z]", en)
              if m[1].lower().lstrip("(") not in ("vs", "al", "fig", "i.e", "e.g", "u.s") and len(m[1]) > 1]
    assert not starts, [m.string[max(0, m.start() - 30): m.end() + 10] for m in starts[:3]]


def test_every_zh_side_has_chinese() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert all(cjk.search(zh) and not cjk.search(en) for zh, en in _pairs().values())
