"""The status page: data file, counts, last reload and validation problems."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Blueprint, render_template

from ..errors import DataFileError
from ..model import Directory
from .auth import is_coordinator
from .checks import coverage
from .display import local_now
from .state import current_directory, holder

bp = Blueprint("status", __name__)


def _shown(state: Any) -> Any:
    """Return the state as this visitor may see it: only the coordinator sees the full path."""
    if is_coordinator():
        return state
    name = Path(state.path).name

    def strip(lines: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(line.replace(state.path, name) for line in lines)

    return replace(state, path=name, errors=strip(state.errors), warnings=strip(state.warnings))


@bp.get("/status")
def status() -> tuple[str, int]:
    """Show the data file's state; 503 while no valid data has ever been loaded."""
    directory: Directory | None
    try:
        directory = current_directory()
    except DataFileError:
        directory = None
    state = _shown(holder().state())
    counts = None
    if directory is not None:
        checked, active = coverage(directory, local_now().date())
        counts = {
            "institutions": len(directory.institutions),
            "services": len(directory.services()),
            "links": len(directory.links),
            "quarters": len(directory.quarters),
            "checked": checked,
            "active": active,
        }
    return (
        render_template("status/status.html", state=state, counts=counts, directory=directory),
        200 if directory is not None else 503,
    )
