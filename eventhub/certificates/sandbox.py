"""The sandbox organizers' certificate templates run in, and the checks made before one is saved.

Pure: no Flask, no database. Templates get plain data (strings, numbers, lists of strings) and an
`ImmutableSandboxedEnvironment` with no loader (so `{% include %}`, `{% import %}` and `{% extends %}`
cannot read any file), no globals but a short `range`, a list of harmless filters, and no way to
spend minutes or gigabytes: numbers given to filters and methods are bounded, `*` cannot make long
strings, loops nest two deep at most, and macros (recursion) are refused.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import cache, lru_cache, wraps

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

# What a certificate template may write, each a string unless said otherwise.
PLACEHOLDERS = frozenset(
    {
        "holder_name",
        "event_name",
        "event_dates",
        "event_venue",
        "date",
        "title",
        "kind",
        "kind_label",
        "award",
        "award_level",
        "contest",
        "entry",
        "sessions",
        "contests",  # sessions, contests: lists
        "serial",
        "qr",
        "verify_url",
        "background",
        "signatures",
        "locale",  # signatures: list of URLs
    }
)
MAX_TEMPLATE_CHARS = 100_000
NO_INCLUDES = "templates may not include, import or extend other templates"
NOT_ALLOWED = "not allowed: "
MAX_RESULT_ITEMS = 2_000  # characters or items one `*` may make
MAX_NUMBER = 10_000  # the largest number a filter or method may be given (widths, counts)
MAX_RANGE = 1_000
MAX_LOOP_DEPTH = 2
SAFE_FILTERS = (
    "abs",
    "capitalize",
    "default",
    "d",
    "e",
    "escape",
    "first",
    "last",
    "float",
    "int",
    "join",
    "length",
    "count",
    "list",
    "lower",
    "upper",
    "title",
    "trim",
    "round",
    "replace",
    "string",
    "striptags",
    "sort",
    "unique",
    "reverse",
    "truncate",
    "wordcount",
    "safe",
    "min",
    "max",
    "sum",
)


@dataclass(frozen=True)
class Problem:
    """A reason a template cannot be used, with its line in the HTML when known."""

    message: str
    line: int | None = None
    placeholder: str | None = None


class TemplateRefused(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise SecurityError("the exponent is too large")
            return operator.pow(left, right)
        for sized, times in ((left, right), (right, left)):
            if (
                isinstance(sized, str | list | tuple)
                and isinstance(times, int)
                and len(sized) * times > MAX_RESULT_ITEMS
            ):
                raise SecurityError("the result would be too large")
        return operator.mul(left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # Jinja's own signature
        _check_numbers(args, kwargs)  # 'x'.center(10**9), 'x'.zfill(…) would allocate gigabytes
        return super().call(__context, __obj, *args, **kwargs)


def _check_numbers(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            raise SecurityError(f"numbers above {MAX_NUMBER} are not allowed here")


def _bounded(function):
    @wraps(function)  # keeps Jinja's pass_context / pass_environment marks
    def bounded(*args, **kwargs):
        _check_numbers(args[1:], kwargs)
        return function(*args, **kwargs)

    return bounded


def _short_range(*args):
    found = range(*args)
    if len(found) > MAX_RANGE:
        raise SecurityError(f"a range may hold at most {MAX_RANGE} numbers")
    return found


@cache
def environment() -> _Sandbox:
    env = _Sandbox(autoescape=True, undefined=StrictUndefined, loader=None, auto_reload=False)
    env.globals = {"range": _short_range}
    env.filters = {name: _bounded(env.filters[name]) for name in SAFE_FILTERS}
    env.tests = {
        name: env.tests[name]
        for name in (
            "defined",
            "undefined",
            "none",
            "string",
            "number",
            "sequence",
            "eq",
            "ne",
            "in",
            "odd",
            "even",
        )
    }
    return env


def _loop_depth(node: nodes.Node, depth: int = 0) -> int:
    deepest = depth
    for child in node.iter_child_nodes():
        deepest = max(deepest, _loop_depth(child, depth + isinstance(child, nodes.For)))
    return deepest


def _line_of(ast: nodes.Template, node_types) -> int | None:
    for node in ast.find_all(node_types):
        return getattr(node, "lineno", None)
    return None


def check(html: str) -> list[Problem]:
    """What is wrong with a template before it is rendered: syntax (with its line), files it would
    read, placeholders nobody fills. Empty when it may be used."""
    if len(html) > MAX_TEMPLATE_CHARS:
        return [Problem(f"the template is longer than {MAX_TEMPLATE_CHARS} characters")]
    env = environment()
    try:
        ast = env.parse(html)
    except TemplateSyntaxError as exc:
        return [Problem(exc.message or "syntax error", exc.lineno)]
    problems = []
    if list(meta.find_referenced_templates(ast)):
        problems.append(
            Problem(
                NO_INCLUDES,
                _line_of(ast, (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)),
            )
        )
    if any(True for _ in ast.find_all((nodes.Macro, nodes.CallBlock))):
        problems.append(Problem(f"{NOT_ALLOWED}macros", _line_of(ast, (nodes.Macro, nodes.CallBlock))))
    if _loop_depth(ast) > MAX_LOOP_DEPTH:
        problems.append(
            Problem(f"{NOT_ALLOWED}loops nested more than {MAX_LOOP_DEPTH} deep", _line_of(ast, nodes.For))
        )
    try:
        undeclared = meta.find_undeclared_variables(ast)
    except TemplateSyntaxError as exc:  # an unknown filter or test: found when compiling
        return [*problems, Problem(exc.message or "syntax error", exc.lineno)]
    for name in sorted(undeclared - PLACEHOLDERS):
        line = next((n.lineno for n in ast.find_all(nodes.Name) if n.name == name), None)
        problems.append(Problem(f"unknown placeholder: {name}", line, placeholder=name))
    return problems


def placeholders_of(html: str) -> set[str]:
    """The placeholders a (syntactically valid) template uses."""
    try:
        return set(meta.find_undeclared_variables(environment().parse(html)))
    except TemplateSyntaxError:
        return set()


@lru_cache(maxsize=32)
def _compiled(html: str):
    return environment().from_string(html)


def render(html: str, context: dict) -> str:
    """The template filled with plain data; TemplateRefused for a bad template or one that tries
    to leave the sandbox."""
    problems = check(html)
    if problems:
        raise TemplateRefused(problems)
    try:
        return _compiled(html).render(**context)
    except TemplateSyntaxError as exc:
        raise TemplateRefused([Problem(exc.message or "syntax error", exc.lineno)]) from exc
    except SecurityError as exc:
        raise TemplateRefused([Problem(f"{NOT_ALLOWED}{exc}", _traceback_line(exc))]) from exc
    except (
        TemplateError,
        ArithmeticError,
        TypeError,
        ValueError,
        LookupError,
        AttributeError,
        RuntimeError,
        MemoryError,
    ) as exc:
        raise TemplateRefused([Problem(f"{type(exc).__name__}: {exc}", _traceback_line(exc))]) from exc


def _traceback_line(exc: BaseException) -> int | None:
    """The template's line where rendering failed (Jinja rewrites tracebacks to name it)."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
