"""The `wiqnet` group itself: --version reads the one version in pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

import wiqnet
from wiqnet.cli import main

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_version_is_the_one_in_pyproject() -> None:
    version = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    assert wiqnet.__version__ == version
    result = CliRunner().invoke(main, ["--version"], prog_name="wiqnet")
    assert result.exit_code == 0
    assert result.output == f"wiqnet, version {version}\n"


def test_unknown_attribute_of_the_package_is_an_attribute_error() -> None:
    assert not hasattr(wiqnet, "no_such_name")
