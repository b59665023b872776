"""Files that test the readers rather than the walk: damaged picture metadata, text in encodings
a careless reader takes for binary. Each bad file is one line naming it; words are read."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from enquiry.cli import main
from enquiry.store import open_store
from enquiry.store.tables import Item, ItemText

ENQUIRY = [sys.executable, "-m", "enquiry.cli"]


def _tiff_with_broken_exif() -> bytes:
    """A 10×10 grey TIFF whose EXIF block claims tags of two thousand million bytes."""
    entries = [
        (256, 4, 1, 10),  # width
        (257, 4, 1, 10),  # height
        (258, 3, 1, 8),  # bits per sample
        (262, 3, 1, 1),  # black is zero
        (273, 4, 1, 8),  # strip offset
        (279, 4, 1, 100),  # strip length
        (0x8769, 4, 1, 200),  # EXIF block
    ]
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries)
    data = bytearray(b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0))
    data += b"\x00" * (200 - len(data))
    data += struct.pack("<H", 2)
    data += struct.pack("<HHII", 0x9003, 2, 0x7FFFFFFF, 300)  # DateTimeOriginal
    data += struct.pack("<HHII", 0x927C, 7, 0xFFFFFFFF, 300)  # MakerNote
    data += struct.pack("<I", 0) + b"A" * 200
    return bytes(data)


def test_damaged_picture_metadata_prints_no_library_warnings(home: Path, tmp_path: Path) -> None:
    """Pillow warns as it reads a damaged TIFF ("Tag data larger than file", "Corrupt EXIF
    data"): lines naming a Python source file, not the evidence, among the lines that do."""
    picture = tmp_path / "scan.tif"
    picture.write_bytes(_tiff_with_broken_exif())
    done = subprocess.run(
        [*ENQUIRY, "--home", str(home), "add", str(picture), "--case", "ks"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "1 stored" in done.stdout, done.stderr
    assert "Warning" not in done.stderr and "warnings.warn" not in done.stderr, done.stderr
    assert all(line.startswith("enquiry: ") for line in done.stderr.splitlines()), done.stderr


def _texts(home: Path) -> dict[str, tuple[str, str]]:
    """Each item's name: its media type and the text read from it."""
    store = open_store(home, "tester")
    with store.session() as session:
        rows = session.execute(
            select(Item.original_name, Item.media_type, ItemText.text).join(
                ItemText, ItemText.item_id == Item.id, isouter=True
            )
        ).all()
    return {str(name): (str(media), text or "") for name, media, text in rows}


ARABIC = "قال شاهد عيان إن الطائرة ألقت القنابل على خان شيخون صباح الرابع من نيسان.\n"
RUSSIAN = "Министерство обороны заявило, что удар был нанесён по складу боеприпасов.\n"


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_in_arabic_or_cyrillic_is_read(
    home: Path, tmp_path: Path, order: str
) -> None:
    """Without a BOM, UTF-16 of these alphabets has no NULs to give it away, but a control
    byte (0x06, 0x04) in every other place: it was taken for a binary file, silently."""
    folder = tmp_path / "statements"
    folder.mkdir()
    (folder / "witness.txt").write_bytes((ARABIC * 3).encode(order))
    (folder / "ministry.txt").write_bytes((RUSSIAN * 3).encode(order))
    result = CliRunner().invoke(main, ["--home", str(home), "add", str(folder), "--case", "ks"])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert all("without a byte-order mark; read as such" in line for line in lines)
    texts = _texts(home)
    assert texts["witness.txt"] == ("text/plain", ARABIC * 3)
    assert texts["ministry.txt"] == ("text/plain", RUSSIAN * 3)


def test_a_statement_with_stray_nul_bytes_is_read_and_they_are_named(
    home: Path, tmp_path: Path
) -> None:
    statement = tmp_path / "statement.txt"
    words = "The witness saw the aircraft at 06:45 from the roof of the school. " * 20
    statement.write_bytes(words.encode() + b"\x00\x00\n")
    result = CliRunner().invoke(main, ["--home", str(home), "add", str(statement), "--case", "ks"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"enquiry: {statement}: holds 2 NUL byte(s); each read as U+FFFD"
    ]
    media_type, text = _texts(home)["statement.txt"]
    assert media_type == "text/plain"
    assert text == words + "\ufffd\ufffd\n"


def test_a_damaged_video_is_named_as_it_arrived_not_by_its_vault_copy(
    home: Path, tmp_path: Path
) -> None:
    """FFmpeg's error quotes the path it opened — the vault's copy, a hash under the home —
    which tells the reader of the line nothing; the line names the file as it arrived."""
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\xde\xad" * 4000)
    result = CliRunner().invoke(main, ["--home", str(home), "add", str(clip), "--case", "ks"])
    assert result.exit_code == 1, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"enquiry: {clip}: ") and "cannot be decoded for hashing" in line
    assert str(home) not in line, line
