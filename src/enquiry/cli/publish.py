"""Commands of the publishing family: signing keys, bundles, backup and restore.

Each command calls one service of :mod:`enquiry.app.keys` or :mod:`enquiry.app.bundles`. A
key's passphrase comes from ``ENQUIRY_KEY_PASSPHRASE`` or is asked for on the terminal; it is
never an option, so it stays out of shell histories and process lists.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from enquiry.app import bundles, keys
from enquiry.cli import App, echo, echo_json, pass_app, safe
from enquiry.cli.progress import BarProgress


def _passphrase(*, confirm: bool = False) -> str:
    given = os.environ.get(keys.PASSPHRASE_ENV)
    if given is not None:
        return given
    return str(click.prompt("key passphrase", hide_input=True, confirmation_prompt=confirm))


@click.group("keys")
def keys_group() -> None:
    """Signing keys (Ed25519): create, list, export the public half, revoke."""


@keys_group.command("create")
@click.argument("name")
@pass_app
def keys_create(app: App, name: str) -> None:
    """Make a signing key NAME; its private half is kept encrypted with a passphrase
    (ENQUIRY_KEY_PASSPHRASE, or asked for). A name in use is refused."""
    view = keys.create(app, keys.check_new(app, name), _passphrase(confirm=True))
    echo(f"key '{safe(view.name)}' created: ed25519 {view.fingerprint}")


@keys_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def keys_list(app: App, as_json: bool) -> None:
    """List the home's signing keys with their fingerprints and revocations."""
    views = keys.list_keys(app)
    if as_json:
        echo_json([view.to_dict() for view in views], default=str)
        return
    for view in views:
        state = f"revoked {view.revoked_at}" if view.revoked_at else "active"
        echo(
            f"{safe(view.name)}\t{view.algorithm} {view.fingerprint}\tcreated {view.created_at}\t{state}"
        )


@keys_group.command("export-public")
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_app
def keys_export_public(app: App, name: str, output: Path) -> None:
    """Write NAME's public key (and its revocation, if revoked) for verifiers."""
    written = keys.export_public(app, name, output)
    echo(f"public key '{safe(name)}' written to {safe(str(written))}")


@keys_group.command("revoke")
@click.argument("name")
@pass_app
def keys_revoke(app: App, name: str) -> None:
    """Revoke NAME from now on (recorded; bundles it signs later fail verification)."""
    view = keys.revoke(app, name, _passphrase())
    echo(
        f"key '{safe(view.name)}' revoked at {view.revoked_at}; export its public key again"
        " so that verifiers learn of it"
    )


@click.group("bundle")
def bundle_group() -> None:
    """Signed, offline-verifiable bundles: export, verify, import."""


@bundle_group.command("export")
@click.option("--case", "case", default=None, metavar="NAME", help="Bundle this case.")
@click.option("--incident", default=None, metavar="ID", help="Bundle this incident's case.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--sign", default=None, metavar="KEY", help="Sign the manifest with this key.")
@click.option(
    "--redact-protected",
    "redact",
    is_flag=True,
    help="Withhold protected items' bytes and identities (the default).",
)
@click.option(
    "--reveal", is_flag=True, help="Include protected items' bytes and identities (recorded)."
)
@click.option("--hashes-only", is_flag=True, help="Carry the originals' hashes, not their bytes.")
@click.option("--allow-unverified", is_flag=True, help="Go ahead on a catalogue failing verify.")
@click.option(
    "--tsa",
    default=None,
    metavar="URL",
    help="Timestamp the manifest at this RFC 3161 authority [env ENQUIRY_TSA_URL].",
)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def bundle_export(
    app: App,
    case: str | None,
    incident: str | None,
    output: Path,
    sign: str | None,
    redact: bool,
    reveal: bool,
    hashes_only: bool,
    allow_unverified: bool,
    tsa: str | None,
    as_json: bool,
) -> None:
    """Write a case (or an incident's case) as one signed ZIP bundle that anyone can verify."""
    if redact and reveal:
        raise click.UsageError("give --redact-protected or --reveal, not both")
    result = bundles.export_bundle(
        app,
        output,
        case=case,
        incident=incident,
        sign=sign,
        passphrase=_passphrase() if sign else None,
        reveal=reveal,
        hashes_only=hashes_only,
        allow_unverified=allow_unverified,
        tsa=tsa,
        progress=BarProgress(),
    )
    if as_json:
        echo_json(result.to_dict(), default=str)
        return
    signed = (
        f"signed by '{safe(str(result.key))}' ({result.fingerprint})"
        if result.key
        else "not signed"
    )
    echo(
        f"bundle written to {safe(str(result.path))} ({result.size:,} bytes, sha256"
        f" {result.sha256}); {result.items} items, {result.originals} originals,"
        f" {result.withheld} withheld; manifest {result.manifest_sha256}; {signed}"
    )


SIGNER_KEY = click.option(
    "--key",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The signer's public key (from 'enquiry keys export-public'), which vouches for it.",
)


@bundle_group.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@SIGNER_KEY
@click.option(
    "--tsa-cert",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The timestamping authority's certificate you trust (the bundle must be stamped).",
)
@click.pass_context
def bundle_verify(ctx: click.Context, file: Path, key: Path | None, tsa_cert: Path | None) -> None:
    """Check a bundle with no home and no database; the same check as tools/verify_bundle.py.
    Exit 0 only when every member, the signature, the custody chain and the findings hold."""
    outcome = bundles.check_bundle(file, key, progress=BarProgress(), tsa_certificate=tsa_cert)
    lines = outcome.lines()
    for line in lines:
        echo(safe(line), err=outcome.status == 2)
    ctx.exit(outcome.status)


@bundle_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@SIGNER_KEY
@pass_app
def bundle_import(app: App, file: Path, key: Path | None) -> None:
    """Take a verified case bundle into this home; custody continues from its signed head."""
    result = bundles.import_bundle(app, file, key=key, progress=BarProgress())
    echo(
        f"case '{safe(result.case)}' imported from {safe(str(file))}: {result.items} items,"
        f" {result.withheld} withheld; custody continues from event {result.head[0]}"
        f" ({result.head[1][:16]})"
    )
    for note in result.notes:
        echo(f"  note: {safe(note)}", err=True)


@click.command("backup")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--sign", default=None, metavar="KEY", help="Sign the backup's manifest.")
@click.option("--allow-unverified", is_flag=True)
@click.option(
    "--tsa", default=None, metavar="URL", help="RFC 3161 authority [env ENQUIRY_TSA_URL]."
)
@pass_app
def backup_command(
    app: App, output: Path, sign: str | None, allow_unverified: bool, tsa: str | None
) -> None:
    """Write the whole home (all cases, users, keys still encrypted) as one verifiable bundle."""
    result = bundles.backup(
        app,
        output,
        sign=sign,
        passphrase=_passphrase() if sign else None,
        allow_unverified=allow_unverified,
        tsa=tsa,
        progress=BarProgress(),
    )
    echo(
        f"backup written to {safe(str(result.path))} ({result.size:,} bytes, {result.members}"
        f" members, sha256 {result.sha256})"
    )
    if not sign:
        echo(
            "  note: not signed, so nothing will show who made it: restoring it takes"
            " --accept-signer unsigned (sign backups with --sign KEY)",
            err=True,
        )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@SIGNER_KEY
@click.option(
    "--accept-signer",
    metavar="FINGERPRINT|unsigned",
    default=None,
    help="Restore on your own word: the signer's fingerprint (at least 16 hex digits) you have"
    " checked, or 'unsigned' for a backup made without --sign.",
)
@pass_app
def restore_command(app: App, file: Path, key: Path | None, accept_signer: str | None) -> None:
    """Recreate a home (--home, new or empty) from a verified backup whose signer is vouched
    for (--key or --accept-signer)."""
    result = bundles.restore(
        app, file, key=key, accept_signer=accept_signer, progress=BarProgress()
    )
    echo(
        f"home {safe(str(result.home))} restored: {result.files} files; ledger at event"
        f" {result.head[0]}; catalogue {safe(result.catalogue)}; verified"
    )
    signed = f"signed by {result.signer[:16]}" if result.signer else "not signed"
    echo(f"  backup {signed}; vouched for by {safe(result.vouched)}")
    for note in result.notes:
        echo(f"  note: {safe(note)}", err=True)


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    for command in (keys_group, bundle_group, backup_command, restore_command):
        main.add_command(command)
