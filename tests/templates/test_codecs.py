"""Answer codecs on real-looking model output: every expected parse is worked out by hand."""

from __future__ import annotations

import random

import pytest

from biocurate.templates.codecs import CODECS
from biocurate.templates.engine import default_store, parse_answer


def parse(fmt: str, text: str, language: str = "zh", **context: object) -> object:
    return CODECS[fmt].parse(text, language, context)


def fmt(name: str, gold: object, language: str = "zh", **context: object) -> str:
    return CODECS[name].format(gold, language, context)


# --- typed mentions (NER) ------------------------------------------------------------------------
NER_TYPES = ["疾病", "药物", "身体"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("疾病：A; B\n药物：C", {"疾病": ["A", "B"], "药物": ["C"]}),
        ("疾病:A;B\n药物:C", {"疾病": ["A", "B"], "药物": ["C"]}),  # half-width
        ("疾病：A；B，C", {"疾病": ["A", "B", "C"]}),  # full-width separators
        ("   疾病 ：  A ;  B  \n\n  药物：C   ", {"疾病": ["A", "B"], "药物": ["C"]}),  # stray spaces and blank lines
        ("药物：C\n疾病：B; A", {"药物": ["C"], "疾病": ["B", "A"]}),  # reordered
        ("疾病：A; A; B\n疾病：B; C", {"疾病": ["A", "B", "C"]}),  # duplicates, repeated line
        ("疾病：A\n这一行没有冒号\n药物：", {"疾病": ["A"]}),  # garbled and empty lines
        ("疾病：无\n药物：C", {"药物": ["C"]}),
        ("无", {}),
        ("None.", {}),
        ("疾病实体：A\n身体类实体：B", {"疾病": ["A"], "身体": ["B"]}),  # PromptCBLUE "<类型>实体："
        ("基因：BRCA1\n疾病：乳腺癌", {"基因": ["BRCA1"], "疾病": ["乳腺癌"]}),  # type outside the label set is kept
        ('疾病："A; B"; C', {"疾病": ["A; B", "C"]}),  # quoted item
        ("疾病：脑实质和脑膜水肿、充血（局灶性）", {"疾病": ["脑实质和脑膜水肿、充血（局灶性）"]}),  # 、 and （） are not separators
        ("上述文本中包含的疾病为：A; B\n药物：C", {"疾病": ["A", "B"], "药物": ["C"]}),  # line form and default form mixed
        ("", {}),
    ],
)
def test_typed_mentions_parse(text: str, expected: dict) -> None:
    assert parse("typed_mentions", text, types=NER_TYPES, line="上述文本中包含的{key}为：{value}") == expected


def test_typed_mentions_english_keys_case_and_plural() -> None:
    text = "disease: Marfan syndrome\nGenes: FBN1; TGFBR2\nChemical : none"
    assert parse("typed_mentions", text, "en", types=["Disease", "Gene", "Chemical"]) == {
        "Disease": ["Marfan syndrome"], "Gene": ["FBN1", "TGFBR2"],
    }


def test_typed_mentions_quotes_only_ambiguous_items() -> None:
    gold = {"疾病": ["A；B", "无", "C，D", "E、F", " G"], "药物": ['"甲"药', "乙"]}
    text = fmt("typed_mentions", gold)
    assert text == '疾病："A；B"; "无"; "C，D"; E、F; " G"\n药物："""甲""药"; 乙'
    assert parse("typed_mentions", text, types=list(gold)) == gold
    assert fmt("typed_mentions", {}, "zh") == "无" and fmt("typed_mentions", {}, "en") == "none"


# --- mentions ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("A; B", ["A", "B"]),
        ("A；B；A", ["A", "B"]),
        ("A\nB", ["A", "B"]),
        ("无", []),
        ("没有相关实体。", []),
        ('"无"', ["无"]),
        ("1,25-dihydroxyvitamin D3; IL-2", ["1,25-dihydroxyvitamin D3", "IL-2"]),  # ASCII commas stay inside items
        ("“阿司匹林”；布洛芬", ["阿司匹林", "布洛芬"]),  # curly quotes from a model
        ("A;; ;B", ["A", "B"]),
        ("   ", []),
    ],
)
def test_mentions_parse(text: str, expected: list) -> None:
    assert parse("mentions", text) == expected


# --- pairs (RE) ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("[A, B]; [C, D]", [["A", "B"], ["C", "D"]]),
        ("【A，B】；【C，D】", [["A", "B"], ["C", "D"]]),
        ("[A,B] [C, D], [A, B]", [["A", "B"], ["C", "D"]]),  # no separator, duplicate
        ("[1,25-D3, VDR]", [["1,25-D3", "VDR"]]),  # a bare comma is not the separator when ", " is there
        ('["A, B", C]; [D, "[3H]-E"]', [["A, B", "C"], ["D", "[3H]-E"]]),
        ("[A]; [, B]", []),  # garbled pairs
        ("[A, B", [["A", "B"]]),  # cut off
        ("无", []),
        ("头实体为心力衰竭，尾实体为伊伐布雷定。", []),  # PromptCBLUE prose is not a pair
    ],
)
def test_pairs_parse(text: str, expected: list) -> None:
    assert parse("pairs", text) == expected


def test_typed_pairs_relation_names_with_colons() -> None:
    text = "CPR:3: [a, b]\nCPR:4：[c，d]; [e, f]\nCPR:9: none\nnoise without pairs"
    expected = {"CPR:3": [["a", "b"]], "CPR:4": [["c", "d"], ["e", "f"]]}
    assert parse("typed_pairs", text, "en", relations=["CPR:3", "CPR:4", "CPR:9"]) == expected
    assert parse("typed_pairs", text, "en") == expected  # without the label set, the colon before "[" splits


def test_typed_pairs_line_form() -> None:
    text = "具有药物治疗关系的实体对如下：[心力衰竭, 伊伐布雷定]\n具有相关(症状)关系的实体对如下:[咳嗽, 发热]"
    context = {"relations": ["药物治疗", "相关（症状）"], "line": "具有{key}关系的实体对如下：{value}"}
    assert parse("typed_pairs", text, **context) == {"药物治疗": [["心力衰竭", "伊伐布雷定"]], "相关（症状）": [["咳嗽", "发热"]]}


def test_pairs_format_quotes_ambiguous_elements() -> None:
    gold = [["1,25-dihydroxyvitamin D3", "IL-2, IL-4 receptor"], ["[3H]-dopamine", "DAT"]]
    text = fmt("pairs", gold, "en")
    assert text == '[1,25-dihydroxyvitamin D3, "IL-2, IL-4 receptor"]; ["[3H]-dopamine", DAT]'
    assert parse("pairs", text, "en") == gold


# --- events (EE) ---------------------------------------------------------------------------------
CDEE = {"trigger_label": "主体词", "roles": ["发生状态", "描述词", "解剖部位"], "event_types": ["临床发现事件"]}


def _ev(trigger: str, type_: str = "临床发现事件", **arguments: list[str]) -> dict:
    return {"type": type_, "trigger": trigger, "arguments": arguments}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("主体词：疼痛；发生状态：否定；描述词：胀痛，持续性；解剖部位：腹",
         [_ev("疼痛", 发生状态=["否定"], 描述词=["胀痛", "持续性"], 解剖部位=["腹"])]),
        ("主体词:疼痛;发生状态:;描述词:胀痛,持续性;解剖部位:腹",  # half-width
         [_ev("疼痛", 描述词=["胀痛", "持续性"], 解剖部位=["腹"])]),
        ("解剖部位：腹；主体词：疼痛", [_ev("疼痛", 解剖部位=["腹"])]),  # reordered slots
        ("主体词：疼痛\n主体词：疼痛\n描述词：少量；解剖部位：肛门", [_ev("疼痛")]),  # duplicate; a line without 主体词
        ("主体词：呕吐；发生状态：否定；部位：胃", [_ev("呕吐", 发生状态=["否定"], 部位=["胃"])]),  # unknown role kept
        ("无", []),
        ("上述句子中的临床发现事件如下：\n主体词：排气；描述词：少量", [_ev("排气", 描述词=["少量"])]),
        ('主体词：贫血；描述词："hb 65g/L,贫血貌"，"“无”字样"', [_ev("贫血", 描述词=["hb 65g/L,贫血貌", "“无”字样"])]),
    ],
)
def test_events_parse_zh(text: str, expected: list) -> None:
    assert parse("events", text, **CDEE) == expected


GE = {"trigger_label": "Trigger", "roles": ["Theme", "Cause"], "event_types": ["Positive_regulation", "Binding"]}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Positive_regulation: (Trigger: activated, Theme: NF-kappaB p65)",
         [_ev("activated", "Positive_regulation", Theme=["NF-kappaB p65"])]),
        ("Binding: (Trigger: binding, Theme: TRAF2, Theme: CD40)", [_ev("binding", "Binding", Theme=["TRAF2", "CD40"])]),
        ("Binding：（Trigger：binding，Theme：TRAF2，Theme：CD40）", [_ev("binding", "Binding", Theme=["TRAF2", "CD40"])]),
        ("Binding: (Trigger: formation, Theme: Smad2/3, Smad4 complex)",  # unquoted comma stays in the value
         [_ev("formation", "Binding", Theme=["Smad2/3, Smad4 complex"])]),
        ("positive_regulation: (trigger: up, theme: IL10, cause: LMP1)",  # case
         [_ev("up", "Positive_regulation", Theme=["IL10"], Cause=["LMP1"])]),
        ("Phosphorylation: (Trigger: phosphorylated, Theme: Stat3)",  # event type outside the label set is kept
         [_ev("phosphorylated", "Phosphorylation", Theme=["Stat3"])]),
        ("Binding: (Trigger: binding, Theme: TRAF2)\nBinding: (Trigger: binding, Theme: TRAF2)\ngarbage",
         [_ev("binding", "Binding", Theme=["TRAF2"])]),
        ("Binding: (Trigger: binding, Theme: TRAF2", [_ev("binding", "Binding", Theme=["TRAF2"])]),  # no closing parenthesis
        ("none", []),
    ],
)
def test_events_parse_en(text: str, expected: list) -> None:
    assert parse("events", text, "en", **GE) == expected


def test_events_format_matches_taiyi_styles() -> None:
    zh = [_ev("疼痛", 发生状态=["否定"], 描述词=["胀痛", "持续性"], 解剖部位=["腹"]), _ev("恶心")]
    assert fmt("events", zh, **CDEE) == "主体词：疼痛；发生状态：否定；描述词：胀痛，持续性；解剖部位：腹\n主体词：恶心；发生状态：；描述词：；解剖部位："
    en = [_ev("binding", "Binding", Theme=["TRAF2", "CD40"]), _ev("", "Positive_regulation", Theme=["binding"])]
    assert fmt("events", en, "en", **GE) == "Binding: (Trigger: binding, Theme: TRAF2, Theme: CD40)\nPositive_regulation: (Trigger: , Theme: binding)"
    several = [_ev("x", "A"), _ev("y", "B")]
    assert fmt("events", several, "zh", trigger_label="触发词", roles=[], event_types=["A", "B"]) == "事件类型：A；触发词：x\n事件类型：B；触发词：y"
    for gold, language, context in [(zh, "zh", CDEE), (en, "en", GE), (several, "zh", {"event_types": ["A", "B"]})]:
        assert parse("events", fmt("events", gold, language, **context), language, **context) == gold
    assert fmt("events", [], "zh") == "无"


# --- labels and label ----------------------------------------------------------------------------
LITCOVID = ["Treatment", "Mechanism", "Prevention", "Case Report"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Treatment; Mechanism", ["Treatment", "Mechanism"]),
        ("Mechanism, Treatment", ["Mechanism", "Treatment"]),  # reordered, commas
        ("treatment；MECHANISM", ["Treatment", "Mechanism"]),  # case, full-width
        ("Treatment; Treatment", ["Treatment"]),
        ("The text is about treatment and case report.", ["Treatment", "Case Report"]),
        ("none", []),
        ("Vaccine", ["Vaccine"]),  # outside the label set: kept as written
        ("", []),
    ],
)
def test_labels_parse(text: str, expected: list) -> None:
    assert parse("labels", text, "en", choices=LITCOVID) == expected


def test_labels_zh_and_label_with_brackets() -> None:
    choices = ["症状(患者感受)", "吸烟状况", "非上述类型"]
    assert parse("labels", "症状（患者感受）；吸烟状况", choices=choices) == ["症状(患者感受)", "吸烟状况"]
    assert parse("labels", "非上述类型", choices=choices) == ["非上述类型"]
    assert parse("labels", "非上述类型", choices=["医疗费用"]) == []
    assert fmt("labels", [], "en", choices=["none", "some"]) == "" and parse("labels", "", "en", choices=["none", "some"]) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("similar", "similar"),
        ("dissimilar", "dissimilar"),
        ("Similar.", "similar"),
        ("The two texts are dissimilar.", "dissimilar"),
        ("  similar  \nbecause both ask about health", "similar"),
        ("no idea", "no idea"),  # outside the label set: kept
        ("", ""),
    ],
)
def test_label_parse(text: str, expected: str) -> None:
    assert parse("label", text, "en", choices=["dissimilar", "similar"]) == expected


def test_label_zh_and_scores() -> None:
    assert parse("label", "语义不相同。", choices=["语义不相同", "语义相同"]) == "语义不相同"
    assert parse("label", "答案：语义相同", choices=["语义不相同", "语义相同"]) == "语义相同"
    assert parse("label", "2.6", "en") == "2.6" and parse("label", "yes.", "en") == "yes"


# --- multiple choice -----------------------------------------------------------------------------
OPTIONS = [["A", "Ampicillin"], ["B", "Ceftriaxone"], ["C", "Ciprofloxacin"], ["D", "Doxycycline"], ["E", "Nitrofurantoin"]]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("B. Ceftriaxone", "B"),
        ("b) Ceftriaxone", "B"),
        ("答案：C", "C"),
        ("The answer is (E).", "E"),
        ("Nitrofurantoin", "E"),
        ("I would give Ceftriaxone.", "B"),
        ("A patient like this needs Nitrofurantoin.", "E"),  # the article "A" is not an option letter
        ("(D)", "D"),
        ("正确答案是 A", "A"),
        ("Z. nothing", ""),
        ("", ""),
    ],
)
def test_choice_parse(text: str, expected: str) -> None:
    assert parse("choice", text, "en", options=OPTIONS) == expected


# --- sections ------------------------------------------------------------------------------------
SECTIONS = ["主诉", "现病史", "辅助检查", "既往史", "诊断", "建议"]


def test_sections_parse_robustly() -> None:
    # preamble dropped, markdown bold and half-width colon read, a repeated section ignored with its lines
    text = "好的，报告如下。\n**主诉**：咳嗽。\n现病史: 三天\n  夜间加重\n诊断：感冒\n诊断：肺炎\n其他：无\n建议：休息"
    assert parse("sections", text, section_names=SECTIONS) == {"主诉": "咳嗽。", "现病史": "三天\n  夜间加重", "诊断": "感冒", "建议": "休息"}


def test_sections_round_trip_with_empty_and_multiline() -> None:
    gold = {"主诉": "咳嗽。", "现病史": "三天。\n夜间加重。", "辅助检查": "", "建议": "多喝水；诊断：待复查。"}
    assert parse("sections", fmt("sections", gold, section_names=list(gold)), section_names=list(gold)) == gold


# --- engine: answer affixes ----------------------------------------------------------------------
def test_parse_answer_cuts_affixes_loosely() -> None:
    store = default_store()
    per_type = store.get("ner-zh-single-type")
    assert parse_answer(per_type, "上述文本中包含的疾病为:A；B", {"type": "疾病", "types": ["疾病"]}) == ["A", "B"]
    assert parse_answer(per_type, "A; B", {"type": "疾病", "types": ["疾病"]}) == ["A", "B"]  # affix left out
    tc = store.get("tc-zh-existing-text")
    assert parse_answer(tc, "好的。上述文本被分类为：医疗费用", {"choices": ["医疗费用", "其他"]}) == ["医疗费用"]
    tc_en = store.get("tc-en-document-triage")
    assert parse_answer(tc_en, "result: patient", {"choices": ["patient", "doctor"]}) == ["patient"]


# --- never slow ---------------------------------------------------------------------------------
def test_codecs_stay_fast_on_pathological_output() -> None:
    import time

    n = 20000
    texts = [" " * n + "x", "疾病：" + "A " * (n // 2), "[" * n, '"' * n, "Trigger: x, " * (n // 12), "主体词：" + "，" * n, "a" * n + ":",
             "answer" + " " * n + "!", "主诉" + " " * n + "x"]
    start = time.perf_counter()
    for codec in CODECS.values():
        for text in texts:
            for context in CONTEXTS:
                codec.parse(text, "zh", context)
    assert time.perf_counter() - start < 20, "a parser backtracks on long runs (quadratic or worse)"


# --- never crash ---------------------------------------------------------------------------------
_ALPHABET = list('[]【】"“”「」:：;；,，、()（）\n \t') + list("AB疾病无none主体词Trigger") + ["CPR:3", "上述", "Theme"]
CONTEXTS = [
    {},
    {"types": NER_TYPES, "line": "上述文本中包含的{key}为：{value}"},
    {"relations": ["CPR:3", "药物治疗"], "line": "具有{key}关系的实体对如下：{value}"},
    {**CDEE},
    {**GE},
    {"choices": LITCOVID, "options": OPTIONS, "section_names": SECTIONS},
]


@pytest.mark.parametrize("name", sorted(CODECS))
def test_codecs_never_raise_on_garbage(name: str) -> None:
    rng = random.Random(name)
    codec = CODECS[name]
    empty_type = type(codec.empty())
    for _ in range(400):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 40)))
        for language in ("zh", "en"):
            for context in CONTEXTS:
                assert isinstance(codec.parse(text, language, context), empty_type)
