"""Bench data for the sources added by issue 18 (used by bench/generate.py, which owns the pools).

Each generator writes the corpus' raw format, grown from its bundled excerpt
(``biocurate/samples/<Corpus>/``) or, where no real excerpt exists, from the loader's
format-description fixture (``tests/fixtures/<name>/``, marked so in ``biocurate info``).
Free-text fields get clauses from the pools of bench/generate.py (``Pools``: the bundled
excerpts' clauses and sentences); annotated text only grows at its end, so offsets stay valid.

Catalogue datasets served by the BigBio adapter (no excerpt: BigBio's Hub data) are written as
BigBio Parquet (``<config>/train-00000-of-00001.parquet``, the adapter's file convention) with
texts from the same pools and each dataset's own label set, as BigBio's script declares it
(bigscience-workshop/biomedical 913327733b): these reach the English ``tc`` and ``pair`` targets
of taiyi-v1, which no hand-written loader covers beyond HoC and BIOSSES.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
_TAG = re.compile(r"^(问|答)[：:]")


class ClausePools(Protocol):
    """What the generators need of bench/generate.py's ``Pools``."""

    def clause(self, rng: random.Random, lang: str = "zh") -> str: ...
    def prefix(self, rng: random.Random, lang: str, k: int = 2) -> str: ...


Generator = Callable[[Path, Path, int, random.Random, ClausePools], None]


def _lead(value: str, lead: str) -> str:
    """``value`` with ``lead`` in front, after a leading 问：/答： tag (HuatuoGPT's turns keep it first)."""
    match = _TAG.match(value)
    return value[: match.end()] + lead + value[match.end():] if match else lead + value


def _grown(value: Any, lead: str) -> Any:
    """The first string inside ``value`` (a string, or nested lists) with ``lead`` put in front."""
    if isinstance(value, str):
        return _lead(value, lead)
    if isinstance(value, list) and value:
        return [_grown(value[0], lead), *value[1:]]
    return value


def _distinct(n: int, make: Callable[[], Any]) -> list:
    seen: set[str] = set()
    out: list = []
    for _ in range(50 * n + 100):
        if len(out) >= n:
            break
        item = make()
        key = json.dumps(item, ensure_ascii=False, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]


def _write_jsonl(path: Path, items: list) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


def records_with_leads(file: str, fields: tuple[str, ...], lang: str = "zh", array: bool = False, k: int = 2,
                       renumber: str | None = None) -> Generator:
    """JSON Lines (or a JSON array) file ``file``: ``n`` records, each a random seed record whose
    ``fields`` start with ``k`` pool clauses (the same clauses for every field of the record);
    ``renumber`` names an id field given a new value per record (xywy's ``_id.$oid``, TCM-SD's
    ``example_id``)."""

    def gen(src: Path, dst: Path, n: int, rng: random.Random, pools: ClausePools) -> None:
        seeds = json.loads((src / file).read_text(encoding="utf-8-sig")) if array else _read_jsonl(src / file)

        def one() -> dict:
            record, lead = dict(rng.choice(seeds)), pools.prefix(rng, lang, k)
            for field in fields:
                if field in record:
                    record[field] = _grown(record[field], lead)
            return record

        items = _distinct(n, one)
        if renumber:
            for i, item in enumerate(items):
                item[renumber] = {"$oid": f"{i:024x}"} if isinstance(item.get(renumber), dict) else str(1_000_000 + i)
        if array:
            (dst / file).write_text(json.dumps(items, ensure_ascii=False, indent=4), encoding="utf-8")
        else:
            _write_jsonl(dst / file, items)

    return gen


def text_with_tail(file: str, field: str) -> Generator:
    """JSON Lines records whose annotated text ``field`` grows only at its end (entity offsets stay
    valid; a ``seg_result`` token list gets the clause as one more token)."""

    def gen(src: Path, dst: Path, n: int, rng: random.Random, pools: ClausePools) -> None:
        seeds = _read_jsonl(src / file)

        def one() -> dict:
            record, tail = dict(rng.choice(seeds)), "，" + pools.clause(rng, "zh") + "，" + pools.clause(rng, "zh")
            record[field] = record[field] + tail
            if isinstance(record.get("seg_result"), list):
                record["seg_result"] = [*record["seg_result"], tail]
            return record

        _write_jsonl(dst / file, _distinct(n, one))

    return gen


def gen_covid_similarity(src: Path, dst: Path, n: int, rng: random.Random, pools: ClausePools) -> None:
    """train.csv (id,category,query1,query2,label): one pool clause before both queries."""
    with open(src / "train.csv", encoding="utf-8-sig", newline="") as handle:
        seeds = list(csv.DictReader(handle))

    def one() -> dict:
        row, lead = dict(rng.choice(seeds)), pools.clause(rng, "zh") + "，"
        return {**row, "query1": lead + row["query1"], "query2": lead + row["query2"]}

    rows = _distinct(n, one)
    with open(dst / "train.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["id", "category", "query1", "query2", "label"])
        writer.writeheader()
        writer.writerows({**row, "id": str(i)} for i, row in enumerate(rows))


def gen_kuake_ir(src: Path, dst: Path, n: int, rng: random.Random, pools: ClausePools) -> None:
    """Train queries, their passages (corpus.tsv) and judgements: each new query a seed query
    after a pool clause, its passage the seed's passage with another clause at the end."""
    queries = dict(line.split("\t", 1) for line in (src / "KUAKE-IR_train_query.txt").read_text(encoding="utf-8").splitlines() if line)
    corpus = dict(line.split("\t", 1) for line in (src / "corpus.tsv").read_text(encoding="utf-8").splitlines() if line)
    judged = [line.split("\t") for line in (src / "KUAKE-IR_train.tsv").read_text(encoding="utf-8").splitlines() if line]
    pairs = _distinct(n, lambda: (lambda q, p: (pools.clause(rng, "zh") + "，" + queries[q], corpus[p] + pools.clause(rng, "zh") + "。"))(*rng.choice(judged)))
    with open(dst / "KUAKE-IR_train_query.txt", "w", encoding="utf-8") as q_out, \
            open(dst / "KUAKE-IR_train.tsv", "w", encoding="utf-8") as j_out, \
            open(dst / "corpus.tsv", "a", encoding="utf-8") as c_out:
        for i, (query, passage) in enumerate(pairs):
            q_out.write(f"{100_000 + i}\t{query}\n")
            c_out.write(f"{900_000 + i}\t{passage}\n")
            j_out.write(f"{100_000 + i}\t{900_000 + i}\n")


# -- BigBio Parquet for adapter datasets -------------------------------------------------------

def _bigbio_parquet(path: Path, rows: list[dict], schema: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    strings = pa.list_(pa.string())
    fields = {
        "text": [("id", pa.string()), ("document_id", pa.string()), ("text", pa.string()), ("labels", strings)],
        "pairs": [("id", pa.string()), ("document_id", pa.string()), ("text_1", pa.string()), ("text_2", pa.string()), ("label", pa.string())],
        "te": [("id", pa.string()), ("premise", pa.string()), ("hypothesis", pa.string()), ("label", pa.string())],
    }[schema]
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=pa.schema(fields)), path)


def bigbio_text(config: str, labels: list[str], multi: bool = False) -> Generator:
    """``<config>/train-00000-of-00001.parquet``: texts of 2-4 pool sentences, one label (or 1-2)."""

    def gen(src: Path, dst: Path, n: int, rng: random.Random, pools: ClausePools) -> None:
        def one() -> dict:
            text = " ".join(pools.clause(rng, "en") for _ in range(rng.randint(2, 4)))
            picked = rng.sample(labels, rng.randint(1, 2)) if multi else [rng.choice(labels)]
            return {"text": text, "labels": picked}

        rows = [{"id": str(i), "document_id": str(i), **row} for i, row in enumerate(_distinct(n, one))]
        _bigbio_parquet(dst / config / "train-00000-of-00001.parquet", rows, "text")

    return gen


def bigbio_pairs(config: str, labels: list[str], schema: str = "pairs") -> Generator:
    """``<config>/train-00000-of-00001.parquet``: two pool sentences and a label of the dataset's set."""

    def gen(src: Path, dst: Path, n: int, rng: random.Random, pools: ClausePools) -> None:
        def one() -> tuple[str, str, str]:
            return pools.clause(rng, "en"), pools.clause(rng, "en"), rng.choice(labels)

        rows = []
        for i, (a, b, label) in enumerate(_distinct(n, one)):
            if schema == "te":
                rows.append({"id": str(i), "premise": a, "hypothesis": b, "label": label})
            else:
                rows.append({"id": str(i), "document_id": str(i), "text_1": a, "text_2": b, "label": label})
        _bigbio_parquet(dst / config / "train-00000-of-00001.parquet", rows, schema)

    return gen


def copy_only(src: Path, dst: Path, n: int, rng: random.Random, pools: ClausePools) -> None:
    """Used as shipped: the category is uncapped and already filled, or the corpus is small."""


#: folder -> (loaders that read it, generator, raw records at scale 1, seed folder or None).
#: Sized so that taiyi-v1 itself (default cap 10,000) reaches every target at scale 1 with the
#: sources of bench/generate.py's TABLE (bench/taiyi_fill.py checks it).
NEW_TABLE: dict[str, tuple[tuple[str, ...], Generator, int, Path | None]] = {
    "huatuogpt_sft_data_v1": (("huatuogpt_sft_data_v1",), records_with_leads("HuatuoGPT_sft_data_v1.jsonl", ("data",)), 104_000, FIXTURES / "huatuogpt_sft_data_v1"),
    "belle_cot_cn": (("belle_cot_cn",), records_with_leads("school_math_0.25M.json", ("instruction",)), 53_000, FIXTURES / "belle_cot_cn"),
    "huatuo_encyclopedia_qa": (("huatuo_encyclopedia_qa",), records_with_leads("train_datasets.jsonl", ("questions",)), 11_000, FIXTURES / "huatuo_encyclopedia_qa"),
    "huatuo_knowledge_graph_qa": (("huatuo_knowledge_graph_qa",), records_with_leads("train_datasets.jsonl", ("questions",)), 11_000, FIXTURES / "huatuo_knowledge_graph_qa"),
    "huatuo_consultation_qa": (("huatuo_consultation_qa",), records_with_leads("train_datasets.jsonl", ("questions",)), 11_000, FIXTURES / "huatuo_consultation_qa"),
    "BenTsao": (("bentsao_llamadata", "bentsao_livercancer"), records_with_leads("llama_data.json", ("instruction",)), 11_000, None),
    "healthcaremagic_100k": (("healthcaremagic_100k",), records_with_leads("HealthCareMagic-100k.json", ("input",), "en", array=True), 11_000, FIXTURES / "healthcaremagic_100k"),
    "iCliniq": (("icliniq_icliniq", "icliniq_chatgpt", "icliniq_chatdoctor"), records_with_leads("iCliniq.json", ("input",), "en", array=True), 11_000, FIXTURES / "iCliniq"),
    "CMID": (("cmid",), text_with_tail("CMID.json", "originalText"), 12_000, None),
    "TCM-SD": (("tcm_sd_tc",), records_with_leads("TCM-SD_data_sample.json", ("chief_complaint",), renumber="example_id"), 12_000, None),
    "covid_similarity": (("covid_similarity",), gen_covid_similarity, 12_000, FIXTURES / "covid_similarity"),
    "KUAKE-IR": (("kuake_ir",), gen_kuake_ir, 12_000, FIXTURES / "KUAKE-IR"),
    "xywy_disease": (("xywy_disease",), records_with_leads("medical.json", ("desc",), renumber="_id"), 9_000, FIXTURES / "xywy_disease"),
    "scicite": ((), bigbio_text("scicite_bigbio_text", ["method", "background", "result"]), 14_000, None),
    "bc7_litcovid": ((), bigbio_text("bc7_litcovid_bigbio_text", ["Epidemic Forecasting", "Treatment", "Prevention", "Mechanism",
                                                                  "Case Report", "Transmission", "Diagnosis"], multi=True), 14_000, None),
    "gad": ((), bigbio_text("gad_fold0_bigbio_text", ["0", "1"]), 14_000, None),
    # GEOKhoj's CSV label column holds the class index of its source ClassLabel (control, perturbation)
    "geokhoj_v1": ((), bigbio_text("geokhoj_v1_bigbio_text", ["0", "1"]), 14_000, None),
    "mqp": ((), bigbio_pairs("mqp_bigbio_pairs", ["0", "1"]), 5_000, None),
    "pubhealth": ((), bigbio_pairs("pubhealth_bigbio_pairs", ["true", "false", "unproven", "mixture"]), 5_000, None),
    "scitail": ((), bigbio_pairs("scitail_bigbio_te", ["entailment", "neutral"], "te"), 5_000, None),
    "CHIP-MDCFNPC": (("chip_mdcfnpc",), copy_only, 0, None),
    "DiaKG": (("diakg",), copy_only, 0, None),
    "LiveQA": (("liveqa",), copy_only, 0, None),
    "MedicationQA": (("medication_qa",), copy_only, 0, None),
    "cMedQA2": (("cmedqa2",), copy_only, 0, FIXTURES / "cMedQA2"),
    "webMedQA": (("webmedqa",), copy_only, 0, FIXTURES / "webMedQA"),
    "tcm_literature_qa": (("tcm_literature_qa",), copy_only, 0, FIXTURES / "tcm_literature_qa"),
    "text2dt": (("text2dt",), copy_only, 0, FIXTURES / "text2dt"),
    "IMCS-V2": (("imcs_v2_ner", "imcs_v2_sr", "imcs_v2_dac", "imcs_v2_mrg_raw"), copy_only, 0, FIXTURES / "IMCS-V2"),
    "TCM-NER": (("tcm_ner",), copy_only, 0, FIXTURES / "TCM-NER"),
    "cmedcausal": (("cmedcausal",), copy_only, 0, FIXTURES / "cmedcausal"),
    "Yidu-N7K": (("clinical_terminology_standardization",), copy_only, 0, FIXTURES / "Yidu-N7K"),
}
