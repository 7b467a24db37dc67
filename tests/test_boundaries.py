"""The domain core never imports flask or click; cli/ and web/ use only public package names."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "wiqnet"
CORE = [p for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).parts[0] not in ("web", "cli")]


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


PUBLIC_PACKAGES = ("datafile", "network", "maps", "flyer", "search", "importers")


def _package_imports(path: Path) -> list[tuple[str, str, int]]:
    """Return (package, name, line) for each import of wiqnet.<package> or a submodule of it."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names
                      if alias.name.split(".")[:2][-1] in PUBLIC_PACKAGES]
        elif isinstance(node, ast.ImportFrom):
            base = module.split(".")[:len(module.split(".")) - node.level] if node.level else []
            target = ".".join(base + (node.module.split(".") if node.module else []))
            found += [(target, alias.name, node.lineno) for alias in node.names]
    return [(target, name, line) for target, name, line in found
            if target.split(".")[:2] in ([["wiqnet", p] for p in PUBLIC_PACKAGES])
            or target == "wiqnet" and name in PUBLIC_PACKAGES]


EDGES = [p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] in ("web", "cli")]


@pytest.mark.parametrize("path", EDGES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_cli_and_web_use_only_the_public_names_of_the_packages(path: Path) -> None:
    wrong = []
    for target, name, line in _package_imports(path):
        package = importlib.import_module(target) if target.count(".") == 1 else None
        if package is None or name not in package.__all__:
            wrong.append(f"{path.name}:{line}: {target} {name}".strip())
    assert not wrong, "import the package's public names instead: " + "; ".join(wrong)


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_public_names_exist(package: str) -> None:
    module = importlib.import_module(f"wiqnet.{package}")
    assert all(hasattr(module, name) for name in module.__all__)


HEAVY = ("folium", "branca", "geopy", "matplotlib", "scipy", "playwright", "networkx", "numpy",
         "jinja2", "jsonschema", "PIL", "flask", "ruamel")


def test_the_command_line_starts_without_heavy_libraries() -> None:
    code = ("import sys, wiqnet.cli; "
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert not set(HEAVY) & set(loaded)


def test_a_search_does_not_load_the_file_writer() -> None:
    code = ("import sys, wiqnet.search.engine; "
            "print(\" \".join(sorted(m for m in sys.modules if m.startswith(\"wiqnet\"))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert "wiqnet.datafile.edit" not in loaded and "wiqnet.datafile.validate" not in loaded
