"""Named exceptions: every error a user can see derives from WiqnetError."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class WiqnetError(Exception):
    """Base for all errors that wiqnet reports to users as a clean message.

    The message (str) is the English wording for the command line. `code` names the kind of
    error and `params` hold its values, so that another reader's wording (the German web
    pages) is made from them instead of from the English text.
    """

    exit_code = 1
    http_status = 400
    code = "error"

    def __init__(self, message: str = "", *, code: str | None = None, **params: Any) -> None:
        """Keep the English message, the code (default: the class's) and the parameters."""
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = params


class DataFileError(WiqnetError):
    """The data file cannot be read or parsed at all."""

    code = "data_file"
    exit_code = 1


@dataclass(frozen=True, slots=True)
class Problem:
    """One located finding in a data file: an error or a warning."""

    path: str
    line: int
    col: int
    where: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        """Render as `file:line:col: where: message` (a note as `file: message`)."""
        if self.severity == "note":
            return f"{self.path}: {self.message}"
        prefix = f"{self.path}:{self.line}:{self.col}: "
        where = f"{self.where}: " if self.where else ""
        label = "warning: " if self.severity == "warning" else ""
        return f"{prefix}{label}{where}{self.message}"


class ValidationFailed(WiqnetError):
    """The data file parsed, but breaks the schema or the file's rules."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        more = " and more" if any(p.severity == "note" for p in problems) else ""
        super().__init__(
            f"{len(errors)} error(s){more} in the data file", code="invalid", errors=len(errors)
        )


class WriteError(WiqnetError):
    """A file could not be written (disk full, no permission); the old file is unchanged."""

    code = "write"
    exit_code = 1
    http_status = 503


class NotFound(WiqnetError):
    """A requested record (institution, service, need) does not exist."""

    code = "not_found"
    exit_code = 2
    http_status = 404


class UsageError(WiqnetError):
    """A parameter given by the user is malformed."""

    code = "usage"
    exit_code = 2
    http_status = 400


class ConflictError(WiqnetError):
    """A write was refused because the file changed since it was read."""

    code = "conflict"
    exit_code = 3
    http_status = 409


class BusyError(WiqnetError):
    """An expensive resource (the flyer printer) is in use; try again shortly."""

    exit_code = 4
    http_status = 503


class GeocodingError(WiqnetError):
    """The geocoder could not be reached or answered nonsense."""

    code = "geocoding"
    exit_code = 4
    http_status = 502


class TileError(WiqnetError):
    """Map tiles could not be fetched, or a flyer would need too many of them."""

    code = "tiles"
    exit_code = 4
    http_status = 502


class RenderError(WiqnetError):
    """The browser or a converter needed to print a flyer is missing or failed."""

    code = "render"
    exit_code = 5
    http_status = 500
