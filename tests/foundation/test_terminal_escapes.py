"""Evidence that attacks the investigator's terminal, through the real command line.

A hostile party names files, sets EXIF fields, writes documents, names speakers and actors, or
types comments, so that their text carries escape sequences (colour, cursor moves that overwrite
an earlier line such as a failed verification, OSC 8 hyperlinks, OSC 52 clipboard writes, title
changes), C0 and C1 controls (a carriage return or backspace hiding text, 0x9b as CSI), and
bidirectional overrides, isolates and zero-width characters that make a line read otherwise.
Each command that prints such a value is run on a home holding it: no such character reaches
standard output or standard error raw, each is shown as a visible escape, ``--json`` gives the
exact values back (escaped as JSON), and ordinary text in any script prints unchanged.

Click strips CSI sequences from output that is not a terminal; the commands are run here with
colour on, as on a terminal, so that nothing but enquiry's own escaping is tested.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image

from enquiry.cli import json_text, main, printable_traceback
from enquiry.intake.walk import printable

# What a terminal would act on or a reader be misled by; a line feed and a tab are layout.
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u2028-\u202e\u2060\u2066-\u2069\ufeff"
    "\U000e0000-\U000e007f\ud800-\udfff]"
)
# Ordinary text of several scripts, accents and emoji: printed as it is.
NORMAL = "Привет é مرحبا 👨\u200d👩\u200d👧 ❤️"
# The attacks: cursor up and erase a line, a carriage return and a backspace over "OK", DEL, a
# C1 CSI, an OSC 52 clipboard write, an OSC 0 title, a right-to-left override and an isolate,
# a zero-width space and a byte-order mark.
ATTACK = (
    "\x1b[1A\x1b[2K\rOK\x08\x7f\x9b31m\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07"
    "\u202egpj.exe\u2066x\u2069\u200b\ufeff"
)
# An OSC 8 hyperlink (its address holds '/', so it cannot be part of a file name).
LINK = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
HOSTILE = f"{NORMAL} {ATTACK}"
FILE_NAME = f"{NORMAL} {ATTACK}.txt"
CASE = "hostile"
INCIDENT = "hostile-incident"

Invoke = Callable[..., Result]


def _yaml(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: controls escaped, the rest as it is."""
    escaped = (
        f"\\u{ord(c):04x}" if c < " " or "\x7f" <= c <= "\x9f" or c in '"\\' else c for c in text
    )
    return '"' + "".join(escaped) + '"'


def _case_file(folder: Path) -> Path:
    body = f"""format: enquiry-case/1
case: {{name: {CASE}, title: {_yaml(HOSTILE)}}}
actors:
- {{name: {_yaml("Speaker " + HOSTILE)}, type: person}}
sources:
- {{name: {_yaml("Source " + HOSTILE)}, reliability: B}}
incidents:
- slug: {INCIDENT}
  title: {_yaml("Incident " + HOSTILE + LINK)}
  hypotheses:
  - {{id: H1, label: {_yaml("Label " + HOSTILE + LINK)}}}
  - {{id: H0, label: Something else, other: true}}
items:
- key: note-1
  kind: document
  source: {_yaml("Source " + HOSTILE)}
  credibility: 2
  fields: {{title: {_yaml("Title " + HOSTILE + LINK)}}}
  text: {_yaml("Body " + HOSTILE + LINK + " crater")}
claims:
- key: claim-1
  actor: {_yaml("Speaker " + HOSTILE)}
  incident: {INCIDENT}
  date: '2020-01-02'
  text: {_yaml("Claimed " + HOSTILE + LINK)}
  supports: [H1]
ratings:
- incident: {INCIDENT}
  item: note-1
  analyst: {_yaml("analyst " + HOSTILE)}
  values: {{H1: CC, H0: N}}
  rationale: {_yaml("Because " + HOSTILE)}
"""
    path = folder / "case.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _photo(path: Path) -> None:
    """A JPEG whose EXIF names an editing program, a camera and an author with escapes."""
    image = Image.new("RGB", (64, 48), (120, 90, 60))
    exif = Image.Exif()
    exif[0x0131] = f"GIMP {ATTACK}"  # Software
    exif[0x010F] = f"Make {ATTACK}"  # Make
    exif[0x0110] = f"Model {ATTACK}"  # Model
    exif[0x013B] = f"Artist {ATTACK}"  # Artist
    exif[0x010E] = f"Description {ATTACK}"  # ImageDescription
    exif[0x0132] = "2031:01:01 00:00:00"  # DateTime, in the future: a finding
    image.save(path, "JPEG", exif=exif)


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A home holding the case file's evidence, a file named with escapes, a document whose
    text holds them, a photograph with such EXIF; and the folder of those files."""
    root = tmp_path_factory.mktemp("hostile")
    home = root / "home"
    files = root / "files"
    files.mkdir()
    (files / FILE_NAME).write_text(f"Document text {HOSTILE}{LINK}\n", encoding="utf-8")
    (files / "article.txt").write_text(
        f"The minister {ATTACK} said on Monday that the attack on the square never happened.\n",
        encoding="utf-8",
    )
    os.mkfifo(files / f"pipe {ATTACK}")  # a FIFO: rejected, named on a problem line
    _photo(files / "photo.jpg")
    run = _runner(home)
    run("load", str(_case_file(root)))
    run("add", str(files), "--case", CASE, "--jobs", "1", expect=1)
    return home, files


def _runner(home: Path) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str, expect: int | None = 0) -> Result:
        result = runner.invoke(
            main,
            ["--home", str(home), "--as", "tester", *args],
            catch_exceptions=False,
            color=True,  # as on a terminal: click strips nothing
        )
        if expect is not None:
            assert result.exit_code == expect, (args, result.exit_code, result.output)
        return result

    return invoke


def _clean(result: Result) -> str:
    """Standard output and error, asserted to hold no raw attack character; returned joined."""
    for stream in (result.stdout, result.stderr):
        found = RAW.search(stream)
        assert found is None, (repr(found.group()), stream[max(0, found.start() - 80) :][:200])
    return result.stdout + result.stderr


def _shown(text: str) -> None:
    """The attack is there, visibly: its escapes, and ordinary text unchanged."""
    for visible in ("\\x1b[1A", "\\x0dOK\\x08\\x7f", "\\x9b31m", "\\x1b]52;c;", "\\u202egpj"):
        assert visible in text, (visible, text[:2000])
    for visible in ("\\u2066x\\u2069", "\\u200b\\ufeff"):
        assert visible in text, (visible, text[:2000])


@pytest.fixture
def run(hostile_home: tuple[Path, Path]) -> Invoke:
    return _runner(hostile_home[0])


def _item(run: Invoke, title_start: str) -> int:
    listed = json.loads(run("item", "list", "--case", CASE, "--json").stdout)
    return next(int(row["id"]) for row in listed["items"] if row["title"].startswith(title_start))


def test_printable_shows_attacks_and_keeps_scripts() -> None:
    assert printable(NORMAL) == NORMAL
    assert printable("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f") == (
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # Scotland's flag
    )
    assert printable("نام\u200cخانوادگی") == "نام\u200cخانوادگی"  # Persian's joiner
    assert printable("re\u200dport.pdf") == "re\\u200dport.pdf"  # a joiner between ASCII
    assert printable("a\ufe0f\ufe0f") == "a\ufe0f\\ufe0f"  # a run of selectors hides text
    assert printable("x\U000e0041") == "x\\U000e0041"  # a tag outside a flag: hidden ASCII
    assert printable("bad\udcff") == "bad\\xff"  # a byte of a name that was not UTF-8
    assert printable("a\nb\tc") == "a\\x0ab\\x09c"
    assert printable("a\nb\tc\r", multiline=True) == "a\nb\tc\\x0d"
    shown = printable(HOSTILE)
    assert RAW.search(shown) is None and printable(shown) == shown
    _shown(shown)


def test_json_escapes_what_json_dumps_leaves_raw_and_keeps_values() -> None:
    value = {"name": HOSTILE + LINK + "\ud800", "n": [1, "\x85\u2028"]}
    plain = json.dumps(value, ensure_ascii=False)
    assert RAW.search(plain)  # what ensure_ascii=False leaves: C1, bidi, zero-width, DEL
    text = json_text(value)
    assert RAW.search(text) is None
    assert json.loads(text) == value
    assert NORMAL in text and "\\u009b31m" in text and "\\u202e" in text


def test_listing_and_showing_items(run: Invoke) -> None:
    listing = _clean(run("item", "list", "--case", CASE))
    _shown(listing)
    assert NORMAL in listing
    for item in (_item(run, "Title "), _item(run, NORMAL)):
        shown = _clean(run("item", "show", str(item), "--text"))
        _shown(shown)
        assert NORMAL in shown and "\\x1b]8;;https://evil.example/" in shown, shown


def test_item_show_of_photo_metadata_and_media_check(run: Invoke) -> None:
    photo = _item(run, "photo")
    shown = _clean(run("item", "show", str(photo)))
    assert "Make \\u001b[1A\\u001b[2K\\rOK\\b\\u007f?31m" in shown, shown  # as JSON text
    checked = _clean(run("media", "check", str(photo)))
    assert "\\x1b[1A" in checked, checked
    data = json.loads(run("item", "show", str(photo), "--json").stdout)
    # Pillow writes EXIF text as ASCII: the C1 control and the bidi characters became '?'
    assert data["metadata"]["photo"]["make"].startswith("Make \x1b[1A\x1b[2K\rOK\x08\x7f?31m")


def test_json_output_is_exact(run: Invoke) -> None:
    result = run("item", "list", "--case", CASE, "--json")
    _clean(result)
    titles = {row["title"] for row in json.loads(result.stdout)["items"]}
    assert f"Title {HOSTILE}{LINK}" in titles
    assert printable(FILE_NAME) in titles  # a file's name is recorded as printable gives it
    shown = run("item", "show", str(_item(run, "Title ")), "--json", "--text")
    _clean(shown)
    assert json.loads(shown.stdout)["fields"]["title"] == f"Title {HOSTILE}{LINK}"


def test_log_search_claims_matrix_finding(run: Invoke) -> None:
    _clean(run("log"))
    _clean(run("finding", INCIDENT, "--run"))
    _clean(run("finding", INCIDENT, "--json"))
    _clean(run("log", "--json"))
    for args in (
        ("search", "crater"),
        ("search", "--case", CASE, "--facets"),
        ("claims", "list", "--case", CASE),
        ("matrix", INCIDENT),
        ("analyse", INCIDENT),
        ("sources", "suggest"),
    ):
        text = _clean(run(*args))
        assert "\\x1b" in text and "\\u202e" in text, (args, text[:2000])
        if args[0] in ("search", "matrix", "claims", "analyse", "sources"):
            _clean(run(*args, "--json"))


def test_claims_of_an_ingested_document(run: Invoke, hostile_home: tuple[Path, Path]) -> None:
    article = hostile_home[1] / "article.txt"
    extracted = _clean(run("claims", "extract", str(article)))
    assert "\\x1b[1A" in extracted, extracted
    _clean(run("claims", "extract", str(article), "--json"))


def test_comments_typed_by_a_user(run: Invoke) -> None:
    run("comment", CASE, "case", f"note {HOSTILE}{LINK}")
    listed = _clean(run("comments", CASE))
    _shown(listed)
    assert "\\x1b]8;;https://evil.example/" in listed
    as_json = run("comments", CASE, "--json")
    _clean(as_json)
    assert json.loads(as_json.stdout)[-1]["body"] == f"note {HOSTILE}{LINK}"


def test_error_messages_quote_what_was_given(run: Invoke) -> None:
    for args in (
        ("item", "show", ATTACK),
        ("matrix", ATTACK),
        ("claims", "list", "--case", ATTACK),
    ):
        result = run(*args, expect=None)
        assert result.exit_code != 0
        assert "\\x1b[1A" in _clean(result), (args, result.stderr)
    result = run("kinds", "show", ATTACK, expect=2)
    assert "\\x1b[1A" in _clean(result)


def test_a_tampered_row_cannot_hide_a_failed_verification(
    hostile_home: tuple[Path, Path], tmp_path: Path
) -> None:
    import shutil
    import sqlite3

    home = tmp_path / "home"
    shutil.copytree(hostile_home[0], home)
    database = next(home.rglob("*.db"))
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE items SET key = ? WHERE id = 1", (f"forged {ATTACK}",))
    run = _runner(home)
    text = _clean(run("verify", expect=1))
    assert "FAIL item 1" in text and "NOT intact" in text, text
    _clean(run("verify", "--json", expect=1))
    # what the investigator lists next cannot move the cursor back over the failure
    listing = _clean(run("item", "list"))
    assert "forged" not in listing or "\\x1b[1A" in listing
    shown = _clean(run("item", "show", "1"))
    assert "\\x1b[1A" in shown


def test_add_names_rejected_files_visibly(tmp_path: Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    os.mkfifo(files / f"pipe {ATTACK}")
    (files / FILE_NAME).write_text("text\n", encoding="utf-8")
    result = _runner(tmp_path / "home")("add", str(files), "--case", CASE, expect=1)
    text = _clean(result)
    assert "\\x1b[1A" in text and "pipe" in text, text


def test_a_real_process_on_a_pipe(hostile_home: tuple[Path, Path]) -> None:
    """The installed command in a process of its own: standard output and error are clean
    bytes (a C1 control encoded in UTF-8 included), the listing shows the escapes."""
    done = subprocess.run(
        [sys.executable, "-m", "enquiry.cli", "--home", str(hostile_home[0]), "--as", "t", "log"],
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 0, done.stderr
    out = (done.stdout + done.stderr).decode("utf-8")
    assert RAW.search(out) is None
    assert b"\x1b" not in done.stdout + done.stderr and b"\xc2\x9b" not in done.stdout
    assert "\\x1b" in out


def test_a_crash_traceback_is_printable(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        raise ValueError(f"bad value {ATTACK}")
    except ValueError as error:
        printable_traceback(type(error), error, error.__traceback__)
    err = capsys.readouterr().err
    assert "Traceback" in err and "\n" in err
    assert RAW.search(err) is None and "\\x1b[1A" in err


def test_every_command_prints_through_the_one_guard() -> None:
    """No command module prints but through ``echo``/``echo_json`` (whose ``printable`` is the
    one neutralisation): a ``click.echo``, ``print`` or ``json.dumps`` added to one would
    bypass it."""
    folder = Path(__file__).resolve().parents[2] / "src" / "enquiry" / "cli"
    bypass = re.compile(r"\bclick\.(echo|secho)\(|(?<![\w.])print\(|\bjson\.dumps\(")
    allowed = {"__init__.py", "progress.py"}  # the guard itself, and the bar's problem lines
    offending = [
        f"{path.name}:{number}"
        for path in sorted(folder.glob("*.py"))
        if path.name not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bypass.search(line)
    ]
    assert offending == []
