"""`wiqnet hash-password`: make the ADMIN_PASSWORD_HASH setting for the coordinator login."""

from __future__ import annotations

import click

from . import main

MIN_LENGTH = 10


@main.command("hash-password")
@click.password_option(
    "--password",
    prompt="Coordinator password",
    help="The password (asked twice, hidden, when not given).",
)
def hash_password(password: str) -> None:
    """Print a hash of the coordinator password for the ADMIN_PASSWORD_HASH setting.

    Put the printed line into the config file (WIQNET_CONFIG) or set
    WIQNET_ADMIN_PASSWORD_HASH; the password itself is stored nowhere.

    Example: wiqnet hash-password
    """
    from werkzeug.security import generate_password_hash

    if len(password) < MIN_LENGTH:
        click.echo(f"Error: use at least {MIN_LENGTH} characters", err=True)
        raise SystemExit(2)
    click.echo(f'admin_password_hash = "{generate_password_hash(password)}"')
