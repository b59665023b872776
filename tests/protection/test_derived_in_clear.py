"""What is derived from an item's content in the clear — its words in the search index, a
photograph's perceptual hashes — must not outlive its protection: a protected photograph is not
found from a copy of it by someone holding the home without the key, and an item protected
later leaves none of its words in the database's files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image
from protection_helpers import Cli, steal

# Words no other document holds (so the index stores each one whole, not after a shared prefix).
INFORMANT = ("zqxvorbitral", "wyndlequasp", "jhorvettiquam")


def _grep(folder: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes().lower()
        found += [f"{path.name}: {n.decode()}" for n in needles if n in data]
    return found


def _photo(path: Path, seed: int) -> Path:
    noise = np.random.default_rng(seed).integers(0, 256, (360, 480, 3), dtype=np.uint8)
    noise[90:270, 120:360] = (30 * seed % 256, 90, 200)
    Image.fromarray(noise).save(path, quality=92)
    return path


def _copy_of(photo: Path, into: Path) -> Path:
    """The photograph as posted elsewhere: smaller and re-encoded."""
    with Image.open(photo) as image:
        image.resize((240, 180)).save(into, quality=70)
    return into


def _matched(cli: Cli, query: Path) -> list[int]:
    found = json.loads(cli("media", "match", str(query), "--json").stdout)["matches"]
    return sorted({int(match["item"]) for match in found})


def _added(cli: Cli, path: Path, *options: str) -> int:
    cli("add", str(path), "--case", "saltworks", *options)
    listing = json.loads(cli("item", "list", "--json").stdout)["items"]
    return max(int(row["id"]) for row in listing)


def test_an_item_protected_later_leaves_no_word_in_the_search_index(
    worked: Cli, tmp_path: Path, backend: str
) -> None:
    note = tmp_path / "in" / "note.txt"
    note.parent.mkdir()
    note.write_text(f"The informant {' '.join(INFORMANT)} lives by the gate.\n", "utf-8")
    item = _added(worked, note, "--kind", "document")
    found = json.loads(worked("search", INFORMANT[0], "--json").stdout)
    assert found["hits"], "the attacker's search is real: the word is indexed unprotected"
    needles = [word.encode() for word in INFORMANT]
    assert _grep(steal(worked.home, tmp_path / "before"), needles)

    worked("item", "update", str(item), "--protect")
    assert not json.loads(worked("search", INFORMANT[0], "--json").stdout)["hits"]
    assert not _grep(steal(worked.home, tmp_path / "after"), needles)
    worked("reindex")
    assert not _grep(steal(worked.home, tmp_path / "reindexed"), needles)
    worked("verify")


def test_a_protected_photograph_is_not_found_from_a_copy_of_it(
    worked: Cli, tmp_path: Path, backend: str
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    protected = _added(worked, _photo(folder / "a.jpg", 1), "--kind", "photo", "--protected")
    plain = _added(worked, _photo(folder / "b.jpg", 2), "--kind", "photo")
    # The match is real: the unprotected photograph is found from its copy.
    assert _matched(worked, _copy_of(folder / "b.jpg", tmp_path / "b-copy.jpg")) == [plain]
    assert protected not in _matched(worked, _copy_of(folder / "a.jpg", tmp_path / "a-copy.jpg"))


def test_protecting_a_photograph_later_removes_its_hashes_and_records_it(
    worked: Cli, tmp_path: Path, backend: str
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    photo = _added(worked, _photo(folder / "c.jpg", 3), "--kind", "photo")
    copy = _copy_of(folder / "c.jpg", tmp_path / "c-copy.jpg")
    assert _matched(worked, copy) == [photo]  # and the saved index now holds it

    worked("item", "update", str(photo), "--protect")
    assert not (worked.home / "index").exists()  # the saved index held its hashes too
    assert photo not in _matched(worked, copy)
    log = json.loads(worked("log", "--item", str(photo), "--json", "--reveal").stdout)
    updated = [e for e in log if e["action"] == "updated"]
    assert updated[-1]["details"]["media_hashes_removed"] > 0
