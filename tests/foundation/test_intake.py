"""`enquiry add`: every kind of file in, metadata out, duplicates once, bad input named."""

from __future__ import annotations

import json
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
import samples

from conftest import Run, show


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "evidence"
    (root / "media").mkdir(parents=True)
    samples.jpeg_with_exif(root / "media" / "crater.jpg")
    samples.mp4(root / "media" / "clip.mp4")
    samples.pdf(root / "report.pdf")
    samples.html(root / "article.html")
    (root / "note.txt").write_text("Admission times logged at the hospital.\n", encoding="utf-8")
    return root


def _custody(run: Run, *args: str) -> list[dict[str, Any]]:
    """The ledger without the events that record catalogue rows (they follow every commit)."""
    return [e for e in json.loads(run("log", "--json", *args).stdout) if e["action"] != "recorded"]


def _testimony(run: Run, path: Path, text: str, *fields: str) -> None:
    """Take a text file in as testimony in case 'ks', with the given KEY=VALUE fields."""
    path.write_text(text, encoding="utf-8")
    pairs = [arg for field in fields for arg in ("--field", field)]
    run("add", str(path), "--case", "ks", "--kind", "testimony", *pairs)


def _items(run: Run) -> dict[str, dict[str, object]]:
    rows = json.loads(run("log", "--json").stdout)
    ids = sorted({r["item"] for r in rows if r["action"] == "received"})
    return {show(run, i)["name"]: show(run, i) for i in ids}


def test_folder_intake_detects_kinds_and_extracts_metadata(
    run: Run, folder: Path, backend: str
) -> None:
    result = run("add", str(folder), "--case", "ks")
    assert "5 stored" in result.stdout
    items = _items(run)
    photo, video = items["crater.jpg"], items["clip.mp4"]
    assert photo["kind"] == "photo" and video["kind"] == "video"
    assert photo["metadata"]["photo"]["taken_at"] == "2017-04-04T06:52:10"
    assert photo["metadata"]["photo"]["offset"] == "+03:00"
    assert photo["metadata"]["photo"]["gps"]["lat"] == pytest.approx(35.4427, abs=1e-4)
    assert photo["metadata"]["photo"]["make"] == "Canon"
    assert video["metadata"]["video"]["duration_s"] == pytest.approx(2.0, abs=0.2)
    assert video["metadata"]["video"]["creation_time"].startswith("2017-04-04T04:00")
    assert video["metadata"]["video"]["streams"][0]["codec"] == "mpeg4"
    assert items["report.pdf"]["kind"] == "document"
    assert items["article.html"]["metadata"]["text"]["title"] == "Strike on Khan Shaykhun"
    page = run("item", "show", str(items["article.html"]["id"]), "--json", "--text").stdout
    assert "eastern outskirts" in json.loads(page)["text"]["text/1"]
    pdf_text = json.loads(
        run("item", "show", str(items["report.pdf"]["id"]), "--json", "--text").stdout
    )
    assert "Joint Investigative Mechanism" in pdf_text["text"]["text/1"]
    for item in items.values():
        assert {"id", "sha256", "size", "kind", "fields", "metadata", "derived_from"} <= set(item)
    run("verify")


def test_rerun_is_idempotent_and_duplicates_add_an_event_not_a_blob(
    run: Run, folder: Path, home: Path
) -> None:
    run("add", str(folder), "--case", "ks")
    events = len(_custody(run))
    again = run("add", str(folder), "--case", "ks")
    assert "5 unchanged" in again.stdout
    assert len(_custody(run)) == events
    copy = folder.parent / "copy-of-note.txt"
    copy.write_bytes((folder / "note.txt").read_bytes())
    blobs = sorted(p.name for p in (home / "vault" / "sha256").glob("*/*/*"))
    result = run("add", str(copy), "--case", "ks")
    assert "1 already in the case" in result.stdout
    assert sorted(p.name for p in (home / "vault" / "sha256").glob("*/*/*")) == blobs
    log = _custody(run)
    assert len(log) == events + 1 and log[-1]["details"]["path"].endswith("copy-of-note.txt")
    run("verify")


def test_kind_comes_from_content_not_name(run: Run, tmp_path: Path) -> None:
    fake = samples.pdf(tmp_path / "victims.jpg")
    run("add", str(fake), "--case", "ks")
    item = show(run, 1)
    assert item["kind"] == "document" and item["media_type"] == "application/pdf"
    assert "image/jpeg" in item["metadata"]["intake"]["name_mismatch"]


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_bad_input_gets_one_line_each_and_the_rest_goes_on(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "mixed"
    root.mkdir()
    (root / "good.txt").write_text("a good statement\n", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    whole = samples.jpeg_with_exif(tmp_path / "whole.jpg").read_bytes()
    (root / "truncated.jpg").write_bytes(whole[: len(whole) // 2])
    (root / "big.bin").write_bytes(os.urandom(64 * 1024))
    (root / "latin1.txt").write_bytes("Khan Shaykhun, témoignage reçu\n".encode("latin-1"))
    (root / "bomb.png").write_bytes(_png_claiming(100_000, 100_000))
    with zipfile.ZipFile(root / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (20 * 1024 * 1024))
    (root / "loop-a").symlink_to(root / "loop-b")
    (root / "loop-b").symlink_to(root / "loop-a")
    (root / "dangling").symlink_to(root / "nowhere")
    os.mkfifo(root / "pipe")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root)
    (root / "name\x1b[31mred.txt").write_text("escape codes in the name\n", encoding="utf-8")
    result = run("add", str(root), "--case", "ks", "--max-size", "40K", expect=1)
    lines = [line for line in result.stderr.splitlines() if line.startswith("enquiry: ")]
    by_name = {line.split(": ")[1].rsplit("/", 1)[-1]: line for line in lines}
    assert "empty file" in by_name["empty.txt"]
    assert "truncated JPEG" in by_name["truncated.jpg"]
    assert "too large" in by_name["big.bin"]
    assert "not valid UTF-8" in by_name["latin1.txt"]
    assert "decompression bomb" in by_name["bomb.png"]
    assert "decompression bomb" in by_name["bomb.docx"]
    assert "symbolic link loop" in by_name["loop-a"] and "symbolic link loop" in by_name["loop-b"]
    assert "broken symbolic link" in by_name["dangling"]
    assert "FIFO" in by_name["pipe"]
    assert "symbolic link loop" in by_name["up"]
    assert "control characters" in by_name["name\\x1b[31mred.txt"]
    assert "\x1b" not in result.stderr
    assert len(lines) == 12, "\n".join(lines)
    assert "rejected" in result.stdout
    names = {item["name"] for item in _items(run).values()}
    assert {
        "good.txt",
        "truncated.jpg",
        "latin1.txt",
        "bomb.png",
        "bomb.docx",
        "name\\x1b[31mred.txt",
    } <= names
    assert not names & {"empty.txt", "big.bin"}
    run("verify")


def test_fields_validated_before_anything_is_stored(run: Run, tmp_path: Path, home: Path) -> None:
    (tmp_path / "w.txt").write_text("interview transcript\n", encoding="utf-8")
    result = run(
        "add",
        str(tmp_path / "w.txt"),
        "--case",
        "ks",
        "--kind",
        "testimony",
        "--field",
        "interview_date=2017-02-30",
        expect=2,
    )
    assert "field 'interview_date': '2017-02-30'" in result.stderr
    result = run("add", str(tmp_path / "w.txt"), "--case", "ks", "--kind", "witness", expect=2)
    assert "unknown kind 'witness'" in result.stderr
    assert not list((home / "vault" / "sha256").glob("*/*/*"))


def test_protected_identity_is_withheld_unless_revealed_and_revealing_is_logged(
    run: Run, tmp_path: Path
) -> None:
    _testimony(
        run,
        tmp_path / "w.txt",
        "interview transcript\n",
        "witness_pseudonym=W-017",
        "witness_name=Real Name",
        "consent=given",
    )
    hidden = show(run, 1)
    assert hidden["protected"] is True
    assert hidden["fields"]["witness_pseudonym"] == "W-017"
    assert "Real Name" not in json.dumps(hidden)
    assert "Real Name" not in run("item", "show", "1").stdout
    revealed = json.loads(run("item", "show", "1", "--json", "--reveal").stdout)
    assert revealed["fields"]["witness_name"] == "Real Name"
    log = json.loads(run("log", "--json", "--item", "1").stdout)
    assert log[-1]["action"] == "revealed" and log[-1]["actor"] == "tester"
    run("verify")


def test_reading_back(run: Run, folder: Path) -> None:
    run("add", str(folder), "--case", "ks", "--source", "White Helmets")
    cases = run("case", "list").stdout
    assert cases.startswith("ks\t5 items")
    first = show(run, 1)
    assert first["source"] == "White Helmets"
    assert show(run, first["sha256"][:10])["id"] == 1
    item_log = json.loads(run("log", "--item", "1", "--json").stdout)
    assert [e["action"] for e in item_log] == ["received"]
    assert item_log[0]["details"]["sha256"] == first["sha256"]
    assert item_log[0]["details"]["size"] == first["size"]
    assert item_log[0]["details"]["kind"] == first["kind"]
    missing = run("item", "show", "999", expect=1)
    assert "item '999': no such item" in missing.stderr


def test_working_copies_and_derivatives_leave_the_original_untouched(
    run: Run, tmp_path: Path
) -> None:
    original = samples.jpeg_with_exif(tmp_path / "crater.jpg")
    run("add", str(original), "--case", "ks")
    sha = show(run, 1)["sha256"]
    copy = tmp_path / "work" / "crater-copy.jpg"
    copy.parent.mkdir()
    run("item", "copy", "1", "-o", str(copy))
    assert copy.read_bytes() == original.read_bytes()
    run("item", "copy", "1", "-o", str(copy), expect=1)
    from PIL import Image

    with Image.open(copy) as image:
        image.crop((0, 0, 48, 32)).save(copy.with_name("crop.png"))
    result = run(
        "derive",
        "1",
        str(copy.with_name("crop.png")),
        "--how",
        "crop to the crater",
        "--tool",
        "Pillow",
    )
    assert "item 2 derived from item 1" in result.stdout
    derived = show(run, 2)
    assert derived["derived_from"] == 1
    assert derived["transformation"] == {"how": "crop to the crater", "tool": "Pillow"}
    assert derived["kind"] == "photo" and derived["media_type"] == "image/png"
    assert show(run, 1)["sha256"] == sha
    actions = [e["action"] for e in _custody(run)]
    assert actions == ["created", "received", "copied", "derived"]
    run("verify")


def test_protected_content_needs_reveal_to_copy(run: Run, tmp_path: Path) -> None:
    _testimony(run, tmp_path / "w.txt", "my name is ...\n", "witness_pseudonym=W-2")
    refused = run("item", "copy", "1", "-o", str(tmp_path / "out.txt"), expect=1)
    assert "protected" in refused.stderr and not (tmp_path / "out.txt").exists()
    run("item", "copy", "1", "-o", str(tmp_path / "out.txt"), "--reveal")
    actions = [e["action"] for e in json.loads(run("log", "--json", "--item", "1").stdout)]
    assert actions == ["received", "revealed", "copied"]


def test_asking_for_a_kind_or_fields_on_known_bytes_is_not_silently_dropped(
    run: Run, tmp_path: Path
) -> None:
    (tmp_path / "w.txt").write_text("interview transcript\n", encoding="utf-8")
    run("add", str(tmp_path / "w.txt"), "--case", "ks")
    again = run(
        "add",
        str(tmp_path / "w.txt"),
        "--case",
        "ks",
        "--kind",
        "testimony",
        "--field",
        "witness_pseudonym=W-9",
        expect=1,
    )
    assert "already in the case as item 1 (document)" in again.stderr
    assert "enquiry item update 1" in again.stderr
    run(
        "item",
        "update",
        "1",
        "--kind",
        "testimony",
        "--field",
        "witness_pseudonym=W-9",
        "--field",
        "witness_name=Jane Roe",
    )
    item = show(run, 1)
    assert item["kind"] == "testimony" and item["protected"] is True
    assert "Jane Roe" not in json.dumps(item)
    events = _custody(run, "--item", "1")
    # Viewing a protected item is itself recorded, after the update.
    assert events[-1]["action"] == "accessed"
    updated = [e for e in events if e["action"] == "updated"][-1]
    assert updated["details"]["fields_changed"] == ["witness_name", "witness_pseudonym"]
    assert "Jane Roe" not in run("log", "--json").stdout
    run("verify")


def test_what_is_made_from_a_protected_item_is_protected(run: Run, tmp_path: Path) -> None:
    _testimony(run, tmp_path / "w.mp4.txt", "video interview\n", "witness_pseudonym=W-3")
    (tmp_path / "Jane-Roe-transcript.txt").write_text("transcript\n", encoding="utf-8")
    run("derive", "1", str(tmp_path / "Jane-Roe-transcript.txt"), "--how", "transcribed")
    derived = show(run, 2)
    assert derived["protected"] is True and derived["name"].startswith("[withheld")
    refused = run("item", "show", "2", "--text", expect=1)
    assert "protected" in refused.stderr
    assert "Jane-Roe" not in run("log").stdout
    assert "Jane-Roe" in run("log", "--reveal").stdout
    again = run(
        "derive", "1", str(tmp_path / "Jane-Roe-transcript.txt"), "--how", "again", expect=1
    )
    assert "already item 2, derived from item 1; nothing recorded" in again.stderr
    run("verify")


def test_wrong_requests_store_nothing_and_exit_2(run: Run, tmp_path: Path, home: Path) -> None:
    photo = samples.jpeg_with_exif(tmp_path / "p.jpg")
    bad_field = run("add", str(photo), "--case", "ks", "--field", "location=abc", expect=2)
    assert "field 'location': 'abc'" in bad_field.stderr
    missing = run("add", str(photo), "--case", "ks", "--kind", "environmental_sample", expect=2)
    assert (
        "field 'sample_id': a value is required for kind 'environmental_sample'" in missing.stderr
    )
    assert (
        "--case: a case must have a name" in run("add", str(photo), "--case", " ", expect=2).stderr
    )
    for dots in (".", ".."):  # no web address could reach such a case
        refused = run("add", str(photo), "--case", dots, expect=2).stderr
        assert f"--case: '{dots}': a case may not be called '.' or '..'" in refused
    nothing = run("add", str(tmp_path / "nowhere"), "--case", "ghost", expect=1)
    assert "does not exist" in nothing.stderr
    assert "ghost" not in run("case", "list").stdout
    assert "--as must name" in run("--as", "", "case", "list", expect=2).stderr


def test_add_json_is_valid_json_on_stdout(run: Run, folder: Path) -> None:
    result = run("add", str(folder), "--case", "ks", "--json")
    rows = json.loads(result.stdout)
    assert {r["status"] for r in rows} == {"stored"} and len(rows) == 5
    assert "5 stored" in result.stderr


def test_an_upload_is_recorded_as_its_sender_and_name_not_its_staging_path(
    run: Run, home: Path, backend: str
) -> None:
    from enquiry.app import Enquiry, evidence

    app = Enquiry.at(home, "ivo")
    app.store(create=True)
    with evidence.staging(app) as folder:
        (folder / "scan.txt").write_text("An uploaded scan of the hospital log.\n", "utf-8")
        (folder / "statement.txt").write_text("I am Nour Haddad, a nurse.\n", "utf-8")
        report = evidence.add(app, [folder / "scan.txt"], case="ks", uploaded=folder)
        protected = evidence.add(
            app,
            [folder / "statement.txt"],
            case="ks",
            kind="testimony",
            fields={"witness_pseudonym": "W-9", "consent": "given"},
            uploaded=folder,
        )
    item = report.results[0].item_id
    received = _custody(run, "--item", str(item))[0]
    assert received["actor"] == "ivo" and received["details"]["path"] == "upload:ivo/scan.txt"
    shown = show(run, item)
    assert shown["name"] == "scan.txt" and shown["origins"] == ["upload:ivo/scan.txt"]
    ref = str(protected.results[0].item_id)
    secret = json.loads(run("item", "show", ref, "--json", "--reveal").stdout)
    assert secret["name"] == "statement.txt"
    assert secret["origins"] == ["upload:ivo/statement.txt"]
    assert str(folder) not in run("log", "--json").stdout


def test_the_summary_counts_files_kept_with_problems_among_those_stored() -> None:
    """A summary "1 stored, 1 stored with problems" read as two files: a file kept with a problem is
    one of those stored (or already held), and is said to be."""
    from enquiry.intake.pipeline import FileResult, IntakeReport

    report = IntakeReport(
        [
            FileResult("cut.jpg", "stored", problems=["truncated JPEG"]),
            FileResult("note.txt", "stored"),
            FileResult("empty.txt", "rejected", problems=["empty file"]),
        ]
    )
    assert report.summary() == "2 stored, 1 rejected (1 of the files kept had problems)"
    assert IntakeReport([FileResult("a.txt", "stored")]).summary() == "1 stored"
