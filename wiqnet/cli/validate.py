"""`wiqnet validate`: check the data file and report every problem in one run."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import DataFileError, Problem
from . import Context, main, pass_context, printable, reports_errors


def _plural(count: int, word: str) -> str:
    """Return '1 error' or '2 errors'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def _counts(data: Any) -> str:
    """Count institutions, services and links in the raw data."""
    data = data if isinstance(data, dict) else {}
    institutions = data.get("institutions")
    institutions = institutions if isinstance(institutions, list) else []
    services = sum(
        len(i["services"])
        for i in institutions
        if isinstance(i, dict) and isinstance(i.get("services"), list)
    )
    links = data.get("links")
    return (
        f"{_plural(len(institutions), 'institution')}, {_plural(services, 'service')}, "
        f"{_plural(len(links) if isinstance(links, list) else 0, 'link')}"
    )


def _vocabulary_problems(data_path: str) -> list[Problem]:
    """Return the problems of the vocabulary file next to the data file (none if absent)."""
    from ..datafile import load_yaml
    from ..search import path_for, validate_vocabulary

    path = path_for(data_path)
    if not path.is_file():
        return []
    try:
        return validate_vocabulary(load_yaml(path))
    except DataFileError as exc:
        return [Problem(str(path), 1, 1, "", str(exc).split(": ", 1)[-1])]


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=True))
@pass_context
@reports_errors
def validate(ctx: Context, path: str | None) -> None:
    """Check the data file: schema, unique ids, need keys, links, hours, contacts.

    Also checks the search vocabulary (vocabulary.yaml) next to the data file, if any.
    Prints every problem as `file:line:col: where: message`, then a summary.
    Exit code 1 if there are errors, 0 if there are only warnings or none.
    PATH defaults to the data file (--data or WIQNET_DATA).

    Example: wiqnet validate data/institutions.yaml
    """
    from ..datafile import load_yaml, validate_document

    target = path or ctx.data_path
    try:
        doc = load_yaml(target)
    except DataFileError as exc:
        click.echo(printable(str(exc)))
        click.echo("1 error, 0 warnings: the file cannot be read")
        sys.exit(1)
    problems = validate_document(doc) + _vocabulary_problems(target)
    for problem in problems:
        click.echo(printable(str(problem)))
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    more = (
        " and more"
        if any(p.severity == "note" and "more errors" in p.message for p in problems)
        else ""
    )
    if errors:
        click.echo(f"{_plural(errors, 'error')}{more}, {_plural(warnings, 'warning')}")
        sys.exit(1)
    suffix = f"; {_plural(warnings, 'warning')}" if warnings else ""
    click.echo(f"OK: {_counts(doc.data)}{suffix}")
