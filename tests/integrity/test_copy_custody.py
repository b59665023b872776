"""A copy of a protected original reaches its target only with its custody events: not when the
process dies before they are committed, and not after a seal committed while it was decrypted."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from integrity_helpers import cli, driven

from demo_helpers import HomeTemplates

SECRET = b"Testimony of witness W-3: the convoy passed the mill at dawn\n"

# Dies (as a power cut would) when the copy's events are about to be committed.
DIE_ON_RECORD = """
import os
import enquiry.store.ledger as _ledger

def _die(self):
    os._exit(137)

_ledger.LedgerWriter.flush = _die
"""

# Holds the copy once its bytes are decrypted, until a seal has committed (or for eight seconds);
# FLAGS is the folder where the two sides signal.
HOLD_AFTER_DECRYPT = """
import time
from pathlib import Path
import enquiry.store.protected as _protected

_write = _protected.write_hashed

def _held(chunks, out):
    found = _write(chunks, out)
    flag = Path(FLAGS)
    (flag / "paused").touch()
    deadline = time.monotonic() + 8
    while not (flag / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return found

_protected.write_hashed = _held
"""

# Lets the held copy go on (FLAGS/go) once the seal's transaction has committed: what follows
# in the seal (scrubbing the database's files) waits for the copy's reading to end.
GO_ONCE_SEALED = """
from pathlib import Path
import enquiry.app.atrest as _atrest

_seal_one = _atrest._seal_one

def _sealed(*args, **kwargs):
    done = _seal_one(*args, **kwargs)
    (Path(FLAGS) / "go").touch()
    return done

_atrest._seal_one = _sealed
"""


def _add_protected(home: Path) -> str:
    statement = home.parent / "statement.txt"
    statement.write_bytes(SECRET)
    cli(home, "add", str(statement), "--case", "c", "--kind", "document", "--protected")
    return ""


def _protected_item(tmp_path: Path, templates: HomeTemplates) -> Path:
    """A home holding the statement protected (item 1): a copy of one built once per back end
    and test process."""
    database = os.environ.get("ENQUIRY_DB")
    return templates.copy("protected-statement", _add_protected, tmp_path / "home", database).home


def _log(home: Path) -> list[dict[str, object]]:
    return list(json.loads(cli(home, "log", "--json").stdout))


def test_a_copy_killed_before_its_events_are_committed_delivers_nothing(
    tmp_path: Path, backend: str, home_templates: HomeTemplates
) -> None:
    home = _protected_item(tmp_path, home_templates)
    out = tmp_path / "out" / "copy.txt"
    out.parent.mkdir()
    dying = driven(home, DIE_ON_RECORD, "item", "copy", "1", "-o", str(out), "--reveal")
    dying.communicate(timeout=120)
    assert dying.returncode == 137
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if SECRET in p.read_bytes()]
    assert not [e for e in _log(home) if e["action"] in ("copied", "revealed")]
    cli(home, "verify")


def test_a_seal_during_a_copy_leaves_no_copy_after_it(
    tmp_path: Path, backend: str, home_templates: HomeTemplates
) -> None:
    home = _protected_item(tmp_path, home_templates)
    out = tmp_path / "out" / "copy.txt"
    out.parent.mkdir()
    hold = f"FLAGS = {str(out.parent)!r}\n" + HOLD_AFTER_DECRYPT
    copying = driven(home, hold, "item", "copy", "1", "-o", str(out), "--reveal")
    deadline = time.monotonic() + 120
    while not (out.parent / "paused").exists():
        assert copying.poll() is None, copying.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    go = f"FLAGS = {str(out.parent)!r}\n" + GO_ONCE_SEALED
    sealing = driven(home, go, "item", "seal", "1", "--reason", "consent withdrawn by W-3")
    sealed = sealing.communicate(timeout=120)
    assert sealing.returncode == 0, sealed
    assert (out.parent / "go").exists()
    _stdout, err = copying.communicate(timeout=120)
    actions = [e["action"] for e in _log(home)]
    sealed_at = actions.index("sealed")
    assert "copied" not in actions[sealed_at:], actions
    if "copied" not in actions:  # refused: nothing was handed out
        assert copying.returncode != 0
        assert "sealed" in err
        assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.is_file() and SECRET in p.read_bytes()]
