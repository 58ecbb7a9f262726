"""The shape of the code, kept by tests so it cannot drift back.

- The import graph of the project's modules (imports inside functions included) has no circle, and
  no two apps import each other: imports run one way (views -> use cases -> kernel -> models).
- No private name (``_name``) is imported from another module.
- Only the write kernel (``translations/kernel.py``) writes Translation and Revision rows.
- No app holds more than 40% of the lines.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "workbench",
    "corpus",
    "translations",
    "memory",
    "exchange",
    "quality",
    "alignment",
    "api",
    "editor",
    "jobs",
    "webhooks",
)
KERNEL = "translations.kernel"


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


MODULES = project_modules()


def resolve(name: str) -> str | None:
    """The project module ``name`` refers to (a module, or the package holding a name)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, tree: ast.Module) -> list[tuple[str, list[str], int]]:
    """(imported module, imported names, line) for every import statement, at any depth."""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, [], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [alias.name for alias in node.names]
            found.append((base, names, node.lineno))
            # "from package import module" imports the module
            found.extend((f"{base}.{name}", [], node.lineno) for name in names if f"{base}.{name}" in MODULES)
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for target, _names, _line in imports_of(module, ast.parse(path.read_text())):
            resolved = resolve(target)
            if resolved and resolved != module and not module.startswith(resolved + "."):
                edges[module].add(resolved)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in edges.get(node, ()):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(MODULES):
        if node not in index:
            visit(node)
    return found


def test_the_module_import_graph_has_no_circle():
    assert cycles(graph()) == []


def test_no_two_apps_import_each_other():
    app_edges = defaultdict(set)
    for module, targets in graph().items():
        for target in targets:
            a, b = module.split(".")[0], target.split(".")[0]
            if a != b:
                app_edges[a].add(b)
    both_ways = sorted((a, b) for a in app_edges for b in app_edges[a] if a < b and a in app_edges.get(b, ()))
    assert both_ways == []
    # and the layers: nothing below imports anything above
    assert "quality" not in app_edges or app_edges["quality"] == set()
    for low, high in [
        ("corpus", "translations"),
        ("memory", "translations"),
        ("translations", "exchange"),
        ("webhooks", "jobs"),
        ("webhooks", "translations"),
        ("jobs", "translations"),
        ("jobs", "alignment"),
        ("jobs", "exchange"),
    ]:
        assert high not in app_edges[low], f"{low} imports {high}"


def test_no_private_name_is_imported_across_modules():
    offenders = []
    for module, path in MODULES.items():
        for target, names, line in imports_of(module, ast.parse(path.read_text())):
            if resolve(target) is None:
                continue
            offenders += [f"{module}:{line} imports {target}.{n}" for n in names if n.startswith("_")]
    assert offenders == []


WRITES = {"create", "bulk_create", "update", "bulk_update", "delete", "get_or_create", "update_or_create"}


def direct_writes(tree: ast.Module) -> list[int]:
    """Lines that construct or write Translation/Revision rows: ``Translation(...)``,
    ``Revision.objects...create(...)``, ``translation.save()`` on a name bound to one."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in {"Translation", "Revision"}:
            lines.append(node.lineno)
        elif isinstance(func, ast.Attribute) and func.attr in WRITES:
            chain = func.value
            while isinstance(chain, ast.Call | ast.Attribute):
                chain = chain.func if isinstance(chain, ast.Call) else chain.value
            if isinstance(chain, ast.Name) and chain.id in {"Translation", "Revision"}:
                lines.append(node.lineno)
    return lines


def test_only_the_kernel_writes_translations_and_revisions():
    offenders = {}
    for module, path in MODULES.items():
        if module == KERNEL:
            continue
        found = direct_writes(ast.parse(path.read_text()))
        if found:
            offenders[module] = found
    assert offenders == {}


def test_the_kernel_check_sees_a_write():
    sample = "Translation.objects.filter(pk=1).update(text='x')\nRevision(text='x')\n"
    assert direct_writes(ast.parse(sample)) == [1, 2]


def test_the_cycle_check_sees_a_circle():
    edges = {"corpus.errors": {"corpus.models"}, "corpus.models": {"corpus.errors"}}
    assert cycles(edges) == [["corpus.errors", "corpus.models"]]


def test_no_app_holds_more_than_40_percent_of_the_lines():
    lines = defaultdict(int)
    for module, path in MODULES.items():
        lines[module.split(".")[0]] += len(path.read_text().splitlines())
    total = sum(lines.values())
    assert max(lines.values()) / total <= 0.40, dict(lines)
