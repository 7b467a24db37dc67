"""The status page: data file, counts, last reload and validation problems."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..errors import DataFileError
from ..model import Directory
from .state import current_directory, holder

bp = Blueprint("status", __name__)


@bp.get("/status")
def status() -> tuple[str, int]:
    """Show the data file's state; 503 while no valid data has ever been loaded."""
    directory: Directory | None
    try:
        directory = current_directory()
    except DataFileError:
        directory = None
    state = holder().state()
    counts = None
    if directory is not None:
        counts = {"institutions": len(directory.institutions),
                  "services": len(directory.services()), "links": len(directory.links),
                  "quarters": len(directory.quarters)}
    return (render_template("status/status.html", state=state, counts=counts,
                            directory=directory), 200 if directory is not None else 503)
