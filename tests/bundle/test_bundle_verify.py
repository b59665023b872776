"""Verifying a bundle with nothing but the bundle, a public key and one file: every tampering is
named, and the stand-alone script and `enquiry bundle verify` say exactly the same."""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import sys
import zipfile
from pathlib import Path

import pytest
from bundle_helpers import PASSPHRASE, SECRETS, Made, failed_lines, manifest, rewrite, verify_both
from sqlalchemy import select

from enquiry.publish import bundle_check, signing
from enquiry.store import open_store
from enquiry.store.ledger import event_hash
from enquiry.store.tables import CustodyEvent


def _both(bundle: Path, *key: str | Path) -> tuple[int, str]:
    """The stand-alone script's result; the command's is the same (:func:`verify_both`)."""
    args = (bundle, "--key", key[0]) if key else (bundle,)
    status, out, err = verify_both(*args)
    return status, out + err


def test_an_untouched_bundle_verifies(made: Made) -> None:
    status, output = _both(made.bundle, made.key)
    assert status == 0, output
    assert output.splitlines()[-1] == f"VERIFIED: {made.bundle}"
    assert "signature: valid, by key 'panel'" in output
    assert "chain recomputed to the head" in output
    assert "inputs" in output and "recomputed" in output
    # the protected testimony's bytes are not in it, and the output says so
    assert "content redacted — withheld from this bundle" in output


def test_the_bundle_holds_everything_it_should(made: Made) -> None:
    body = manifest(made.bundle)
    with zipfile.ZipFile(made.bundle) as archive:
        names = set(archive.namelist())
        for entry in body["members"]:
            assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
        finding = json.loads(archive.read("findings/bridge-strike.json"))
        pdf = archive.read("report/bridge-strike.pdf")
    assert {"manifest.json", "signature.json", "case/case.yaml", "ledger/events.jsonl"} <= names
    assert {"report/bridge-strike.html", "report/bridge-strike.pdf"} <= names
    assert pdf.startswith(b"%PDF-")
    assert finding["engine_version"] and finding["result"]["leading"] == "H1"
    items = {item["key"]: item for item in body["items"]}
    assert items["witness-1"]["content"] == "redacted" and items["witness-1"]["member"] is None
    assert items["photo-1"]["member"] == "originals/" + items["photo-1"]["sha256"]
    assert body["signer"]["key"] == "panel"


def test_no_protected_identity_reaches_the_bundle(made: Made) -> None:
    with zipfile.ZipFile(made.bundle) as archive:
        for name in archive.namelist():
            if name.endswith(".pdf"):
                continue  # compressed streams; its text is the HTML's, checked here
            text = archive.read(name).decode("utf-8", "replace").casefold()
            assert [s for s in SECRETS if s.casefold() in text] == [], name


def test_the_script_imports_nothing_but_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(Path(bundle_check.__file__).read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    assert roots - {"__future__", "cryptography"} <= set(sys.stdlib_module_names)
    assert "cryptography" in roots
    assert Path(__file__).resolve().parents[2].joinpath("tools/verify_bundle.py").resolve() == (
        Path(bundle_check.__file__).resolve()
    )


def test_the_outsiders_event_hash_is_the_ledgers(made: Made) -> None:
    store = open_store(made.home, "reader", create=False)
    with store.session() as session:
        events = session.scalars(select(CustodyEvent).order_by(CustodyEvent.seq)).all()
    assert events
    for event in events:
        ours = event_hash(
            event.seq,
            event.at,
            event.actor,
            event.action,
            event.case_id,
            event.item_id,
            event.details,
            event.prev_hash,
        )
        theirs = bundle_check.event_hash(
            {
                "seq": event.seq,
                "at": event.at,
                "actor": event.actor,
                "action": event.action,
                "case": event.case_id,
                "item": event.item_id,
                "details": event.details,
                "prev": event.prev_hash,
            }
        )
        assert ours == theirs == event.hash


# --- tampering --------------------------------------------------------------------------------


def _original(made: Made) -> str:
    items = {item["key"]: item for item in manifest(made.bundle)["items"]}
    return str(items["photo-1"]["member"])


def test_a_changed_byte_of_an_original_in_place_is_named(made: Made, tmp_path: Path) -> None:
    member = _original(made)
    data = bytearray(made.bundle.read_bytes())
    with zipfile.ZipFile(made.bundle) as archive:
        info = archive.getinfo(member)
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
    data[offset] ^= 0x01
    bad = tmp_path / "flipped.zip"
    bad.write_bytes(bytes(data))
    status, output = _both(bad, made.key)
    assert status == 1
    assert failed_lines(output) == [
        f"FAILED: member {member}: changed (its bytes no longer match the archive's checksum)"
    ]


def test_a_replaced_original_is_named(made: Made, tmp_path: Path) -> None:
    member = _original(made)
    bad = rewrite(
        made.bundle,
        tmp_path / "replaced.zip",
        lambda name, data: data[:-1] + bytes([data[-1] ^ 1]) if name == member else data,
    )
    status, output = _both(bad, made.key)
    assert status == 1
    (line,) = failed_lines(output)
    assert line.startswith(f"FAILED: member {member}: changed (its bytes hash to ")


def test_an_edited_manifest_breaks_the_signature(made: Made, tmp_path: Path) -> None:
    def edit(name: str, data: bytes) -> bytes:
        return (
            data.replace(b'"hashes_only": false', b'"hashes_only": true')
            if name == "manifest.json"
            else data
        )

    status, output = _both(rewrite(made.bundle, tmp_path / "m.zip", edit), made.key)
    assert status == 1
    assert failed_lines(output) == [
        "FAILED: signature.json: bad signature — manifest.json was not signed by key 'panel'"
        f" ({manifest(made.bundle)['signer']['fingerprint'][:16]})"
    ]


def _forged_event(made: Made, tmp_path: Path, *, keep_signature: bool) -> Path:
    """Edit the actor of one full event and fix up the manifest as a forger without the key would."""
    with zipfile.ZipFile(made.bundle) as archive:
        lines = archive.read("ledger/events.jsonl").decode().splitlines()
    index = next(i for i, line in enumerate(lines) if '"actor"' in line)
    event = json.loads(lines[index])
    event["actor"] = "someone else"
    lines[index] = bundle_check.canonical(event)
    ledger = ("\n".join(lines) + "\n").encode()
    body = manifest(made.bundle)
    for entry in body["members"]:
        if entry["path"] == "ledger/events.jsonl":
            entry.update(size=len(ledger), sha256=hashlib.sha256(ledger).hexdigest())
    if not keep_signature:
        body.pop("signer")

    def change(name: str, data: bytes) -> bytes | None:
        if name == "ledger/events.jsonl":
            return ledger
        if name == "manifest.json":
            return json.dumps(body, indent=1, sort_keys=True).encode()
        if name == "signature.json" and not keep_signature:
            return None
        return data

    rewrite(made.bundle, tmp_path / "event.zip", change)
    return tmp_path / "event.zip"


def test_an_edited_event_is_named(made: Made, tmp_path: Path) -> None:
    bad = _forged_event(made, tmp_path, keep_signature=False)
    status, output = _both(bad)
    assert status == 1
    (line,) = failed_lines(output)
    assert line.startswith("FAILED: ledger: event ") and line.endswith(
        "was edited (its content no longer matches its hash)"
    )
    # with the signer's key, the forgery is also unsigned
    status, output = _both(bad, made.key)
    assert "FAILED: signature.json: missing — the bundle is not signed" in failed_lines(output)


def test_an_edited_event_under_the_old_signature_is_caught_twice(
    made: Made, tmp_path: Path
) -> None:
    status, output = _both(_forged_event(made, tmp_path, keep_signature=True), made.key)
    failures = failed_lines(output)
    assert status == 1 and len(failures) == 2
    assert failures[0].startswith("FAILED: signature.json: bad signature")
    assert failures[1].startswith("FAILED: ledger: event ")


def test_a_damaged_signature_is_named(made: Made, tmp_path: Path) -> None:
    def change(name: str, data: bytes) -> bytes:
        if name != "signature.json":
            return data
        body = json.loads(data)
        raw = bytearray(base64.b64decode(body["signature"]))
        raw[0] ^= 0xFF
        body["signature"] = base64.b64encode(bytes(raw)).decode()
        return json.dumps(body).encode()

    status, output = _both(rewrite(made.bundle, tmp_path / "s.zip", change), made.key)
    assert status == 1
    (line,) = failed_lines(output)
    assert line.startswith("FAILED: signature.json: bad signature")


def test_the_wrong_key_is_named(made: Made) -> None:
    status, output = _both(made.bundle, made.other_key)
    assert status == 1
    (line,) = failed_lines(output)
    assert line.startswith("FAILED: signature.json: wrong key — signed by key 'panel'")
    assert "the key given is 'other'" in line


def test_without_a_key_the_signature_is_checked_but_not_trusted(made: Made) -> None:
    status, output = _both(made.bundle)
    assert status == 0
    assert "no --key given, so it is not checked that this is a key you trust" in output


def test_an_extra_member_is_named(made: Made, tmp_path: Path) -> None:
    bad = rewrite(made.bundle, tmp_path / "x.zip", extra=[("originals/extra.txt", b"planted")])
    status, output = _both(bad, made.key)
    assert status == 1
    assert failed_lines(output) == [
        "FAILED: member originals/extra.txt: not in the manifest (added after signing)"
    ]


def test_a_missing_member_is_named(made: Made, tmp_path: Path) -> None:
    member = _original(made)
    bad = rewrite(made.bundle, tmp_path / "gone.zip", lambda n, d: None if n == member else d)
    status, output = _both(bad, made.key)
    assert status == 1
    assert f"FAILED: member {member}: missing from the archive" in failed_lines(output)


def test_a_truncated_archive_is_one_line(made: Made, tmp_path: Path) -> None:
    data = made.bundle.read_bytes()
    bad = tmp_path / "cut.zip"
    bad.write_bytes(data[: len(data) // 2])
    status, output = _both(bad, made.key)
    assert status == 2
    assert output.strip().splitlines() == [
        f"NOT VERIFIED: {bad}: not a ZIP archive, or truncated (File is not a zip file)"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty file, not a bundle"),
        (b"%PDF-1.7 not a zip at all", "not a ZIP archive, or truncated"),
        ("Ünïcode\x00garbage".encode("utf-16"), "not a ZIP archive, or truncated"),
    ],
)
def test_a_file_that_is_not_a_bundle_is_one_line(
    made: Made, tmp_path: Path, content: bytes, expected: str
) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(content)
    status, output = _both(bad, made.key)
    assert status == 2
    (line,) = output.strip().splitlines()
    assert line.startswith(f"NOT VERIFIED: {bad}: {expected}")


def test_a_zip_bomb_is_refused_unread(made: Made, tmp_path: Path) -> None:
    bomb = rewrite(made.bundle, tmp_path / "bomb.zip")
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("originals/bomb", b"\0" * (64 << 20))  # 64 MiB from ~64 KiB
    status, output = _both(bomb, made.key)
    assert status == 2
    (line,) = output.strip().splitlines()
    assert "(a zip bomb); refused" in line


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../../etc/passwd", "a path that climbs out of the archive"),
        ("/etc/passwd", "an absolute or malformed path"),
        ("originals\\..\\x", "an absolute or malformed path"),
    ],
)
def test_a_member_path_out_of_the_archive_is_refused(
    made: Made, tmp_path: Path, name: str, problem: str
) -> None:
    bad = rewrite(made.bundle, tmp_path / "t.zip", extra=[(name, b"x")])
    status, output = _both(bad, made.key)
    assert status == 2
    assert output.strip().splitlines() == [
        f"NOT VERIFIED: {bad}: member {name!r} has {problem}; refused"
    ]


def test_a_duplicate_member_is_refused(made: Made, tmp_path: Path) -> None:
    member = _original(made)
    with pytest.warns(UserWarning):
        bad = rewrite(made.bundle, tmp_path / "d.zip", extra=[(member, b"second copy")])
    status, output = _both(bad, made.key)
    assert status == 2
    assert output.strip().splitlines() == [
        f"NOT VERIFIED: {bad}: member {member!r} appears twice; refused"
    ]


# --- revocation -------------------------------------------------------------------------------


def _revoked_copy(made: Made, tmp_path: Path, revoked_at: str) -> Path:
    private = signing.unlock(made.home, "panel", PASSPHRASE)
    document = json.loads(made.key.read_text())
    document["revocation"] = {"at": revoked_at, "signature": signing.revoke(private, revoked_at)}
    path = tmp_path / "panel-revoked.pub.json"
    path.write_text(json.dumps(document))
    return path


def test_a_bundle_signed_before_the_revocation_says_so(made: Made, tmp_path: Path) -> None:
    key = _revoked_copy(made, tmp_path, "2999-01-01T00:00:00.000000Z")
    status, output = _both(made.bundle, key)
    assert status == 0
    assert "was revoked at 2999-01-01T00:00:00.000000Z; this bundle was signed before" in output


def test_a_bundle_signed_after_the_revocation_fails(made: Made, tmp_path: Path) -> None:
    key = _revoked_copy(made, tmp_path, "2000-01-01T00:00:00.000000Z")
    status, output = _both(made.bundle, key)
    assert status == 1
    (line,) = failed_lines(output)
    assert "was revoked at 2000-01-01T00:00:00.000000Z; the bundle was signed after" in line


def test_a_revocation_not_signed_by_the_key_is_refused(made: Made, tmp_path: Path) -> None:
    document = json.loads(made.key.read_text())
    other = json.loads(made.other_key.read_text())
    private = signing.unlock(made.home, "other", PASSPHRASE)
    document["revocation"] = {
        "at": "2000-01-01",
        "signature": signing.revoke(private, "2000-01-01"),
    }
    forged = tmp_path / "forged.pub.json"
    forged.write_text(json.dumps(document))
    assert other["fingerprint"] != document["fingerprint"]
    status, output = _both(made.bundle, forged)
    assert status == 2
    assert (
        output.strip() == f"NOT VERIFIED: {forged}: its revocation is not signed by the key itself"
    )
