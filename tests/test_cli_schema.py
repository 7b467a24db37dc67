"""`wiqnet schema`: the installed JSON Schema of the data file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wiqnet.cli import main


def test_schema_path_names_the_installed_schema_file() -> None:
    result = CliRunner().invoke(main, ["schema", "--path"])
    assert result.exit_code == 0
    path = Path(result.output.strip())
    assert path.is_absolute() and path.name == "institutions.schema.json"
    assert json.loads(path.read_text(encoding="utf-8"))["type"] == "object"


def test_schema_prints_the_schema_itself() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["properties"]["institutions"]
