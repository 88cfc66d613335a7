"""Hand-made gold records for every fine task, zh and en (small, realistic, with awkward items).

``GOLD_CASES[task]`` is a list of ``(record, ViewContext)``. Mentions, pair elements and event
values include the characters that make answers ambiguous (``;``, ``；``, ``，``, ``, ``, ``:``,
``[`` and quotes), and each extraction task has a record with nothing to extract.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from biocurate.schemas import (
    DialogueRecord, Entity, Event, EventArgument, KBRecord, Normalization, PairsRecord, Passage, QARecord, Relation,
    Section, T2TRecord, TERecord, TextRecord, TranslationRecord, Trigger, Turn,
)
from biocurate.templates.views import ViewContext

CMEEE_TYPES = ["疾病", "临床表现", "医疗程序", "医疗设备", "药物", "医学检验项目", "身体", "科室", "微生物类"]


def _span(text: str, piece: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return [start, start + len(piece)]


def kb(
    rid: str,
    language: str,
    text: str,
    entities: list[tuple[str, str]] = (),
    relations: list[tuple[str, int, int]] = (),
    events: list[tuple[str, str, list[tuple[str, str]]]] = (),
    normalized: dict[int, list[tuple[str, str]]] | None = None,
) -> KBRecord:
    """A one-passage KB record; entity ``k`` gets id ``e{k}``, event ``k`` id ``v{k}``.

    Event arguments name an entity id (``e0``), an event id (``v1``) or a value that is not a
    span (``否定``: ``ref_id=""`` with the value in ``text``).
    """
    normalized = normalized or {}
    ents = [
        Entity(
            id=f"e{k}", type=etype, text=[mention], offsets=[_span(text, mention)],
            normalized=[Normalization(db_name=d, db_id=i) for d, i in normalized.get(k, [])],
        )
        for k, (etype, mention) in enumerate(entities)
    ]
    rels = [Relation(id=f"r{k}", type=rtype, arg1_id=f"e{h}", arg2_id=f"e{t}") for k, (rtype, h, t) in enumerate(relations)]
    evs = [
        Event(
            id=f"v{k}", type=etype,
            trigger=Trigger(text=[trigger], offsets=[_span(text, trigger)]) if trigger else Trigger(),
            arguments=[
                EventArgument(role=role, ref_id=ref) if re.fullmatch(r"[ev]\d+", ref) else EventArgument(role=role, ref_id="", text=ref)
                for role, ref in args
            ],
        )
        for k, (etype, trigger, args) in enumerate(events)
    ]
    return KBRecord(
        id=rid, dataset="gold", split="train", language=language, document_id=rid,
        passages=[Passage(id="p0", type="sentence", text=[text], offsets=[[0, len(text)]])],
        entities=ents, relations=rels, events=evs,
    )


def _ner() -> list[tuple[Any, ViewContext]]:
    zh_ctx = ViewContext({"entity_types": CMEEE_TYPES})
    taiyi = "治疗以选用大环内酯类抗生素，沙眼衣原体肺炎也可用磺胺二甲基异唑，年长儿和成人用氟喹诺酮类效果也很好。"
    awkward_zh = "主要病理改变为脑实质和脑膜水肿、充血；微小血管出血（局灶性），“无”字样提示无异常。"
    en_ctx = ViewContext({"entity_types": ["Chemical", "Disease", "Gene"]})
    awkward_en = 'The "miracle" drug aspirin; ibuprofen and [3H]thymidine: none reduced Marfan syndrome, type 1 risk.'
    return [
        (kb("ner-zh-1", "zh", taiyi, [("药物", "大环内酯类抗生素"), ("疾病", "沙眼衣原体肺炎"), ("药物", "磺胺二甲基异唑"), ("药物", "氟喹诺酮类")]), zh_ctx),
        (kb("ner-zh-2", "zh", awkward_zh, [
            ("临床表现", "脑实质和脑膜水肿、充血；微小血管出血"), ("身体", "脑实质"), ("身体", "脑膜"),
            ("疾病", "微小血管出血（局灶性）"), ("临床表现", "无"), ("临床表现", "“无”字样"),
        ]), zh_ctx),
        (kb("ner-zh-empty", "zh", "患者今日精神好。"), zh_ctx),
        (kb("ner-en-1", "en", "Identification of a novel FBN1 gene mutation in a Chinese family with Marfan syndrome.",
            [("Gene", "FBN1"), ("Disease", "Marfan syndrome")]), en_ctx),
        (kb("ner-en-2", "en", awkward_en, [
            ("Chemical", '"miracle" drug'), ("Chemical", "aspirin; ibuprofen"), ("Chemical", "[3H]thymidine"),
            ("Chemical", "none"), ("Disease", "Marfan syndrome, type 1"), ("Chemical", " ibuprofen"),
        ]), en_ctx),
        (kb("ner-en-empty", "en", "Patients were enrolled between 2001 and 2004."), en_ctx),
    ]


def _re() -> list[tuple[Any, ViewContext]]:
    cmeie = "稳定型缺血性心脏疾病@ 已经证明，在临床心力衰竭患者中，伊伐布雷定能够减少因心力衰竭加重而导致的住院治疗和心血管原因导致的死亡。"
    zh_ctx = ViewContext({"relation_types": ["药物治疗", "相关（症状）", "临床表现"]})
    awkward_zh = "小儿肺炎，支原体感染型常表现为咳嗽、发热[持续]，可用阿奇霉素（口服）治疗。"
    ddi = ViewContext({"relation_types": ["ADVISE", "MECHANISM", "EFFECT", "INT"]})
    ddi_text = "Mitotane has been reported to accelerate the metabolism of coumarin-type anticoagulants; warfarin dosing should be checked."
    chemprot = ViewContext({"relation_types": ["CPR:3", "CPR:4", "CPR:9"]})
    cp_text = "1,25-dihydroxyvitamin D3 induced IL-2, IL-4 receptor expression, while [3H]-dopamine uptake by DAT was inhibited."
    return [
        (kb("re-zh-1", "zh", cmeie, [("疾病", "心力衰竭"), ("药物", "伊伐布雷定")], [("药物治疗", 0, 1)]), zh_ctx),
        (kb("re-zh-2", "zh", awkward_zh, [
            ("疾病", "小儿肺炎，支原体感染型"), ("症状", "咳嗽、发热[持续]"), ("药物", "阿奇霉素（口服）"), ("症状", "咳嗽"),
        ], [("临床表现", 0, 1), ("药物治疗", 0, 2), ("临床表现", 0, 3), ("相关（症状）", 3, 1)]), zh_ctx),
        (kb("re-zh-empty", "zh", "患者近日无不适。", [("症状", "不适")]), zh_ctx),
        (kb("re-en-1", "en", ddi_text, [("DRUG", "Mitotane"), ("GROUP", "coumarin-type anticoagulants"), ("DRUG", "warfarin")],
            [("MECHANISM", 0, 1), ("ADVISE", 2, 2)]), ddi),
        (kb("re-en-2", "en", cp_text, [("CHEMICAL", "1,25-dihydroxyvitamin D3"), ("GENE", "IL-2, IL-4 receptor"),
            ("CHEMICAL", "[3H]-dopamine"), ("GENE", "DAT")], [("CPR:3", 0, 1), ("CPR:9", 2, 3), ("CPR:4", 2, 3)]), chemprot),
        (kb("re-en-empty", "en", "Aspirin was given.", [("DRUG", "Aspirin")]), ddi),
    ]


def _ee() -> list[tuple[Any, ViewContext]]:
    cdee = ViewContext(
        {"event_types": ["临床发现事件"], "role_types": ["发生状态", "描述词", "解剖部位"]}, {"trigger": "主体词"},
    )
    zh1 = "患者肛门少量排气，伴腹部持续性胀痛，阵发性加重，无呕吐。"
    zh2 = "查体见右肺上叶大叶性肺炎，hb 65g/L,贫血貌；“无”字样。"
    ge = ViewContext({"event_types": ["Gene_expression", "Positive_regulation", "Binding"], "role_types": ["Theme", "Cause"]})
    en1 = "NF-kappaB p65 was activated, and thrombomodulin expression was stronger after binding of TRAF2 to CD40."
    en2 = "Smad2/3, Smad4 complex formation: induced."
    return [
        (kb("ee-zh-1", "zh", zh1, [("描述词", "少量"), ("解剖部位", "肛门"), ("描述词", "持续性"), ("描述词", "阵发性加重"), ("解剖部位", "腹部")], events=[
            ("临床发现事件", "排气", [("描述词", "e0"), ("解剖部位", "e1")]),
            ("临床发现事件", "胀痛", [("描述词", "e2"), ("描述词", "e3"), ("解剖部位", "e4")]),
            ("临床发现事件", "呕吐", [("发生状态", "否定")]),
        ]), cdee),
        (kb("ee-zh-2", "zh", zh2, [("解剖部位", "右肺上叶"), ("描述词", "大叶性"), ("描述词", "hb 65g/L,贫血貌"), ("描述词", "“无”字样")], events=[
            ("临床发现事件", "肺炎", [("解剖部位", "e0"), ("描述词", "e1")]),
            ("临床发现事件", "贫血", [("描述词", "e2"), ("描述词", "e3")]),
        ]), cdee),
        (kb("ee-zh-empty", "zh", "患者一般情况可。"), cdee),
        (kb("ee-en-1", "en", en1, [("Protein", "NF-kappaB p65"), ("Protein", "thrombomodulin"), ("Protein", "TRAF2"), ("Protein", "CD40")], events=[
            ("Positive_regulation", "activated", [("Theme", "e0")]),
            ("Gene_expression", "expression", [("Theme", "e1")]),
            ("Positive_regulation", "stronger", [("Theme", "v1"), ("Cause", "v3")]),
            ("Binding", "binding", [("Theme", "e2"), ("Theme", "e3")]),
        ]), ge),
        (kb("ee-en-2", "en", en2, [("Protein", "Smad2/3, Smad4 complex")], events=[
            ("Binding", "formation", [("Theme", "e0")]),
            ("Positive_regulation", "", [("Theme", "v0")]),
        ]), ge),
        (kb("ee-en-empty", "en", "No events here."), ge),
    ]


def _nen() -> list[tuple[Any, ViewContext]]:
    cdn = "左膝退变伴游离体"
    bc5 = "Naloxone reverses the antihypertensive effect of clonidine; clonidine: an alpha-agonist."
    return [
        (kb("nen-zh-1", "zh", cdn, [("诊断", cdn)], normalized={0: [("ICD-10", "膝骨关节病"), ("ICD-10", "膝关节游离体")]}), ViewContext()),
        (kb("nen-zh-2", "zh", "2型糖尿病；高血压3级", [("诊断", "2型糖尿病"), ("诊断", "高血压3级")],
            normalized={0: [("ICD-10", "2型糖尿病")], 1: [("ICD-10", "高血压；3级")]}), ViewContext()),
        (kb("nen-en-1", "en", bc5, [("Chemical", "Naloxone"), ("Chemical", "clonidine"), ("Chemical", "clonidine: an alpha-agonist")],
            normalized={0: [("MESH", "D009270")], 1: [("MESH", "D003000")], 2: [("MESH", "D003000"), ("MESH", "D000316")]}), ViewContext()),
    ]


def _text(rid: str, language: str, text: str, labels: list[str]) -> TextRecord:
    return TextRecord(id=rid, dataset="gold", split="train", language=language, document_id=rid, text=text, labels=labels)


QIC = ["病情诊断", "病因分析", "治疗方案", "就医建议", "指标解读", "疾病描述", "后果表述", "注意事项", "功效作用", "医疗费用", "其他"]
HOC = ["sustaining proliferative signaling", "evading growth suppressors", "resisting cell death", "genomic instability and mutation"]
LITCOVID = ["Treatment", "Mechanism", "Prevention", "Case Report", "Diagnosis", "Transmission", "Epidemic Forecasting"]


def _tc() -> list[tuple[Any, ViewContext]]:
    return [
        (_text("tc-zh-1", "zh", "治皮肤病费用大概多少？", ["医疗费用"]), ViewContext({"labels": QIC})),
        (_text("tc-zh-2", "zh", "糖尿病患者空腹血糖偏高怎么办，需要注意什么？", ["治疗方案", "注意事项"]), ViewContext({"labels": QIC})),
        (_text("tc-zh-3", "zh", "年龄≥18岁，吸烟者。", ["症状(患者感受)", "吸烟状况"]),
         ViewContext({"labels": ["症状(患者感受)", "吸烟状况", "年龄", "非上述类型"]})),
        (_text("tc-en-1", "en", "Potential benefits of remdesivir in COVID-19 and how it blocks viral replication.", ["Treatment", "Mechanism"]),
         ViewContext({"labels": LITCOVID})),
        (_text("tc-en-2", "en", "Loss of p53 allows cells to escape apoptosis.", ["resisting cell death", "genomic instability and mutation"]),
         ViewContext({"labels": HOC})),
        (_text("tc-en-empty", "en", "The cohort was followed for five years.", []), ViewContext({"labels": HOC})),
        (_text("tc-en-3", "en", "Will my mask protect me from corona virus?", ["patient"]), ViewContext({"labels": ["patient", "doctor"]})),
    ]


def _pairs() -> list[tuple[Any, ViewContext]]:
    sts_zh = ViewContext({"labels": ["0", "1"]}, {"0": "语义不相同", "1": "语义相同"})
    qqr = ViewContext({"labels": ["0", "1", "2"]}, {"0": "语义无直接关联", "1": "后者是前者的语义子集", "2": "完全一致"})
    sts_en = ViewContext({"labels": ["0", "1"]}, {"0": "dissimilar", "1": "similar"})

    def pair(rid: str, language: str, t1: str, t2: str, label: str) -> PairsRecord:
        return PairsRecord(id=rid, dataset="gold", split="train", language=language, document_id=rid, text_1=t1, text_2=t2, label=label)

    return [
        (pair("sts-zh-1", "zh", "乙肝小二阳会转成小三阳吗？", "乙肝小三阳会不会转成肝硬化、肝癌？", "0"), sts_zh),
        (pair("sts-zh-2", "zh", "吃了罗红霉素头疼", "罗红霉素的副作用", "1"), qqr),
        (pair("sts-en-1", "en", "How can someone's happiness level affect someone's health?", "Can staying happy improve my health?", "1"), sts_en),
        (pair("sts-en-2", "en", "Am I overweight (192.9) for my age (39)?", "What causes a sore throat?", "0"), sts_en),
    ]


def _te() -> list[tuple[Any, ViewContext]]:
    zh = ViewContext({"labels": ["entailment", "neutral", "contradiction"]}, {"entailment": "蕴含", "neutral": "中立", "contradiction": "矛盾"})
    en = ViewContext({"labels": ["entailment", "neutral", "contradiction"]})

    def te(rid: str, language: str, p: str, h: str, label: str) -> TERecord:
        return TERecord(id=rid, dataset="gold", split="train", language=language, premise=p, hypothesis=h, label=label)

    return [
        (te("te-zh-1", "zh", "患者三天前开始发热，最高体温39℃。", "患者有发热症状。", "entailment"), zh),
        (te("te-zh-2", "zh", "患者否认高血压病史。", "患者患有高血压。", "contradiction"), zh),
        (te("te-en-1", "en", "Labs were notable for a creatinine of 2.1.", "The patient has elevated creatinine.", "entailment"), en),
        (te("te-en-2", "en", "The patient was started on heparin.", "The patient has a history of stroke.", "neutral"), en),
    ]


def _mt() -> list[tuple[Any, ViewContext]]:
    def mt(rid: str, zh: str, en: str) -> TranslationRecord:
        return TranslationRecord(id=rid, dataset="gold", split="train", language="zh", document_id=rid,
                                 text_1=zh, text_2=en, text_1_name="zh", text_2_name="en")

    return [
        (mt("mt-1", "也许不能：这些药物的疗效仍有待大规模试验证实。",
            "Probably not: the efficacy of these drugs remains to be confirmed in large trials."), ViewContext()),
        (mt("mt-2", "光动力疗法（PDT）作为一种新兴的肿瘤治疗手段，已广泛应用于临床。",
            "As a new tumor treatment method, photodynamic therapy (PDT) has been widely used in clinical practice."), ViewContext()),
    ]


def qa(rid: str, language: str, question: str, qtype: str, answer: list[str], choices: list[str] = (),
       context: str = "", long_answer: list[str] = ()) -> QARecord:
    return QARecord(id=rid, dataset="gold", split="train", language=language, question_id=rid, document_id=rid,
                    question=question, type=qtype, choices=list(choices), context=context, answer=answer,
                    long_answer=list(long_answer))


def _qa() -> dict[str, list[tuple[Any, ViewContext]]]:
    medqa = ["Ampicillin", "Ceftriaxone", "Ciprofloxacin", "Doxycycline", "Nitrofurantoin"]
    pubmed_ctx = "Aspirin use was associated with a lower risk of colorectal adenoma (RR 0.8; 95% CI 0.7-0.9)."
    return {
        "qa_choice": [
            (qa("qc-en-1", "en", "A 23-year-old pregnant woman at 22 weeks has burning upon urination. Which is the best treatment?",
                "multiple_choice", ["Nitrofurantoin"], medqa), ViewContext()),
            (qa("qc-en-2", "en", "Which of the following is a loop diuretic?", "multiple_choice", ["Furosemide (A. loop)"],
                ["Spironolactone", "Furosemide (A. loop)", "B. Hydrochlorothiazide"], context="Pharmacology, chapter 4."), ViewContext()),
            (qa("qc-zh-1", "zh", "治疗急性心肌梗死最有效的药物是：", "multiple_choice", ["尿激酶"], ["硝酸甘油", "尿激酶", "阿司匹林", "普萘洛尔"]), ViewContext()),
            (qa("qc-zh-2", "zh", "患者男，45岁，上腹痛3天。最可能的诊断是：", "multiple_choice", ["急性胰腺炎"],
                ["急性胃炎", "急性胰腺炎", "胆囊炎；胆石症", "B. 消化性溃疡"], context="血淀粉酶明显升高。"), ViewContext()),
        ],
        "qa_yesno": [
            (qa("qy-en-1", "en", "Does aspirin reduce the risk of colorectal adenoma?", "yesno", ["yes"], ["yes", "no", "maybe"],
                context=pubmed_ctx, long_answer=["Aspirin use lowered the risk."]), ViewContext()),
            (qa("qy-en-2", "en", "Is maybe a reasonable answer?", "yesno", ["maybe"], ["yes", "no", "maybe"], context="Unclear evidence."), ViewContext()),
            (qa("qy-zh-1", "zh", "二甲双胍是否可以降低2型糖尿病患者的心血管风险？", "yesno", ["是"], ["是", "否", "不确定"],
                context="多项研究显示，二甲双胍治疗与心血管事件减少相关。"), ViewContext()),
            (qa("qy-zh-2", "zh", "该研究是否证实了疗效？", "yesno", ["否"], ["是", "否"]), ViewContext()),
        ],
        "qa_context": [
            (qa("qx-en-1", "en", "Which gene is mutated in Marfan syndrome?", "factoid", ["FBN1"], context="Marfan syndrome is caused by mutations in FBN1."), ViewContext()),
            (qa("qx-en-2", "en", "List drugs that inhibit PCSK9.", "list", ["evolocumab", "alirocumab"], context="Evolocumab and alirocumab are PCSK9 inhibitors."), ViewContext()),
            (qa("qx-zh-1", "zh", "黄芪的主要功效是什么？", "cqa", ["补气升阳，固表止汗。"], context="黄芪，味甘，性微温，具有补气升阳、固表止汗的功效。"), ViewContext()),
        ],
        "qa_free": [
            (qa("qf-en-1", "en", "Can Dexilant interfere with sleep?", "sqa",
                ["Dexilant is a proton pump inhibitor; it may cause trouble sleeping in some people.\nTalk to your doctor."]), ViewContext()),
            (qa("qf-zh-1", "zh", "最近肚子总是隐隐作痛，感觉胀胀的，请问是什么回事？", "sqa", ["您好，根据您的描述，您可能患有胃炎。建议尽快就医。"]), ViewContext()),
        ],
    }


def _t2t(rid: str, language: str, text_1: str, text_2: str, names: tuple[str, str], sections: list[tuple[str, str]] = ()) -> T2TRecord:
    return T2TRecord(id=rid, dataset="gold", split="train", language=language, document_id=rid, text_1=text_1, text_2=text_2,
                     text_1_name=names[0], text_2_name=names[1], sections=[Section(name=n, text=t) for n, t in sections])


REPORT_ZH = [
    ("主诉", "咳嗽、流涕。"), ("现病史", "患儿无明显诱因下出现咳嗽、流涕，无恶心呕吐。\n精神状态一般。"), ("辅助检查", "暂无。"),
    ("既往史", ""), ("诊断", "小儿咳嗽。"), ("建议", "口服氨溴索、桔贝合剂；密观。诊断：待复查。"),
]
REPORT_EN = [
    ("Chief complaint", "Headache after computer work."), ("History of present illness", "Paroxysmal headache: worse after screen time."),
    ("Diagnosis", "Eye strain."), ("Advice", "Rest every hour.\nSee a doctor if it persists."),
]


def _gen() -> dict[str, list[tuple[Any, ViewContext]]]:
    dialogue_zh = "患者：小孩受凉了，流清鼻涕，咳嗽。\n医生：宝宝有没有发热？\n患者：没有发热，就是喉咙有一点痛。"
    dialogue_en = "Patient: I get headaches after working at the computer.\nDoctor: Is it constant or does it come and go?"
    return {
        "title_gen": [
            (_t2t("tg-zh-1", "zh", "气管食管瘘是指气管或支气管与食管之间的病理性瘘道。本文综述近年诊断与治疗的主要研究进展。",
                  "气管食管瘘诊断与治疗进展", ("abstract", "title")), ViewContext()),
            (_t2t("tg-en-1", "en", "This paper presents a novel approach for diagnosing diabetes using high-frequency ultrasound.",
                  "Title: a novel approach for diagnosing diabetes using ultrasound", ("abstract", "title")), ViewContext()),
        ],
        "report_gen": [
            (_t2t("rg-zh-1", "zh", dialogue_zh, "\n".join(f"{n}：{t}" for n, t in REPORT_ZH), ("dialogue", "report"), REPORT_ZH), ViewContext()),
            (_t2t("rg-zh-2", "zh", dialogue_zh, "主诉：咳嗽。诊断：上呼吸道感染。", ("dialogue", "report")), ViewContext()),
            (_t2t("rg-en-1", "en", dialogue_en, "\n".join(f"{n}: {t}" for n, t in REPORT_EN), ("dialogue", "report"), REPORT_EN), ViewContext()),
            (_t2t("rg-en-2", "en", dialogue_en, "Eye strain; rest advised.", ("dialogue", "report")), ViewContext()),
        ],
    }


def dialogue(rid: str, language: str, turns: list[tuple[str, str]], context: str = "") -> DialogueRecord:
    return DialogueRecord(id=rid, dataset="gold", split="train", language=language, document_id=rid, context=context,
                          turns=[Turn(role=role, text=text) for role, text in turns])


def _dialogues() -> dict[str, list[tuple[Any, ViewContext]]]:
    plague = [("user", "什么是鼠疫？"), ("assistant", "鼠疫是由鼠疫杆菌引起的传染病。"), ("user", "它有什么预防方法吗？"),
              ("assistant", "避免接触啮齿类动物；勤洗手。"), ("user", "鼠疫常发生在哪些国家？"), ("assistant", "主要分布在亚洲、非洲等地区。")]
    colchicine = [("user", "Do you know colchicine?"), ("assistant", "Colchicine is a medication used to treat gout."),
                  ("user", "Does it have any potential side effects?"), ("assistant", "Yes: nausea, vomiting and diarrhea.")]
    gsm = [("user", "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did she sell altogether?"),
           ("assistant", "In May she sold 48/2 = 24 clips.\nAltogether she sold 48 + 24 = 72 clips.\n#### 72")]
    return {
        "dialogue": [
            (dialogue("dg-zh-1", "zh", plague), ViewContext()),
            (dialogue("dg-zh-2", "zh", [("assistant", "您好，请问有什么可以帮您？"), ("user", "我头疼。"), ("user", "已经两天了。"),
                                         ("assistant", "请问有发热吗？"), ("assistant", "有没有呕吐？")], context="女，32岁"), ViewContext()),
            (dialogue("dg-en-1", "en", colchicine, context="Patient with gout."), ViewContext()),
        ],
        "cot": [
            (dialogue("cot-en-1", "en", gsm), ViewContext()),
            (dialogue("cot-zh-1", "zh", [("user", "小明有5个苹果，吃了2个，又买了3个，现在有几个？"), ("assistant", "5-2=3，3+3=6。\n答案：6个。")]), ViewContext()),
        ],
        "chat": [
            (dialogue("chat-zh-1", "zh", [("user", "你好，介绍一下你自己。"), ("assistant", "你好！我是一个人工智能助手。"),
                                           ("user", "  写一首关于春天的诗  "), ("assistant", "春风拂面……")]), ViewContext()),
            (dialogue("chat-en-1", "en", [("user", "Summarise this in one line."), ("assistant", "Sure: the text is about spring.")],
                      context="Spring is the season after winter."), ViewContext()),
        ],
    }


GOLD_CASES: dict[str, list[tuple[Any, ViewContext]]] = {
    "ner": _ner(), "re": _re(), "ee": _ee(), "nen": _nen(), "tc": _tc(), "sts": _pairs(), "te": _te(), "mt": _mt(),
    **_qa(), **_gen(), **_dialogues(),
}


@pytest.fixture(scope="session")
def gold_cases() -> dict[str, list[tuple[Any, ViewContext]]]:
    """Hand-made gold records per fine task, with the dataset context each needs."""
    return GOLD_CASES
