"""Sources whose training rows come from a validation or test split (biocurate/heldout.py), on a real export."""

from __future__ import annotations

import json

from biocurate.cli import main
from biocurate.heldout import held_out_note, held_out_sources, rows_by_split


def test_real_export_names_the_sources_trained_on_dev_splits(tmp_path) -> None:
    out = tmp_path / "exp"
    assert main(["export", "--mix", "taiyi-v1", "--out", str(out), "--quiet", "--datasets", "cmeee,paramed,bc5cdr,biosses"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    from_manifest = held_out_sources(manifest)
    # the bundled CMeEE excerpt is its dev file; BIOSSES has train and validation; ParaMed and BC5CDR train only
    assert set(from_manifest) == {"cmeee", "biosses"} and set(from_manifest["biosses"]) == {"validation"}
    rows = rows_by_split(out)
    exact = held_out_sources(manifest, rows)
    assert set(exact) == {"cmeee", "biosses"}
    assert exact["cmeee"]["validation"] == rows[("cmeee", "validation")] > 0
    assert sum(n for (d, s), n in rows.items() if d == "paramed" and s != "train") == 0
    note = held_out_note(exact)
    assert note.startswith("Training rows come from a held-out split for 2 sources: biosses (validation: ")
    assert held_out_note({}) is None
