"""`wiqnet serve`: run the web app (development server, or gunicorn with --production)."""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

import click

from . import Context, main, pass_context, reports_errors

APP_FACTORY = "wiqnet.web:create_app()"
# gunicorn's server hooks (gc.freeze before the workers fork).
HOOKS = "wiqnet.cli.gunicorn_config"


def gunicorn_command(host: str, port: int, workers: int, threads: int) -> list[str]:
    """Return the gunicorn command line that serves the app factory."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--limit-request-line",
        "8190",
        "--preload",
        "--graceful-timeout",
        "10",
        "--log-level",
        "warning",
        "--config",
        f"python:{HOOKS}",
        APP_FACTORY,
    ]


_QUERY = re.compile(r"\?[^\s'\"]*")


def without_queries(record: logging.LogRecord) -> bool:
    """Cut the query string (a family's search) out of a logged request line; keep the record."""
    message = record.getMessage()
    if "?" in message:
        record.msg, record.args = _QUERY.sub("?…", message), None
    return True


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 shares it on the local network.",
)
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
@click.option(
    "--production",
    is_flag=True,
    help="Serve with gunicorn (several workers) instead of the development server.",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="gunicorn worker processes (with --production).",
)
@click.option(
    "--threads",
    default=16,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per gunicorn worker (with --production).",
)
@pass_context
@reports_errors
def serve(ctx: Context, host: str, port: int, production: bool, workers: int, threads: int) -> None:
    """Serve the directory in the browser; edits to the data file show up without a restart.

    Without --production this is Flask's development server for a single user.
    Debug mode is always off. Stop it with Ctrl+C.

    Example: wiqnet serve --production --port 8000
    """
    directory = ctx.directory()
    data = str(Path(ctx.data_path).resolve())
    click.echo(
        f"wiqnet: {len(directory.institutions)} institutions, "
        f"{len(directory.services())} services from {data}"
    )
    click.echo(f"Open http://{host}:{port}/ in your browser (Ctrl+C stops the server).")
    if production:
        env = {**os.environ, "WIQNET_DATA": data}
        sys.stdout.flush()
        os.execvpe(sys.executable, gunicorn_command(host, port, workers, threads), env)
    from ..web import create_app

    quiet = logging.getLogger("werkzeug")
    quiet.setLevel(logging.WARNING)  # no request lines: no queries logged
    quiet.addFilter(without_queries)  # nor in the errors about malformed requests
    create_app({"DATA": data}).run(host=host, port=port, debug=False, use_reloader=False)
