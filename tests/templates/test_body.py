"""Template bodies made only of text and ``{{ name }}`` render through ``str.format_map``;
they must give exactly what Jinja gives, and fail the same way on a missing variable."""

from __future__ import annotations

import jinja2
import pytest
from jinja2 import meta

from biocurate.templates.engine import ENV, Body, default_store

#: Values views hold, and text that would break a naive format string.
VALUES = {"text": "含{括号}与 {{双}} %s 的文本\n", "first": "", "types": ["疾病", "药物"], "num_turns": 3,
          "context": None, "choices": ("A", "B"), "question": "What is {x}?"}


def _all_bodies() -> list[str]:
    store = default_store()
    return sorted({body for t in store.by_id.values() for body in (t.prompt, t.answer)})


def test_every_shipped_body_renders_as_jinja_does() -> None:
    plain = 0
    for source in _all_bodies():
        body = Body(source)
        plain += body.format is not None
        template = ENV.from_string(source)
        needed = sorted(meta.find_undeclared_variables(ENV.parse(source)))
        variables = {name: VALUES.get(name, f"<{name} {{0}}>") for name in needed}
        variables["answer"] = "答案 {0} }"
        try:
            expected = template.render(variables)
        except (TypeError, ValueError) as exc:  # a filter needs other value types: same failure
            with pytest.raises(type(exc)):
                body.render(variables)
            continue
        assert body.render(variables) == expected, source
    assert plain > 100  # most bodies take the fast path


@pytest.mark.parametrize("source", ["{{ text }}", "前缀：{{ text }}\n后缀 {{ types }}", "{ raw }} {{ text }}{", "a {{ range }}", ""])
def test_plain_bodies(source: str) -> None:
    body = Body(source)
    assert body.format is not None
    assert body.render(VALUES) == ENV.from_string(source).render(VALUES)


@pytest.mark.parametrize("source", ["{{ text | upper }}", "{% if first %}x{% endif %}", "{{ a.b }}", "{{ text ~ first }}"])
def test_bodies_with_logic_go_through_jinja(source: str) -> None:
    body = Body(source)
    assert body.format is None
    variables = {"text": "t", "first": "f", "a": {"b": 1}}
    assert body.render(variables) == ENV.from_string(source).render(variables)


def test_read_only_bodies_reuse_a_context_without_leaking_variables() -> None:
    body = Body("{% if context %}背景：{{ context }}\n{% endif %}{{ first | upper }}")
    assert body.format is None and body.read_only
    assert body.render({"context": "c1", "first": "a"}) == "背景：c1\nA"
    assert body.render({"context": "", "first": "b"}) == "B"
    with pytest.raises(jinja2.UndefinedError):
        body.render({"context": "c2"})  # 'first' from the call before must not be seen
    assert not Body("{% set x = 1 %}{{ x }}{{ first }}").read_only
    assert Body("{% set x = 1 %}{{ x }}{{ first }}").render({"first": "f"}) == "1f"


def test_missing_variable_fails_like_strict_undefined() -> None:
    with pytest.raises(jinja2.UndefinedError, match="'question' is undefined"):
        Body("问：{{ question }}").render({"text": "x"})
    with pytest.raises(jinja2.UndefinedError):
        ENV.from_string("问：{{ question }}").render({"text": "x"})
