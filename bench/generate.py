"""Benchmark data: raw corpora in their REAL formats, at any size, grown from the bundled excerpts.

Each bundled sample (``biocurate/samples/<Corpus>/``) is a real excerpt of an original corpus.
This script resamples and perturbs those excerpts into a data root that a full export can draw
the 1,001,788 samples of the Taiyi mixture from::

    python bench/generate.py --out /tmp/bench-data --scale 1.0

``--scale 1`` writes about 1.07 M raw records (enough for every target after dedup); other
scales multiply every row count. The original excerpt files are copied beside the generated
ones (dev/test files keep their real content), so evaluation splits stay real and
decontamination has real test items to match.

Perturbations keep every annotation valid and make records distinct (so exact dedup does not
eat them) and mostly dissimilar (so near-dup does not either):

* annotated text (CMeEE, CMeIE, CHIP-CDEE, BC2GM, PubTator, HoC): *splice* the prefix of one
  record and the suffix of another at boundaries no annotation crosses; offsets of the second
  part are shifted, annotations of the cut-away parts dropped;
* brat (BioNLP-ST GE): two documents concatenated, the second one's offsets shifted and ids
  renamed;
* free text (questions, queries, dialogue turns, criteria): clauses drawn from a pool of all
  the excerpts' clauses of the same language are added to the record's own text.

A folder is skipped when its loader is not registered (loaders are added over time); corpora
that cannot grow (BIOSSES has exactly 100 numbered pairs; ChemProt, DrugProt, DDI are used as
shipped) are copied unchanged. See bench/README in docs/benchmarks.md for the mixture.

The sources added later (issue 18: HuatuoGPT, BELLE CoT, Huatuo QA, BenTsao, iCliniq, CMID,
TCM-SD, ... and BigBio-adapter datasets written as BigBio Parquet) come from
``bench/generate_sources.py`` (``NEW_TABLE``), after the folders above; ``--existing-only``
leaves them out. The folders above are written byte for byte as before either way.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from biocurate.loaders import all_loaders

from biocurate.sources import samples_dir
from generate_sources import NEW_TABLE
from loaders.formats.pubtator import PubTatorDocument, iter_pubtator

SAMPLES = samples_dir()
_ZH_CLAUSE = re.compile(r"[^，。；！？,;!?\s]{4,40}")
_EN_SENTENCE = re.compile(r"[A-Z][^.!?\t\r\n]{20,160}[.!?]")


#: Files (and folders mixing splits in one file) holding evaluation items: never drawn into the pool.
_EVAL_FILE = re.compile(r"test|golden|ground_truth", re.IGNORECASE)
_EVAL_FOLDERS = {"PubMedQA", "MedQA-USMLE", "BioASQ-TaskB"}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _sample_strings() -> list[str]:
    """Every string of the bundled excerpts' JSON files and every line of their text files."""
    out: list[str] = []
    for path in sorted(SAMPLES.rglob("*")):
        if path.suffix not in (".json", ".jsonl", ".txt", ".tsv") or path.stat().st_size > 2_000_000:
            continue
        if _EVAL_FILE.search(path.name) or path.parent.name in _EVAL_FOLDERS:
            continue  # evaluation items must not leak into generated training text
        text = path.read_text(encoding="utf-8-sig", errors="ignore")
        if path.suffix in (".json", ".jsonl"):
            try:
                out += _strings(json.loads(text))
            except ValueError:
                for line in text.splitlines():
                    try:
                        out += _strings(json.loads(line))
                    except ValueError:
                        continue
        else:
            out += text.splitlines()
    return out


# ----------------------------------------------------------------------------- helpers


class Pools:
    """Clauses (zh) and sentences (en) from every bundled excerpt, used to perturb free text."""

    def __init__(self) -> None:
        zh: set[str] = set()
        en: set[str] = set()
        for text in _sample_strings():
            for m in _ZH_CLAUSE.findall(text):
                if sum("\u4e00" <= c <= "\u9fff" for c in m) >= len(m) * 0.7:
                    zh.add(m.strip())
            for m in _EN_SENTENCE.findall(text):
                en.add(m.strip())
        self.zh = sorted(x for x in zh if not set(x) & set('"<>|\\'))
        self.en = sorted(x for x in en if not set(x) & set('"<>|\\'))

    def clause(self, rng: random.Random, lang: str = "zh") -> str:
        return rng.choice(self.zh if lang == "zh" else self.en)

    def prefix(self, rng: random.Random, lang: str, k: int = 2) -> str:
        """k pool pieces joined as a lead-in (ends with a separator)."""
        if lang == "zh":
            return "，".join(self.clause(rng, "zh") for _ in range(k)) + "，"
        return " ".join(self.clause(rng, "en") for _ in range(k)) + " "


def cut_points(text: str, spans: list[tuple[int, int]], boundary: str, lo: float, hi: float) -> list[int]:
    """Positions just after a boundary character, inside [lo, hi] of the length, that no span crosses."""
    n = len(text)
    inside = bytearray(n + 1)
    for start, end in spans:
        for i in range(start + 1, min(end, n + 1)):
            inside[i] = 1
    return [i + 1 for i, c in enumerate(text) if c in boundary and lo * n <= i + 1 <= hi * n and not inside[i + 1]]


def splice(rng: random.Random, a: str, a_spans: list, b: str, b_spans: list, boundary: str) -> tuple[str, int, int]:
    """``(text, p, q)``: ``a[:p] + b[q:]`` cut at boundaries no span crosses (whole a + b if none)."""
    pa = cut_points(a, a_spans, boundary, 0.3, 0.8)
    pb = cut_points(b, b_spans, boundary, 0.2, 0.7)
    if pa and pb:
        p, q = rng.choice(pa), rng.choice(pb)
    else:
        p, q = len(a), 0
    return a[:p] + b[q:], p, q


def segments(text: str, spans: list[tuple[int, int]], boundary: str = ". ") -> list[tuple[int, int]]:
    """``[start, end)`` pieces of ``text`` cut after each ``boundary`` that no span crosses."""
    cuts = [0]
    inside = bytearray(len(text) + 1)
    for start, end in spans:
        for i in range(start + 1, min(end, len(text) + 1)):
            inside[i] = 1
    pos = text.find(boundary)
    while pos != -1:
        cut = pos + len(boundary)
        if not inside[cut] and cut < len(text):
            cuts.append(cut)
        pos = text.find(boundary, pos + 1)
    cuts.append(len(text))
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def distinct(n: int, make: Callable[[], tuple[object, object]]) -> list:
    """``n`` items from ``make() -> (key, item)`` with distinct keys (so exact dedup keeps them)."""
    seen: set = set()
    out: list = []
    tries = 0
    while len(out) < n and tries < 50 * n + 100:
        tries += 1
        key, item = make()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def read_json_array(path: Path) -> list:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def read_jsonl(path: Path, encoding: str = "utf-8") -> list:
    return [json.loads(line) for line in path.read_text(encoding=encoding).splitlines() if line.strip()]


def write_json_array(path: Path, items: list, indent: int | None = 2) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(items, ensure_ascii=False, indent=indent))


def write_jsonl(path: Path, items: list) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


def copy_sample(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, dirs_exist_ok=True)


# ----------------------------------------------------------------------------- CBLUE family


def gen_cmeee(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    base = [r for r in read_json_array(src / "CMeEE_dev.json") if r.get("entities")]

    def one() -> tuple[str, dict]:
        a, b = rng.choice(base), rng.choice(base)
        a_sp = [(e["start_idx"], e["end_idx"] + 1) for e in a["entities"]]
        b_sp = [(e["start_idx"], e["end_idx"] + 1) for e in b["entities"]]
        text, p, q = splice(rng, a["text"], a_sp, b["text"], b_sp, "，。；,;")
        ents = [dict(e) for e in a["entities"] if e["end_idx"] < p]
        for e in b["entities"]:
            if e["start_idx"] >= q:
                ents.append({**e, "start_idx": e["start_idx"] - q + p, "end_idx": e["end_idx"] - q + p})
        assert all(text[e["start_idx"]: e["end_idx"] + 1] == e["entity"] for e in ents)
        return text, {"text": text, "entities": ents}

    write_json_array(dst / "CMeEE_train.json", distinct(n, one))


def _spo_in(spo: dict, text: str) -> bool:
    return spo["subject"] in text and spo["object"]["@value"] in text


def gen_cmeie(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    base = [r for r in read_jsonl(src / "CMeIE_dev.json") if r.get("spo_list")]

    def one() -> tuple[str, dict]:
        a, b = rng.choice(base), rng.choice(base)
        text, p, q = splice(rng, a["text"], [], b["text"], [], "，。；")
        spo = [s for s in a["spo_list"] if _spo_in(s, a["text"][:p])] + [s for s in b["spo_list"] if _spo_in(s, b["text"][q:])]
        if not spo:
            text, spo = a["text"] + b["text"], a["spo_list"] + b["spo_list"]
        return text, {"text": text, "spo_list": spo}

    write_jsonl(dst / "CMeIE_train.json", distinct(n, one))


def _event_in(event: dict, text: str) -> bool:
    return all(s in text for s in [event["core_name"], *event.get("character", []), *event.get("anatomy_list", [])] if s)


def gen_chip_cdee(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    base = [r for r in read_json_array(src / "CHIP-CDEE_dev.json") if r.get("event")]

    def one() -> tuple[str, dict]:
        a, b = rng.choice(base), rng.choice(base)
        text, p, q = splice(rng, a["text"], [], b["text"], [], "，。；,")
        events = [e for e in a["event"] if _event_in(e, a["text"][:p])] + [e for e in b["event"] if _event_in(e, b["text"][q:])]
        if not events:
            text, events = a["text"] + b["text"], a["event"] + b["event"]
        return text, {"text": text, "event": events}

    out = distinct(n, one)
    for i, rec in enumerate(out):
        rec["id"] = 100000 + i
    write_json_array(dst / "CHIP-CDEE_train.json", [{"id": r["id"], "text": r["text"], "event": r["event"]} for r in out])


def gen_chip_cdn(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    base = read_json_array(src / "CHIP-CDN_dev.json")
    out = []
    for _ in range(n):
        a, b = rng.choice(base), rng.choice(base)
        terms = list(dict.fromkeys(a["normalized_result"].split("##") + b["normalized_result"].split("##")))
        out.append({"text": f"{a['text']}，{b['text']}", "normalized_result": "##".join(terms)})
    write_json_array(dst / "CHIP-CDN_train.json", out)


def _cblue_text(field_names: tuple[str, ...], file_prefix: str, ids: str = "s") -> Callable:
    """CBLUE JSON arrays of short texts: each text field gets the record's own text plus pool clauses."""

    def gen(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
        base = read_json_array(src / f"{file_prefix}_dev.json")
        out = []
        for i in range(n):
            rec = dict(rng.choice(base))
            lead = pools.prefix(rng, "zh", 1)
            for name in field_names:
                rec[name] = lead + rec[name].strip()
            if "id" in rec:
                rec["id"] = f"{ids}{i + 100000}" if isinstance(rec["id"], str) else i + 100000
            out.append(rec)
        write_json_array(dst / f"{file_prefix}_train.json", out)

    return gen


# ----------------------------------------------------------------------------- Chinese QA / dialogue


def gen_chinese_medical_dialogue(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    path = next(src.glob("*.csv"))
    with open(path, encoding="gb18030", newline="") as handle:
        rows = list(csv.DictReader(handle))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["department", "title", "ask", "answer"], lineterminator="\n")
    writer.writeheader()
    for _ in range(n):
        row = dict(rng.choice(rows))
        row["ask"] = pools.prefix(rng, "zh", 3) + row["ask"]
        writer.writerow(row)
    (dst / "内科_bench.csv").write_bytes(buf.getvalue().encode("gb18030"))


def _perturb_first_patient(text: str, lead: str) -> str:
    return text.replace("患者：", "患者：" + lead, 1)


def gen_promptcblue(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    """train.json with IMCS-V2-MRG (1 in 6) and MedDG records; dev/test copied.

    IMCS dialogues are re-composed: the first half of one record's 患者/医生 lines and the
    second half of another's (the report stays the first one's); MedDG histories get pool
    clauses in the first patient utterance and before the reply."""
    base = read_jsonl(src / "train.json") + read_jsonl(src / "dev.json")
    mrg = [r for r in base if r["task_dataset"] == "IMCS-V2-MRG"]
    dg = [r for r in base if r["task_dataset"] == "MedDG"]

    def dialogue_lines(rec: dict) -> tuple[list[str], list[str], list[str]]:
        lines = rec["input"].split("\n")
        idx = [i for i, line in enumerate(lines) if line.startswith(("患者：", "医生："))]
        return lines[: idx[0]], lines[idx[0]: idx[-1] + 1], lines[idx[-1] + 1:]

    def one(i: int) -> tuple[str, dict]:
        rec = dict(rng.choice(mrg if i % 6 == 0 else dg))
        if rec["task_dataset"] == "IMCS-V2-MRG":
            head, lines, tail = dialogue_lines(rec)
            _, other, _ = dialogue_lines(rng.choice(mrg))
            body = lines[: rng.randint(1, max(1, len(lines) // 2))] + other[rng.randint(0, len(other) // 2):]
            rec["input"] = "\n".join(head + body + tail)
        else:
            rec["input"] = _perturb_first_patient(rec["input"], pools.prefix(rng, "zh", 3))
            rec["target"] = pools.clause(rng) + "，" + rec["target"]
        return rec["input"], rec

    counter = iter(range(10**9))
    out = distinct(n, lambda: one(next(counter)))
    for i, rec in enumerate(out):
        rec["sample_id"] = f"train-{9_000_000 + i}"
    write_jsonl(dst / "train.json", out)


def gen_csl(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    """ts/train.tsv (abstract -> title): abstracts re-composed from 3-6 sentences of random
    abstracts; cls_ctg/train.tsv (title -> discipline): titles with a pool clause."""
    ts = [line.split("\t") for line in (src / "ts" / "dev.tsv").read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = [x for row in ts for x in re.findall(r"[^。；]+[。；]?", row[1]) if len(x) > 8]

    def one_ts() -> tuple[str, str]:
        row = list(rng.choice(ts))
        row[1] = "".join(rng.sample(sentences, rng.randint(3, 6)))
        return row[1], "\t".join(row)

    ctg = [line.split("\t") for line in (src / "cls_ctg" / "dev.tsv").read_text(encoding="utf-8").splitlines() if line.strip()]

    def one_ctg() -> tuple[str, str]:
        row = list(rng.choice(ctg))
        row[1] = pools.prefix(rng, "zh", 1) + row[1]
        return row[1], "\t".join(row)

    for sub, make in (("ts", one_ts), ("cls_ctg", one_ctg)):
        (dst / sub).mkdir(parents=True, exist_ok=True)
        (dst / sub / "train.tsv").write_text("\n".join(distinct(n, make)) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------- general data


def _chat(rng: random.Random, pools: Pools, conv: list[dict]) -> list[dict]:
    lang = "zh" if sum("\u4e00" <= c <= "\u9fff" for c in conv[0]["human"]) * 5 > len(conv[0]["human"]) else "en"
    first = {**conv[0], "human": pools.prefix(rng, lang, 2) + conv[0]["human"]}
    rounds = 1 if rng.random() < 0.7 else 2  # the first one or two rounds of a MOSS conversation
    return [first] + [dict(t) for t in conv[1:rounds]]


def gen_firefly(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools, name: str = "firefly_bench.jsonl") -> None:
    base = read_jsonl(src / "dummy_data.jsonl")
    out = []
    for i in range(n):
        rec = rng.choice(base)
        out.append({"conversation_id": 1_000_000 + i, "category": rec["category"], "conversation": _chat(rng, pools, rec["conversation"]), "dataset": rec["dataset"]})
    write_jsonl(dst / name, out)


def gen_chat_jsonl(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    gen_firefly(src, dst, n, rng, pools, "moss_bench.jsonl")
    for path in dst.glob("dummy_data.jsonl"):
        path.unlink()  # chat_jsonl reads every *.json* file: only the generated one


def gen_gsm8k(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    base = read_jsonl(src / "train.jsonl")
    out = [{**(r := rng.choice(base)), "question": pools.prefix(rng, "en", 2) + r["question"]} for _ in range(n)]
    write_jsonl(dst / "train.jsonl", out)


def gen_chatdoctor(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    base = read_json_array(src / "chatdoctor5k.json")
    out = [{**(r := rng.choice(base)), "input": pools.prefix(rng, "en", 1) + r["input"]} for _ in range(n)]
    text = json.dumps(out, ensure_ascii=False, indent=6).replace("\n", "\r\n")
    (dst / "chatdoctor5k.json").write_text(text, encoding="utf-8", newline="")


# ----------------------------------------------------------------------------- English QA


def gen_med_qa(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    """Vignettes re-composed: the opening sentences of two other questions, then the record's
    own last sentences (its actual question); options and answer are the record's.

    The excerpt is the test split: it seeds the generated train split and is not copied as
    test (otherwise decontamination would rightly drop every generated question)."""
    base = read_jsonl(src / "phrases_no_exclude_test.jsonl")
    split = [re.findall(r"[^.?!]+[.?!]\s*", r["question"]) or [r["question"]] for r in base]

    def one() -> tuple[str, dict]:
        i, j, k = rng.randrange(len(base)), rng.randrange(len(base)), rng.randrange(len(base))
        own = split[i][-max(1, len(split[i]) // 3):]
        question = "".join(split[j][: max(1, len(split[j]) // 3)] + split[k][: max(1, len(split[k]) // 3)] + own).strip()
        return question, {**base[i], "question": question}

    write_jsonl(dst / "phrases_no_exclude_train.jsonl", distinct(n, one))
    (dst / "phrases_no_exclude_test.jsonl").unlink()


def gen_medmcqa(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    base = read_jsonl(src / "dev.json")
    out = []
    for i in range(n):
        r = dict(rng.choice(base))
        r["question"] = pools.prefix(rng, "en", 2) + r["question"]
        r["id"] = f"bench-{i:08d}"
        out.append(r)
    with open(dst / "train.json", "w", encoding="utf-8") as handle:
        for r in out:
            handle.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


def gen_pubmed_qa(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    """New PMIDs (train): a question with a pool lead-in and contexts drawn from all the
    non-test abstracts' context paragraphs (with their section labels)."""
    data = json.loads((src / "ori_pqal.json").read_text(encoding="utf-8"))
    test = set(json.loads((src / "test_ground_truth.json").read_text(encoding="utf-8")))
    base = [r for pmid, r in data.items() if pmid not in test]
    contexts = [(c, label) for r in base for c, label in zip(r["CONTEXTS"], r["LABELS"])]

    def one() -> tuple[str, dict]:
        r = dict(rng.choice(base))
        r["QUESTION"] = pools.prefix(rng, "en", 1) + r["QUESTION"]
        picked = rng.sample(contexts, max(2, len(r["CONTEXTS"])))
        r["CONTEXTS"], r["LABELS"] = [c for c, _ in picked], [label for _, label in picked]
        return r["QUESTION"] + "".join(r["CONTEXTS"]), r

    for i, r in enumerate(distinct(n, one)):
        data[str(90_000_000 + i)] = r
    (dst / "ori_pqal.json").write_text(json.dumps(data, indent=4), encoding="utf-8")


def gen_bioasq(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    base = json.loads((src / "10B6_golden.json").read_text(encoding="utf-8"))["questions"]
    snippets = [s for q in base for s in q["snippets"]]
    out = []
    for i in range(n):
        q = dict(rng.choice(base))
        q["body"] = pools.prefix(rng, "en", 1) + q["body"]
        q["snippets"] = rng.sample(snippets, min(len(snippets), rng.randint(2, 5)))
        q["id"] = f"{i:024x}"
        out.append(q)
    (dst / "training10b_bench_train.json").write_text(json.dumps({"questions": out}, indent=2), encoding="utf-8")
    (dst / "10B6_golden.json").unlink()  # the seed of the train split, not a test set here (see gen_med_qa)


# ----------------------------------------------------------------------------- English IE / TC


def gen_hoc(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    """Abstracts re-composed from the sentences (each with its label field) of random abstracts."""
    docs = []
    for path in sorted((src / "text").glob("*.txt")):
        sentences = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        fields = (src / "labels" / path.name).read_text(encoding="utf-8").split("<")[1:]
        if len(fields) == len(sentences):
            docs.append(list(zip(sentences, fields)))
    pool = [pair for doc in docs for pair in doc]
    (dst / "text").mkdir(parents=True, exist_ok=True)
    (dst / "labels").mkdir(parents=True, exist_ok=True)

    def one() -> tuple[tuple, list]:
        doc = rng.sample(pool, len(rng.choice(docs)))
        return tuple(s for s, _ in doc), doc

    for i, doc in enumerate(distinct(n, one)):
        name = f"{80_000_000 + i}.txt"
        (dst / "text" / name).write_text("\n".join(s for s, _ in doc) + "\n", encoding="utf-8")
        (dst / "labels" / name).write_text("".join("<" + f for _, f in doc), encoding="utf-8")


def gen_bc2gm(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    sentences, cur = [], []
    for line in (src / "devel.tsv").read_text(encoding="utf-8").split("\n"):
        if line.strip():
            cur.append(line)
        elif cur:
            sentences.append(cur)
            cur = []

    def one() -> tuple[str, str]:
        a, b = rng.choice(sentences), rng.choice(sentences)
        ok_a = [i for i in range(len(a) // 3, len(a)) if not a[i].endswith("I-GENE")] or [len(a)]
        ok_b = [i for i in range(max(1, len(b) * 2 // 3)) if not b[i].endswith("I-GENE")] or [0]
        text = "\n".join(a[: rng.choice(ok_a)] + b[rng.choice(ok_b):])
        return text, text

    out = distinct(n, one)
    (dst / "train.tsv").write_text("\n\n".join(out) + "\n\n", encoding="utf-8")


def _pubtator_docs(path: Path) -> list[PubTatorDocument]:
    return [d for d in iter_pubtator(path) if isinstance(d, PubTatorDocument) and d.abstract]


def _write_pubtator(docs: list[tuple[str, str, str, list, list]], path: Path, gap: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for pmid, title, abstract, mentions, relations in docs:
            out.write(f"{pmid}{gap}|t|{gap}{title}\n{pmid}{gap}|a|{gap}{abstract}\n")
            out.writelines("\t".join([pmid, str(m[0]), str(m[1]), *m[2:]]) + "\n" for m in mentions)
            out.writelines("\t".join([pmid, *r]) + "\n" for r in relations)
            out.write("\n")


def _gen_pubtator(src_file: Path, dst_file: Path, n: int, rng: random.Random, gap: str) -> None:
    """Documents re-composed: one document's title (with its mentions), then an abstract of
    4-9 sentences drawn from all abstracts, each sentence with its mentions (offsets moved);
    CID relations of the source documents whose chemical and disease are both mentioned."""
    base = _pubtator_docs(src_file)
    pieces = []  # (sentence, [mention columns with sentence-relative offsets], relations of its doc)
    for d in base:
        t = len(d.title) + 1
        spans = [(m.start - t, m.end - t) for m in d.mentions if m.start >= t]
        for a, b in segments(d.abstract, spans):
            ms = [[m.start - t - a, m.end - t - a, m.text, m.type, m.ids, *m.extra] for m in d.mentions if a <= m.start - t and m.end - t <= b]
            pieces.append((d.abstract[a:b], ms, d.relations))
    out = []
    seen: set[str] = set()
    while len(out) < n and len(seen) < 50 * n:
        head = rng.choice(base)
        t = len(head.title) + 1
        cols = [[m.start, m.end, m.text, m.type, m.ids, *m.extra] for m in head.mentions if m.end <= len(head.title)]
        abstract, rels = "", list(head.relations)
        for sentence, ms, relations in rng.sample(pieces, rng.randint(4, 9)):
            if abstract and not abstract.endswith(" "):
                abstract += " "
            cols += [[m[0] + t + len(abstract), m[1] + t + len(abstract), *m[2:]] for m in ms]
            abstract += sentence
            rels += relations
        abstract = abstract.rstrip()
        if head.title + abstract in seen:
            continue
        seen.add(head.title + abstract)
        typed = {(c[3], x) for c in cols for x in c[4].split("|")}
        keep = [
            [r.type, *r.args] for r in rels
            if r.type != "CID" or (("Chemical", r.args[0]) in typed and ("Disease", r.args[-1]) in typed)
        ]
        out.append((str(70_000_000 + len(out)), head.title, abstract, cols, list(map(list, dict.fromkeys(map(tuple, keep))))))
    _write_pubtator(out, dst_file, gap)


def _moved(m, shift: int):
    return type(m)(m.line, m.start + shift, m.end + shift, m.text, m.type, m.ids, m.extra)


def gen_bc5cdr(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    _gen_pubtator(src / "CDR_sample.PubTator.txt", dst / "CDR_TrainingSet.PubTator.txt", n, rng, "")


def gen_ncbi(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    _gen_pubtator(src / "NCBIdevelopset_corpus.txt", dst / "NCBItrainset_corpus.txt", n, rng, " ")


_BRAT_ID = re.compile(r"\b([TEMRA*N])(\d+)\b")


def gen_bionlp_ge(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    """Documents re-composed from 3-6 sentences of random documents, each sentence with the
    annotations that lie wholly inside it (text-bound spans moved, ids renumbered; an event
    whose arguments leave the sentence is dropped, with the events and modifications that
    refer to it)."""
    pieces = []
    for txt in sorted(src.glob("P*.txt")):
        text = txt.read_text(encoding="utf-8")
        lines = [line.split("\t") for line in txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines() if line.strip()]
        spans = {}
        for parts in lines:
            if parts[0].startswith("T"):
                offs = [int(x) for x in re.findall(r"\d+", parts[1].split(" ", 1)[1])]
                spans[parts[0]] = (min(offs), max(offs))
        for a, b in segments(text, list(spans.values())):
            inside = {tid for tid, (s0, s1) in spans.items() if a <= s0 and s1 <= b}
            kept = [p for p in lines if p[0] in inside]
            refs = {p[0]: _BRAT_REF.findall(p[1]) for p in lines if not p[0].startswith("T")}
            ok = set(inside)
            changed = True
            while changed:  # events/modifications whose references are all kept
                changed = False
                for key, targets in refs.items():
                    if key not in ok and key != "*" and targets and all(t in ok for t in targets):
                        ok.add(key)
                        changed = True
            kept += [p for p in lines if not p[0].startswith("T") and (p[0] in ok or (p[0] == "*" and all(t in ok for t in _BRAT_REF.findall(p[1]))))]
            # a trigger without a kept event would be an entity of an event type: drop it
            trigger_of = {p[0]: _BRAT_REF.findall(p[1])[0] for p in lines if p[0].startswith("E") and _BRAT_REF.findall(p[1])}
            used = {trigger_of[p[0]] for p in kept if p[0] in trigger_of}
            kept = [p for p in kept if not (p[0] in set(trigger_of.values()) - used)]
            pieces.append((text[a:b], a, kept))
    pieces = [p for p in pieces if any(part[0].startswith("E") for part in p[2])] + [p for p in pieces if not any(part[0].startswith("E") for part in p[2])][:200]

    def one() -> tuple[tuple, tuple]:
        picked = tuple(rng.sample(range(len(pieces)), rng.randint(3, 6)))
        return picked, picked

    for i, picked in enumerate(distinct(n, one)):
        text, lines = "", []
        for k, index in enumerate(picked):
            piece, origin, kept = pieces[index]
            if text and not text.endswith((" ", "\n")):
                text += " "
            lines += _brat_moved("\n".join("\t".join(p) for p in kept), len(text) - origin, 1000 * k)
            text += piece
        name = f"PMID-{60_000_000 + i}"
        (dst / f"{name}.txt").write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        (dst / f"{name}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


_BRAT_REF = re.compile(r"\b[TEM]\d+\b")


def _brat_moved(ann: str, shift: int, renumber: int) -> list[str]:
    """brat standoff lines with offsets moved by ``shift`` and ids renumbered by ``renumber``."""
    out = []
    for line in ann.splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        parts[0] = _BRAT_ID.sub(lambda m: f"{m[1]}{int(m[2]) + renumber}", parts[0])
        if parts[0].startswith("T"):
            kind, spans = parts[1].split(" ", 1)
            moved = ";".join(" ".join(str(int(x) + shift) for x in s.split()) for s in spans.split(";"))
            parts[1] = f"{kind} {moved}"
        else:
            parts[1] = _BRAT_ID.sub(lambda m: f"{m[1]}{int(m[2]) + renumber}", parts[1])
        out.append("\t".join(parts))
    return out


def gen_paramed(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    """New documents of 1:1 aligned sentence pairs, each three real pairs joined."""
    pairs = []
    align = (src / "align.txt").read_text(encoding="utf-8").splitlines()
    texts: dict[tuple[str, str], list[str]] = {}
    for line in align:
        doc, rest, _ = line.split("\t")
        zh, en = rest.split(" <=> ")
        if zh.isdigit() and en.isdigit():
            for lang in ("zh", "en"):
                if (doc, lang) not in texts:
                    texts[(doc, lang)] = (src / "manual_align_input" / f"{doc}.{lang}").read_text(encoding="utf-8").splitlines()
            pairs.append((texts[(doc, "zh")][int(zh) - 1], texts[(doc, "en")][int(en) - 1]))
    (dst / "manual_align_input").mkdir(parents=True, exist_ok=True)
    per_doc = 250
    lines_out = []
    pairs = list(dict.fromkeys(pairs))
    joined = distinct(n, lambda: ((k := tuple(rng.sample(range(len(pairs)), 3))), k))
    for d in range((len(joined) + per_doc - 1) // per_doc):
        doc = f"doc{1000 + d}"
        zh_lines, en_lines = [], []
        for k, picked in enumerate(joined[d * per_doc: (d + 1) * per_doc]):
            zh_lines.append(" ".join(pairs[i][0] for i in picked))
            en_lines.append(" ".join(pairs[i][1] for i in picked))
            lines_out.append(f"{doc}\t{k + 1} <=> {k + 1}\tOK")
        (dst / "manual_align_input" / f"{doc}.zh").write_text("\n".join(zh_lines) + "\n", encoding="utf-8")
        (dst / "manual_align_input" / f"{doc}.en").write_text("\n".join(en_lines) + "\n", encoding="utf-8")
    (dst / "align.txt").write_text("\n".join(lines_out) + "\n", encoding="utf-8")


def copy_only(src: Path, dst: Path, n: int, rng: random.Random, pools: Pools) -> None:
    """Corpora used as shipped (they cannot grow, or no target needs more of them)."""


# ----------------------------------------------------------------------------- the table

#: sample folder -> (loaders that read it, generator, raw records written at scale 1).
#: Row counts are sized so that every target of bench/taiyi-v1-bench.yaml is reached after
#: exact dedup, near dedup and decontamination (samples per record vary by template unit).
TABLE: dict[str, tuple[tuple[str, ...], Callable, int]] = {
    "CMeEE": (("cmeee",), gen_cmeee, 28_000),
    "CMeIE": (("cmeie",), gen_cmeie, 26_000),
    "CHIP-CDEE": (("chip_cdee",), gen_chip_cdee, 4_200),
    "CHIP-CDN": (("chip_cdn",), gen_chip_cdn, 3_000),
    "CHIP-CTC": (("chip_ctc",), _cblue_text(("text",), "CHIP-CTC"), 14_000),
    "CHIP-STS": (("chip_sts",), _cblue_text(("text1", "text2"), "CHIP-STS", ""), 20_500),
    "KUAKE-QIC": (("kuake_qic",), _cblue_text(("query",), "KUAKE-QIC"), 14_000),
    "KUAKE-QQR": (("kuake_qqr",), _cblue_text(("query1", "query2"), "KUAKE-QQR"), 20_500),
    "KUAKE-QTR": (("kuake_qtr",), _cblue_text(("query", "title"), "KUAKE-QTR"), 20_500),
    "Chinese-medical-dialogue-data": (("chinese_medical_dialogue",), gen_chinese_medical_dialogue, 136_000),
    "PromptCBLUE-toy": (("imcs_v2_mrg", "meddg"), gen_promptcblue, 21_000),
    "CSL": (("csl", "csl_ctg"), gen_csl, 14_000),
    "ParaMed-NEJM-zh-en": (("paramed",), gen_paramed, 78_000),
    "Firefly-dummy": (("firefly",), gen_firefly, 11_000),
    "chat_jsonl": (("chat_jsonl",), gen_chat_jsonl, 405_000),
    "GSM8K": (("gsm8k",), gen_gsm8k, 59_500),
    "ChatDoctor-GenMedGPT-5k": (("chatdoctor",), gen_chatdoctor, 10_800),
    "MedQA-USMLE": (("med_qa",), gen_med_qa, 15_000),
    "MedMCQA": (("medmcqa",), gen_medmcqa, 15_000),
    "PubMedQA": (("pubmed_qa",), gen_pubmed_qa, 15_000),
    "BioASQ-TaskB": (("bioasq_task_b",), gen_bioasq, 15_000),
    "HoC": (("hallmarks_of_cancer",), gen_hoc, 42_000),
    "BC2GM": (("bc2gm",), gen_bc2gm, 5_000),
    "BC5CDR": (("bc5cdr",), gen_bc5cdr, 18_000),
    "NCBI-disease": (("ncbi_disease", "pubmed_titles"), gen_ncbi, 1_500),
    "BioNLP-ST-2011-GE": (("bionlp_st_2011_ge",), gen_bionlp_ge, 2_600),
    "BIOSSES": (("biosses",), copy_only, 0),
    "ChemProt": (("chemprot",), copy_only, 0),
    "DrugProt": (("drugprot",), copy_only, 0),
    "DDI-2013": (("ddi_corpus",), copy_only, 0),
}


def generate(out: Path, scale: float, seed: int = 0, only: set[str] | None = None, quiet: bool = False,
             existing_only: bool = False) -> dict[str, int]:
    """Write the data root; returns raw records written per folder.

    ``existing_only`` leaves out the folders of :data:`generate_sources.NEW_TABLE` (the sources
    added by issue 18 and the BigBio-adapter datasets), giving the data root of before.
    """
    registered = set(all_loaders())
    pools = Pools()
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    table = {folder: (*row, None) for folder, row in TABLE.items()}
    if not existing_only:
        table.update(NEW_TABLE)
    for folder, (loaders, gen, rows, seed_folder) in table.items():
        if only and folder not in only:
            continue
        if loaders and not any(name in registered for name in loaders):
            if not quiet:
                print(f"skip {folder}: no loader among {loaders}")
            continue
        src = seed_folder or SAMPLES / ("Firefly-dummy" if folder == "chat_jsonl" else folder)
        dst = out / folder
        if dst.exists():
            shutil.rmtree(dst)
        if src.is_dir():  # a BigBio-adapter dataset has no seed folder: its files are all generated
            copy_sample(src, dst)
        else:
            dst.mkdir(parents=True)
        n = max(1, round(rows * scale)) if rows else 0
        started = time.perf_counter()
        gen(src, dst, n, random.Random(f"{seed}|{folder}"), pools)
        written[folder] = n
        if not quiet:
            print(f"{folder:<32} {n:>9,} rows  {time.perf_counter() - started:6.1f} s")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="data root to write (one folder per corpus)")
    parser.add_argument("--scale", type=float, default=1.0, help="row-count multiplier (1.0: enough for the 1,001,788-sample mixture)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", help="comma-separated sample folders to generate")
    parser.add_argument("--existing-only", action="store_true",
                        help="only the folders of before issue 18 (no new sources, no BigBio-adapter datasets)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = generate(args.out, args.scale, args.seed, set(args.only.split(",")) if args.only else None,
                       existing_only=args.existing_only)
    print(f"{sum(written.values()):,} raw records in {args.out} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
