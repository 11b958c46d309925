"""Gatherers, checks and the scan reach a browser only through accesscheck.engine: no module
outside src/accesscheck/engine/ imports playwright or selenium (read from the source with `ast`)."""

from __future__ import annotations

import ast
from pathlib import Path

import accesscheck

PACKAGE = Path(accesscheck.__file__).parent
ENGINE_LIBRARIES = {"playwright", "selenium", "axe_selenium_python"}


def _imported(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_engine_package_imports_a_browser_library():
    outside = [path for path in PACKAGE.rglob("*.py") if PACKAGE / "engine" not in path.parents]
    offenders = {str(path.relative_to(PACKAGE)): sorted(_imported(ast.parse(path.read_text())) & ENGINE_LIBRARIES)
                 for path in outside}
    assert len(outside) > 50  # the whole package was read, gatherers and checks included
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_engines_do_import_them():
    """The check above would pass on a package that reads nothing: the engines are seen importing."""
    engine = PACKAGE / "engine"
    assert "playwright" in _imported(ast.parse((engine / "playwright.py").read_text()))
    assert "selenium" in _imported(ast.parse((engine / "selenium.py").read_text()))
