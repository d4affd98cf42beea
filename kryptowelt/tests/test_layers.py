"""The house's layers: first-party modules import each other without a circle, apps form
layers that point one way, core knows no domain app, and no import hides in a function to
dodge a circle. Run `make layers` to print the app layers this test derives.

Read from the source (ast), so every import counts, wherever it stands; migrations and tests
are left out (a migration may name any app's blocks, a test may use any app)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.name  # "kryptowelt"
# The bottom of the house: shared by every app, importing none of them.
FOUNDATION = {"caching", "core", "text", "charts", "images", "users", "settings"}
# Function-local first-party imports are allowed only where Django asks for them: an
# AppConfig.ready() connecting signals or registering views.
LOCAL_IMPORT_FILES = {"apps.py"}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if "migrations" in parts or "tests" in parts or parts[-1] in {"conftest", "testing"}:
            continue
        name = ".".join((ROOT, *parts))
        modules[name.removesuffix(".__init__")] = path
    return modules


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The first-party module an imported dotted name lives in."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path, modules: dict[str, Path]):
    """(imported module, line, is function-local) for every first-party import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    local_lines = {
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    }
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            if name == ROOT or name.startswith(ROOT + "."):
                target = _resolve(name, modules)
                if target and target != module:
                    yield target, node.lineno, node.lineno in local_lines


def _graph():
    modules = _modules()
    edges: dict[str, set[str]] = defaultdict(set)
    local: list[str] = []
    for module, path in modules.items():
        for target, line, is_local in _imports(module, path, modules):
            edges[module].add(target)
            if is_local and path.name not in LOCAL_IMPORT_FILES:
                local.append(f"{path.relative_to(PACKAGE.parent)}:{line} → {target}")
    return modules, edges, local


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(package)"


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    nodes = set(edges) | {target for targets in edges.values() for target in targets}
    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


def _app_edges(edges) -> dict[str, set[str]]:
    apps: dict[str, set[str]] = defaultdict(set)
    for module, targets in edges.items():
        for target in targets:
            if _app(module) != _app(target):
                apps[_app(module)].add(_app(target))
    return apps


def app_layers() -> list[list[str]]:
    """Apps grouped bottom-up: each layer imports only layers below it."""
    _, edges, _ = _graph()
    apps = _app_edges(edges)
    remaining = set(apps) | {target for targets in apps.values() for target in targets}
    layers = []
    while remaining:
        layer = sorted(app for app in remaining if not (apps.get(app, set()) & remaining))
        if not layer:
            raise AssertionError(f"Apps import each other in a circle: {sorted(remaining)}")
        layers.append(layer)
        remaining -= set(layer)
    return layers


def test_modules_import_each_other_without_a_circle():
    _, edges, _ = _graph()
    assert _cycles(edges) == []


def test_apps_form_layers_that_point_one_way():
    _, edges, _ = _graph()
    assert _cycles(_app_edges(edges)) == []


def test_the_foundation_imports_no_domain_app():
    _, edges, _ = _graph()
    wrong = sorted(
        f"{module} → {target}"
        for module, targets in edges.items()
        if _app(module) in FOUNDATION
        for target in targets
        if _app(target) not in FOUNDATION
    )
    assert wrong == []


def test_no_first_party_import_hides_in_a_function():
    _, _, local = _graph()
    assert local == []


def test_the_graph_is_read_from_the_code():
    """Guards the guards: the graph sees the imports it must see, or the tests above would
    pass on an empty graph."""
    modules, edges, _ = _graph()
    assert "kryptowelt.core.models" in modules
    assert "kryptowelt.caching.scopes" in edges["kryptowelt.caching.remember"]
    assert "kryptowelt.core.models" in edges["kryptowelt.news.models"]
    cycle = _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert cycle == [["a", "b", "c"]]


if __name__ == "__main__":
    for number, layer in enumerate(app_layers()):
        print(f"{number}: {', '.join(layer)}")
