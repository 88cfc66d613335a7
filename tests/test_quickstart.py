"""docs/quickstart.md's notebook block runs as written (in a scratch folder)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "quickstart.md"


@pytest.mark.slow
def test_quickstart_python_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    block = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(block, str(DOC), "exec"), scope)  # noqa: S102 - our own documentation
    assert scope["result"].manifest["totals"]["achieved"] == scope["ds"]["train"].num_rows > 0
    assert list(scope["table"].columns)[:3] == ["category", "language", "target"]
    assert len(scope["frame"]) == 100 and scope["ner"].num_rows > 0
    assert (tmp_path / "export" / "small" / "README.md").exists()
