"""Hostile templates: a template file from any folder renders in the sandbox, escape payloads fail
with a TemplateError naming file and template, and the plain fast path still renders."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from biocurate.errors import TemplateError
from biocurate.sources import open_loader
from biocurate.templates.engine import ENV, TEMPLATE_DIR, Body, Template, TemplateStore, check_template, render_record, store_with

#: Known Jinja sandbox-escape payloads (SSTI write-ups): each reaches ``os`` or ``subprocess``
#: from a global, a literal or a filter in a plain ``jinja2.Environment``.
PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__['os'].popen('id').read() }}",
    "{{ namespace.__init__.__globals__.os.system('id') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ (text|attr('__class__')).__mro__ }}",
    "{{ text|attr('__class__')|attr('__mro__') }}",
    "{{ range.__self__ }}",
    "{% set x = types.append('pwned') %}{{ types }}",
]


def _ner_file(folder: Path, prompt: str, template_id: str = "ner-en-user-evil") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "ner.en.yaml"
    body = textwrap.indent(prompt, " " * 6)
    path.write_text(
        f"task: ner\nlanguage: en\ntemplates:\n  - id: {template_id}\n    answer_format: typed_mentions\n    prompt: |-\n{body}\n",
        encoding="utf-8",
    )
    return path


def test_environment_is_the_immutable_sandbox() -> None:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    assert isinstance(ENV, ImmutableSandboxedEnvironment)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_payload_never_runs(payload: str, tmp_path: Path) -> None:
    """Whether the static check refuses the file or the sandbox stops the render, the payload
    fails with a TemplateError and nothing runs (``id`` would print ``uid=``)."""
    _ner_file(tmp_path / "user", f"{payload}\n{{{{ text }}}}")
    try:
        store = store_with(tmp_path / "user")
        template = store.get("ner-en-user-evil")
        out = template.prompt_body.render({"text": "BRCA1 mutations in breast cancer", "types": ["Disease"]})
    except TemplateError as exc:  # refused when the folder is loaded
        assert str(tmp_path / "user" / "ner.en.yaml") in str(exc) and "ner-en-user-evil" in str(exc)
        return
    except (SecurityError, UndefinedError):  # stopped by the sandbox while rendering
        return
    pytest.fail(f"payload rendered: {out[:200]!r}")


def test_static_check_names_file_template_and_attribute(tmp_path: Path) -> None:
    path = _ner_file(tmp_path / "user", PAYLOADS[0] + "\n{{ text }}")
    with pytest.raises(TemplateError) as error:
        store_with(tmp_path / "user")
    message = str(error.value)
    assert str(path) in message and "ner-en-user-evil" in message and "'prompt'" in message
    assert "access to '__globals__' is not allowed" in message


def test_sandbox_stops_what_the_static_check_cannot_see(tmp_path: Path) -> None:
    # the attribute name is built at render time: only the sandbox can refuse it
    template = Template(id="ner-en-user-attr", task="ner", language="en", prompt="{{ text|attr('_' ~ '_class__') }}", answer_format="typed_mentions")
    check_template(template)  # nothing to see statically
    with pytest.raises(SecurityError, match="'__class__' of 'str' object is unsafe"):
        template.prompt_body.render({"text": "x"})
    with pytest.raises(SecurityError, match="'append' of 'list' object is unsafe"):  # immutable: no mutation
        Body("{% set x = types.append('p') %}{{ types }}").render({"types": ["Disease"]})


def test_payload_in_a_subprocess_prints_no_uid(tmp_path: Path) -> None:
    """The issue's reproduction, end to end in a fresh interpreter: the payload's output never appears."""
    _ner_file(tmp_path / "user", PAYLOADS[0] + "\n{{ text }}")
    code = (
        "import sys\nfrom biocurate.templates.engine import store_with\n"
        f"try:\n    store_with({str(tmp_path / 'user')!r})\nexcept Exception as exc:\n    print(type(exc).__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "uid=" not in result.stdout + result.stderr
    assert result.stdout.strip() == "TemplateError"


def test_user_folder_adds_templates_that_render(tmp_path: Path) -> None:
    _ner_file(tmp_path / "user", "Find the {{ types | join(', ') }} names:\n{{ text }}", "ner-en-user-find")
    store = store_with(tmp_path / "user")
    assert len(store.by_id) == len(TemplateStore().by_id) + 1
    template = store.get("ner-en-user-find")
    assert template.source_file == str(tmp_path / "user" / "ner.en.yaml")
    assert template.prompt_body.format is None  # a filter: rendered by (sandboxed) Jinja
    assert template.prompt_body.render({"types": ["Disease", "Gene"], "text": "BRCA1 and cancer"}) == "Find the Disease, Gene names:\nBRCA1 and cancer"


def test_user_template_id_clashing_with_a_bundled_one_is_refused(tmp_path: Path) -> None:
    _ner_file(tmp_path / "user", "{{ text }}", "ner-en-extract-types")
    with pytest.raises(TemplateError, match="ner-en-extract-types.*also in ner.en.yaml"):
        store_with(tmp_path / "user")


def test_missing_or_empty_user_folder(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="does not exist"):
        store_with(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(TemplateError, match="no \\*.yaml"):
        store_with(tmp_path / "empty")


def test_plain_bodies_keep_the_format_fast_path() -> None:
    store = TemplateStore(TEMPLATE_DIR)
    assert store.get("chat-en-raw").prompt_body.format == "{first}"  # a bundled plain body
    body = Body("Text: {{ text }}\nAnswer with {{ kind }}.")
    assert body.format == "Text: {text}\nAnswer with {kind}."
    assert body.render({"text": "{{ cycler.__init__ }}", "kind": "{0.__class__}"}) == "Text: {{ cycler.__init__ }}\nAnswer with {0.__class__}."


def test_bundled_records_render_in_the_sandbox() -> None:
    """NCBI-disease's first record renders with the bundled store: its text is in the prompt."""
    loader = open_loader("ncbi_disease")
    record = next(loader.iter_split(loader.available_splits()[0]))
    samples = render_record(record, "ner", seed=42)
    assert samples and all(record.passages[0].text[0] in s.conversation[0]["human"] for s in samples)
