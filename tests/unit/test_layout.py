"""The package tree shows the pipeline: imports flow one way, no cycles, no long functions, and an
installed package finds its modules, data files and console commands.

The order (docs/architecture.md draws it): errors <- config <- language <- ingest <- retrieve <- answer
<- pipeline <- the CLI (__main__) <- the package's own __init__ (the public names). A module may import
from its own group and from groups to its left, never from one to its right.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "assistant"
ORDER = ["errors", "config", "language", "ingest", "retrieve", "answer", "pipeline", "__main__", "__init__"]
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the assistant package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _group(module: str) -> str:
    """The stage a module belongs to: its subpackage, or its own name at the top ("assistant" -> __init__)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """Every assistant module `module` imports, anywhere in the file (functions and TYPE_CHECKING too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # "from . import sparse" imports the module assistant.retrieve.sparse
            targets = [source] + [f"{source}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def test_every_module_belongs_to_a_known_stage():
    assert {_group(m) for m in _modules()} <= set(ORDER)


def test_imports_flow_one_way_between_stages():
    wrong = []
    for module, imported in _graph().items():
        for target in imported:
            if target == "assistant":  # the package itself: only __init__-level names, never from inside
                wrong.append(f"{module} imports the package 'assistant'")
            elif ORDER.index(_group(target)) > ORDER.index(_group(module)):
                wrong.append(f"{module} ({_group(module)}) imports {target} ({_group(target)})")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles_between_modules_or_stages():
    graph = _graph()
    stages: dict[str, set[str]] = {}
    for module, imported in graph.items():
        stages.setdefault(_group(module), set()).update(
            _group(t) for t in imported if _group(t) != _group(module)
        )
    for name, edges in (("module", graph), ("stage", stages)):
        cycle = _find_cycle(edges)
        assert cycle is None, f"{name} import cycle: {' -> '.join(cycle)}"


def _find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_function_in_the_assistant_package_is_over_80_lines():
    long = []
    for module, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                lines = node.end_lineno - first + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{module}.{node.name}: {lines} lines")
    assert not long, "\n".join(long)


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_of_the_tree_is_installed():
    include = _pyproject()["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {m for m, p in _modules().items() if p.name == "__init__.py"}
    missing = [p for p in packages if not any(fnmatch.fnmatchcase(p, pattern) for pattern in include)]
    assert packages >= {"assistant.language", "assistant.ingest", "assistant.retrieve", "assistant.answer"}
    assert not missing, f"packages not listed in pyproject.toml: {missing}"


def test_every_data_file_is_package_data():
    patterns = _pyproject()["tool"]["setuptools"]["package-data"]["assistant"]
    files = [p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "data").iterdir() if p.is_file()]
    assert files
    left_out = [f for f in files if not any(fnmatch.fnmatchcase(f, pattern) for pattern in patterns)]
    assert not left_out, f"data files an installed package would lack: {left_out}"


@pytest.mark.parametrize("name", ["grounded-assistant", "grounded-assistant-web"])
def test_console_commands_resolve_to_callables(name):
    target = _pyproject()["project"]["scripts"][name]
    module, _, attr = target.partition(":")
    assert callable(getattr(importlib.import_module(module), attr))


def test_every_file_a_saved_index_key_reads_exists():
    # The key hashes these files' bytes; a path left behind by a move would silently drop one from it.
    from assistant.retrieve.index import keyed_files

    missing = [str(p) for p in keyed_files() if not p.is_file()]
    assert not missing, missing


def test_docs_architecture_names_every_package_and_module():
    # docs/architecture.md draws the tree; a module added or moved without it leaves the drawing wrong.
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for module, path in _modules().items():
        if path.parent.name == "readers":
            continue  # the readers are named as a group, readers/
        name = f"{path.parent.name}/" if path.name == "__init__.py" else path.name
        if path.parent == PACKAGE and path.name == "__init__.py":
            name = "__init__.py"
        if name not in text:
            missing.append(f"{module} ({name})")
    assert not missing, f"not in docs/architecture.md: {missing}"
