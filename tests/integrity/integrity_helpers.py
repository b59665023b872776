"""Helpers for the integrity tests: the real command line in processes of its own, and a driver
that runs it with one function of enquiry replaced (to die, or to wait, at a chosen point)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ENQUIRY = [sys.executable, "-m", "enquiry.cli"]


def cli(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``enquiry --home HOME ARGS`` in a process of its own."""
    done = subprocess.run(
        [*ENQUIRY, "--home", str(home), "--as", "tester", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check:
        assert done.returncode == 0, (args, done.returncode, done.stdout, done.stderr)
    return done


def driven(home: Path, patch: str, *args: str) -> subprocess.Popen[str]:
    """Start the command line in a process that first runs ``patch`` (Python source, which may
    replace functions of enquiry's modules), then ``enquiry --home HOME ARGS``."""
    source = textwrap.dedent(patch) + textwrap.dedent(
        f"""
        import sys
        from enquiry.cli import main
        sys.argv = ["enquiry", "--home", {str(home)!r}, "--as", "tester", *{list(args)!r}]
        main()
        """
    )
    return subprocess.Popen(
        [sys.executable, "-c", source],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


# The source of a patch that kills the process (as a power cut or the OOM killer would: no
# handler, no cleanup) when ``module.name`` is called, after or before the real call.
DIE = """
import os
import {module} as _target

_real = _target.{name}

def _die(*args, **kwargs):
    if {before}:
        os._exit(137)
    result = _real(*args, **kwargs)
    os._exit(137)

_target.{name} = _die
"""


def die_at(module: str, name: str, *, before: bool = False) -> str:
    """A patch for :func:`driven` that kills the process at ``module.name``."""
    return DIE.format(module=module, name=name, before=before)
