"""Commands for accounts: users, their roles on cases, and API tokens.

The command line acts as the home's administrator, so these commands manage who may do what in
the web app and the API; each calls one service of :mod:`enquiry.app.accounts`, which records
the change in the ledger under the ``--as`` name. A command run with an account's token
(``ENQUIRY_TOKEN``) acts as that account instead, and these services refuse what it may not do.
"""

from __future__ import annotations

import sys
from dataclasses import asdict

import click

from enquiry.app import accounts as service
from enquiry.app.access import Role
from enquiry.app.context import TOKEN_ENV, same_account
from enquiry.cli import App, echo, echo_json, pass_app, safe
from enquiry.errors import BadRequest

ROLES = [r.value for r in Role]


def read_password(*, confirm: bool = True) -> str:
    """A password: prompted (twice) on a terminal, else one line read from standard input, so
    that a script can pipe it in without it showing in the process list."""
    if sys.stdin.isatty():
        return str(click.prompt("password", hide_input=True, confirmation_prompt=confirm))
    line = sys.stdin.readline()
    if not line:
        raise BadRequest("password: expected one line on standard input, got none")
    return line.rstrip("\r\n")


def _roles(view: service.UserView) -> str:
    return ", ".join(f"{safe(c)}: {r}" for c, r in view.roles.items()) or "no case"


@click.group("users")
def users() -> None:
    """Accounts for the web app and the API, and their roles on cases (docs/web.md)."""


@users.command("add")
@click.argument("name")
@click.option("--admin", is_flag=True, help="The home's administrator: every right on every case.")
@pass_app
def users_add(app: App, name: str, admin: bool) -> None:
    """Create the account NAME; its password is prompted, or read as one line from stdin."""
    view = service.add_user(app, name, read_password(), admin=admin)
    echo(f"user {safe(view.name)} added" + (" (administrator)" if view.admin else ""))
    if app.principal.user_id is None and same_account(app.actor, view.name):
        # The administrator made an account under the name they act by: from the next command
        # on, that name is the account's, and the command line takes it only with a token.
        echo(
            f"the command line now acts as '{safe(view.name)}' only with one of the account's"
            f" tokens in {TOKEN_ENV} (enquiry tokens create {safe(view.name)});"
            " else name yourself with --as NAME",
            err=True,
        )


@users.command("grant")
@click.argument("name")
@click.argument("case")
@click.argument("role", type=click.Choice(ROLES, case_sensitive=False))
@click.option(
    "--see-protected",
    is_flag=True,
    help="Also the right to see protected witnesses' identities on this case (logged each time).",
)
@pass_app
def users_grant(app: App, name: str, case: str, role: str, see_protected: bool) -> None:
    """Give NAME the ROLE on CASE (owner, investigator, analyst, reviewer or viewer)."""
    view = service.grant(app, name, case, role, see_protected=see_protected)
    echo(f"user {safe(view.name)}: {_roles(view)}")


@users.command("revoke")
@click.argument("name")
@click.argument("case")
@pass_app
def users_revoke(app: App, name: str, case: str) -> None:
    """Withdraw NAME's role on CASE."""
    view = service.revoke(app, name, case)
    echo(f"user {safe(view.name)}: {_roles(view)}")


@users.command("disable")
@click.argument("name")
@pass_app
def users_disable(app: App, name: str) -> None:
    """Disable NAME's account: sessions end, tokens stop; the name stays in the ledger."""
    service.disable_user(app, name)
    echo(f"user {safe(name)} disabled")


@users.command("password")
@click.argument("name")
@pass_app
def users_password(app: App, name: str) -> None:
    """Set NAME's password (prompted, or one line on stdin); their sessions end."""
    service.set_password(app, name, read_password())
    echo(f"user {safe(name)}: password set")


@users.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def users_list(app: App, as_json: bool) -> None:
    """Every account with its roles."""
    views = service.list_users(app)
    if as_json:
        echo_json([asdict(v) for v in views])
        return
    for view in views:
        flags = " (administrator)" if view.admin else ""
        flags += " (disabled)" if view.disabled else ""
        echo(f"{safe(view.name)}{flags}: {_roles(view)}")


@click.group("tokens")
def tokens() -> None:
    """Bearer tokens for the API (stored hashed; shown once)."""


@tokens.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (shown in tokens list).")
@pass_app
def tokens_create(app: App, name: str, label: str) -> None:
    """Make an API token for NAME; it is printed alone on the last line, once."""
    made = service.create_token(app, name, label)
    echo(f"token {made.view.id} ({made.view.prefix}…) for {safe(made.view.user)}:", err=True)
    echo(made.token)


@tokens.command("list")
@click.option("--user", "name", default=None)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def tokens_list(app: App, name: str | None, as_json: bool) -> None:
    """Tokens by number and prefix (never the token itself)."""
    views = service.list_tokens(app, name)
    if as_json:
        echo_json([asdict(v) for v in views])
        return
    for view in views:
        state = "revoked" if view.revoked else "active"
        label = f" {safe(view.label)}" if view.label else ""
        maker = f" made by {safe(view.made_by)}" if view.made_by else ""
        echo(f"{view.id} {view.prefix}… {safe(view.user)} {state} {view.created_at}{maker}{label}")


@tokens.command("revoke")
@click.argument("token")
@pass_app
def tokens_revoke(app: App, token: str) -> None:
    """Revoke TOKEN (its number, its prefix, or the token itself)."""
    view = service.revoke_token(app, token)
    echo(f"token {view.id} ({view.prefix}…) of {safe(view.user)} revoked")


def register(main: click.Group) -> None:
    """Add the account commands to the main group."""
    main.add_command(users)
    main.add_command(tokens)
