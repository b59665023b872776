"""Import as a hostile bundle would attack it: swap the file between its check and its reading,
carry a case file that says other than the manifest, name paths that climb out, play YAML
tricks, merge into a case the home holds, or stop half-way. Each is refused with one line
naming the bundle, and the home that refused it is as it was."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from bundle_helpers import CASE_NAME, Made, environment, manifest, rewrite
from sqlalchemy import func, select

from enquiry.app import Enquiry, bundles, evidence
from enquiry.app.evidence import verify_home
from enquiry.errors import BadRequest, Corrupt, EnquiryError, Refused
from enquiry.intake import yamlsafe
from enquiry.intake.casefile import to_yaml
from enquiry.publish import bundle as writing
from enquiry.store.tables import BundleImport, Case, CustodyEvent, Item, LedgerHead, Rating

CASE_MEMBER = "case/case.yaml"
Change = Callable[[dict[str, Any]], Any]


def _forged(
    made: Made,
    target: Path,
    casefile: Change | str | bytes | None = None,
    change: Change | None = None,
) -> Path:
    """The signed bundle re-made as a forger would: its case file edited (``casefile``, on the
    parsed document, or its whole text), its manifest changed by ``change``, the manifest's
    entry for the case file re-hashed and the signature dropped — so that it still verifies,
    as an unsigned, self-consistent bundle."""
    body = manifest(made.bundle)
    body.pop("signer")
    with zipfile.ZipFile(made.bundle) as archive:
        text = archive.read(CASE_MEMBER)
    if isinstance(casefile, bytes):
        text = casefile
    elif isinstance(casefile, str):
        text = casefile.encode("utf-8")
    elif casefile is not None:
        doc = yaml.safe_load(text)
        casefile(doc)
        text = to_yaml(doc).encode("utf-8")
    for entry in body["members"]:
        if entry["path"] == CASE_MEMBER:
            entry.update(size=len(text), sha256=hashlib.sha256(text).hexdigest())
    if change is not None:
        change(body)
    data = json.dumps(body).encode()

    def edit(name: str, old: bytes) -> bytes | None:
        if name == "signature.json":
            return None
        return data if name == "manifest.json" else text if name == CASE_MEMBER else old

    return rewrite(made.bundle, target, edit)


def _item(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(item for item in doc["items"] if item.get("key") == key)


def _successor(root: Path) -> Enquiry:
    """A home that already holds a case of its own (so that 'unchanged' means something)."""
    note = root / "note.txt"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text("Seen at the crossing at noon.\n", encoding="utf-8")
    app = Enquiry.at(root / "successor", "successor")
    evidence.add(app, [note], case="held")
    return app


def _state(app: Enquiry) -> tuple[Any, ...]:
    """What an import could alter: the catalogue's cases, items, ratings, imports and ledger
    head, the head file beside it, and the vault's files."""
    store = app.store(create=False)
    with store.session() as session:
        counted = tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (Item, Rating, BundleImport, CustodyEvent)
        )
        cases = sorted(session.scalars(select(Case.name)))
        head = session.execute(select(LedgerHead.seq, LedgerHead.hash)).one()
    vault = sorted(str(path.relative_to(store.home)) for path in (store.home / "vault").rglob("*"))
    return cases, counted, tuple(head), (store.home / "ledger.head").read_bytes(), vault


def _refused(app: Enquiry, bundle: Path, kind: type[EnquiryError] = BadRequest) -> str:
    """Import ``bundle`` into ``app``: refused with ``kind``, one line naming the bundle, and
    nothing in the home changed."""
    before = _state(app)
    with pytest.raises(kind) as refused:
        bundles.import_bundle(app, bundle)
    line = str(refused.value)
    assert "\n" not in line and line.startswith(str(bundle)), line
    assert _state(app) == before
    return line


# --- the file checked is the file read --------------------------------------------------------


def _swap_after_check(
    monkeypatch: pytest.MonkeyPatch, target: Callable[[Path], Path], forged: Path
) -> None:
    """Replace a file with ``forged`` the moment the check has passed: the file the user named,
    or the one the check was given (``target`` picks it from the checked path)."""
    real = bundles.check_bundle

    def check_then_swap(path: Path, *args: Any, **kwargs: Any) -> Any:
        outcome = real(path, *args, **kwargs)
        victim = target(path)
        spare = victim.with_name(victim.name + ".spare")  # beside it: the same file system
        spare.write_bytes(forged.read_bytes())
        os.replace(spare, victim)
        return outcome

    monkeypatch.setattr(bundles, "check_bundle", check_then_swap)


def _lower_the_note(doc: dict[str, Any]) -> None:
    for rating in doc["ratings"]:
        if rating["item"] == "note-1":
            rating["values"] = {"H1": "I", "H2": "CC", "H0": "C"}


def _note_values(app: Enquiry) -> list[str | None]:
    """The note's ratings, hypothesis by hypothesis."""
    with app.store(create=False).session() as session:
        item = session.scalars(select(Item).where(Item.key == "note-1")).one()
        return list(
            session.scalars(
                select(Rating.rating)
                .where(Rating.item_id == item.id)
                .order_by(Rating.hypothesis_id)
            )
        )


def test_a_bundle_swapped_after_its_check_brings_in_what_was_checked(
    made: Made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file at the path given is replaced, once the check has passed, by a forgery whose
    case file rates the evidence otherwise: what comes in is the bundle that was checked."""
    given = tmp_path / "given.zip"
    given.write_bytes(made.bundle.read_bytes())
    forged = _forged(made, tmp_path / "forged.zip", _lower_the_note)
    genuine_app = Enquiry.at(tmp_path / "genuine", "successor")
    bundles.import_bundle(genuine_app, made.bundle)

    _swap_after_check(monkeypatch, lambda _checked: given, forged)
    app = Enquiry.at(tmp_path / "successor", "successor")
    imported = bundles.import_bundle(app, given, key=made.key)
    assert given.read_bytes() == forged.read_bytes()  # the swap did happen
    assert imported.manifest_sha256 == made.exported.manifest_sha256
    assert _note_values(app) == _note_values(genuine_app)
    assert verify_home(app).intact


def test_a_checked_file_changed_before_it_is_read_is_refused(
    made: Made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever file the check read, the import reads it through a handle whose whole file must
    hash as it did when checked: changed in between, it is refused and nothing comes in."""
    given = tmp_path / "given.zip"
    given.write_bytes(made.bundle.read_bytes())
    forged = _forged(made, tmp_path / "forged.zip", _lower_the_note)
    _swap_after_check(monkeypatch, lambda checked: checked, forged)
    app = _successor(tmp_path)
    line = _refused(app, given, Corrupt)
    assert "changed since it was checked" in line and "nothing was taken in" in line


def test_a_restore_reads_the_backup_that_was_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _successor(tmp_path / "origin")
    backup = bundles.backup(app, tmp_path / "home.zip").path
    other = _successor(tmp_path / "intruder")
    evidence.add(other, [tmp_path / "origin" / "note.txt"], case="planted")
    forged = bundles.backup(other, tmp_path / "other.zip").path
    _swap_after_check(monkeypatch, lambda _checked: backup, forged)
    restored = Enquiry.at(tmp_path / "restored", "successor")
    bundles.restore(restored, backup, accept_signer="unsigned")
    with restored.store(create=False).session() as session:
        assert sorted(session.scalars(select(Case.name))) == ["held"]


def test_every_member_read_is_checked_against_the_manifest(made: Made, tmp_path: Path) -> None:
    """Read back, a member's bytes must hash as the manifest says, and a member the manifest
    does not list is not read at all."""
    changed = rewrite(
        made.bundle,
        tmp_path / "changed.zip",
        lambda name, data: data + b"# added\n" if name == CASE_MEMBER else data,
        extra=[("case/extra.yaml", b"x: 1\n")],
    )
    with writing.opened(changed) as bundle:
        with pytest.raises(Corrupt, match="changed since it was checked"):
            bundle.read(CASE_MEMBER)
        with pytest.raises(Corrupt, match="not among the manifest's members"):
            bundle.read("case/extra.yaml")
        assert bundle.read("ledger/events.jsonl")  # an unchanged member reads as before
        original = next(e for e in bundle.manifest["items"] if e["member"])
        with pytest.raises(Corrupt, match="is listed with sha256"):
            bundle.extract_to(original["member"], tmp_path / "out" / "x", "0" * 64)


# --- the case file must be the manifest's -----------------------------------------------------


def _no_note(doc: dict[str, Any]) -> None:
    doc["items"] = [item for item in doc["items"] if item.get("key") != "statement-1"]
    doc["ratings"] = [rating for rating in doc["ratings"] if rating["item"] != "statement-1"]


CASEFILE_LIES: dict[str, tuple[Change, str]] = {
    "kind": (lambda doc: _item(doc, "photo-1").update(kind="statement"), "gives kind"),
    "protected": (
        lambda doc: _item(doc, "photo-1").update(protected=True),
        "gives protected True, the manifest False",
    ),
    "content": (
        lambda doc: _item(doc, "note-1").update(text="The span was intact."),
        "gives sha256",
    ),
    "added": (
        lambda doc: doc["items"].append({"key": "planted", "kind": "document", "text": "x"}),
        "item 'planted' of its case file is not among the manifest's items",
    ),
    "left out": (_no_note, "the manifest lists 1 item(s) its case file leaves out"),
    "file without hash": (
        lambda doc: _item(doc, "statement-1").update(text=None, file="../../../etc/hostname"),
        "gives sha256 None",
    ),
}


@pytest.mark.parametrize("lie", sorted(CASEFILE_LIES))
def test_a_case_file_other_than_the_manifest_is_refused(
    made: Made, tmp_path: Path, lie: str
) -> None:
    change, said = CASEFILE_LIES[lie]

    def edit(doc: dict[str, Any]) -> None:
        change(doc)
        for item in doc["items"]:
            if item.get("text", "") is None:
                del item["text"]

    bad = _forged(made, tmp_path / "lie.zip", edit)
    line = _refused(_successor(tmp_path), bad)
    assert said in line and "nothing was taken in" in line, line


def test_a_case_file_that_differs_is_refused_on_both_back_ends(
    made: Made, tmp_path: Path, backend: str
) -> None:
    bad = _forged(made, tmp_path / "lie.zip", CASEFILE_LIES["left out"][0])
    assert "leaves out" in _refused(_successor(tmp_path), bad)


def test_a_case_file_of_another_case_cannot_merge_into_it(
    made: Made, tmp_path: Path, backend: str
) -> None:
    """The manifest names a case the home lacks, the case file one it holds: the check for a
    case already here looked at the one name, the load would have used the other."""
    app = Enquiry.at(tmp_path / "successor", "successor")
    bundles.import_bundle(app, made.bundle)
    bad = _forged(
        made,
        tmp_path / "renamed.zip",
        _lower_the_note,
        lambda body: body["subject"].update(case="bridge-2", name="bridge-2"),
    )
    line = _refused(app, bad)
    assert f"its case file is of case '{CASE_NAME}', its manifest of case 'bridge-2'" in line


def test_an_item_listed_twice_in_the_manifest_is_refused(made: Made, tmp_path: Path) -> None:
    bad = _forged(made, tmp_path / "twice.zip", change=lambda b: b["items"].append(b["items"][1]))
    assert "its manifest lists item 'photo-1' twice" in _refused(_successor(tmp_path), bad)


def test_an_item_listed_twice_in_the_case_file_is_refused(made: Made, tmp_path: Path) -> None:
    bad = _forged(made, tmp_path / "twice.zip", lambda d: d["items"].append(_item(d, "note-1")))
    line = _refused(_successor(tmp_path), bad, EnquiryError)
    assert line.startswith(f"{bad}/{CASE_MEMBER}:") and "item 'note-1' is used twice" in line


@pytest.mark.parametrize("name", ["../../../../../escaped.bin", "/tmp/escaped-abs.bin"])
def test_a_file_name_that_climbs_out_is_extracted_inside(
    made: Made, tmp_path: Path, name: str
) -> None:
    """An original's name in the case file is only a name: it is placed under the import's own
    folder by its hash, never where the name points."""
    bad = _forged(made, tmp_path / "climb.zip", lambda d: _item(d, "photo-1").update(file=name))
    app = Enquiry.at(tmp_path / "successor", "successor")
    bundles.import_bundle(app, bad)
    assert not Path(name).exists() and not (tmp_path / "escaped.bin").exists()
    with app.store(create=False).session() as session:
        photo = session.scalars(select(Item).where(Item.key == "photo-1")).one()
    assert photo.sha256 == _item(yaml.safe_load(_case_text(made)), "photo-1")["sha256"]
    assert verify_home(app).intact


def _case_text(made: Made) -> bytes:
    with zipfile.ZipFile(made.bundle) as archive:
        return archive.read(CASE_MEMBER)


# --- YAML tricks and sizes ---------------------------------------------------------------------

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)},"
    f" *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)},"
    f" *{chr(97 + n)}, *{chr(97 + n)}]\n"
    for n in range(8)
)
YAML_TRICKS = {
    "billion laughs": (LAUGHS, "aliases expand"),
    "python tag": ("title: !!python/object/apply:os.system ['touch {marker}']", "title"),
    "custom tag": ("title: !!python/name:os.system", "title"),
}


@pytest.mark.parametrize("trick", sorted(YAML_TRICKS))
def test_yaml_tricks_in_the_case_file_are_one_line(made: Made, tmp_path: Path, trick: str) -> None:
    text, said = YAML_TRICKS[trick]
    marker = tmp_path / "ran"
    text = text.format(marker=marker)
    if trick != "billion laughs":  # a tag where the genuine case file has its title
        text = _case_text(made).decode().replace("title: Strike on the bridge", text)
    bad = _forged(made, tmp_path / "trick.zip", text)
    line = _refused(_successor(tmp_path), bad, EnquiryError)
    assert line.startswith(f"{bad}/{CASE_MEMBER}:") and said in line, line
    assert not marker.exists()


def test_a_case_file_not_in_utf8_is_one_line(made: Made, tmp_path: Path) -> None:
    bad = _forged(made, tmp_path / "latin.zip", b"format: enquiry-case/1\ncase: {name: \xff}\n")
    line = _refused(_successor(tmp_path), bad, EnquiryError)
    assert line == f"{bad}/{CASE_MEMBER}:2: not UTF-8 text; nothing was taken in"


def test_an_enormous_case_file_is_refused_unread(
    made: Made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case file over the reader's limit is refused from the archive's directory, before its
    bytes are read into memory."""
    padded = _case_text(made).decode() + "#" * 5000 + "\n"
    bad = _forged(made, tmp_path / "large.zip", padded)
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 4096)
    read: list[str] = []
    real = writing.bundle_check.stream_member

    def watched(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Any:
        read.append(info.filename)
        return real(archive, info)

    app = _successor(tmp_path)
    monkeypatch.setattr(writing.bundle_check, "stream_member", watched)
    monkeypatch.setattr(bundles, "check_bundle", lambda *a, **k: _passed())
    line = _refused(app, bad)
    assert f"member case/case.yaml is {len(padded):,} bytes; at most 4,096 are read" in line
    assert CASE_MEMBER not in read


def _passed() -> Any:
    from enquiry.publish.bundle_check import Outcome

    return Outcome("bundle")


def test_a_refusal_on_the_command_line_is_one_line(made: Made, tmp_path: Path) -> None:
    bad = _forged(made, tmp_path / "lie.zip", CASEFILE_LIES["kind"][0])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "enquiry.cli",
            "--home",
            str(tmp_path / "h"),
            "bundle",
            "import",
            str(bad),
        ],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=600,
        check=False,
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert len(lines) == 1 and lines[0].startswith(f"enquiry: {bad}: item 'photo-1'"), lines
    assert not (tmp_path / "h").exists()


# --- a case already here, and an import cut short ---------------------------------------------


def test_a_case_made_meanwhile_is_not_merged_into(
    made: Made, tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another import of the same case lands between this one's look for the case and its
    load: the load refuses to add to a case it did not make."""
    app = Enquiry.at(tmp_path / "successor", "successor")
    real = bundles._extractors
    raced: list[bool] = []

    def meanwhile() -> Any:
        if not raced:
            raced.append(True)
            bundles.import_bundle(Enquiry.at(tmp_path / "successor", "other"), made.bundle)
        return real()

    monkeypatch.setattr(bundles, "_extractors", meanwhile)
    with pytest.raises(Refused, match=f"case '{CASE_NAME}' exists in this home"):
        bundles.import_bundle(app, made.bundle)
    assert raced
    with app.store(create=False).session() as session:
        assert session.scalar(select(func.count()).select_from(BundleImport)) == 1
        assert session.scalars(select(Case.name)).all() == [CASE_NAME]
    assert verify_home(app).intact


@pytest.fixture(scope="module")
def revealed(made: Made) -> Path:
    """The case's bundle with the witness revealed: her testimony travels in it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)  # the home it comes from is on SQLite
        return bundles.export_bundle(
            Enquiry.at(made.home, "panel-secretary"),
            made.root / "revealed.zip",
            case=CASE_NAME,
            reveal=True,
        ).path


def test_an_import_cut_short_leaves_the_home_as_it_was(
    revealed: Path, tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped (Ctrl-C) once the revealed witness's testimony is taken in: the load is one
    transaction, so the catalogue is as it was and verifies, the testimony — written to the
    vault in the clear before it is encrypted — is not left there, and a second import
    continues the ledger from the head."""
    from enquiry.intake import casefile

    app = _successor(tmp_path)
    before = _state(app)
    real = casefile.add_within
    calls: list[int] = []

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(casefile, "add_within", interrupted)
    with pytest.raises(KeyboardInterrupt):
        bundles.import_bundle(app, revealed)
    monkeypatch.setattr(casefile, "add_within", real)
    cases, counted, head, head_file, _vault = _state(app)
    assert (cases, counted, head, head_file) == before[:4]
    assert verify_home(app).intact
    vault = app.store(create=False).home / "vault"
    assert not [p for p in vault.rglob("*") if p.is_file() and b"orange crane" in p.read_bytes()]

    bundles.import_bundle(app, revealed)
    assert verify_home(app).intact
    with app.store(create=False).session() as session:
        first = session.scalars(select(CustodyEvent).where(CustodyEvent.seq == head[0] + 1)).one()
    assert first.prev_hash == head[1]
