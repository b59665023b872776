"""The README's examples work as printed, pasted into a fresh shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
EXAMPLE_HEADING = "## Preserving evidence in five commands"


def code_block(markdown: str, heading: str) -> str:
    """The first ```sh block under ``heading`` (before the next heading)."""
    start = markdown.index(heading + "\n")
    section = markdown[start + len(heading) :]
    following = section.find("\n## ")
    if following != -1:
        section = section[:following]
    opening = section.index("```sh\n") + len("```sh\n")
    return section[opening : section.index("```", opening)]


def test_code_block_is_the_one_under_the_heading() -> None:
    text = "# t\n```sh\nno\n```\n## A\ntext\n```sh\nyes\n```\n```sh\nlater\n```\n## B\n"
    assert code_block(text, "## A") == "yes\n"


def test_five_command_example_runs_in_a_fresh_shell(tmp_path: Path) -> None:
    script = code_block(README.read_text(encoding="utf-8"), EXAMPLE_HEADING)
    # The venv's bin, as `source .venv/bin/activate` would put it first (not resolved: the
    # venv's python is a link to the interpreter it was made from).
    bindir = Path(sys.executable).parent
    assert (bindir / "enquiry").is_file(), f"no enquiry command in {bindir}"
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("ENQUIRY_") and name != "BASH_ENV"
    }
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"

    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert (tmp_path / "my-investigation").is_dir()
    # Item 3 is the interview, as the README says, and its witness's name stays withheld.
    assert '"id": 3' in result.stdout and '"kind": "testimony"' in result.stdout
    assert "(real name)" not in output
    assert "intact" in result.stdout
