"""The CLI imports only what the command being run needs: `--help` and `list` stay cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

from biocurate.cli import build_parser, command_names, command_summary, main

PROBE = """
import sys
from biocurate.cli import main
try:
    main({argv!r})
except SystemExit:
    pass
heavy = ("pyarrow", "pandas", "datasets", "numpy", "jinja2", "huggingface_hub", "biocurate.export.pipeline", "biocurate.loaders")
print("imported:" + ",".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


def _imported(argv: list[str]) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True, timeout=120)
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith("imported:"), done.stderr
    return set(filter(None, line.removeprefix("imported:").split(",")))


def test_help_imports_no_command_module() -> None:
    assert _imported(["--help"]) == set()


def test_list_does_not_import_the_export_stack() -> None:
    got = _imported(["list"])
    assert "biocurate.loaders" in got  # it lists them
    assert not {"pandas", "datasets", "jinja2", "biocurate.export.pipeline"} & got


def test_top_level_help_lists_every_command_with_its_summary(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    for name in command_names():
        assert f"{name} {' '.join(command_summary(name).split())[:30]}" in out
    assert {"preview", "merge", "push", "export", "list"} <= set(command_names())


def test_full_parser_still_registers_every_command() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in command_names():
        assert sub.choices[name].get_default("func") is not None, name


def test_unknown_command_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_readme_command_table_names_every_command() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = [line for line in readme.splitlines() if line.startswith("| `biocurate ")]
    for name in command_names():
        assert any(f"`biocurate {name}" in line for line in table), f"README's command table lacks `biocurate {name}`"
