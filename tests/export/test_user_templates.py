"""``export --templates DIR``: a user's templates join the bundled ones, checked and sandboxed."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from biocurate.cli import main
from biocurate.errors import TemplateError
from biocurate.export.pipeline import ExportOptions, run_export
from biocurate.mix.spec import load_mixture

from tests.support import make_root, write_mix

MINE = """\
task: tc
language: zh
templates:
  - id: tc-zh-mine
    reference: a user's own phrasing
    answer_format: labels
    prompt: |-
      请判断这段话属于哪一类：{{ text }}
      候选类别：{{ choices | join("，") }}
    answer: |-
      类别：{{ answer }}
"""


def test_a_user_template_is_used_by_the_export(tmp_path: Path) -> None:
    root = make_root(tmp_path, "KUAKE-QIC")
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "tc.zh.yaml").write_text(MINE, encoding="utf-8")
    spec = load_mixture(write_mix(tmp_path, targets={"tc": {"zh": 200}}))
    result = run_export(spec, ExportOptions(out=tmp_path / "out", data_root=root, progress=False, templates=folder))
    table = pq.read_table(sorted(result.out.glob("data/*/*/*.parquet")))
    mine = [c for t, c in zip(table.column("template_id").to_pylist(), table.column("conversation").to_pylist()) if t == "tc-zh-mine"]
    assert 0 < len(mine) < table.num_rows
    assert all(c[0]["human"].startswith("请判断这段话属于哪一类：") and c[0]["assistant"].startswith("类别：") for c in mine)


def test_an_escaping_template_is_refused_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = make_root(tmp_path, "KUAKE-QIC")
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "tc.zh.yaml").write_text(MINE.replace("{{ text }}", "{{ cycler.__init__.__globals__.os.popen('id').read() }}"), encoding="utf-8")
    spec = load_mixture(write_mix(tmp_path, targets={"tc": {"zh": 200}}))
    with pytest.raises(TemplateError):
        run_export(spec, ExportOptions(out=tmp_path / "out", data_root=root, progress=False, templates=folder))
    assert not (tmp_path / "out").exists()
    rc = main(["export", "--mix", str(write_mix(tmp_path, targets={"tc": {"zh": 200}})), "--data-dir", str(root),
               "--out", str(tmp_path / "out2"), "--templates", str(folder), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc != 0 and len(err) == 1 and "uid=" not in err[0]
