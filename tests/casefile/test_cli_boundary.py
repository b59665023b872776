"""The case-file trust boundary as a user meets it on the command line: confinement, limits,
and plain dumps that carry no protected identity."""

from __future__ import annotations

import json
from pathlib import Path

from casefile_helpers import HEAD, write
from click.testing import CliRunner, Result

from enquiry.cli import main


def _cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), "--as", "tester", *args])


def _attached(file: str) -> str:
    return (
        HEAD
        + f"items:\n- key: leak\n  kind: document\n  fields: {{title: A file}}\n  file: {file}\n"
    )


def test_load_refuses_a_file_outside_the_folder_in_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = write(tmp_path / "case", _attached("/etc/passwd"))
    result = _cli(home, "load", str(path))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert "items[0].file: item 'leak': file '/etc/passwd' is an absolute path" in lines[0]
    assert "root:" not in result.output
    log = _cli(home, "log", "--json")
    assert '"received"' not in log.output


def test_allow_outside_is_recorded_in_the_receipt(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (tmp_path / "elsewhere.txt").write_text("a memo kept elsewhere\n", encoding="utf-8")
    path = write(tmp_path / "case", _attached("../elsewhere.txt"))
    assert _cli(home, "load", str(path)).exit_code == 1
    result = _cli(home, "load", str(path), "--allow-outside")
    assert result.exit_code == 0, result.output
    log = _cli(home, "log", "--json")
    received = [e for e in json.loads(log.output) if e["action"] == "received"]
    assert len(received) == 1 and received[0]["details"]["outside_case_folder"] is True


def test_an_alias_bomb_is_one_line(tmp_path: Path) -> None:
    lines = [HEAD + "items:\n- key: a\n  kind: document\n  fields:\n    title: t"]
    lines.append('    l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]')
    for level in range(1, 10):
        lines.append(f"    l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    result = _cli(tmp_path / "home", "load", str(path))
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "aliases expand this value to more than" in result.output


def test_a_plain_dump_withholds_protected_words_and_names(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (tmp_path / "in").mkdir()
    statement = tmp_path / "in" / "jane-roe.txt"
    statement.write_text("My name is Jane Roe and I saw the shell land.\n", encoding="utf-8")
    added = _cli(
        home,
        "add",
        str(statement),
        "--case",
        "small",
        "--kind",
        "testimony",
        "--field",
        "witness_pseudonym=W-1",
        "--field",
        "witness_name=Jane Roe",
    )
    assert added.exit_code == 0, added.output
    out = tmp_path / "out" / "small.yaml"
    out.parent.mkdir()
    plain = _cli(home, "dump", "small")
    written = _cli(home, "dump", "small", "-o", str(out))
    assert plain.exit_code == 0 and written.exit_code == 0, plain.output + written.output
    texts = [plain.output, out.read_text(encoding="utf-8")]
    texts += [p.name for p in out.parent.rglob("*")]
    assert not any("Jane" in t or "jane" in t or "saw the shell" in t for t in texts)
    reloaded = _cli(home, "load", str(out))
    assert reloaded.exit_code == 0, reloaded.output
    assert "created: nothing; updated: nothing" in reloaded.output
    revealed = _cli(home, "dump", "small", "--reveal")
    assert "file: jane-roe.txt" in revealed.output and "Jane Roe" in revealed.output
