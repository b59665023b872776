"""Commands for the protection key: make a key file, see what each case's key guards, rotate.

Each command calls one service of :mod:`enquiry.app.atrest` and formats its result.
"""

from __future__ import annotations

from pathlib import Path

import click

from enquiry.app import atrest as service
from enquiry.cli import App, echo, echo_json, pass_app, safe


@click.group("protection")
def protection() -> None:
    """The key that protected evidence is encrypted under (see docs/protection.md)."""


@protection.command("keyfile")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def protection_keyfile(path: Path) -> None:
    """Write a new random key file for ENQUIRY_PROTECTION_KEY_FILE (never into the home)."""
    made = service.new_key_file(path)
    echo(f"key file written: {safe(str(made))} (readable by you only; keep it off the home)")


@protection.command("status")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def protection_status(app: App, as_json: bool) -> None:
    """Per case: whether it has a key, how the key is wrapped, how many items it guards."""
    rows = service.key_status(app)
    if as_json:
        echo_json([r.__dict__ for r in rows])
        return
    for row in rows:
        key = f"key ({row.method})" if row.has_key else "no key yet"
        echo(f"{safe(row.case)}: {key}; {row.encrypted} encrypted, {row.sealed} sealed")


@protection.command("rotate")
@click.option("--case", "case", required=True)
@click.option(
    "--new-key-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The new key file (the current key is given in the environment as usual).",
)
@click.option(
    "--new-passphrase-env",
    default=None,
    metavar="VAR",
    help="The name of an environment variable holding the new passphrase.",
)
@pass_app
def protection_rotate(
    app: App, case: str, new_key_file: Path | None, new_passphrase_env: str | None
) -> None:
    """Wrap a case's key under a new key file or passphrase; no content is re-encrypted."""
    method = service.rotate_key(
        app, case, new_key_file=new_key_file, new_passphrase_env=new_passphrase_env
    )
    echo(f"case {safe(case)}: key re-wrapped ({method}); no content re-encrypted")


def register(main: click.Group) -> None:
    """Add the protection commands to the main group."""
    main.add_command(protection)
