"""The `wiqnet` command: a click group; each area's commands live in their own module."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from ..config import Settings, load_settings
from ..errors import ValidationFailed, WiqnetError

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """What every command gets: the effective settings and the data path."""

    def __init__(self, data: str | None) -> None:
        overrides = {"DATA": data} if data else None
        self.settings: Settings = load_settings(overrides)

    @property
    def data_path(self) -> str:
        """Return the data file path."""
        return self.settings.data

    def directory(self) -> Any:
        """Load the directory from the data path."""
        from ..datafile import load_directory

        return load_directory(self.data_path)


def printable(text: str) -> str:
    """Return text with control characters (terminal escapes, bidi overrides) spelled out."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() or c in "\n\t" else c.encode("unicode_escape").decode() for c in text
    )


def reports_errors(func: F) -> F:
    """Turn WiqnetError into a clean message on stderr and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            for problem in exc.problems:
                click.echo(printable(str(problem)), err=True)
            click.echo(f"Error: {exc}; run 'wiqnet validate' for details", err=True)
            sys.exit(exc.exit_code)
        except WiqnetError as exc:
            click.echo(f"Error: {printable(str(exc))}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    metavar="PATH",
    envvar="WIQNET_DATA",
    help="Data file (default: data/institutions.yaml, or $WIQNET_DATA).",
)
@click.version_option(package_name="wiqnet")
@click.pass_context
@reports_errors
def main(ctx: click.Context, data: str | None) -> None:
    """wiqnet: the referral directory and cooperation network of WiQ Krefeld.

    Example: wiqnet --data data/institutions.yaml validate
    """
    ctx.obj = Context(data)


pass_context = click.make_pass_decorator(Context)


def _register() -> None:
    """Import the command modules so that they attach themselves to `main`."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


_register()
