"""The domain core never imports flask or click."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "wiqnet"
CORE = [p for p in PACKAGE.rglob("*.py")
        if not p.relative_to(PACKAGE).parts[0] in ("web", "cli")]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_module_imports_neither_flask_nor_click(path: Path) -> None:
    assert not _imports(path) & {"flask", "flask_babel", "click", "werkzeug"}


def test_cli_does_not_import_flask_and_web_does_not_import_click() -> None:
    cli = list((PACKAGE / "cli").rglob("*.py"))
    web = list((PACKAGE / "web").rglob("*.py"))
    assert not [p for p in cli if _imports(p) & {"flask", "flask_babel"}]
    assert not [p for p in web if "click" in _imports(p)]
