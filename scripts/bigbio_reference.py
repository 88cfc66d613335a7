"""Run BigBio's own loading scripts on the bundled real excerpts and save their output as the Hub's
Parquet conversions look (``<config>/<split>/0000.parquet``), for the BigBio adapter tests.

Needs a separate environment with ``datasets==3.6`` (its last version that runs loading scripts)
and a checkout of bigscience-workshop/biomedical (``bigbio/hub/hub_repos/<name>/``)::

    python3 -m venv /tmp/bb36 && /tmp/bb36/bin/pip install "datasets==3.6.0" bioc
    /tmp/bb36/bin/python scripts/bigbio_reference.py --biomedical /path/to/biomedical --out tests/fixtures/bigbio_reference

The scripts download their corpora from the publishers; here ``DownloadManager`` is replaced by
one that returns a local folder laid out as the script expects, holding the bundled excerpt
under the file name of the split it belongs to (other splits get empty files of the same
format). Nothing else of the scripts is changed. Each dataset's folder gets a ``SOURCE.md``
naming the script's commit and what was put where.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import datasets

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "biocurate" / "samples"
EMPTY_BIOC = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE collection SYSTEM "BioC.dtd">\n<collection><source>PubTator</source><date></date><key>BioC.key</key></collection>\n'


def _ncbi(work: Path) -> tuple[object, str]:
    names = {"train": "NCBItrainset_corpus.txt", "validation": "NCBIdevelopset_corpus.txt", "test": "NCBItestset_corpus.txt"}
    out = {}
    for split, name in names.items():
        folder = work / split
        folder.mkdir()
        if split == "validation":
            shutil.copy(SAMPLES / "NCBI-disease" / name, folder / name)
        else:
            (folder / name).write_text("", encoding="utf-8")
        out[datasets.Split(split)] = str(folder)
    return out, "NCBI-disease/NCBIdevelopset_corpus.txt as the validation file; train and test empty"


def _bc5cdr(work: Path) -> tuple[object, str]:
    corpus = work / "CDR_Data" / "CDR.Corpus.v010516"
    corpus.mkdir(parents=True)
    shutil.copy(SAMPLES / "BC5CDR" / "CDR_sample.gold.BioC.xml", corpus / "CDR_TrainingSet.BioC.xml")
    for name in ("CDR_TestSet.BioC.xml", "CDR_DevelopmentSet.BioC.xml"):
        (corpus / name).write_text(EMPTY_BIOC, encoding="utf-8")
    return str(work), "BC5CDR/CDR_sample.gold.BioC.xml as CDR_TrainingSet.BioC.xml; test and development sets empty collections"


def _hoc(work: Path) -> tuple[object, str]:
    corpus = work / "corpus" / "Hallmarks-of-Cancer-master"
    shutil.copytree(SAMPLES / "HoC" / "text", corpus / "text")
    shutil.copytree(SAMPLES / "HoC" / "labels", corpus / "labels")
    index = work / "split" / "data_generation" / "indexing" / "HoC"
    index.mkdir(parents=True)
    docs = sorted(p.name for p in (corpus / "text").iterdir())
    (index / "train_pmid.tsv").write_text(",".join(docs), encoding="utf-8")
    for name in ("dev_pmid.tsv", "test_pmid.tsv"):
        (index / name).write_text(docs[0], encoding="utf-8")  # the script cannot read an empty index
    return ({"corpus": str(work / "corpus"), "split_indices": str(work / "split")},
            "HoC/text and HoC/labels (150 documents) all listed in train_pmid.tsv; dev/test list the first document only")


def _pubmed_qa(work: Path) -> tuple[object, str]:
    entries = json.loads((SAMPLES / "PubMedQA" / "ori_pqal.json").read_text(encoding="utf-8"))
    truth = json.loads((SAMPLES / "PubMedQA" / "test_ground_truth.json").read_text(encoding="utf-8"))
    fold = work / "pqal_fold0"
    fold.mkdir()
    # the authors' split_dataset.py: the test_ground_truth PMIDs are the test set, the rest train/dev folds
    (fold / "train_set.json").write_text(json.dumps({k: v for k, v in entries.items() if k not in truth}), encoding="utf-8")
    (fold / "dev_set.json").write_text("{}", encoding="utf-8")
    (work / "pqal_test_set.json").write_text(json.dumps({k: v for k, v in entries.items() if k in truth}), encoding="utf-8")
    return str(work), ("PubMedQA/ori_pqal.json (200 entries): those in test_ground_truth.json as pqal_test_set.json, "
                       "the others as pqal_fold0/train_set.json; dev_set.json empty")


def _med_qa(work: Path) -> tuple[object, str]:
    folder = work / "data_clean" / "questions" / "US" / "4_options"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES / "MedQA-USMLE" / "phrases_no_exclude_test.jsonl", folder / "phrases_no_exclude_test.jsonl")
    first = (SAMPLES / "MedQA-USMLE" / "phrases_no_exclude_test.jsonl").read_text(encoding="utf-8").splitlines()[0]
    for name in ("phrases_no_exclude_train.jsonl", "phrases_no_exclude_dev.jsonl"):
        (folder / name).write_text(first + "\n", encoding="utf-8")  # pandas cannot read an empty JSON Lines file
    return str(work), ("MedQA-USMLE/phrases_no_exclude_test.jsonl (the 4-option test file) as US/4_options/phrases_no_exclude_test.jsonl; "
                       "train and dev hold its first line only")


def _med_qa_5(work: Path) -> tuple[object, str]:
    folder = work / "data_clean" / "questions" / "US"
    folder.mkdir(parents=True)
    fixture = ROOT / "tests" / "fixtures" / "bigbio_medqa_5options" / "data_clean" / "questions" / "US" / "test.jsonl"
    for name in ("train.jsonl", "dev.jsonl", "test.jsonl"):
        shutil.copy(fixture, folder / name)
    return str(work), ("tests/fixtures/bigbio_medqa_5options (one published 5-option US record, a format fixture) as "
                       "US/test.jsonl; train and dev hold the same line")


def _bionlp_ge(work: Path) -> tuple[object, str]:
    out = {}
    for split in ("train", "validation", "test"):
        folder = work / split
        folder.mkdir()
        if split == "train":
            for path in sorted((SAMPLES / "BioNLP-ST-2011-GE").glob("P*.*")):
                if path.suffix in (".txt", ".ann"):
                    shutil.copy(path, folder / path.name)
        out[split] = str(folder)
    return out, "BioNLP-ST-2011-GE/*.txt and *.ann (20 documents, brat's merged .ann) as the train folder; validation and test empty"


def _ddi(work: Path, brat_zip: Path | None) -> tuple[object, str]:
    if brat_zip is None:
        raise SystemExit("ddi_corpus: BigBio reads the BRAT release; pass --ddi-brat-zip 'DDICorpus-2013(BRAT).zip' (isegura/DDICorpus)")
    # the bundled XML excerpt's documents, taken from the BRAT release (the sample's file names have "_" for " ")
    wanted = {(p.relative_to(SAMPLES / "DDI-2013").parts[0], p.parent.name, p.stem.replace("_", " "))
              for p in (SAMPLES / "DDI-2013").rglob("*.xml")}
    kept = 0
    with zipfile.ZipFile(brat_zip) as archive:
        for info in archive.infolist():
            parts = Path(info.filename).parts
            if len(parts) == 4 and parts[0] == "DDICorpusBrat" and Path(parts[3]).suffix in (".txt", ".ann"):
                stem = Path(parts[3]).stem
                if (parts[1], parts[2], stem.replace("_", " ")) in wanted:
                    target = work / Path(*parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(info))
                    kept += info.filename.endswith(".txt")
    return str(work), (f"the {kept} documents of the bundled DDI-2013 XML excerpt, taken from DDICorpus-2013(BRAT).zip "
                       "(isegura/DDICorpus 819b0fa538ed83ab2a8b4f5417bba3c03249b7f3) as DDICorpusBrat/{Train,Test}/{DrugBank,MedLine}")


#: reference name -> (BigBio config, input layout, splits kept); the script is the name's first part
#: (``med_qa_5options`` runs ``med_qa``).
DATASETS = {
    "ncbi_disease": ("ncbi_disease_bigbio_kb", _ncbi, ["validation"]),
    "bc5cdr": ("bc5cdr_bigbio_kb", _bc5cdr, ["train"]),
    "hallmarks_of_cancer": ("hallmarks_of_cancer_bigbio_text", _hoc, ["train"]),
    "pubmed_qa": ("pubmed_qa_labeled_fold0_bigbio_qa", _pubmed_qa, ["train", "test"]),
    "med_qa": ("med_qa_en_4options_bigbio_qa", _med_qa, ["test"]),
    "med_qa_5options": ("med_qa_en_bigbio_qa", _med_qa_5, ["test"]),
    "bionlp_st_2011_ge": ("bionlp_st_2011_ge_bigbio_kb", _bionlp_ge, ["train"]),
    "ddi_corpus": ("ddi_corpus_bigbio_kb", _ddi, ["train", "test"]),
}


def run(name: str, biomedical: Path, out: Path, ddi_brat_zip: Path | None = None) -> Path:
    config, layout, keep = DATASETS[name]
    script = "med_qa" if name.startswith("med_qa") else name
    script_dir = biomedical / "bigbio" / "hub" / "hub_repos" / script
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "download"
        work.mkdir()
        local, how = layout(work, ddi_brat_zip) if layout is _ddi else layout(work)
        datasets.DownloadManager.download_and_extract = lambda self, urls: local  # type: ignore[method-assign]
        datasets.DownloadManager.download = lambda self, urls: local  # type: ignore[method-assign]
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        for split in keep:  # only the split holding the excerpt (an empty split cannot be read back)
            ds = datasets.load_dataset(str(script_dir / f"{script}.py"), name=config, split=split, trust_remote_code=True,
                                       cache_dir=str(Path(tmp) / "cache"))
            folder = target / config / split
            folder.mkdir(parents=True)
            ds.to_parquet(str(folder / "0000.parquet"))
    commit = subprocess.run(["git", "-C", str(biomedical), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    (target / "SOURCE.md").write_text(
        f"# {name}: BigBio's own output on the raw files named below\n\n"
        f"- script: bigscience-workshop/biomedical `bigbio/hub/hub_repos/{script}/{script}.py` at {commit}, run with datasets {datasets.__version__}\n"
        f"- config: `{config}`, splits kept: {', '.join(keep)}\n- input: {how}\n"
        "- written by scripts/bigbio_reference.py as `<config>/<split>/0000.parquet` (the Hub's Parquet conversion layout)\n",
        encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--biomedical", type=Path, required=True, help="checkout of bigscience-workshop/biomedical")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", help="comma-separated dataset names")
    parser.add_argument("--ddi-brat-zip", type=Path, help="DDICorpus-2013(BRAT).zip of isegura/DDICorpus (BigBio's ddi_corpus input)")
    args = parser.parse_args(argv)
    for name in (args.only.split(",") if args.only else DATASETS):
        print(run(name, args.biomedical, args.out, args.ddi_brat_zip))
    return 0


if __name__ == "__main__":
    sys.exit(main())
