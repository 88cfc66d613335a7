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
import shutil
import subprocess
import sys
import tempfile
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


DATASETS = {
    "ncbi_disease": ("ncbi_disease_bigbio_kb", _ncbi, ["validation"]),
    "bc5cdr": ("bc5cdr_bigbio_kb", _bc5cdr, ["train"]),
    "hallmarks_of_cancer": ("hallmarks_of_cancer_bigbio_text", _hoc, ["train"]),
}


def run(name: str, biomedical: Path, out: Path) -> Path:
    config, layout, keep = DATASETS[name]
    script_dir = biomedical / "bigbio" / "hub" / "hub_repos" / name
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "download"
        work.mkdir()
        local, how = layout(work)
        datasets.DownloadManager.download_and_extract = lambda self, urls: local  # type: ignore[method-assign]
        datasets.DownloadManager.download = lambda self, urls: local  # type: ignore[method-assign]
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        for split in keep:  # only the split holding the excerpt (an empty split cannot be read back)
            ds = datasets.load_dataset(str(script_dir / f"{name}.py"), name=config, split=split, trust_remote_code=True,
                                       cache_dir=str(Path(tmp) / "cache"))
            folder = target / config / split
            folder.mkdir(parents=True)
            ds.to_parquet(str(folder / "0000.parquet"))
    commit = subprocess.run(["git", "-C", str(biomedical), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    (target / "SOURCE.md").write_text(
        f"# {name}: BigBio's own output on the bundled excerpt\n\n"
        f"- script: bigscience-workshop/biomedical `bigbio/hub/hub_repos/{name}/{name}.py` at {commit}, run with datasets {datasets.__version__}\n"
        f"- config: `{config}`, splits kept: {', '.join(keep)}\n- input: {how}\n"
        "- written by scripts/bigbio_reference.py as `<config>/<split>/0000.parquet` (the Hub's Parquet conversion layout)\n",
        encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--biomedical", type=Path, required=True, help="checkout of bigscience-workshop/biomedical")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", help="comma-separated dataset names")
    args = parser.parse_args(argv)
    for name in (args.only.split(",") if args.only else DATASETS):
        print(run(name, args.biomedical, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
