"""The shape of the code: no import cycles, and the importers independent of the rest of the glossary.

Imports are read from the source (ast), as the modules state them at module
level: an import inside a function runs when the function does, which is how
the command line defers its heavy modules and the application factory loads
its blueprints, so it cannot make a cycle at import time.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support import ROOT

PACKAGES = ("glossary", "importers")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}


def module_level_imports(name: str) -> set[str]:
    """The project's modules that ``name`` imports when it is imported."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _module_level(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # "from . import x" imports the module x when there is one, else a name of the package
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found.update(target for target in targets if target in MODULES)
    return found - {name}


def _module_level(tree: ast.Module):
    """The statements that run on import: the module's own, and those under if/try at module level."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.If, ast.Try)):
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
                continue  # read by type checkers only
            pending += node.body + node.orelse + getattr(node, "finalbody", []) + [
                statement for handler in getattr(node, "handlers", []) for statement in handler.body]
        else:
            yield node


def test_the_graph_is_read_from_every_module():
    graph = {name: module_level_imports(name) for name in MODULES}
    assert "glossary.model" in graph["importers.registry"]
    assert "glossary.app" in graph["glossary.api"]
    assert {"glossary.cli.browse", "glossary.cli.authoring"} <= graph["glossary.cli"]


def test_there_are_no_import_cycles():
    graph = {name: module_level_imports(name) for name in MODULES}
    state: dict[str, str] = {}
    cycles = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for imported in sorted(graph[name]):
            if state.get(imported) == "open":
                cycles.append(path[path.index(imported):] + [imported])
            elif imported not in state:
                visit(imported, [*path, imported])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_importers_take_only_the_model_and_the_limits_from_the_glossary():
    for name, path in MODULES.items():
        if name.startswith("importers"):
            imported = _all_imports(path)
            assert {module for module in imported if module.startswith("glossary")} <= {"glossary.model", "glossary.limits"}, name
    assert module_level_imports("glossary.limits") == set()  # the limits stand alone


def test_only_importing_imports_the_importers():
    importing = {name for name, path in MODULES.items()
                 if name.startswith("glossary") and any(m.startswith("importers") for m in _all_imports(path))}
    assert importing == {"glossary.importing"}


def _all_imports(path: Path) -> set[str]:
    """Every absolute module a file imports, in functions too."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_test_modules_import_no_other_test_module_nor_conftest():
    """Fixtures live in conftest.py, builders and servers in support.py; a test module imports no other."""
    tests = {path.stem for path in (ROOT / "tests").glob("test_*.py")} | {"conftest"}
    for path in (ROOT / "tests").glob("test_*.py"):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                imported.add((node.module or "").partition(".")[0])
        assert not imported & tests, f"{path.name} imports the test modules {sorted(imported & tests)}"
