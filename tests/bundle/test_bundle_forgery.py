"""A hostile state's attempts on a bundle the mechanism signed: wrap it in another file, hide
members where the check does not look, make a ZIP that two readers read differently, sign with
a key of its own named after the mechanism's, vouch for a time with an authority of its own, or
name a file so that the mechanism's own bundles stop verifying. Each is refused or named, in
one line and with a non-zero status, by the script and the command alike."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import tsa
from bundle_helpers import PASSPHRASE, TOOL, Made, manifest, rewrite, verify_both
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from enquiry.publish import bundle_check, signing
from enquiry.publish.timestamp import SHA256, der_integer, der_octets, der_oid, der_sequence


def _both(bundle: Path, *args: str | Path) -> tuple[int, str, str]:
    """The stand-alone script's status, stdout and stderr; the command's is the same
    (:func:`verify_both`)."""
    status, out, err = verify_both(bundle, *args)
    assert "Traceback" not in err
    return status, out, err


def _refused(bundle: Path, *args: str | Path) -> str:
    status, out, err = _both(bundle, *args)
    assert status == 2, (out, err)
    (line,) = err.splitlines()
    assert out == "" and line.startswith(f"NOT VERIFIED: {bundle}: "), line
    return line


def _failures(bundle: Path, *args: str | Path) -> list[str]:
    status, out, err = _both(bundle, *args)
    assert status == 1, (out, err)
    assert out.splitlines()[-1].startswith("NOT VERIFIED: ")
    return [line for line in out.splitlines() if line.startswith("FAILED: ")]


def _unsigned(
    made: Made,
    target: Path,
    change: Callable[[dict[str, Any]], Any],
    keep: Callable[[str], bool] = lambda _name: True,
) -> Path:
    """The bundle re-made unsigned with its manifest changed: self-consistent otherwise."""
    body = manifest(made.bundle)
    body.pop("signer")
    change(body)
    data = json.dumps(body).encode()

    def edit(name: str, old: bytes) -> bytes | None:
        if name == "signature.json" or not keep(name):
            return None
        return data if name == "manifest.json" else old

    return rewrite(made.bundle, target, edit)


# --- the archive itself -----------------------------------------------------------------------


def test_a_signed_bundle_behind_another_file_is_refused(made: Made, tmp_path: Path) -> None:
    """A PDF reader reads the front of the file, a ZIP reader the back: the mechanism's real
    bundle, untouched, after a forged document would verify while the file shows the forgery."""
    polyglot = tmp_path / "report.pdf.zip"
    polyglot.write_bytes(b"%PDF-1.7\n% the mechanism finds nothing\n" + made.bundle.read_bytes())
    with zipfile.ZipFile(polyglot) as archive:  # every ZIP reader still opens it
        assert archive.testzip() is None
    line = _refused(polyglot, "--key", made.key)
    assert "bytes unaccounted for before its first member" in line and "polyglot" in line


@pytest.mark.parametrize("how", ["appended", "comment"])
def test_bytes_after_the_end_of_a_signed_bundle_are_refused(
    made: Made, tmp_path: Path, how: str
) -> None:
    bad = tmp_path / f"{how}.zip"
    if how == "appended":
        bad.write_bytes(made.bundle.read_bytes() + b"<html>the mechanism finds nothing</html>")
    else:
        bad.write_bytes(made.bundle.read_bytes())
        with zipfile.ZipFile(bad, "a") as archive:
            archive.comment = b"<html>the mechanism finds nothing</html>"
    assert "a comment or other bytes after the archive's end" in _refused(bad, "--key", made.key)


def _central(data: bytes) -> tuple[int, list[int], int]:
    """The directory's start, each entry's offset in it, and the end record's offset."""
    end = len(data) - 22
    assert data[end : end + 4] == b"PK\x05\x06"
    count, _size, start = struct.unpack("<HII", data[end + 10 : end + 20])
    entries, at = [], start
    for _ in range(count):
        entries.append(at)
        named, extra, comment = struct.unpack("<HHH", data[at + 28 : at + 34])
        at += 46 + named + extra + comment
    return start, entries, end


def _insert(data: bytes, at: int, hidden: bytes) -> bytes:
    """``hidden`` put into the archive at ``at``, every offset after it moved to match: a valid
    ZIP whose directory does not know of the bytes."""
    start, entries, end = _central(data)
    out = bytearray(data[:at] + hidden + data[at:])
    shift = len(hidden)
    for entry in entries:
        offset = struct.unpack_from("<I", data, entry + 42)[0]
        if offset >= at:
            struct.pack_into("<I", out, entry + shift + 42, offset + shift)
    struct.pack_into("<I", out, end + shift + 16, start + shift)
    return bytes(out)


def _local_record(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    whole = buffer.getvalue()
    return whole[: _central(whole)[0]]


def test_a_member_hidden_between_members_is_refused(made: Made, tmp_path: Path) -> None:
    """A member in the archive's body that its directory does not list: a reader walking the
    local headers (as streaming unzippers do) shows it; a check reading the directory never
    sees it."""
    data = made.bundle.read_bytes()
    with zipfile.ZipFile(made.bundle) as archive:
        second = sorted(info.header_offset for info in archive.infolist())[1]
    bad = tmp_path / "hidden.zip"
    hidden = _local_record("originals/confession.txt", b"planted after signing")
    bad.write_bytes(_insert(data, second, hidden))
    with zipfile.ZipFile(bad) as archive:
        assert "originals/confession.txt" not in archive.namelist()
    line = _refused(bad, "--key", made.key)
    assert f"{len(hidden)} bytes unaccounted for before member" in line, line


def test_a_local_header_that_contradicts_the_directory_is_refused(
    made: Made, tmp_path: Path
) -> None:
    """The directory says an original is stored, its own header says deflated: two readers
    read two different files from the same bytes."""
    data = bytearray(made.bundle.read_bytes())
    with zipfile.ZipFile(made.bundle) as archive:
        stored = next(
            info
            for info in archive.infolist()
            if info.filename.startswith("originals/") and info.compress_type == zipfile.ZIP_STORED
        )
    struct.pack_into("<H", data, stored.header_offset + 8, zipfile.ZIP_DEFLATED)
    bad = tmp_path / "twofaced.zip"
    bad.write_bytes(bytes(data))
    line = _refused(bad, "--key", made.key)
    assert f"member {stored.filename!r}: its local header gives another compression" in line


@pytest.mark.parametrize("lie", ["count", "name length"])
def test_a_directory_other_readers_would_read_otherwise_is_refused(
    made: Made, tmp_path: Path, lie: str
) -> None:
    """zipfile reads the directory by its size and ignores the end record's count and an
    entry running past the end: readers that trust those would list other members."""
    data = bytearray(made.bundle.read_bytes())
    _start, entries, end = _central(bytes(data))
    if lie == "count":
        struct.pack_into("<HH", data, end + 8, len(entries) - 1, len(entries) - 1)
    else:
        named = struct.unpack_from("<H", data, entries[-1] + 28)[0]
        struct.pack_into("<H", data, entries[-1] + 28, named + 1)
    bad = tmp_path / "directory.zip"
    bad.write_bytes(bytes(data))
    assert _refused(bad, "--key", made.key).endswith(
        "its end record disagrees with its directory; refused"
    )


def test_a_stored_member_shorter_than_its_directory_says_is_named(
    made: Made, tmp_path: Path
) -> None:
    data = bytearray(made.bundle.read_bytes())
    _start, entries, _end = _central(bytes(data))
    with zipfile.ZipFile(made.bundle) as archive:
        names = [info.filename for info in archive.infolist()]
        stored = next(
            info
            for info in archive.infolist()
            if info.filename.startswith("originals/") and info.compress_type == zipfile.ZIP_STORED
        )
    entry = entries[names.index(stored.filename)]
    struct.pack_into("<I", data, entry + 24, stored.file_size + 100)
    bad = tmp_path / "short.zip"
    bad.write_bytes(bytes(data))
    assert f"FAILED: member {stored.filename!r} is shorter than its header declares" in _failures(
        bad, "--key", made.key
    )


class _Unseekable(io.RawIOBase):
    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.data += data
        return len(data)


def test_a_bundle_written_as_a_stream_still_verifies(made: Made, tmp_path: Path) -> None:
    """Members followed by data descriptors (a ZIP written where it cannot seek back) are the
    same archive, not hidden data."""
    out = _Unseekable()
    with zipfile.ZipFile(made.bundle) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            with new.open(info.filename, "w") as member:
                member.write(old.read(info))
    streamed = tmp_path / "streamed.zip"
    streamed.write_bytes(bytes(out.data))
    with zipfile.ZipFile(streamed) as archive:
        assert all(info.flag_bits & 0x08 for info in archive.infolist())
    status, out_text, _err = _both(streamed, "--key", made.key)
    assert status == 0, out_text


@pytest.mark.parametrize("system", [0, 16])  # MS-DOS/FAT, BeOS: unzip still reads the mode
def test_a_symbolic_link_is_refused_whoever_made_it(
    made: Made, tmp_path: Path, system: int
) -> None:
    bad = rewrite(made.bundle, tmp_path / "link.zip")
    link = zipfile.ZipInfo("originals/passwd")
    link.create_system = system
    link.external_attr = 0o120777 << 16
    with zipfile.ZipFile(bad, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    assert _refused(bad).endswith("member 'originals/passwd' is a symbolic link; refused")


def test_a_manifest_too_large_names_the_bundle(
    made: Made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundle_check, "MAX_MANIFEST", 1000)
    outcome = bundle_check.check(made.bundle, made.key)
    assert outcome.status == 2
    assert outcome.lines() == [
        f"NOT VERIFIED: {made.bundle}: member 'manifest.json' is larger than 1000 bytes; refused"
    ]


# --- what the manifest names but nothing vouches for ------------------------------------------


def test_a_ledger_the_manifest_does_not_list_is_named(made: Made, tmp_path: Path) -> None:
    """With every item's receipt elided, a manifest pointing its ledger at nothing listed
    would otherwise verify without a ledger ever being read."""

    def change(body: dict[str, Any]) -> None:
        body["ledger"]["member"] = "ledger/elsewhere.jsonl"
        for item in body["items"]:
            item["ledger"] = "elided"

    bad = _unsigned(made, tmp_path / "noledger.zip", change)
    assert _failures(bad) == [
        "FAILED: ledger: its member ledger/elsewhere.jsonl is not among the manifest's members,"
        " so nothing vouches for it"
    ]


def test_a_finding_the_manifest_does_not_list_is_named(made: Made, tmp_path: Path) -> None:
    def change(body: dict[str, Any]) -> None:
        body["findings"][0]["member"] = "findings/elsewhere.json"

    bad = _unsigned(made, tmp_path / "nofinding.zip", change)
    assert _failures(bad) == [
        "FAILED: finding bridge-strike: its member findings/elsewhere.json is not among the"
        " manifest's members, so nothing vouches for it"
    ]


def test_an_original_said_to_be_carried_but_absent_is_named(made: Made, tmp_path: Path) -> None:
    body = manifest(made.bundle)
    item = next(item for item in body["items"] if item.get("member"))
    member = item["member"]

    def change(body: dict[str, Any]) -> None:
        body["members"] = [entry for entry in body["members"] if entry["path"] != member]

    bad = _unsigned(made, tmp_path / "absent.zip", change, keep=lambda name: name != member)
    assert _failures(bad) == [
        f"FAILED: item {item['id']}: its member {member} is not among the manifest's members"
    ]


def test_a_signature_file_signing_nothing_is_named(made: Made, tmp_path: Path) -> None:
    """An unsigned manifest beside a signature.json: the one member left out of the manifest
    because it signs it, here signing nothing, could carry anything."""
    bad = _unsigned(made, tmp_path / "orphan.zip", lambda _body: None)
    with zipfile.ZipFile(bad, "a") as archive:
        archive.writestr("signature.json", b"%PDF-1.7 anything at all")
    assert _failures(bad) == [
        "FAILED: signature.json: present, but manifest.json names no signer (a member nothing"
        " vouches for)"
    ]


# --- keys and times ---------------------------------------------------------------------------


def _signed_by_stranger(made: Made, target: Path) -> tuple[Path, str]:
    """The bundle re-signed by a key of the forger's own, named like the mechanism's."""
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    body = manifest(made.bundle)
    body["signer"].update(
        public_key=base64.b64encode(raw).decode(), fingerprint=bundle_check.fingerprint(raw)
    )
    data = json.dumps(body).encode()
    signature = json.dumps(
        {
            "fingerprint": bundle_check.fingerprint(raw),
            "signature": base64.b64encode(private.sign(data)).decode(),
        }
    ).encode()

    def edit(name: str, old: bytes) -> bytes:
        return data if name == "manifest.json" else signature if name == "signature.json" else old

    return rewrite(made.bundle, target, edit), bundle_check.fingerprint(raw)


def test_a_strangers_key_named_like_the_mechanisms_is_not_taken_for_it(
    made: Made, tmp_path: Path
) -> None:
    forged, stranger = _signed_by_stranger(made, tmp_path / "stranger.zip")
    status, out, _err = _both(forged)
    assert status == 0  # self-consistent: that much holds
    assert "signature: valid" not in out
    (note,) = [line for line in out.splitlines() if "no --key given" in line]
    assert f"signed by a key calling itself 'panel', fingerprint {stranger};" in note
    assert "anyone can make a key of any name" in note
    failures = _failures(forged, "--key", made.key)
    assert len(failures) == 1 and "wrong key — signed by key 'panel'" in failures[0]


def _revoked(made: Made, tmp_path: Path, at: str) -> Path:
    private = signing.unlock(made.home, "panel", PASSPHRASE)
    document = json.loads(made.key.read_text())
    document["revocation"] = {"at": at, "signature": signing.revoke(private, at)}
    path = tmp_path / "revoked.pub.json"
    path.write_text(json.dumps(document))
    return path


class _LongAgo(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return datetime(2001, 1, 1, tzinfo=UTC)


def test_a_thiefs_own_authority_cannot_backdate_a_revoked_key(
    made: Made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A revoked key, stolen: its thief signs today and stamps the manifest "2001" with an
    authority of its own making. Nobody pinned that authority, so its time counts for nothing
    and the bundle reads as signed after the revocation."""
    key = _revoked(made, tmp_path, "2002-01-01T00:00:00.000000Z")
    with zipfile.ZipFile(made.bundle) as archive:
        digest = hashlib.sha256(archive.read("manifest.json")).digest()
    monkeypatch.setattr(tsa, "datetime", _LongAgo)
    private = ec.generate_private_key(ec.SECP256R1())
    imprint = der_sequence(der_sequence(der_oid(SHA256), b"\x05\x00"), der_octets(digest))
    token = tsa.token(private, tsa._certificate(private), imprint, der_integer(7), 1)
    bad = rewrite(made.bundle, tmp_path / "backdated.zip", extra=[("timestamp.tsr", token)])
    failures = _failures(bad, "--key", key)
    assert len(failures) == 1, failures
    assert "was revoked at 2002-01-01T00:00:00.000000Z; the bundle was signed after" in failures[0]


def test_signed_before_a_revocation_by_the_signers_word_says_what_that_is_worth(
    made: Made, tmp_path: Path
) -> None:
    key = _revoked(made, tmp_path, "2999-01-01T00:00:00.000000Z")
    status, out, _err = _both(made.bundle, "--key", key)
    assert status == 0
    assert "whoever holds the key can write any time there" in out
    assert "--tsa-cert" in out


# --- the ledger -------------------------------------------------------------------------------


def test_a_line_separator_in_a_recorded_value_leaves_the_bundle_verifiable(
    tmp_path: Path,
) -> None:
    """JSON leaves U+2028 and U+0085 unescaped in its strings: a hostile value recorded in the
    ledger as it was given (a title in a case file taken from a source's document) must not be
    able to make every bundle of the case fail. (A file's name no longer carries one raw:
    intake records names escaped.)"""
    from enquiry.app import Enquiry, bundles, cases

    (tmp_path / "case.yaml").write_text(
        'format: enquiry-case/1\ncase: {name: c, title: "Seen\\u2028at the crossing"}\n'
        "sources: [{name: Field team, reliability: B}]\n"
        "items:\n- key: note\n  kind: document\n  source: Field team\n"
        '  fields: {title: "note\\x85three"}\n  text: Seen at the crossing.\n',
        encoding="utf-8",
    )
    app = Enquiry.at(tmp_path / "home", "keeper")
    cases.load(app, tmp_path / "case.yaml")
    bundle = bundles.export_bundle(app, tmp_path / "c.zip", case="c", allow_unverified=True).path
    with zipfile.ZipFile(bundle) as archive:
        assert "\u2028" in archive.read("ledger/events.jsonl").decode("utf-8")
    status, out, _err = _both(bundle)
    assert status == 0, out
    assert out.splitlines()[-1] == f"VERIFIED: {bundle}"


def test_a_long_ledger_is_read_in_bounded_memory(made: Made, tmp_path: Path) -> None:
    """300,000 events (a large home's chain) are read line by line: memory does not
    grow with the chain, as it would holding its text, its lines and its events at once."""
    lines, previous = [], bundle_check.GENESIS
    count = 300_000
    for seq in range(1, count + 1):
        digest = hashlib.sha256(b"%d" % seq).hexdigest()
        event = {"seq": seq, "prev": previous, "hash": digest, "elided": True}
        lines.append(bundle_check.canonical(event))
        previous = digest
    ledger = ("\n".join(lines) + "\n").encode()
    del lines

    def change(body: dict[str, Any]) -> None:
        body["ledger"]["head"] = {"seq": count, "hash": previous}
        body["items"] = []
        for entry in body["members"]:
            if entry["path"] == "ledger/events.jsonl":
                entry.update(size=len(ledger), sha256=hashlib.sha256(ledger).hexdigest())

    bad = _unsigned(made, tmp_path / "long.zip", change)
    with zipfile.ZipFile(bad) as old, zipfile.ZipFile(tmp_path / "l.zip", "w") as new:
        for info in old.infolist():
            data = ledger if info.filename == "ledger/events.jsonl" else old.read(info)
            new.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    probe = (  # the peak resident size of the process, in KiB (ru_maxrss outlives an exec)
        "import re, runpy, sys\n"
        "from pathlib import Path\n"
        "def peak():\n"
        "    status = Path('/proc/self/status').read_text()\n"
        "    return int(re.search(r'VmHWM:\\s*(\\d+)', status).group(1))\n"
        "check = runpy.run_path(sys.argv[1])['check']\n"
        "before = peak()\n"
        "outcome = check(Path(sys.argv[2]))\n"
        "print(outcome.status, (peak() - before) // 1024, outcome.summary)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(TOOL), str(tmp_path / "l.zip")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    status, grown, summary = done.stdout.split(" ", 2)
    assert status == "0", done.stdout + done.stderr
    assert f"ledger: {count} events, chain recomputed to the head" in summary
    assert int(grown) < 64, f"{grown} MiB"  # the ledger alone is over 50 MiB of text


def test_an_overlong_ledger_line_is_named(made: Made, tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "lines.zip", "w") as archive:
        archive.writestr("ledger", b"short\n" + b"x" * 5000 + b"\nshort")
    with zipfile.ZipFile(tmp_path / "lines.zip") as archive:
        info = archive.getinfo("ledger")
        lines = bundle_check.member_lines(archive, info, limit=4096)
        assert next(lines) == b"short"
        with pytest.raises(bundle_check.Unreadable, match="a line longer than 4096 bytes"):
            next(lines)
