"""Audit an export: sample rows over every task x language stratum and check each against its source.

For each sampled row the source record is loaded again (``--data-dir``, default the bundled
samples), the record is re-rendered with the export's seed, and the row is checked for:

* ``rerender``: the row's conversation is one of the record's re-rendered samples (after the
  gate's repair, as the export applies it);
* ``incomplete``: the answer covers what the record holds (NER: every mention of the asked
  types, of the loader's ``ner_types`` when it declares them; RE: every annotated pair, once per concept pair when the entities are normalised; EE:
  every event; labels: the record's label word; MT: the other side of the pair);
* ``prompt_language`` / ``answer_language`` / ``fragment`` / ``tokenised``: the quality gate's
  checks (:mod:`biocurate.mix.quality`);
* ``template``: a list the template shows that is empty (``Role Types:`` with nothing after
  it) or names an item twice (``ICD-10-Beijing-v601、ICD-10-Beijing-v601``), or a raw source
  marker (CMeIE's ``@`` topic prefix);
* ``roundtrip``: the template's parser reads the answer back to the gold structure.

Usage::

    biocurate export --mix taiyi-v1 --out export/taiyi-v1
    python scripts/audit.py export/taiyi-v1 --rows 120 --json audit.json

It prints one line per stratum (sampled, defective, reasons) and the overall defect rate, and
exits 1 when that rate is above ``--max-defect-rate`` (default 0.01).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from biocurate.loaders import Reject, get_loader
from biocurate.mix.quality import QualityConfig, check, repair
from biocurate.schemas import KBRecord, PairsRecord, TERecord, TextRecord, TranslationRecord
from biocurate.sources import open_loader
from biocurate.templates.engine import default_store, parse_answer, render_record
from biocurate.templates.views import ViewContext, display_text, ner_entities, views_for

COLUMNS = ["id", "dataset", "split", "record_id", "template_id", "task", "language", "conversation"]


def load_rows(export: Path) -> list[dict[str, Any]]:
    """Every row of a Parquet export (the audited columns only)."""
    rows: list[dict[str, Any]] = []
    for path in sorted((export / "data").rglob("*.parquet")):
        rows += pq.read_table(path, columns=COLUMNS).to_pylist()
    if not rows:
        raise SystemExit(f"{export}: no Parquet rows under data/ (expected a `biocurate export` folder)")
    return rows


def sample_rows(rows: list[dict[str, Any]], total: int, seed: int) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """At least ``total`` rows over all (task, language) strata, the same number from each
    (all of a smaller stratum), chosen by a seeded shuffle."""
    strata: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        strata[(row["task"], row["language"])].append(row)
    per = max(1, math.ceil(total / len(strata)))
    rng = random.Random(seed)
    picked = {}
    for key in sorted(strata):
        group = sorted(strata[key], key=lambda r: r["id"])
        picked[key] = group if len(group) <= per else rng.sample(group, per)
    return picked


class Sources:
    """Records of the audited datasets by (dataset, split, record id), loaded once per split."""

    def __init__(self, data_dir: Path | None) -> None:
        self.data_dir = data_dir
        self._cache: dict[tuple[str, str], dict[str, Any]] = {}

    def record(self, dataset: str, split: str, record_id: str) -> Any:
        key = (dataset, split)
        if key not in self._cache:
            loader = open_loader(dataset, self.data_dir)
            self._cache[key] = {r.id: r for r in loader.records(split) if not isinstance(r, Reject)}
        return self._cache[key].get(record_id)


def _ctx(dataset: str) -> ViewContext:
    meta = get_loader(dataset).meta
    return ViewContext(meta.label_sets, meta.label_names)


def _mention(texts: list[str]) -> str:
    return " ".join(texts)


def incomplete(record: Any, sample: Any, ctx: ViewContext) -> str | None:
    """What the answer misses of the record, checked from the record itself (not the view)."""
    gold = sample.gold
    if isinstance(record, KBRecord) and sample.task == "ner":
        asked = {sample.parse_context["type"]} if sample.unit == "per_type" else None
        got = set(gold) if isinstance(gold, list) else {m for ms in gold.values() for m in ms}
        missing = {_mention(e.text) for e in ner_entities(record, ctx) if asked is None or ctx.word(e.type) in asked} - got
        return f"mentions missing: {sorted(missing)[:3]}" if missing else None
    if isinstance(record, KBRecord) and sample.task == "re":
        pairs = gold if isinstance(gold, list) else [p for ps in gold.values() for p in ps]
        entities = {e.id: e for e in record.entities}
        asked = {sample.parse_context["relation"]} if sample.unit == "per_relation" else None
        wanted = set()
        for rel in record.relations:
            if asked is not None and ctx.word(rel.type) not in asked:
                continue
            head, tail = entities.get(rel.arg1_id), entities.get(rel.arg2_id)
            if head is None or tail is None:
                continue
            concept = lambda e: tuple(sorted(n.db_id for n in e.normalized)) or _mention(e.text)  # noqa: E731
            wanted.add((ctx.word(rel.type), concept(head), concept(tail)))
        if len(pairs) < len(wanted):
            return f"{len(wanted)} relation pairs in the record, {len(pairs)} in the answer"
        return None
    if isinstance(record, KBRecord) and sample.task == "ee":
        events = {(ctx.word(e.type), _mention(e.trigger.text)) for e in record.events}
        got = {(e["type"], e["trigger"]) for e in gold}
        missing = {ev for ev in events if ev[1] and ev not in got}
        return f"events missing: {sorted(missing)[:3]}" if missing else None
    if isinstance(record, TextRecord) and sample.answer_format in ("labels", "label"):
        want = sorted(ctx.word(label) for label in record.labels)
        got = sorted(gold if isinstance(gold, list) else [g for g in str(gold).split("; ") if g])
        return None if want == got else f"labels {got} but the record says {want}"
    if isinstance(record, (PairsRecord, TERecord)):
        return None if gold == ctx.word(record.label) else f"label {gold!r} but the record says {ctx.word(record.label)!r}"
    if isinstance(record, TranslationRecord):
        target = "en" if sample.language == "zh-en" else "zh"
        return None if gold == record.text_in(target).strip() else "translation is not the record's other side"
    return None


def template_defect(record: Any, sample: Any, ctx: ViewContext, raw_markers: tuple[str, ...]) -> str | None:
    """A list the template shows that is empty (``Role Types:`` with nothing after it) or names
    an item twice (``ICD-10-Beijing-v601、ICD-10-Beijing-v601``), or a raw source marker."""
    template = default_store().get(sample.template_id)
    view = next((v for v in views_for(sample.task, record, ctx)
                 if v.unit == sample.unit and v.golds.get(sample.answer_format) == sample.gold), None)
    if view is not None:
        for name in sorted(template.variables() & set(view.vars)):
            value = view.vars[name]
            if isinstance(value, list) and not value and name != "section_names":
                return f"empty slot {name!r}"
            if isinstance(value, list) and all(isinstance(v, str) for v in value) and len(set(value)) < len(value):
                return f"{name!r} lists an item twice"
    prompt = sample.conversation[0]["human"]
    for marker in raw_markers:
        if marker in prompt:
            return f"raw source marker {marker!r}"
    return None


def gate_fields(record: Any, sample: Any, gate: QualityConfig) -> dict[str, Any]:
    """The fields the quality gate reads of a re-rendered sample, its prompt repaired as the
    export repairs it (:func:`biocurate.mix.quality.repair`: HoC prompts are detokenised)."""
    fields = {"task": sample.task, "language": sample.language, "conversation": sample.conversation,
              "template_id": sample.template_id, "answer_format": sample.answer_format, "gold": sample.gold,
              "parse_context": sample.parse_context}
    if isinstance(record, KBRecord):
        fields["input_text"] = display_text(record)
    return repair(fields, gate) or fields


def audit_row(row: dict[str, Any], sources: Sources, seed: int, gate: QualityConfig) -> tuple[str, str] | None:
    """(reason, detail) of the row's first defect, or None."""
    record = sources.record(row["dataset"], row["split"], row["record_id"])
    if record is None:
        return "rerender", f"record {row['record_id']} not found in {row['dataset']}/{row['split']}"
    ctx = _ctx(row["dataset"])
    samples = [s for s in render_record(record, row["task"], seed, ctx) if s.template_id == row["template_id"]]
    conversation = [{"human": t["human"], "assistant": t["assistant"]} for t in row["conversation"]]
    found = next(((s, f) for s in samples for f in [gate_fields(record, s, gate)] if f["conversation"] == conversation), None)
    if found is None:
        return "rerender", "no re-rendered sample of the record equals the row"
    sample, fields = found
    reason = check(fields, gate)
    if reason:
        return reason, conversation[0]["human"][:120]
    defect = template_defect(record, sample, ctx, ("@",) if row["dataset"] == "cmeie" else ())
    if defect:
        return "template", defect
    missing = incomplete(record, sample, ctx)
    if missing:
        return "incomplete", missing
    parsed = parse_answer(default_store().get(sample.template_id), conversation[0]["assistant"], sample.parse_context)
    if parsed != sample.gold:
        return "roundtrip", f"parsed {str(parsed)[:80]}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", type=Path, help="a `biocurate export` folder (Parquet)")
    parser.add_argument("--rows", type=int, default=120, help="rows to sample in all (spread evenly over strata)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed")
    parser.add_argument("--data-dir", type=Path, help="raw data root the export was built from (default: bundled samples)")
    parser.add_argument("--json", type=Path, help="write every finding here")
    parser.add_argument("--max-defect-rate", type=float, default=0.01)
    args = parser.parse_args(argv)
    manifest = json.loads((args.export / "manifest.json").read_text(encoding="utf-8"))
    sources = Sources(args.data_dir)
    gate = QualityConfig.model_validate((manifest.get("mixture") or {}).get("quality") or {})
    strata = sample_rows(load_rows(args.export), args.rows, args.seed)
    findings, lines = [], []
    for (task, language), rows in strata.items():
        reasons: Counter = Counter()
        for row in rows:
            found = audit_row(row, sources, manifest["seed"], gate)
            if found:
                reasons[found[0]] += 1
                findings.append({"id": row["id"], "task": task, "language": language, "reason": found[0], "detail": found[1]})
        bad = sum(reasons.values())
        lines.append(f"{task:<12} {language:<6} {len(rows):>5} {bad:>5}  {', '.join(f'{k} {v}' for k, v in sorted(reasons.items()))}")
    total = sum(len(r) for r in strata.values())
    rate = len(findings) / total if total else 0.0
    print(f"{'task':<12} {'lang':<6} {'rows':>5} {'bad':>5}  reasons")
    print("\n".join(lines))
    print(f"\n{total} rows over {len(strata)} strata; {len(findings)} defective ({100 * rate:.2f} %)")
    for finding in findings[:20]:
        print(f"  {finding['id']}: {finding['reason']}: {finding['detail']}")
    if args.json:
        args.json.write_text(json.dumps({"rows": total, "strata": len(strata), "defective": len(findings), "rate": rate,
                                         "findings": findings}, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if rate <= args.max_defect_rate else 1


if __name__ == "__main__":
    sys.exit(main())
