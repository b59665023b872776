"""Attached files stay inside the case file's folder unless the caller allows more, and say so."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from casefile_helpers import HEAD, catalogue, write
from sqlalchemy import select

from enquiry.errors import Refused
from enquiry.intake.casefile import AttachmentRefused, CaseFileError, load_case_file
from enquiry.store import open_store
from enquiry.store.tables import CustodyEvent, Item
from enquiry.store.verify import verify


def _case(file: str) -> str:
    return (
        HEAD
        + f"items:\n- key: leak\n  kind: document\n  fields: {{title: A file}}\n  file: {file}\n"
    )


@pytest.mark.parametrize(
    ("file", "words"),
    [
        ("/etc/passwd", "item 'leak': file '/etc/passwd' is an absolute path"),
        ("../outside.txt", "item 'leak': file '../outside.txt' leads out of the folder ('..')"),
        (
            "files/link.txt",
            "item 'leak': file 'files/link.txt' is a symbolic link to a file outside",
        ),
    ],
)
def test_files_outside_the_case_folder_are_refused_and_nothing_is_stored(
    tmp_path: Path, home: Path, backend: str, file: str, words: str
) -> None:
    (tmp_path / "outside.txt").write_text("secret\n", encoding="utf-8")
    (tmp_path / "case" / "files").mkdir(parents=True)
    os.symlink(tmp_path / "outside.txt", tmp_path / "case" / "files" / "link.txt")
    path = write(tmp_path / "case", _case(file))
    store = open_store(home, "tester")
    before = catalogue(store)
    with pytest.raises(AttachmentRefused) as caught:
        load_case_file(store, path)
    message = str(caught.value)
    assert isinstance(caught.value, Refused) and isinstance(caught.value, CaseFileError)
    assert message.startswith(f"{path}:14:9: items[0].file: {words}")
    assert "\n" not in message
    assert catalogue(store) == before
    assert not any(store.vault.iter_hashes())


def test_a_symlink_inside_the_folder_is_followed(tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "case"
    (folder / "files").mkdir(parents=True)
    (folder / "files" / "real.txt").write_text("a memo\n", encoding="utf-8")
    os.symlink(folder / "files" / "real.txt", folder / "alias.txt")
    store = open_store(home, "tester")
    report = load_case_file(store, write(folder, _case("alias.txt")))
    assert report.created["item"] == 1


@pytest.mark.parametrize(("make", "words"), [("fifo", "is a FIFO"), ("folder", "is a folder")])
def test_devices_fifos_and_folders_are_refused_in_words(
    tmp_path: Path, home: Path, make: str, words: str
) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    if make == "fifo":
        os.mkfifo(folder / "thing")
    else:
        (folder / "thing").mkdir()
    store = open_store(home, "tester")
    before = catalogue(store)
    with pytest.raises(AttachmentRefused, match=f"file 'thing' {words}, not a file"):
        load_case_file(store, write(folder, _case("thing")))
    assert catalogue(store) == before


def test_a_device_is_refused_even_when_outside_is_allowed(tmp_path: Path, home: Path) -> None:
    store = open_store(home, "tester")
    with pytest.raises(AttachmentRefused, match="file '/dev/null' is a character device"):
        load_case_file(store, write(tmp_path, _case("/dev/null")), allow_outside=True)


def test_allow_outside_reads_elsewhere_and_the_receipt_says_so(tmp_path: Path, home: Path) -> None:
    (tmp_path / "elsewhere.txt").write_text("a memo kept elsewhere\n", encoding="utf-8")
    path = write(tmp_path / "case", _case("../elsewhere.txt"))
    store = open_store(home, "tester")
    load_case_file(store, path, allow_outside=True)
    with store.session() as session:
        item = session.execute(select(Item)).scalar_one()
        receipt = session.execute(
            select(CustodyEvent).where(
                CustodyEvent.action == "received", CustodyEvent.item_id == item.id
            )
        ).scalar_one()
    details = json.loads(receipt.details)
    assert details["outside_case_folder"] is True
    assert details["path"] == str(tmp_path / "elsewhere.txt")
    assert verify(store).intact
    # Inside the folder, the receipt says nothing of the kind.
    (tmp_path / "case" / "inside.txt").write_text("a memo inside\n", encoding="utf-8")
    other = write(tmp_path / "case", _case("inside.txt").replace("key: leak", "key: in"), "b.yaml")
    load_case_file(store, other)
    with store.session() as session:
        events = session.execute(
            select(CustodyEvent.details).where(CustodyEvent.action == "received")
        ).scalars()
        assert [("outside_case_folder" in json.loads(d)) for d in events] == [True, False]


@pytest.mark.parametrize("file", ["../jane-roe.txt", "jane-roe-missing.txt"])
def test_a_protected_items_path_is_not_repeated(tmp_path: Path, home: Path, file: str) -> None:
    (tmp_path / "jane-roe.txt").write_text("words\n", encoding="utf-8")
    text = HEAD + (
        "items:\n- key: w\n  kind: testimony\n  fields: {witness_pseudonym: W-1}\n"
        f"  file: {file}\n"
    )
    store = open_store(home, "tester")
    with pytest.raises(CaseFileError) as caught:
        load_case_file(store, write(tmp_path / "case", text))
    message = str(caught.value)
    assert "items[0].file: item 'w': its file (path not shown: the item is protected)" in message
    assert "jane" not in message.split("case.yaml", 1)[1]
