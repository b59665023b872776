"""Hostile arguments through the real command line: one line naming the input and the problem,
a non-zero exit, nothing stored lost or altered — never a traceback, never a hang.

Each test names what it feeds the commands: numbers no row can have, digits ``int`` cannot read,
impossible dates, FIFOs and devices where a file is read or written, paths under a regular file,
folders that are not homes, a catalogue from a newer schema, control characters in names that
are printed on lines of their own.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run
from demo_helpers import DemoRun

CASE = "khan-shaykhun"
INCIDENT = "khan-shaykhun-2017-04-04"
HUGE = "99999999999999999999999"  # beyond 64 bits: SQLite cannot even bind it
BEYOND_32_BITS = "3000000000"  # beyond PostgreSQL's integer ids
ENQUIRY = [sys.executable, "-m", "enquiry.cli"]


def _one_line(run: Run, *args: str, status: tuple[int, ...] = (1, 2)) -> str:
    """Run a command that must be refused; return its one line on standard error."""
    result = run(*args, expect=None)
    assert result.exit_code in status, (args, result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("enquiry: "), (args, result.stderr)
    assert "Traceback" not in result.output
    return lines[0]


def _spawn(args: list[str], home: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``enquiry --home HOME ARGS`` in its own process, which must end within a minute
    (a command that opens a FIFO blocks for ever, one that reads /dev/zero never ends)."""
    environment = {**os.environ, **(env or {})}
    done = subprocess.run(
        [*ENQUIRY, "--home", str(home), "--as", "tester", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        stdin=subprocess.DEVNULL,
    )
    return done.returncode, done.stderr


# --- numbers beyond any row ------------------------------------------------------------------

NUMBERED = {
    "item show": ("item", "show", "{n}"),
    "item update": ("item", "update", "{n}", "--kind", "document"),
    "item copy": ("item", "copy", "{n}", "-o", "{out}"),
    "log --item": ("log", "--item", "{n}"),
    "derive": ("derive", "{n}", "{file}", "--how", "a translation"),
    "rate --item": ("rate", INCIDENT, "H1", "C", "--item", "{n}", "--rationale", "why"),
    "rate --claim": ("rate", INCIDENT, "H1", "C", "--claim", "{n}", "--rationale", "why"),
    "comment item": ("comment", CASE, "item:{n}", "a remark"),
    "comment claim": ("comment", CASE, "claim:{n}", "a remark"),
    "comment finding": ("comment", CASE, "finding:{n}", "a remark"),
    "comment cell": ("comment", CASE, "cell:H1/claim:{n}", "a remark"),
    "sign-off": ("sign-off", INCIDENT, "--finding", "{n}", "--statement", "seen"),
    "claims similar": ("claims", "similar", "{n}"),
    "claims stance": ("claims", "stance", "{n}"),
    "claims accept": ("claims", "accept", "{n}", "H1"),
    "claims merge-actors": ("claims", "merge-actors", "{n}", "1", "--case", CASE),
    "truth close": ("truth", "close", "{n}", "true"),
    "tokens revoke": ("tokens", "revoke", "{n}"),
    "media check": ("media", "check", "{n}"),
    "enrich": ("enrich", "{n}"),
}


def _no_such(run: Run, command: str, number: str, tmp_path: Path) -> None:
    file = tmp_path / "translation.txt"
    file.write_text("A translation.\n", encoding="utf-8")
    args = [a.format(n=number, out=tmp_path / "copy", file=file) for a in NUMBERED[command]]
    line = _one_line(run, *args)
    assert number[:12] in line and "no such" in line, line  # a token is named by its start
    assert not (tmp_path / "copy").exists()


@pytest.mark.parametrize("command", list(NUMBERED))
def test_a_number_no_row_can_have_is_not_found(
    command: str, demo_case_home: DemoRun, run: Run, tmp_path: Path
) -> None:
    _no_such(run, command, HUGE, tmp_path)


@pytest.mark.postgres
def test_a_number_beyond_postgresqls_ids_is_not_found(
    pg_url: str, home: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL's ids are 32-bit: a larger number is out of range there, not just absent."""
    monkeypatch.setenv("ENQUIRY_DB", pg_url)
    note = tmp_path / "note.txt"
    note.write_text("A note.\n", encoding="utf-8")
    run("add", str(note), "--case", CASE)
    for command in ("item show", "item update", "log --item", "truth close", "tokens revoke"):
        _no_such(run, command, BEYOND_32_BITS, tmp_path)


@pytest.mark.parametrize(
    "args",
    [
        ("item", "show", "²"),
        ("truth", "close", "²", "true"),
        ("tokens", "revoke", "²"),
        ("rate", INCIDENT, "H1", "C", "--claim", "²", "--rationale", "why"),
    ],
)
def test_digits_int_cannot_read_are_not_a_number(
    args: tuple[str, ...], demo_case_home: DemoRun, run: Run
) -> None:
    """'²' passes ``str.isdigit`` but not ``int``."""
    assert "²" in _one_line(run, *args)


@pytest.mark.parametrize(
    "args",
    [
        ("item", "list", "--limit", HUGE),
        ("item", "list", "--after", HUGE),
        ("log", "--limit", HUGE),
    ],
)
def test_a_page_larger_than_any_table_lists_everything(
    args: tuple[str, ...], demo_case_home: DemoRun, run: Run
) -> None:
    result = run(*args)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_claims_similar_needs_a_positive_limit(
    limit: str, demo_case_home: DemoRun, run: Run
) -> None:
    assert f"--limit {limit}" in _one_line(run, "claims", "similar", "1", "--limit", limit)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2017-13-01", "2017-02-30", "2017-00", "0000", "٢٠١٧"])
@pytest.mark.parametrize("command", [("item", "list"), ("search",)])
def test_an_impossible_date_is_refused(
    command: tuple[str, ...], value: str, demo_case_home: DemoRun, run: Run
) -> None:
    line = _one_line(run, *command, "--from", value, status=(2,))
    assert "--from" in line and "not a date" in line, line


def test_a_real_date_still_filters(demo_case_home: DemoRun, run: Run) -> None:
    assert run("item", "list", "--from", "2017-02-28", "--to", "2017-04").exit_code == 0


# --- FIFOs, devices and paths under files ------------------------------------------------------

WRITERS = {
    "export": ("export", "geojson", "--case", CASE, "-o", "{out}"),
    "report": ("report", INCIDENT, "-o", "{out}"),
    "dump": ("dump", CASE, "-o", "{out}"),
    "backup": ("backup", "-o", "{out}"),
    "item copy": ("item", "copy", "1", "-o", "{out}", "--force"),
}


def _spawned_refusal(args: list[str], home: Path) -> str:
    """The one line a refused command run in its own process printed (a writer that opens a
    FIFO for writing would wait for a reader for ever; the timeout turns that into a failure)."""
    status, stderr = _spawn(args, home)
    lines = stderr.strip().splitlines()
    assert status == 1 and len(lines) == 1 and lines[0].startswith("enquiry: "), (args, stderr)
    return lines[0]


@pytest.mark.parametrize("writer", list(WRITERS))
def test_an_output_that_is_a_fifo_is_refused_and_left_in_place(
    writer: str, demo_case_home: DemoRun, tmp_path: Path
) -> None:
    """The writers rename a finished file over the target: as root, over /dev/null too."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    args = [a.format(out=fifo) for a in WRITERS[writer]]
    line = _spawned_refusal(args, demo_case_home.home)
    assert str(fifo) in line and "a FIFO, not a regular file" in line, line
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_an_output_that_is_a_device_is_refused_and_left_in_place(
    demo_case_home: DemoRun, tmp_path: Path
) -> None:
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # another /dev/null
    for writer in WRITERS.values():
        line = _spawned_refusal([a.format(out=device) for a in writer], demo_case_home.home)
        assert "a character device, not a regular file" in line, line
        assert stat.S_ISCHR(device.lstat().st_mode)


@pytest.mark.parametrize("writer", list(WRITERS))
def test_an_output_under_a_regular_file_names_that_file(
    writer: str, demo_case_home: DemoRun, run: Run, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("not a folder\n", encoding="utf-8")
    out = plain / "out.file"
    line = _one_line(run, *(a.format(out=out) for a in WRITERS[writer]), status=(1,))
    assert f"{plain} is a file, not a folder" in line, line
    assert plain.read_text(encoding="utf-8") == "not a folder\n"


READERS = {
    "derive": ("derive", "1", "{file}", "--how", "a translation"),
    "claims extract": ("claims", "extract", "{file}"),
    "truth estimate": ("truth", "estimate", "{file}"),
    "truth outcomes": ("truth", "outcomes", "{file}"),
    "protection rotate": ("protection", "rotate", "--case", CASE, "--new-key-file", "{file}"),
    "bundle import": ("bundle", "import", "{file}"),
    "load": ("load", "{file}"),
}


@pytest.mark.parametrize("reader", list(READERS))
def test_an_input_that_is_a_fifo_or_dev_zero_is_refused_without_reading(
    reader: str, demo_case_home: DemoRun, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for file, what in ((fifo, "a FIFO"), (Path("/dev/zero"), "not a regular file")):
        args = [a.format(file=file) for a in READERS[reader]]
        status, stderr = _spawn(args, demo_case_home.home)
        lines = stderr.strip().splitlines()
        assert status in (1, 2) and len(lines) == 1, (args, status, stderr)
        assert str(file) in lines[0] and what in lines[0], lines[0]


def test_a_protection_key_file_that_is_a_fifo_is_refused(
    demo_case_home: DemoRun, tmp_path: Path
) -> None:
    fifo = tmp_path / "key"
    os.mkfifo(fifo)
    status, stderr = _spawn(
        ["item", "show", "13", "--reveal"],
        demo_case_home.home,
        {"ENQUIRY_PROTECTION_KEY_FILE": str(fifo)},
    )
    assert status == 1 and "not a regular file" in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


# --- homes that are not homes ----------------------------------------------------------------


@pytest.mark.parametrize("holding", [(), ("notes.txt",)])
@pytest.mark.parametrize(
    "command", [("item", "list"), ("verify",), ("log",), ("case", "list"), ("users", "list")]
)
def test_a_folder_that_is_not_a_home_is_not_made_one(
    command: tuple[str, ...], holding: tuple[str, ...], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from enquiry.cli import main

    folder = tmp_path / "documents"
    folder.mkdir()
    for name in holding:
        (folder / name).write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--home", str(folder), *command], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert (
        result.stderr.strip()
        == f"enquiry: {folder}: no enquiry home here (run 'enquiry add' first)"
    )
    assert sorted(p.name for p in folder.iterdir()) == sorted(holding)


def test_a_vault_that_is_a_file_is_named(demo_case_home: DemoRun, run: Run) -> None:
    vault = demo_case_home.home / "vault"
    moved = vault.with_name("vault.moved")
    vault.rename(moved)
    vault.write_text("not a vault\n", encoding="utf-8")
    line = _one_line(run, "item", "list", status=(1,))
    assert "its vault" in line and "cannot be opened" in line, line


def test_a_catalogue_from_a_newer_schema_is_refused_unchanged(
    demo_case_home: DemoRun, run: Run
) -> None:
    database = demo_case_home.home / "enquiry.db"
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
    line = _one_line(run, "item", "list", status=(1,))
    assert "schema revision 'f00dfeedbeef'" in line and "newer" in line, line
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("f00dfeedbeef",)
        ]


# --- names printed on lines of their own -------------------------------------------------------

FORGED = "x\nenquiry: all verified\x1b[31m"


def test_a_case_name_with_control_characters_is_refused(run: Run, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("A note.\n", encoding="utf-8")
    line = _one_line(run, "add", str(note), "--case", FORGED, status=(2,))
    assert "control characters" in line and "\\x0a" in line, line
    listed = run("case", "list", expect=None)
    assert "all verified" not in listed.output + listed.stderr


def test_a_case_files_case_name_with_control_characters_is_refused(
    run: Run, tmp_path: Path
) -> None:
    """A case file names its case too (and ``bundle import`` loads one): the same rule, with
    the file, line and column named."""
    casefile = tmp_path / "case.yaml"
    casefile.write_text(
        'format: enquiry-case/1\ncase: {name: "x\\nenquiry: all verified"}\n', encoding="utf-8"
    )
    line = _one_line(run, "load", str(casefile), status=(1, 2))
    assert "case.yaml" in line and "control characters" in line, line
    listed = run("case", "list", expect=None)
    assert "all verified" not in listed.output + listed.stderr


def test_a_case_name_longer_than_the_catalogue_holds_is_refused(run: Run, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("A note.\n", encoding="utf-8")
    assert "at most 200" in _one_line(run, "add", str(note), "--case", "c" * 201, status=(2,))


@pytest.mark.parametrize("actor", [FORGED, "tab\there", "a" * 201])
def test_an_actor_name_that_could_forge_a_line_is_refused(
    actor: str, demo_case_home: DemoRun
) -> None:
    from click.testing import CliRunner

    from enquiry.cli import main

    result = CliRunner().invoke(
        main, ["--home", str(demo_case_home.home), "--as", actor, "comment", CASE, "case", "hi"]
    )
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("enquiry: --as"), result.stderr


# --- paths the system will not take ------------------------------------------------------------

LONG_NAME = "x" * 5000  # beyond NAME_MAX (255) and PATH_MAX (4096)


@pytest.mark.parametrize(
    "args",
    [
        ("media", "match", LONG_NAME),
        ("add", LONG_NAME, "--case", CASE),
        ("ingest", LONG_NAME, "--case", CASE),
        ("load", LONG_NAME),
        ("claims", "extract", LONG_NAME),
        ("report", INCIDENT, "-o", LONG_NAME),
        ("dump", CASE, "-o", LONG_NAME),
    ],
)
def test_a_name_too_long_for_the_system_is_one_line_cut_in_the_middle(
    args: tuple[str, ...], demo_case_home: DemoRun, run: Run
) -> None:
    """Read or written: one line, the name shown cut (a 5,000-character line names nothing a
    person can read), the home's ledger unchanged."""
    before = run("log", "--head").stdout
    line = _one_line(run, *args)
    assert len(line) < 500 and "xxxx…xxxx" in line, line[:600]
    assert line.endswith("(File name too long)") or line.endswith(": File name too long"), line
    assert run("log", "--head").stdout == before


@pytest.mark.parametrize(
    "args",
    [
        ("claims", "stance-pairs", "/proc/self/mem"),
        ("claims", "extract", "/proc/self/mem"),
        ("add", "/proc/self/mem", "--case", CASE),
        ("load", "/proc/self/mem"),
    ],
)
def test_a_file_that_fails_as_it_is_read_is_one_line(
    args: tuple[str, ...], demo_case_home: DemoRun, run: Run
) -> None:
    """``/proc/self/mem`` is a regular file of size 0 that fails with an I/O error when read
    from the start: refused naming it (intake: an empty file, nothing to preserve), never a
    traceback."""
    result = run(*args, expect=None)
    assert "Traceback" not in result.output, result.output[-800:]
    assert result.exit_code in (1, 2), result.output
    assert "enquiry: /proc/self/mem: " in result.stderr, result.stderr


@pytest.mark.parametrize("output", ["", "."])
def test_a_dump_to_a_folder_named_by_nothing_is_refused(
    output: str, demo_case_home: DemoRun, run: Run
) -> None:
    line = _one_line(run, "dump", CASE, "-o", output)
    assert "a folder, not a file" in line or "is a directory" in line, line


# --- click's own refusals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["no-such-command"], "No such command 'no-such-command'"),
        (["item", "list", "--limit", "many"], "'many' is not a valid integer"),
        (["item", "show"], "Missing argument"),
        (["export", "csv", "--case", "c", "--bogus"], "No such option '--bogus'"),
    ],
)
def test_a_wrong_argument_is_one_line_naming_it_and_where_help_is(
    args: list[str], said: str, run: Run
) -> None:
    line = _one_line(run, *args, status=(2,))
    assert line.startswith("enquiry: ") and said in line, line
    assert "(see 'enquiry " in line and "--help')" in line and "Usage:" not in line, line


def test_a_file_name_with_a_direction_override_is_shown_as_it_is(run: Run, tmp_path: Path) -> None:
    """A right-to-left override would show ``report<RLO>txt.exe`` as a text file's name in
    every listing and in the custody log; it is escaped where the name is stored and shown."""
    spoof = tmp_path / "report\u202etxt.exe"
    spoof.write_bytes(b"MZ not really a program\n")
    added = run("add", str(spoof), "--case", "c", expect=None)
    shown = added.output + run("item", "list").output + run("log").output
    assert "\u202e" not in shown and "report\\u202etxt.exe" in shown, shown


# --- text in another encoding ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("hypothesis", "add", INCIDENT, "H7", "lab\udcffel"),
        ("item", "update", "2", "--field", "title=a\udcffb"),
        ("add", "{file}", "--case", CASE, "--source", "a\udcffb"),
    ],
    ids=["a label", "a field", "a source"],
)
def test_text_that_is_not_utf8_is_refused_in_one_line_and_nothing_is_written(
    args: tuple[str, ...], demo_case_home: DemoRun, run: Run, tmp_path: Path
) -> None:
    """A byte such as 0xff typed in a Latin-1 terminal reaches Python as a lone surrogate,
    which no text column or JSON document takes: it was a UnicodeEncodeError's traceback."""
    import json

    note = tmp_path / "note.txt"
    note.write_text("A note.\n", encoding="utf-8")
    blobs = sorted(p.name for p in (demo_case_home.home / "vault").rglob("*") if p.is_file())
    assert blobs  # the home the commands run on
    before = json.loads(run("verify", "--json").stdout)
    line = _one_line(run, *(a.replace("{file}", str(note)) for a in args), status=(2,))
    assert line.endswith("' is not UTF-8 text (typed or set in another encoding)")
    assert "\\xff" in line  # the value named, its byte shown
    after = json.loads(run("verify", "--json").stdout)
    assert after["intact"] and after["items"] == before["items"]
    assert after["events"] == before["events"] + 1  # the first verify's own record only
    now = sorted(p.name for p in (demo_case_home.home / "vault").rglob("*") if p.is_file())
    assert now == blobs  # not even the file given to add
