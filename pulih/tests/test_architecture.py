"""The import graph of the project's apps keeps to docs/architecture.md.

Every module of every app (tests and migrations aside) is parsed with `ast`; each import —
at module level or inside a function — is an arrow from its module to the imported one. The
graph must have no cycle between modules, no cycle between apps, and no arrow between apps
that the document's list does not allow.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
# Every app of the project (a folder with an apps.py): a new app is checked from its first day.
APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


def _modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _imported(module: str, path: Path) -> set[str]:
    """The project modules `module` imports, anywhere in its body."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            names = [target, *(f"{target}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


GRAPH = {module: _imported(module, path) for module, path in MODULES.items()}


def app_of(module: str) -> str:
    if module == "pulih.lib" or module.startswith("pulih.lib."):
        return "pulih.lib"
    return module.partition(".")[0]


def _app_edges() -> dict[tuple[str, str], list[str]]:
    edges = defaultdict(list)
    for module, targets in GRAPH.items():
        for target in targets:
            if app_of(module) != app_of(target):
                edges[app_of(module), app_of(target)].append(f"{module} -> {target}")
    return edges


def allowed_arrows() -> dict[str, set[str]]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"allowed-imports:start -->\s*```text\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md lost its list of allowed imports"
    allowed = {}
    for line in block.group(1).strip().splitlines():
        source, _, targets = line.partition("->")
        allowed[source.strip()] = set(targets.split())
    return allowed


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_imports_inside_functions_too():
    assert "cases.workflow" in GRAPH["cases.views"]
    assert {app_of(m) for m in MODULES} == {*APPS, "pulih.lib"}


def test_no_module_imports_itself_back():
    assert _cycles(GRAPH) == []


def test_no_cycle_between_apps():
    graph = defaultdict(set)
    for source, target in _app_edges():
        graph[source].add(target)
    assert _cycles(graph) == []


def test_the_document_names_every_app():
    assert set(allowed_arrows()) == {*APPS, "pulih.lib"}


def test_every_arrow_between_apps_is_one_the_document_allows():
    allowed = allowed_arrows()
    unexpected = {
        f"{source} -> {target}": sorted(lines)[:3]
        for (source, target), lines in _app_edges().items()
        if target not in allowed[source]
    }
    assert unexpected == {}


def _late_imports(path: Path) -> list[tuple[int, str]]:
    """Imports of project modules inside a function or class body of `path`."""
    late = []
    for outer in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.walk(outer):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                late.append((node.lineno, node.module))
            elif isinstance(node, ast.Import):
                late += [(node.lineno, alias.name) for alias in node.names]
    return late


def test_every_import_from_another_app_is_at_the_top_of_its_module():
    """No hidden arrow: a module names the other apps it needs where a reader looks first. An
    AppConfig's `ready()` is the one exception (models cannot be imported before it runs)."""
    hidden = sorted(
        f"{module}:{line} imports {target}"
        for module, path in MODULES.items()
        if path.name != "apps.py"
        for line, target in _late_imports(path)
        if target.split(".")[0] in {*APPS, "pulih"}
        and app_of(_project_module(target)) != app_of(module)
    )
    assert hidden == []


def _project_module(name: str) -> str:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or "pulih"


def test_pulih_lib_imports_no_app():
    outside = {
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if app_of(module) == "pulih.lib"
        for target in targets
        if app_of(target) != "pulih.lib"
    }
    assert outside == set()
