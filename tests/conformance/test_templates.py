"""Lint every template file (promptsource's template test, adapted to biocurate's YAML).

Per file: YAML parses, ``task``/``language`` are valid and match the file name. Per template:
slug id ``<task>-<language>-<name>`` unique across files, known unit/order/codec, the answer
body uses ``{{ answer }}`` exactly once, the prompt uses only variables the task's view
provides, the answer body only variables kept for parsing, the prompt is written in the
template's language. Per task x language: at least 5 phrasings, both orders of instruction and
input, no two identical prompts. Rendering and parsing are checked in tests/templates.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml
from jinja2 import meta as jinja_meta

from biocurate.errors import TemplateError
from biocurate.tasks import TASKS
from biocurate.templates.codecs import CODECS
from biocurate.templates.engine import ENV, ORDERS, PARSE_CONTEXT_KEYS, TEMPLATE_DIR, TemplateStore
from biocurate.templates.views import VIEW_VARIABLES

FILES = sorted(TEMPLATE_DIR.glob("*.yaml"))
LANGUAGES = ("zh", "en")
MIN_TEMPLATES = 5
_CJK = re.compile(r"[\u4e00-\u9fff]")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _templates() -> list[tuple[str, dict, dict]]:
    """(file name, file header, raw template) for every template of every file."""
    out = []
    for path in FILES:
        data = _load(path)
        for raw in data.get("templates", []):
            out.append((path.name, data, raw))
    return out


TEMPLATES = _templates()


def _where(file: str, raw: dict) -> str:
    return f"{file}: template {raw.get('id')!r}"


def _variables(source: str) -> set[str]:
    return jinja_meta.find_undeclared_variables(ENV.parse(source))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_file_header(path: Path) -> None:
    data = _load(path)
    assert isinstance(data, dict) and set(data) == {"task", "language", "templates"}, f"{path.name}: keys must be task, language, templates"
    assert data["task"] in TASKS, f"{path.name}: unknown task {data['task']!r}"
    assert data["language"] in LANGUAGES, f"{path.name}: language must be zh or en"
    assert path.name == f"{data['task']}.{data['language']}.yaml", f"{path.name}: name it <task>.<language>.yaml"
    assert isinstance(data["templates"], list) and data["templates"], f"{path.name}: no templates"


def test_store_loads_every_file() -> None:
    store = TemplateStore()
    assert len(store.by_id) == len(TEMPLATES)


def test_store_reads_the_files_as_safe_load_does() -> None:
    # the store parses with libyaml's loader when PyYAML has it; the data must be the same
    store = TemplateStore()
    for file, header, raw in TEMPLATES:
        template = store.get(raw["id"])
        fields = {name: getattr(template, name) for name in raw}
        assert fields == raw, _where(file, raw)
        assert (template.task, template.language, template.source_file) == (header["task"], header["language"], file)


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "ner.en.yaml").write_text("task: ner\nlanguage: en\ntemplates: [\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"(?s)ner\.en\.yaml: invalid YAML.*line 4"):
        TemplateStore(tmp_path)


def test_ids_unique_slugs() -> None:
    counts = Counter(raw.get("id") for _, _, raw in TEMPLATES)
    assert not [i for i, n in counts.items() if n > 1], "duplicate template ids"
    for file, header, raw in TEMPLATES:
        prefix = f"{header['task']}-{header['language']}-"
        assert re.fullmatch(re.escape(prefix) + r"[a-z0-9]+(?:-[a-z0-9]+)*", raw.get("id", "")), f"{_where(file, raw)}: id must be {prefix}<slug>"


@pytest.mark.parametrize("file, header, raw", TEMPLATES, ids=[raw.get("id", "?") for _, _, raw in TEMPLATES])
def test_template(file: str, header: dict, raw: dict) -> None:
    where = _where(file, raw)
    task, language = header["task"], header["language"]
    unit = raw.get("unit", "whole")
    assert unit in VIEW_VARIABLES[task], f"{where}: task {task!r} has no unit {unit!r} (has {sorted(VIEW_VARIABLES[task])})"
    if task == "mt":
        assert unit == ("zh2en" if language == "zh" else "en2zh"), f"{where}: mt.zh.yaml translates zh->en, mt.en.yaml en->zh"
    assert raw.get("order", "instruction_first") in ORDERS, f"{where}: unknown order"
    assert raw.get("answer_format") in CODECS, f"{where}: unknown answer_format {raw.get('answer_format')!r}"

    prompt, answer = raw["prompt"], raw.get("answer", "{{ answer }}")
    allowed = VIEW_VARIABLES[task][unit]
    extra = _variables(prompt) - allowed
    assert not extra, f"{where}: prompt uses {sorted(extra)}, the {task}/{unit} view provides {sorted(allowed)}"
    assert len(re.findall(r"\{\{-?\s*answer\s*-?\}\}", answer)) == 1, f"{where}: answer must contain {{{{ answer }}}} exactly once"
    answer_vars = _variables(answer) - {"answer"}
    assert answer_vars <= set(PARSE_CONTEXT_KEYS) & allowed, f"{where}: answer uses {sorted(answer_vars)}, not all kept for parsing"
    assert "answer" not in _variables(prompt), f"{where}: the prompt must not show the answer"

    line = raw.get("line")
    if line is not None:
        assert CODECS[raw["answer_format"]].typed_lines, f"{where}: 'line' only for typed answer formats"
        assert line.count("{key}") == 1 and line.count("{value}") == 1, f"{where}: line needs {{key}} and {{value}} once"

    literal = _JINJA.sub("", prompt + answer + (line or ""))
    if language == "zh":
        assert _CJK.search(literal) or not literal.strip(" \n\"“”:：()（）"), f"{where}: a zh template must be written in Chinese"
    else:
        assert not _CJK.search(literal), f"{where}: an en template must not contain Chinese text"


@pytest.mark.parametrize("task", sorted(TASKS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_phrasings_per_task_and_language(task: str, language: str) -> None:
    mine = [(raw, file) for file, header, raw in TEMPLATES if header["task"] == task and header["language"] == language]
    assert len(mine) >= MIN_TEMPLATES, f"{task}.{language}.yaml: {len(mine)} templates, need at least {MIN_TEMPLATES}"
    orders = {raw.get("order", "instruction_first") for raw, _ in mine}
    assert orders == set(ORDERS), f"{task}.{language}.yaml: needs both instruction-first and instruction-last phrasings"
    prompts = defaultdict(list)
    for raw, _ in mine:
        prompts[(raw.get("unit", "whole"), raw["prompt"].strip())].append(raw["id"])
    dupes = [ids for ids in prompts.values() if len(ids) > 1]
    assert not dupes, f"{task}.{language}.yaml: identical prompts {dupes}"


def test_label_option_lines_present() -> None:
    """Taiyi's label-option lines appear among the phrasings that list labels."""
    bodies = "\n".join(raw["prompt"] for _, _, raw in TEMPLATES)
    for marker in ("实体类型：", "实体选项：", "类型选项：", "选项：", "Labels:", "Label Types:", "Relation Types:"):
        assert marker in bodies, f"no template uses the label-option line {marker!r}"
