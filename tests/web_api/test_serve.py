"""``enquiry serve`` as a user starts it: a real process on loopback, one worker or several,
over the same home as the command line; every worker answers any token and any session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from enquiry.app import Enquiry, accounts, evidence

PASSWORD = "correct horse battery"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/openapi.json", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"no server at {url}")


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_tokens_and_sessions_on_every_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    home = tmp_path / "home"
    admin = Enquiry.at(home, "admin")
    seed = tmp_path / "note.txt"
    seed.write_text("a note\n", encoding="utf-8")
    evidence.add(admin, [seed], case="alpha")
    accounts.add_user(admin, "vera", PASSWORD)
    accounts.grant(admin, "vera", "alpha", "viewer")
    token = accounts.create_token(admin, "vera").token
    port = _port()
    command = [sys.executable, "-m", "enquiry.cli", "--home", str(home), "serve"]
    command += ["--port", str(port), "--workers", str(workers)]
    # httpx, unlike a browser, will not send a Secure cookie back over http://127.0.0.1; the
    # cookies' attributes are checked below, the session itself with them switched off.
    command += ["--insecure-cookies"] if workers > 1 else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait(url)
        for _ in range(8):  # spread over the workers
            cases = httpx.get(f"{url}/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
            assert cases.status_code == 200 and [c["name"] for c in cases.json()] == ["alpha"]
        anonymous = httpx.get(f"{url}/api/v1/cases")
        assert anonymous.status_code == 401 and "Bearer" in anonymous.headers["www-authenticate"]
        with httpx.Client(base_url=url) as browser:
            page = browser.get("/login")
            cookie = page.headers["set-cookie"].lower()
            assert "httponly" in cookie and "samesite=strict" in cookie
            assert ("secure" in cookie) == (workers == 1)
            if workers == 1:
                return
            form = page.text
            csrf = form.split('name="csrf" value="')[1].split('"')[0]
            signed = browser.post(
                "/login", data={"name": "vera", "password": PASSWORD, "csrf": csrf, "next": "/"}
            )
            assert signed.status_code == 303
            for _ in range(6):
                assert "alpha" in browser.get("/").text
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _refused_serve(home: Path, *args: str) -> str:
    """The one line ``enquiry serve ARGS`` stopped with (status 2, nothing served); a server
    that started instead fails the test when the timeout ends it."""
    command = [sys.executable, "-m", "enquiry.cli", "--home", str(home), "serve", *args]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "serving" not in done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        # An empty host was taken as every address of the machine.
        (["--host", ""], "Invalid value for --host: empty; name the address to listen on"),
        (["--host", "999.1.1.1"], "Invalid value for --host: '999.1.1.1' is not an address ("),
        (["--host", "[::1"], "Invalid value for --host: '[::1' is not an address ("),
        # A traceback (OverflowError) before.
        (["--max-upload", "1e400"], "'1e400' is not a size such as 500M or 2G"),
    ],
)
def test_a_place_or_bound_the_server_cannot_take_is_one_line(
    tmp_path: Path, args: list[str], said: str
) -> None:
    line = _refused_serve(tmp_path / "home", "--port", str(_port()), *args)
    assert line.startswith("enquiry: ") and said in line, line


def test_a_port_already_taken_is_one_line_before_the_server_starts(tmp_path: Path) -> None:
    """The server logged it in its own format ("ERROR: [Errno 98] …") and exited 3."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _refused_serve(tmp_path / "home", "--port", str(port))
    assert line.startswith(
        f"enquiry: Invalid value for --host/--port: cannot listen on 127.0.0.1 port {port}"
        " (Address already in use)"
    )
