"""The import layering of docs/architecture.md, checked on the source: features import only downwards,
siblings never import each other, no module imports another inside a function (outside the app factory and
the command line), and the module graph has no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "eventhub"

# Lowest first. A module may import from its own group and the groups before it; the modules of one group
# that are features (packages) never import each other.
LAYERS: list[set[str]] = [
    {"config", "extensions", "dbtypes", "errors", "vietnamese", "validation", "i18n", "urls", "storage",
     "spreadsheets", "printing", "hooks", "forms", "converters", "downloads", "inputguard", "health",
     "assets", "deployment", "mail", "ratelimits", "sectors", "paging", "fragments",
     "documents_pool"},
    {"accounts", "audit"},
    {"permissions"},  # roles and grants; a feature's own facts are asked of its objects
    {"events", "access"},  # access: loading an event (or a row of it) for a page, 404 or 403
    {"organizations"},  # one record per organization across the series (issue 19): below the features
    {"jobs"},
    {"registration"},
    {"checkin"},
    {"contests", "booths", "matchmaking"},
    {"certificates"},
    {"badges"},
    {"reports"},
    {"programmes"},  # yearly targets read against the series report (issue 19)
    {"messaging"},  # organizers' messages: above every feature it writes to (issue 18)
    {"surveys", "followups"},  # after the event: surveys and outcome follow-ups (issue 19)
    {"templating", "api", "demo", "backup", "cli", "__init__"},
]
# Entry points that build the app themselves: the Celery worker's module.
ENTRY_POINTS = {"eventhub/jobs/celery_app.py"}
SIBLING_FEATURES = {"contests", "booths", "matchmaking"}
# Where importing inside a function is the point: the app factory and the command line (they import what
# they wire up), and optional third-party packages a deployment may not have installed.
FUNCTION_IMPORTS_ALLOWED_IN = {"eventhub/__init__.py", "eventhub/api/__init__.py", "eventhub/cli.py",
                               "eventhub/registration/cli.py"}
OPTIONAL_PACKAGES = {"boto3", "botocore", "redis", "gunicorn", "celery"}


def _layer_of(top: str) -> int:
    for index, group in enumerate(LAYERS):
        if top in group:
            return index
    raise AssertionError(f"eventhub.{top} is in no layer of tests/core/test_layering.py: place it")


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent)
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
            package = parts
        else:
            package = parts[:-1]
        yield path, ".".join(parts), package, ast.parse(path.read_text(), str(path))


def _targets(node, package: list[str], known: set[str]) -> list[str]:
    """The eventhub modules an import statement names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == "eventhub"]
    if node.level:
        base = package[:len(package) - (node.level - 1)]
        module = ".".join(base + ([node.module] if node.module else []))
    else:
        module = node.module or ""
    if module.split(".")[0] != "eventhub":
        return []
    # `from . import permissions` names modules; `from eventhub import create_app` names a function
    named = [f"{module}.{alias.name}" for alias in node.names]
    return [name if name in known else module for name in named]


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _function_imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    yield inner


def _module_level_imports(tree):
    inside = {id(node) for node in _function_imports(tree)}
    return [node for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in inside]


def _upward_imports(modules) -> list[str]:
    wrong = []
    known = {module for _path, module, _package, _tree in modules}
    for path, module, package, tree in modules:
        if str(path.relative_to(PACKAGE.parent)) in ENTRY_POINTS:
            continue
        source = _top(module)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for target in _targets(node, package, known):
                other = _top(target)
                if other == source:
                    continue
                below = _layer_of(other) < _layer_of(source)
                same_group_allowed = (_layer_of(other) == _layer_of(source)
                                      and not {source, other} <= SIBLING_FEATURES)
                if not (below or same_group_allowed):
                    wrong.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {source} → {target}")
    return wrong


def _imports_inside_functions(modules) -> list[str]:
    wrong = []
    for path, _module, _package, tree in modules:
        name = str(path.relative_to(PACKAGE.parent))
        if name in FUNCTION_IMPORTS_ALLOWED_IN:
            continue
        for node in _function_imports(tree):
            roots = ([alias.name.split(".")[0] for alias in node.names] if isinstance(node, ast.Import)
                     else [(node.module or "").split(".")[0]] if not node.level else ["eventhub"])
            if not set(roots) <= OPTIONAL_PACKAGES:
                wrong.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    return wrong


def _import_cycles(modules) -> list[list[str]]:
    graph: dict[str, set[str]] = {}
    known = {module for _path, module, _package, _tree in modules}
    for _path, module, package, tree in modules:
        edges = graph.setdefault(module, set())
        for node in _module_level_imports(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            for target in _targets(node, package, known):
                while target not in known and "." in target:  # `from .models import X` names a module
                    target = target.rsplit(".", 1)[0]
                if target != module:
                    edges.add(target)
    return _cycles(graph)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component (Tarjan), packages' own __init__ re-exports excluded."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if _is_parent_package(node, nxt):
                continue  # importing a module runs its package's __init__ first: not a cycle of ours
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def _is_parent_package(module: str, target: str) -> bool:
    return module.startswith(target + ".")


def test_features_import_only_downwards():
    wrong = _upward_imports(list(_modules()))
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_no_imports_inside_functions():
    wrong = _imports_inside_functions(list(_modules()))
    assert not wrong, "imports inside functions:\n" + "\n".join(wrong)


def test_no_import_cycles():
    cycles = _import_cycles(list(_modules()))
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(cycle) for cycle in cycles)


def _fake(path: str, source: str):
    parts = path.removesuffix(".py").split("/")
    return PACKAGE.parent / path, ".".join(parts), parts[:-1], ast.parse(source)


def test_the_checks_see_what_they_forbid():
    """The three checks on a made-up package: they must flag what the real tree must not contain."""
    modules = [
        _fake("eventhub/accounts/models.py", "from ..contests.models import Entry\n"),
        _fake("eventhub/contests/models.py", "from ..booths import models\n"),
        _fake("eventhub/booths/models.py", "def f():\n    from ..events import models\n"),
        _fake("eventhub/events/models.py", "from ..accounts.models import User\n"),
        _fake("eventhub/events/a.py", "from .b import x\n"),
        _fake("eventhub/events/b.py", "from .a import y\n"),
    ]
    assert _upward_imports(modules) == [
        "eventhub/accounts/models.py:1 accounts → eventhub.contests.models",
        "eventhub/contests/models.py:1 contests → eventhub.booths.models",
    ]
    assert _imports_inside_functions(modules) == ["eventhub/booths/models.py:2 from ..events import models"]
    assert _import_cycles(modules) == [["eventhub.events.a", "eventhub.events.b"]]
