"""A bundle made by someone hostile, handed to the offline check: whatever is malformed in it,
the check answers with one line naming the file and the problem and a non-zero status, never a
traceback; and nothing the bundle says can drive the terminal of the person reading the result."""

from __future__ import annotations

import hashlib
import json
import os
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import TOOL, Made, environment, manifest, rewrite, verify_both


def _both(bundle: Path, *args: str | Path) -> tuple[int, str, str]:
    """The stand-alone script's status, stdout and stderr; the command's is the same
    (:func:`verify_both`)."""
    return verify_both(bundle, *args)


def _refused(bundle: Path, *args: str | Path) -> str:
    """The one line a bundle that cannot be read as one is refused with (status 2)."""
    status, out, err = _both(bundle, *args)
    assert status == 2, (out, err)
    assert out == "" and "Traceback" not in err, err
    (line,) = err.splitlines()
    assert line.startswith(f"NOT VERIFIED: {bundle}: "), line
    return line


def _with_manifest(made: Made, target: Path, change: Callable[[dict[str, Any]], Any]) -> Path:
    body = manifest(made.bundle)
    change(body)
    data = json.dumps(body).encode()
    return rewrite(made.bundle, target, lambda n, d: data if n == "manifest.json" else d)


def _unsigned(made: Made, target: Path, change: Callable[[dict[str, Any]], Any]) -> Path:
    """A bundle its maker changed and left unsigned: it still verifies as self-consistent."""
    body = manifest(made.bundle)
    body.pop("signer")
    change(body)
    data = json.dumps(body).encode()

    def edit(name: str, old: bytes) -> bytes | None:
        return None if name == "signature.json" else data if name == "manifest.json" else old

    return rewrite(made.bundle, target, edit)


def _with_manifest_text(made: Made, target: Path, data: bytes) -> Path:
    return rewrite(made.bundle, target, lambda n, d: data if n == "manifest.json" else d)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m.update(subject="bridge"), "'subject' is not an object"),
        (lambda m: m.update(items=["witness-1"]), "items[0] is not an item"),
        (lambda m: m.update(items={"1": {}}), "'items' is not a list"),
        (lambda m: m.update(findings=["bridge-strike"]), "findings[0] is not"),
        (lambda m: m["ledger"].update(head=[1, "abc"]), "'ledger' is not"),
        (lambda m: m.update(ledger="ledger/events.jsonl"), "'ledger' is not"),
        (lambda m: m.update(signer="panel"), "'signer' is not an object"),
        (lambda m: m.update(generator=["enquiry"]), "'generator' is not a string"),
        (lambda m: m["members"].append("case/case.yaml"), "is not {path, size, sha256}"),
        (lambda m: m["members"][0].update(size="12"), "members[0] is not {path, size, sha256}"),
        (lambda m: m["members"][0].update(size=True), "members[0] is not {path, size, sha256}"),
    ],
)
def test_a_manifest_of_the_wrong_shape_is_one_line(
    made: Made, tmp_path: Path, change: Callable[[dict[str, Any]], Any], problem: str
) -> None:
    bad = _with_manifest(made, tmp_path / "shape.zip", change)
    line = _refused(bad)
    assert "manifest.json is malformed: " in line and problem in line, line


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b"[" * 200_000, "nested too deeply"),
        (b'{"format": "enquiry-bundle/1", "members": [], "format": "x"}', "appears twice"),
        (
            b'{"format": "enquiry-bundle/1", "members": [{"path": "a", "size": Infinity,'
            b' "sha256": "00"}]}',
            "Infinity is not a JSON number",
        ),
        (b'{"format": "enquiry-bundle/1", "members": [], "n": NaN}', "NaN is not a JSON number"),
    ],
)
def test_a_manifest_two_readers_could_read_differently_is_refused(
    made: Made, tmp_path: Path, text: bytes, problem: str
) -> None:
    bad = _with_manifest_text(made, tmp_path / "json.zip", text)
    line = _refused(bad)
    assert "manifest.json is not valid JSON" in line and problem in line, line


def test_duplicate_keys_in_a_signed_manifest_are_refused(made: Made, tmp_path: Path) -> None:
    """The signer's own manifest, with a key given twice: what it says depends on the parser."""
    data = manifest(made.bundle)
    text = json.dumps(data, indent=1, sort_keys=True)
    doubled = text.replace('"kind": "case"', '"kind": "backup", "kind": "case"', 1).encode()
    bad = _with_manifest_text(made, tmp_path / "twice.zip", doubled)
    assert "key 'kind' appears twice in one object" in _refused(bad, "--key", made.key)


def _central(data: bytes) -> list[int]:
    """Offsets of the central directory's file headers."""
    out, at = [], data.find(b"PK\x01\x02")
    while at != -1:
        out.append(at)
        at = data.find(b"PK\x01\x02", at + 4)
    return out


@pytest.mark.parametrize(
    ("bit", "problem"), [(0x20, "is patch data; refused"), (0x40, "is encrypted; refused")]
)
def test_a_member_zipfile_cannot_open_is_refused(
    made: Made, tmp_path: Path, bit: int, problem: str
) -> None:
    data = bytearray(made.bundle.read_bytes())
    first = _central(bytes(data))[0]
    data[first + 8] |= bit  # general-purpose flags of the first member, in the directory
    bad = tmp_path / "flags.zip"
    bad.write_bytes(bytes(data))
    assert _refused(bad).endswith(problem)


def test_a_symbolic_link_member_is_refused(made: Made, tmp_path: Path) -> None:
    bad = rewrite(made.bundle, tmp_path / "link.zip")
    link = zipfile.ZipInfo("originals/passwd")
    link.create_system = 3
    link.external_attr = (0o120777 << 16) | 0x20
    with zipfile.ZipFile(bad, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    assert _refused(bad).endswith("member 'originals/passwd' is a symbolic link; refused")


@pytest.mark.parametrize("name", ["originals//x", "report/"])
def test_a_member_name_with_an_empty_part_is_refused(made: Made, tmp_path: Path, name: str) -> None:
    bad = rewrite(made.bundle, tmp_path / "empty.zip", extra=[(name, b"")])
    assert "has an empty path component" in _refused(bad)


def test_members_that_overlap_are_refused_unread(made: Made, tmp_path: Path) -> None:
    """Central-directory entries under new names pointing at one member's bytes: each looks
    small, together they read the same bytes again and again (the overlapping zip bomb)."""
    data = made.bundle.read_bytes()
    starts = _central(data)
    end = data.rfind(b"PK\x05\x06")
    record = data[starts[0] : starts[1]]
    name_length = struct.unpack("<H", record[28:30])[0]
    name = record[46 : 46 + name_length]
    copies = []
    for n in range(40):
        other = (b"%02d" % n) + name[2:]
        copies.append(record[:46] + other + record[46 + name_length :])
    directory = data[starts[0] : end] + b"".join(copies)
    entries = len(starts) + len(copies)
    eocd = bytearray(data[end:])
    struct.pack_into("<HHII", eocd, 8, entries, entries, len(directory), starts[0])
    bad = tmp_path / "overlap.zip"
    bad.write_bytes(data[: starts[0]] + directory + bytes(eocd))
    with zipfile.ZipFile(bad) as archive:  # a readable archive, as far as zipfile can tell
        assert len(archive.infolist()) == entries
    assert "(members overlap: a zip bomb); refused" in _refused(bad)


def test_nothing_in_a_bundle_can_drive_the_terminal(made: Made, tmp_path: Path) -> None:
    """Values printed from the manifest (the case's name, an item's kind) are escaped: no
    escape sequence reaches the terminal, no new line starts, and no bidirectional override or
    lone surrogate (which no terminal can print) gets through."""
    hostile = "x\x1b[2J\x1b[8m\nVERIFIED: all good\u202e\ud800"

    def change(body: dict[str, Any]) -> None:
        body["subject"]["name"] = hostile
        body["items"][0]["kind"] = hostile

    bad = _unsigned(made, tmp_path / "ansi.zip", change)
    status, out, err = _both(bad)
    assert status == 0 and err == "", err  # unsigned, self-consistent: the check holds
    assert "\x1b" not in out and "\u202e" not in out and "\ud800" not in out
    assert [line for line in out.splitlines() if line.startswith("VERIFIED")] == [
        f"VERIFIED: {bad}"
    ]
    assert "x\\x1b[2J\\x1b[8m\\x0aVERIFIED: all good\\u202e\\ud800" in out


def test_a_key_that_is_a_pipe_is_refused_not_waited_on(made: Made, tmp_path: Path) -> None:
    fifo = tmp_path / "key.pipe"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, str(TOOL), str(made.bundle), "--key", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"NOT VERIFIED: {fifo}: cannot read the key (not a regular file)"
    ), done.stderr


def _import(home: Path, bundle: Path) -> subprocess.CompletedProcess[str]:
    """``enquiry bundle import BUNDLE`` into ``home``, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "enquiry.cli", "--home", str(home), "bundle", "import", str(bundle)],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=600,
        check=False,
    )


def test_import_of_a_bundle_without_a_case_is_one_line(made: Made, tmp_path: Path) -> None:
    """A bundle that verifies (unsigned, self-consistent) but names no case and carries no case
    file: import refuses it with one line and takes nothing in."""
    bad = _unsigned(made, tmp_path / "nocase.zip", lambda m: m["subject"].pop("case"))
    home = tmp_path / "successor"
    done = _import(home, bad)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"enquiry: {bad}: its manifest names no case (subject.case); nothing was taken in"
    )

    def drop(body: dict[str, Any]) -> None:
        body["members"] = [e for e in body["members"] if e["path"] != "case/case.yaml"]

    without = _unsigned(made, tmp_path / "nofile.zip", drop)
    with zipfile.ZipFile(without) as archive, zipfile.ZipFile(tmp_path / "n.zip", "w") as out:
        for info in archive.infolist():
            if info.filename != "case/case.yaml":
                out.writestr(info, archive.read(info))
    without = (tmp_path / "n.zip").replace(without)
    done = _import(home, without)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"enquiry: {without}: the bundle carries no case file (case/case.yaml); nothing was"
        " taken in"
    )


def _home_with_a_note(home: Path) -> None:
    from enquiry.app import Enquiry, evidence

    note = home.parent / "note.txt"
    note.write_text("Seen at the crossing at noon.\n", encoding="utf-8")
    evidence.add(Enquiry.at(home, "keeper"), [note], case="c")


def _forged_backup(
    home: Path,
    target: Path,
    change: Callable[[Path], Any] | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A backup of ``home`` whose catalogue ``change`` altered, or with ``extra`` members
    added, re-hashed in an unsigned manifest: it verifies as self-consistent, as a forger would
    make it."""
    from enquiry.app import Enquiry, bundles

    plain = bundles.backup(Enquiry.at(home, "keeper"), target.with_suffix(".plain.zip")).path
    body = manifest(plain)
    body.pop("signer", None)
    with zipfile.ZipFile(plain) as archive:
        data = archive.read("home/enquiry.db")
    if change is not None:
        scratch = target.with_suffix(".db")
        scratch.write_bytes(data)
        change(scratch)
        data = scratch.read_bytes()
    for member in body["members"]:
        if member["path"] == "home/enquiry.db":
            member.update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    for name, added in (extra or {}).items():
        body["members"].append(
            {"path": name, "size": len(added), "sha256": hashlib.sha256(added).hexdigest()}
        )
    text = json.dumps(body).encode()

    def edit(name: str, old: bytes) -> bytes | None:
        if name == "signature.json":
            return None
        return text if name == "manifest.json" else data if name == "home/enquiry.db" else old

    return rewrite(plain, target, edit, extra=list((extra or {}).items()))


def test_a_restore_refuses_a_catalogue_with_a_planted_trigger(tmp_path: Path) -> None:
    import sqlite3

    from enquiry.app import Enquiry, bundles
    from enquiry.errors import Unverified

    _home_with_a_note(tmp_path / "home")

    def plant(database: Path) -> None:
        connection = sqlite3.connect(database)
        connection.execute(
            "CREATE TRIGGER quiet AFTER INSERT ON custody_events BEGIN"
            " UPDATE items SET credibility = 1; END"
        )
        connection.commit()
        connection.close()  # its write-ahead log is folded into the file as it closes

    forged = _forged_backup(tmp_path / "home", tmp_path / "forged.zip", plant)
    with pytest.raises(Unverified) as refused:
        bundles.restore(
            Enquiry.at(tmp_path / "restored", "successor"), forged, accept_signer="unsigned"
        )
    assert "a trigger 'quiet' on custody_events that enquiry did not make" in str(refused.value)


def test_a_restore_of_members_that_clash_is_one_line(tmp_path: Path) -> None:
    from enquiry.app import Enquiry, bundles
    from enquiry.errors import Corrupt

    _home_with_a_note(tmp_path / "home")
    clash = _forged_backup(
        tmp_path / "home", tmp_path / "clash.zip", extra={"home/home.json/x": b"x"}
    )
    with pytest.raises(Corrupt) as refused:
        bundles.restore(
            Enquiry.at(tmp_path / "restored", "successor"), clash, accept_signer="unsigned"
        )
    assert "cannot be unpacked" in str(refused.value) and "\n" not in str(refused.value)
