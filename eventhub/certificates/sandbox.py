"""The sandbox organizers' certificate templates run in, and the checks made before one is saved.

Pure: no Flask, no database. Templates get plain data (strings, numbers, lists of strings) and an
`ImmutableSandboxedEnvironment` with no loader (so `{% include %}`, `{% import %}` and `{% extends %}`
cannot read any file), no globals but a short `range`, a list of harmless filters, and no way to
spend minutes or gigabytes: numbers given to filters and methods are bounded, loops nest two deep at
most and turn MAX_ITERATIONS times in all, macros, blocks and recursive loops (recursion, or output
captured and multiplied) are refused, string formatting (`str.format`, `%`) is refused, and no
operation – `*`, `+`, `~`, a filter or a method – may produce a value longer than MAX_STRING characters
nor a certificate more than MAX_OUTPUT_CHARS. These bounds make a hostile template fail fast with a
line number; the child process that renders (isolation.py) bounds memory and time whatever slips past.
"""

from __future__ import annotations

import operator
import time
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache, wraps

from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, meta, nodes, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment

# What a certificate template may write, each a string unless said otherwise.
PLACEHOLDERS = frozenset(
    {
        "holder_name",
        "event_name",
        "event_dates",
        "event_venue",
        "date",
        "long_date",  # the date written out: "ngày 07 tháng 12 năm 2026", "7 December 2026"
        "title",
        "kind",
        "kind_label",
        "award",
        "award_level",
        "contest",
        "entry",
        "sessions",
        "session",  # the one workshop a participation certificate is issued for ("" otherwise)
        "contests",  # sessions, contests: lists
        "serial",
        "qr",
        "verify_url",
        "background",
        "signatures",
        "signer_name",
        "signer_title",  # the template's own fields, at most 120 characters each
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
MAX_STRING = 200_000  # characters one value may hold once made by an operation (templates: 100,000)
MAX_ITERATIONS = 10_000  # loop turns in one certificate, all loops together
MAX_OUTPUT_CHARS = 300_000  # the HTML of one certificate (WeasyPrint lays out 100,000 in 1.5 s)
MAX_INT_BITS = 4_096  # integers made by * and ** (a number of 1,233 digits)
# Methods of strings that format, or grow a string by a factor the template chooses.
REFUSED_STR_METHODS = frozenset({"format", "format_map", "translate", "maketrans", "expandtabs"})
# Kinds of problems that organizers read in their language (templates.problem_text).
TOO_LONG, TOO_MANY_TURNS, TOO_MUCH_OUTPUT, FORMATTING = "too_long", "turns", "output", "formatting"
TOO_MANY_ELEMENTS, TOO_DEEP = "elements", "depth"  # checked on the HTML (rendering.py)
TOO_SLOW = "slow_render"  # the render's own time budget (Limits.seconds) ran out
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
class Limits:
    """What one render may spend. Certificates take the defaults (their child process bounds time);
    templates rendered in the caller's process (messages) pass smaller ones and a time budget."""

    turns: int = MAX_ITERATIONS
    string: int = MAX_STRING
    output: int = MAX_OUTPUT_CHARS
    seconds: float | None = None  # wall-clock budget of one render; None: no budget
    filters: tuple[str, ...] = SAFE_FILTERS


CERTIFICATE_LIMITS = Limits()


@dataclass(frozen=True)
class Problem:
    """A reason a template cannot be used, with its line in the HTML when known."""

    message: str
    line: int | None = None
    placeholder: str | None = None
    kind: str | None = None  # a limit that was reached (TOO_LONG, ...; isolation.py adds its own)
    holder: str | None = None  # whose certificate it was, when a job prints many
    worst_case: bool = False  # found with every placeholder at its longest (the save check)
    syntax: bool = False  # Jinja's own syntax error (its English message: templates.syntax_text words it)


class LimitReached(SecurityError):
    """A template asked for more than a certificate may take (text, loop turns, output)."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


def _too_long(what: str = "a value") -> LimitReached:
    return LimitReached(TOO_LONG, f"{what} would be longer than {_limits().string} characters")


def text_size(value, limit: int | None = None, _depth: int = 0) -> int:
    """About how many characters `value` makes as text; stops counting once past `limit`, so that a
    list holding the same long string a thousand times costs no more than the limit to measure."""
    if limit is None:
        limit = _limits().string
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3 + 1
    if isinstance(value, list | tuple | set | frozenset | dict) and _depth < 8:
        items = value.items() if isinstance(value, dict) else value
        total = len(value)
        for item in items:
            total += text_size(item, limit, _depth + 1)
            if total > limit:
                break
        return total
    return 1


def _check_size(value, what: str = "a value"):
    if text_size(value) > _limits().string:
        raise _too_long(what)
    return value


class _Budget:
    """What one rendering has spent (loop turns) and may spend (its Limits, its deadline)."""

    def __init__(self, limits: Limits = CERTIFICATE_LIMITS):
        self.turns = 0
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds if limits.seconds is not None else None

    def check_time(self) -> None:
        """A render that runs out of its time budget stops at its next turn, call or filter: a few
        cheap-looking steps (sorting a long text thousands of times) must not hold a web request."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise LimitReached(TOO_SLOW, f"rendering took longer than {self.limits.seconds:g} seconds")


_budget: ContextVar[_Budget] = ContextVar("certificate_budget")


def _current() -> _Budget:
    budget = _budget.get(None)
    if budget is None:
        budget = _Budget()
        _budget.set(budget)
    return budget


def _limits() -> Limits:
    budget = _budget.get(None)
    return budget.limits if budget is not None else CERTIFICATE_LIMITS


def _check_time() -> None:
    budget = _budget.get(None)
    if budget is not None:
        budget.check_time()


def _spend_turn() -> None:
    budget = _current()
    budget.check_time()
    budget.turns += 1
    if budget.turns > budget.limits.turns:
        raise LimitReached(TOO_MANY_TURNS, f"loops may turn at most {budget.limits.turns} times in all")


@pass_context
def _counted(_context, iterable):
    """Wraps the iterable of every `{% for %}` (see _Sandbox._parse): counts its turns."""
    _check_size(iterable, "the list of a loop")
    for item in iterable:
        _spend_turn()
        yield item


class _Generator(CodeGenerator):
    """`a ~ b` joins through the environment, which measures the parts first."""

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        if frame.eval_ctx.volatile:
            markup = "context.eval_ctx.volatile"
        else:
            markup = "True" if frame.eval_ctx.autoescape else "False"
        self.write(f"environment.concat({markup}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class TemplateRefused(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Sandbox(ImmutableSandboxedEnvironment):
    # Intercepted operators are never computed while compiling either (Jinja folds constants):
    # '%2000000000s' % 'x' would otherwise allocate 2 GB in the web process that checks a template.
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _Generator

    def _parse(self, source, name, filename):
        """The template's tree, every loop's iterable wrapped in `_counted` (turns are counted)."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "eh_counted", [], [], None, None, lineno=loop.lineno)
        return tree

    def wrap_str_format(self, value):
        """Jinja lets `str.format` run sandboxed; here it is refused: '{:>2000000000}'.format('x')."""
        if super().wrap_str_format(value) is None:
            return None

        def refused(*_args, **_kwargs):
            raise LimitReached(FORMATTING, "string formatting (format) is not allowed")

        return refused

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if isinstance(obj, str) and attr in REFUSED_STR_METHODS:
            return False  # '{:>2000000000}'.format('x'), '\t'.expandtabs(…), 'x'.translate({…})
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "%":
            if isinstance(left, str):
                raise LimitReached(FORMATTING, "string formatting with % is not allowed")
            return operator.mod(left, right)
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise SecurityError("the exponent is too large")
            if _is_int(left) and _is_int(right) and left.bit_length() * abs(right) > MAX_INT_BITS:
                raise SecurityError("the number would be too large")
            return operator.pow(left, right)
        if operator_name == "+":
            return _check_size(operator.add(left, right))  # each side is bounded: at most twice
        for sized, times in ((left, right), (right, left)):
            if (
                isinstance(sized, str | list | tuple)
                and _is_int(times)
                and (len(sized) * times > MAX_RESULT_ITEMS or text_size(sized) * times > _limits().string)
            ):
                raise SecurityError("the result would be too large")
        if _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise SecurityError("the number would be too large")
        return operator.mul(left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # Jinja's own signature
        _check_time()
        _check_numbers(args, kwargs)  # 'x'.center(10**9), 'x'.zfill(…) would allocate gigabytes
        _check_growth(getattr(__obj, "__name__", ""), getattr(__obj, "__self__", None), args, kwargs)
        result = _check_size(super().call(__context, __obj, *args, **kwargs))
        _check_time()
        return result

    def concat(self, markup, parts):
        """`a ~ b ~ …`, measured before the parts are joined."""
        total, limit = 0, _limits().string
        for part in parts:
            total += text_size(part)
            if total > limit:
                raise _too_long()
        return markup_join(parts) if markup else str_join(parts)


def _check_growth(name: str, subject, args, kwargs) -> None:
    """Refuses, before it runs, a call whose result could be far longer than what it is given:
    `replace` (every match becomes the new text) and `join` (the separator between every item)."""
    for value in (subject, *args, *kwargs.values()):
        _check_size(value)
    if name == "replace" and len(args) >= 2:
        text, old, new = (subject, *args[:2]) if subject is not None else args[:3]
        if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
            matches = text.count(old) if old else len(text) + 1
            if len(text) + matches * max(len(new) - len(old), 0) > _limits().string:
                raise _too_long()
    elif name in ("join", "do_join"):
        if subject is not None and isinstance(subject, str) and args:
            separator, items = subject, args[0]
        elif args:
            items, separator = args[0], (args[1] if len(args) > 1 else kwargs.get("d", ""))
        else:
            return
        if (
            isinstance(items, list | tuple | set | frozenset)
            and isinstance(separator, str)
            and text_size(items) + len(separator) * max(len(items) - 1, 0) > _limits().string
        ):
            raise _too_long()


def _check_numbers(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            raise SecurityError(f"numbers above {MAX_NUMBER} are not allowed here")


def _bounded(function):
    @wraps(function)  # keeps Jinja's pass_context / pass_environment marks
    def bounded(*args, **kwargs):
        _check_time()
        _check_numbers(args[1:], kwargs)
        given = [a for a in args if not isinstance(a, Environment | Context | EvalContext)]
        _check_growth(function.__name__, None, given, kwargs)
        start = given[2] if len(given) > 2 else kwargs.get("start", 0)
        if function.__name__ == "do_sum" and not isinstance(start, int | float):
            raise SecurityError("sum adds numbers only")  # [[…], […]]|sum(start=[]) grows lists
        result = _check_size(function(*args, **kwargs))
        _check_time()
        return result

    return bounded


def _finalize(value):
    """Every `{{ … }}` goes through here before it becomes text: a list of a thousand long strings
    is refused before it is written out."""
    return _check_size(value)


def _short_range(*args):
    found = range(*args)
    if len(found) > MAX_RANGE:
        raise SecurityError(f"a range may hold at most {MAX_RANGE} numbers")
    return found


@cache
def environment(autoescape: bool = True, filters: tuple[str, ...] = SAFE_FILTERS) -> _Sandbox:
    """The sandbox; `autoescape=False` for plain-text templates (organizers' messages); `filters`: the
    subset of SAFE_FILTERS a template may use."""
    env = _Sandbox(
        autoescape=autoescape, undefined=StrictUndefined, loader=None, auto_reload=False, finalize=_finalize
    )
    env.globals = {"range": _short_range}
    env.filters = {name: _bounded(env.filters[name]) for name in filters if name in SAFE_FILTERS}
    env.filters["eh_counted"] = _counted
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


# Blocks and block assignments capture output as a value (which could then be multiplied); blocks
# can call themselves through `self`. Certificates need neither.
_REFUSED_NODES = (
    (nodes.Block, "blocks"),
    ((nodes.AssignBlock, nodes.FilterBlock), "capturing output ({% set %}…{% endset %}, {% filter %})"),
)


def _loop_depth(node: nodes.Node, depth: int = 0) -> int:
    deepest = depth
    for child in node.iter_child_nodes():
        deepest = max(deepest, _loop_depth(child, depth + isinstance(child, nodes.For)))
    return deepest


def _line_of(ast: nodes.Template, node_types) -> int | None:
    for node in ast.find_all(node_types):
        return getattr(node, "lineno", None)
    return None


def check(html: str, *, placeholders: frozenset[str] = PLACEHOLDERS,
          autoescape: bool = True, limits: Limits = CERTIFICATE_LIMITS) -> list[Problem]:
    """What is wrong with a template before it is rendered: syntax (with its line), files it would
    read, placeholders nobody fills (`placeholders`: the names it may use; certificates' by default),
    filters `limits` leaves out. Empty when it may be used."""
    if len(html) > MAX_TEMPLATE_CHARS:
        return [Problem(f"the template is longer than {MAX_TEMPLATE_CHARS} characters")]
    env = environment(autoescape, limits.filters)
    try:
        ast = env.parse(html)
    except TemplateSyntaxError as exc:
        return [Problem(exc.message or "syntax error", exc.lineno, syntax=True)]
    except (RecursionError, MemoryError):  # (((((… nested thousands deep: Jinja's parser recurses
        return [Problem(f"{NOT_ALLOWED}expressions nested this deep")]
    problems = []
    for node_types, what in _REFUSED_NODES:
        if any(True for _ in ast.find_all(node_types)):
            problems.append(Problem(f"{NOT_ALLOWED}{what}", _line_of(ast, node_types)))
    recursive = [loop for loop in ast.find_all(nodes.For) if loop.recursive]
    if recursive:
        problems.append(Problem(f"{NOT_ALLOWED}recursive loops", recursive[0].lineno))
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
        return [*problems, Problem(exc.message or "syntax error", exc.lineno, syntax=True)]
    except (RecursionError, MemoryError):
        return [*problems, Problem(f"{NOT_ALLOWED}expressions nested this deep")]
    for name in sorted(undeclared - placeholders):
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
def _compiled(html: str, autoescape: bool = True, filters: tuple[str, ...] = SAFE_FILTERS):
    return environment(autoescape, filters).from_string(html)


def render(html: str, context: dict, *, placeholders: frozenset[str] = PLACEHOLDERS,
           autoescape: bool = True, limits: Limits = CERTIFICATE_LIMITS) -> str:
    """The template filled with plain data; TemplateRefused for a bad template or one that tries
    to leave the sandbox. `placeholders` and `autoescape` as for `check`; `limits`: what the render
    may spend (loop turns, text, output, time; certificates' by default)."""
    problems = check(html, placeholders=placeholders, autoescape=autoescape, limits=limits)
    if problems:
        raise TemplateRefused(problems)
    token = _budget.set(_Budget(limits))
    try:
        return _written(_compiled(html, autoescape, limits.filters).generate(**context), limits.output)
    except TemplateSyntaxError as exc:
        raise TemplateRefused([Problem(exc.message or "syntax error", exc.lineno, syntax=True)]) from exc
    except LimitReached as exc:
        raise TemplateRefused([Problem(str(exc), _traceback_line(exc), kind=exc.kind)]) from exc
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
    finally:
        _budget.reset(token)


def _written(chunks, limit: int = MAX_OUTPUT_CHARS) -> str:
    """The rendered text, refused once it passes `limit` characters (checked as it is written)."""
    parts, total = [], 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise LimitReached(TOO_MUCH_OUTPUT, f"the result may be at most {limit} characters")
        parts.append(chunk)
    return "".join(parts)


def _traceback_line(exc: BaseException) -> int | None:
    """The template's line where rendering failed (Jinja rewrites tracebacks to name it)."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
