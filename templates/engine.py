"""Template store and renderer (stage 3).

Templates are reviewed data: one YAML file per task and language (``ner.zh.yaml``), each
holding several phrasings. A template has a slug ``id`` (``<task>-<language>-<name>``), the
``unit`` of view it renders (``whole``, ``per_type``...), an ``answer_format`` naming the codec
that writes and parses its answer, an optional ``line`` (the wording of each line of a typed
answer, e.g. ``上述文本中包含的{key}为：{value}``), and two Jinja bodies: ``prompt`` and
``answer`` (``answer`` must use ``{{ answer }}``, the codec's text, once). Undefined variables
fail rendering. Every body compiles in jinja2's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`
(templates are data anyone may add: no attribute starting with ``_``, no unsafe callables, no
mutation of lists and dicts); :func:`check_template` also refuses such access before anything
renders. The template used for a record is chosen by a hash of (seed,
dataset, record id, task) among the templates whose unit and answer format the record's views
can fill, so the choice is reproducible and independent of the order records arrive in.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
import yaml
from biocurate.schemas import Record
from jinja2 import meta as jinja_meta
from jinja2 import nodes as jinja_nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import new_context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import concat

from biocurate.errors import TemplateError
from biocurate.tasks import TASKS, category_of

from .codecs import CODECS
from .textscan import loose
from .views import View, ViewContext, views_for

TEMPLATE_DIR = Path(__file__).parent
#: The Jinja environment every template body is compiled in: sandboxed (attribute and call
#: checks at run time, no mutation), undefined variables raise.
ENV = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)
ENV.filters["options"] = lambda options: "\n".join(f"{letter}. {text}" for letter, text in options)
_GLOBALS = dict(ENV.globals)


def fill(template: jinja2.Template, variables: dict[str, Any]) -> str:
    """``template.render(variables)``, twice as fast: the context is built from the variables and
    the environment's globals without the defensive copies ``render`` makes on every call."""
    context = new_context(ENV, template.name, template.blocks, {**_GLOBALS, **variables}, shared=True)
    return concat(template.root_render_func(context))


class _Variables(dict):
    """What a plain body's format string looks names up in: the variables, then the
    environment's globals; a name in neither fails as Jinja's ``StrictUndefined`` does."""

    def __missing__(self, name: str) -> Any:
        if name in _GLOBALS:
            return _GLOBALS[name]
        raise jinja2.UndefinedError(f"{name!r} is undefined")


def _plain_format(tree: jinja_nodes.Template) -> str | None:
    """A body (its Jinja parse) as a ``str.format`` string when it is only text and ``{{ name }}``
    substitutions (most bodies), else None.

    Jinja writes ``str(value)`` for such a substitution and ``format(value, "")`` is the same
    for the values views hold (strings, numbers, lists); the text comes from Jinja's own parse,
    so whitespace and the dropped trailing newline are Jinja's.
    """
    parts: list[str] = []
    for node in tree.body:
        if not isinstance(node, jinja_nodes.Output):
            return None
        for child in node.nodes:
            if isinstance(child, jinja_nodes.TemplateData):
                parts.append(child.data.replace("{", "{{").replace("}", "}}"))
            elif isinstance(child, jinja_nodes.Name) and child.name.isidentifier():
                parts.append("{" + child.name + "}")
            else:
                return None
    return "".join(parts)


#: Jinja nodes that only read the context: a body made of these can render with one context per
#: thread, its variables swapped in (no ``set``, blocks, macros, imports or scope changes).
_READ_ONLY_NODES = (
    jinja_nodes.Template, jinja_nodes.Output, jinja_nodes.TemplateData, jinja_nodes.Name, jinja_nodes.Const,
    jinja_nodes.If, jinja_nodes.Filter, jinja_nodes.Test, jinja_nodes.CondExpr, jinja_nodes.Compare,
    jinja_nodes.Operand, jinja_nodes.BinExpr, jinja_nodes.UnaryExpr, jinja_nodes.List, jinja_nodes.Tuple,
    jinja_nodes.Getattr, jinja_nodes.Getitem, jinja_nodes.Concat, jinja_nodes.Keyword,
)


class Body:
    """A compiled template body: :meth:`render` is ``fill(template, variables)``, rendered by
    ``str.format_map`` when the body is plain (~5x faster than Jinja's generated code), and
    with a reused Jinja context when it only reads variables (no context built per call)."""

    def __init__(self, source: str) -> None:
        self.template = ENV.from_string(source)
        tree = ENV.parse(source)
        self.format = _plain_format(tree)
        self.read_only = all(isinstance(node, _READ_ONLY_NODES) for node in tree.find_all(jinja_nodes.Node))
        self._contexts = threading.local()

    def render(self, variables: dict[str, Any]) -> str:
        if self.format is not None:
            return self.format.format_map(_Variables(variables))
        if not self.read_only:
            return fill(self.template, variables)
        context = getattr(self._contexts, "context", None)
        if context is None:
            context = self._contexts.context = new_context(ENV, self.template.name, self.template.blocks, {}, shared=True)
        context.parent = {**_GLOBALS, **variables}
        return concat(self.template.root_render_func(context))


@dataclass
class Template:
    """One phrasing of one task in one language."""

    id: str
    task: str
    language: str
    prompt: str
    answer: str = "{{ answer }}"
    answer_format: str = "text"
    unit: str = "whole"
    order: str = "instruction_first"
    line: str = ""
    source_file: str = ""
    reference: str = ""

    @cached_property
    def prompt_body(self) -> Body:
        return Body(self.prompt)

    @cached_property
    def answer_body(self) -> Body:
        return Body(self.answer)

    @property
    def prompt_template(self) -> jinja2.Template:
        return self.prompt_body.template

    @property
    def answer_template(self) -> jinja2.Template:
        return self.answer_body.template

    def variables(self) -> set[str]:
        """Undeclared variables of both bodies (what the view must provide)."""
        names = jinja_meta.find_undeclared_variables(ENV.parse(self.prompt))
        names |= jinja_meta.find_undeclared_variables(ENV.parse(self.answer))
        return names

    def codec_context(self, variables: dict[str, Any]) -> dict[str, Any]:
        """What the codec sees: the view's variables and this template's line form."""
        return {**variables, "line": self.line} if self.line else dict(variables)

    def answer_affixes(self, variables: dict[str, Any]) -> tuple[str, str]:
        """The fixed text the answer body puts before and after the codec's text."""
        marker = "\u0000ANSWER\u0000"
        rendered = self.answer_template.render({**variables, "answer": marker})
        before, _, after = rendered.partition(marker)
        return before, after


@dataclass
class RenderedSample:
    """One instruction sample: the conversation and what is needed to score an answer to it."""

    task: str
    category: str
    language: str
    template_id: str
    unit: str
    conversation: list[dict[str, str]]
    answer_format: str
    gold: Any
    parse_context: dict[str, Any] = field(default_factory=dict)


#: Units a template may render (see :mod:`.views`) and the two orders of instruction and input.
UNITS = ("whole", "per_type", "per_relation", "zh2en", "en2zh")
ORDERS = ("instruction_first", "instruction_last")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ANSWER_VAR = re.compile(r"\{\{-?\s*answer\s*-?\}\}")


def unsafe_access(source: str) -> str | None:
    """The first attribute or item access of a body that the sandbox would refuse (a name
    starting with ``_``, e.g. ``cycler.__init__``), or None."""
    for node in ENV.parse(source).find_all((jinja_nodes.Getattr, jinja_nodes.Getitem)):
        name = node.attr if isinstance(node, jinja_nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(name, str) and name.startswith("_"):
            return name
    return None


def check_template(template: Template) -> None:
    """Raise :class:`TemplateError` naming the file, template id and field that is wrong."""
    where = f"{template.source_file}: template {template.id!r}"
    prefix = f"{template.task}-{template.language}-"
    if not template.id.startswith(prefix) or not _NAME.match(template.id[len(prefix):]):
        raise TemplateError(f"{where}: field 'id' must be {prefix}<name> with <name> a lowercase slug")
    try:
        template.prompt_template, template.answer_template  # noqa: B018 - compile now to fail early
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{where}: line {exc.lineno}: {exc.message}") from None
    for field_name in ("prompt", "answer"):
        name = unsafe_access(getattr(template, field_name))
        if name is not None:
            raise TemplateError(f"{where}: field {field_name!r}: access to {name!r} is not allowed in templates (sandboxed)")
    if template.answer_format not in CODECS:
        raise TemplateError(f"{where}: field 'answer_format': unknown codec {template.answer_format!r}; known: {', '.join(CODECS)}")
    if template.unit not in UNITS:
        raise TemplateError(f"{where}: field 'unit' must be one of {UNITS}, got {template.unit!r}")
    if template.order not in ORDERS:
        raise TemplateError(f"{where}: field 'order' must be one of {ORDERS}, got {template.order!r}")
    uses = [n for n in ENV.parse(template.answer).find_all(jinja2.nodes.Name) if n.name == "answer"]
    if len(_ANSWER_VAR.findall(template.answer)) != 1 or len(uses) != 1:
        raise TemplateError(f"{where}: field 'answer' must use {{{{ answer }}}} exactly once")
    if template.line:
        if not CODECS[template.answer_format].typed_lines:
            raise TemplateError(f"{where}: field 'line' only applies to typed answer formats, not {template.answer_format!r}")
        if template.line.count("{key}") != 1 or template.line.count("{value}") != 1:
            raise TemplateError(f"{where}: field 'line' must hold {{key}} and {{value}} once each")
        between = template.line.partition("{key}")[2].partition("{value}")
        if not between[1] or not between[0].strip():
            raise TemplateError(f"{where}: field 'line' needs {{key}} before {{value}} with text (e.g. '：') between them")


#: libyaml's parser when PyYAML has it: every worker process loads all template files at start
#: (57 -> 6 ms), same data as ``yaml.safe_load``.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_file(path: Path) -> list[Template]:
    name = path.name if path.parent.resolve() == TEMPLATE_DIR.resolve() else str(path)  # a user's file: its path
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise TemplateError(f"{name}: invalid YAML: {exc}") from None
    if not isinstance(data, dict) or "templates" not in data:
        raise TemplateError(f"{name}: expected keys task, language, templates")
    task, language = data.get("task"), data.get("language")
    if task not in TASKS:
        raise TemplateError(f"{name}: unknown task {task!r}")
    if language not in ("zh", "en"):
        raise TemplateError(f"{name}: language must be zh or en, got {language!r}")
    templates = []
    for i, raw in enumerate(data["templates"]):
        try:
            template = Template(task=task, language=language, source_file=name, **raw)
        except TypeError as exc:
            raise TemplateError(f"{name}: template #{i}: {exc}") from None
        check_template(template)
        templates.append(template)
    return templates


class TemplateStore:
    """All templates of one or more folders, indexed by (task, language) and by id.

    Args:
        directory: the first folder (default: the bundled templates).
        *more: further folders (a user's templates, see :func:`store_with`); every file is
            checked as the bundled ones are, and an id defined twice raises.
    """

    def __init__(self, directory: Path = TEMPLATE_DIR, *more: Path) -> None:
        self.by_id: dict[str, Template] = {}
        self.by_task: dict[tuple[str, str], list[Template]] = {}
        self._candidates: dict[tuple, list[Template]] = {}
        for folder in (directory, *more):
            self._load_folder(Path(folder))

    def _load_folder(self, directory: Path) -> None:
        for path in sorted(directory.glob("*.yaml")):
            for template in _load_file(path):
                if template.id in self.by_id:
                    raise TemplateError(f"{template.source_file}: template id {template.id!r} also in {self.by_id[template.id].source_file}")
                self.by_id[template.id] = template
                self.by_task.setdefault((template.task, template.language), []).append(template)

    def get(self, template_id: str) -> Template:
        try:
            return self.by_id[template_id]
        except KeyError:
            raise TemplateError(f"unknown template id {template_id!r}") from None

    def for_task(self, task: str, language: str) -> list[Template]:
        return self.by_task.get((task, language), [])

    def candidates(self, task: str, languages: tuple[str, ...], fillable: frozenset[tuple[str, str]]) -> list[Template]:
        """Templates of the task in these languages whose (unit, answer format) is fillable,
        in store order (remembered: records of a dataset keep asking the same question)."""
        key = (task, languages, fillable)
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = [
                t for lang in languages for t in self.for_task(task, lang) if (t.unit, t.answer_format) in fillable
            ]
        return found


def store_with(folder: str | Path) -> TemplateStore:
    """The bundled templates plus a user's folder of template files (``export --templates DIR``).

    Raises:
        TemplateError: the folder does not exist or holds no ``*.yaml``; a file fails the checks
            of :func:`check_template`; a template id is already used (also by a bundled one).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise TemplateError(f"template folder {folder} does not exist")
    if not any(folder.glob("*.yaml")):
        raise TemplateError(f"template folder {folder} holds no *.yaml template file")
    return TemplateStore(TEMPLATE_DIR, folder)


_STORE: TemplateStore | None = None


def default_store() -> TemplateStore:
    """The store of the templates shipped with biocurate (loaded once)."""
    global _STORE
    if _STORE is None:
        _STORE = TemplateStore()
    return _STORE


def prompt_languages(task: str, record: Record) -> list[str]:
    """Which template languages can render a record: both for translation, else its own."""
    return ["zh", "en"] if task == "mt" else [record.language]


def _sample_language(task: str, unit: str, record_language: str) -> str:
    if task == "mt":
        return "zh-en" if unit == "zh2en" else "en-zh"
    return record_language


def render_view(template: Template, view: View, language: str) -> tuple[list[dict[str, str]], Any]:
    """Render one view with one template: the conversation turns and the gold answer."""
    if template.answer_format not in view.golds:
        raise TemplateError(f"template {template.id!r}: view has no gold for answer format {template.answer_format!r}")
    gold = view.golds[template.answer_format]
    codec = CODECS[template.answer_format]
    try:
        prompt = template.prompt_body.render(view.vars)
        text = codec.format(gold, template.language, template.codec_context(view.vars))
        answer = template.answer_body.render({**view.vars, "answer": text})
    except (jinja2.UndefinedError, SecurityError) as exc:
        raise TemplateError(f"template {template.id!r} ({template.source_file}): {exc}") from None
    turns = [{"human": prompt, "assistant": answer}]
    turns += [{"human": h, "assistant": a} for h, a in view.extra_turns]
    return turns, gold


def stable_seed(key: str) -> int:
    """A 64-bit number fixed by ``key`` (blake2b: stable across runs, platforms and Python
    versions, and ~5x cheaper than seeding a ``random.Random`` with a string)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


def seeded_index(key: str, n: int) -> int:
    """A number in ``[0, n)`` fixed by ``key`` (see :func:`stable_seed`)."""
    return stable_seed(key) % n


def render_record(
    record: Record,
    task: str,
    seed: int,
    ctx: ViewContext | None = None,
    store: TemplateStore | None = None,
) -> list[RenderedSample]:
    """Render a record as samples of one fine task with a seeded choice of template.

    Returns one sample for ``whole`` templates and one per type/relation for decomposed ones;
    an empty list when the record has nothing to render for the task (e.g. no relations).

    Raises:
        TemplateError: no template exists for the task and the record's language.
    """
    store = store or default_store()
    ctx = ctx or ViewContext()
    views = views_for(task, record, ctx)
    fillable = frozenset((v.unit, fmt) for v in views for fmt in v.golds)
    candidates = store.candidates(task, tuple(prompt_languages(task, record)), fillable)
    if not candidates:
        if not store.for_task(task, record.language) and task != "mt":
            raise TemplateError(f"no template for task {task!r} in language {record.language!r}")
        return []
    template = candidates[seeded_index(f"{seed}|{record.dataset}|{record.id}|{task}", len(candidates))]
    samples = []
    for view in views:
        if view.unit != template.unit:
            continue
        conversation, gold = render_view(template, view, template.language)
        parse_context = parse_context_of(view)
        samples.append(
            RenderedSample(
                task=task, category=category_of(task), language=_sample_language(task, view.unit, record.language),
                template_id=template.id, unit=view.unit, conversation=conversation,
                answer_format=template.answer_format, gold=gold, parse_context=parse_context,
            )
        )
    return samples


#: Variables an answer body may use besides ``answer`` (they are kept with each sample so the
#: answer's fixed text can be rebuilt at parse time).
PARSE_CONTEXT_KEYS = (
    "choices", "options", "section_names", "types", "relations", "type", "relation", "event_types", "roles",
    "trigger_label",
)


def parse_context_of(view: View) -> dict[str, Any]:
    """The view variables kept with a sample for parsing answers to it."""
    return {k: view.vars[k] for k in PARSE_CONTEXT_KEYS if k in view.vars}


def _strip_affixes(text: str, before: str, after: str) -> str:
    body = text.strip()
    if before.strip():
        match = re.search(loose(before.strip()).removeprefix(r"\s*"), body, re.IGNORECASE)
        if match:
            body = body[match.end():]
    if after.strip():
        match = re.search(loose(after.strip()).removeprefix(r"\s*") + r"\s*$", body, re.IGNORECASE)
        if match:
            body = body[: match.start()]
    return body.strip()


def parse_answer(template: Template, text: str, parse_context: dict[str, Any]) -> Any:
    """Parse a model's answer to a prompt rendered by ``template`` back into the gold structure.

    The answer body's fixed text (e.g. ``上述文本中包含的疾病为：``) is cut first where it is
    found, matched with any spacing and ASCII or full-width punctuation, so ``为:`` matches
    ``为：``. Codecs do not raise on model text (tests fuzz them); a raise is a bug, left for the
    caller to count (``biocurate eval`` reports it as an ``error`` status).
    """
    try:
        before, after = template.answer_affixes(parse_context)
    except jinja2.UndefinedError:
        before, after = "", ""
    body = _strip_affixes(text, before, after)
    return CODECS[template.answer_format].parse(body, template.language, template.codec_context(parse_context))
