"""`wiqnet user add|remove|list|passwd`: the accounts that may edit in the browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from . import Context, main, pass_context, reports_errors

if TYPE_CHECKING:
    from ..accounts import Accounts


def _accounts(ctx: Context) -> Accounts:
    """Return the accounts file of the configured instance folder."""
    from ..accounts import Accounts

    return Accounts(ctx.settings.instance_dir, ctx.settings.admin_password_hash)


@main.group()
def user() -> None:
    """Manage the accounts in INSTANCE_DIR/accounts.json (roles: editor, coordinator).

    Example: wiqnet user add anna --role editor
    """


@user.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["editor", "coordinator"]),
    default="editor",
    show_default=True,
    help="editor: institutions, services, checks; coordinator: also links and accounts.",
)
@click.password_option(
    "--password", prompt="Password", help="The password (asked twice, hidden, when not given)."
)
@pass_context
@reports_errors
def add(ctx: Context, name: str, role: str, password: str) -> None:
    """Create an account.

    Example: wiqnet user add anna --role editor
    """
    accounts = _accounts(ctx)
    account = accounts.add(name, role, password)
    click.echo(f"Added account {account.name} ({account.role}) to {accounts.path}")


@user.command("remove")
@click.argument("name")
@pass_context
@reports_errors
def remove(ctx: Context, name: str) -> None:
    """Delete an account and end its sessions.

    Example: wiqnet user remove anna
    """
    from ..state import StateDB, revoke_account

    accounts = _accounts(ctx)
    accounts.remove(name)
    ended = revoke_account(StateDB(ctx.settings.instance_dir), name)
    click.echo(f"Removed account {name}; ended {ended} session(s)")


@user.command("list")
@pass_context
@reports_errors
def list_(ctx: Context) -> None:
    """List the accounts with their roles.

    Example: wiqnet user list
    """
    accounts = _accounts(ctx)
    found = accounts.all()
    if not found:
        click.echo(f"No accounts in {accounts.path}; add one with 'wiqnet user add NAME'")
    for account in found:
        origin = " (from ADMIN_PASSWORD_HASH)" if account.created == "ADMIN_PASSWORD_HASH" else ""
        click.echo(f"{account.name}\t{account.role}{origin}")


@user.command("passwd")
@click.argument("name")
@click.password_option(
    "--password",
    prompt="New password",
    help="The new password (asked twice, hidden, when not given).",
)
@pass_context
@reports_errors
def passwd(ctx: Context, name: str, password: str) -> None:
    """Set an account's password and end its sessions.

    Example: wiqnet user passwd anna
    """
    from ..state import StateDB, revoke_account

    accounts = _accounts(ctx)
    accounts.set_password(name, password)
    ended = revoke_account(StateDB(ctx.settings.instance_dir), name)
    click.echo(f"New password set for {name}; ended {ended} session(s)")
