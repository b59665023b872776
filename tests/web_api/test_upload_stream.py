"""A large upload is received in pieces: a real server (uvicorn, in its own process) takes in a
200 MB file while its peak memory grows by far less than the file."""

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

SIZE = 200 * 1024 * 1024
SERVER = """
import sys, uvicorn
from enquiry.web.app import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def _memory(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * 1024
    return fields


def test_a_200_mb_upload_streams_without_the_server_holding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    home = tmp_path / "home"
    admin = Enquiry.at(home, "admin")
    seed = tmp_path / "seed.txt"
    seed.write_text("the case's first item\n", encoding="utf-8")
    evidence.add(admin, [seed], case="big")
    accounts.add_user(admin, "ivo", "correct horse battery")
    accounts.grant(admin, "ivo", "big", "investigator")
    token = accounts.create_token(admin, "ivo").token
    big = tmp_path / "big.bin"
    with big.open("wb") as handle:  # sparse: costs no disk until read
        handle.truncate(SIZE)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(home), str(port)], env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                httpx.get(f"{url}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        before = _memory(server.pid)
        with big.open("rb") as handle:
            answer = httpx.post(
                f"{url}/api/v1/cases/big/items",
                headers={"Authorization": f"Bearer {token}"},
                files={"files": ("big.bin", handle, "application/octet-stream")},
                timeout=300,
            )
        after = _memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["files"][0]["status"] == "stored"
    grown = after["VmHWM"] - max(before["VmHWM"], before["VmRSS"])
    assert grown < 50 * 1024 * 1024, f"the server's peak memory grew by {grown >> 20} MB"
