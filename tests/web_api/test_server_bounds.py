"""What a client may hold of a real running server, spoken to over sockets: an upload larger
than the server takes (refused, nothing of it stored, whether its length was declared or not),
a head longer than it takes, more connections than it keeps, and connections that say nothing,
or say it a byte at a time — while uploads that are slow but honest are still received."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from enquiry.app import Enquiry, accounts, evidence
from web_helpers import free_port, serving

PASSWORD = "correct horse battery"
CASE = "alpha"
KIB = 1 << 10
MIB = 1 << 20


@dataclass(frozen=True)
class Served:
    url: str
    port: int
    home: Path
    token: str
    admin: Enquiry

    def items(self) -> int:
        return evidence.list_items(self.admin, case=CASE, limit=500).total

    def staged(self) -> list[Path]:
        """Upload folders left in the home (each is removed once its upload is taken in)."""
        return sorted(self.home.glob(".incoming-*"))


def _home(root: Path) -> tuple[Enquiry, str]:
    admin = Enquiry.at(root / "home", "admin")
    seed = root / "seed.txt"
    seed.write_text("a note\n", encoding="utf-8")
    evidence.add(admin, [seed], case=CASE)
    accounts.add_user(admin, "ivy", PASSWORD)
    accounts.grant(admin, "ivy", CASE, "investigator")
    return admin, accounts.create_token(admin, "ivy").token


def _wait(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"{url}/openapi.json", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"no server at {url}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``enquiry serve`` as an operator starts it, with small bounds: uploads of at most 1M,
    heads of 4K, 8 connections, connections idle for 1 s after an answer closed."""
    root = tmp_path_factory.mktemp("bounds")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        yield from _serve(root)


def _serve(root: Path) -> Iterator[Served]:
    admin, token = _home(root)
    port = free_port()
    command = [sys.executable, "-m", "enquiry.cli", "--home", str(admin.home), "serve"]
    command += ["--port", str(port), "--max-upload", "1M", "--max-header", "4K"]
    command += ["--max-connections", "8", "--keep-alive", "1"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        try:
            _wait(url, server)
        except AssertionError:
            server.terminate()
            _out, err = server.communicate(timeout=20)
            raise AssertionError(err.decode(errors="replace")[-2000:]) from None
        yield Served(url, port, admin.home, token, admin)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=15)


def _answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Read one answer: its status, headers and body (by its Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before an answer: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(lines[0].split()[1]), headers, body


def _closed(sock: socket.socket, within: float) -> bool:
    """Whether the server closes the connection within ``within`` seconds (reading, and
    discarding, whatever it sends first)."""
    sock.settimeout(within)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


def _multipart(files: list[tuple[str, bytes]], boundary: str = "b0und4ry") -> tuple[bytes, str]:
    body = b""
    for name, data in files:
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + b"\r\n"
        )
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _upload_head(served: Served, kind: str, framing: str) -> bytes:
    return (
        f"POST /api/v1/cases/{CASE}/items HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {served.token}\r\nContent-Type: {kind}\r\n{framing}\r\n"
    ).encode()


def test_an_upload_over_the_bound_is_refused_and_nothing_of_it_stored(served: Served) -> None:
    before = served.items()
    big = [("first.bin", os.urandom(700 * KIB)), ("second.bin", os.urandom(700 * KIB))]
    auth = {"Authorization": f"Bearer {served.token}"}
    refused = httpx.post(
        f"{served.url}/api/v1/cases/{CASE}/items",
        headers=auth,
        files=[("files", f) for f in big],
        timeout=30,
    )
    assert refused.status_code == 413, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "an upload has at most 1 MiB in one request" in refused.json()["detail"]
    # the same, its length not declared (sent in chunks): refused once 1 MiB has come
    body, kind = _multipart(big)
    with _connect(served.port) as sock:
        sock.sendall(_upload_head(served, kind, "Transfer-Encoding: chunked\r\n"))
        for start in range(0, len(body), 64 * KIB):
            piece = body[start : start + 64 * KIB]
            try:
                sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
        else:
            sock.sendall(b"0\r\n\r\n")
        status, _headers, text = _answer(sock)
    assert status == 413, text
    assert b"an upload has at most 1 MiB" in text
    assert served.items() == before and served.staged() == []
    # one within the bound is taken in
    taken = httpx.post(
        f"{served.url}/api/v1/cases/{CASE}/items",
        headers=auth,
        files=[("files", ("small.bin", os.urandom(600 * KIB)))],
        timeout=30,
    )
    assert taken.status_code == 200 and taken.json()["stored"] == 1, taken.text
    assert served.items() == before + 1 and served.staged() == []


def test_a_declared_length_over_the_bound_is_refused_before_the_body(served: Served) -> None:
    with _connect(served.port) as sock:
        sock.settimeout(5)  # the body never comes: only an answer before it ends this
        _body, kind = _multipart([])
        sock.sendall(_upload_head(served, kind, f"Content-Length: {10 * 1 << 30}\r\n"))
        status, headers, _text = _answer(sock)
    assert status == 413 and headers.get("connection") == "close"


def test_a_head_over_the_bound_is_refused(served: Served) -> None:
    auth = f"Authorization: Bearer {served.token}\r\n"
    ask = f"GET /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}"
    with _connect(served.port) as sock:  # a head within the bound is answered
        sock.sendall(f"{ask}X-Pad: {'a' * 3000}\r\n\r\n".encode())
        assert _answer(sock)[0] == 200
    with _connect(served.port) as sock:  # one longer, arriving whole
        sock.sendall(f"{ask}X-Pad: {'a' * 6000}\r\n\r\n".encode())
        status, _headers, _text = _answer(sock)
        assert status in (400, 431) and _closed(sock, 5)
    with _connect(served.port) as sock:  # one longer, arriving in pieces: not buffered on
        sock.sendall(ask.encode())
        status = 0
        for _ in range(64):
            try:
                sock.sendall(b"X-Pad: " + b"a" * 1000 + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            time.sleep(0.02)
        status = _answer(sock)[0]
        assert status == 400 and _closed(sock, 5)


def test_connections_beyond_the_bound_are_answered_503(served: Served) -> None:
    request = b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    held = [_connect(served.port) for _ in range(8)]
    try:
        time.sleep(0.3)
        with _connect(served.port) as sock:
            sock.sendall(request)
            assert _answer(sock)[0] == 503
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)
    with _connect(served.port) as sock:
        sock.sendall(request)
        assert _answer(sock)[0] == 200


def test_an_idle_kept_alive_connection_is_closed(served: Served) -> None:
    with _connect(served.port) as sock:
        sock.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status, headers, _body = _answer(sock)
        assert status == 200 and headers.get("connection") != "close"
        started = time.monotonic()
        assert _closed(sock, 5)
        assert time.monotonic() - started < 3  # --keep-alive 1


@pytest.fixture
def quick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    """A server in this process with the default bounds but a head deadline of 1 s."""
    from enquiry.web import serving as web_serving
    from enquiry.web.app import create_app

    monkeypatch.setattr(web_serving, "HEAD_SECONDS", 1.0)
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    admin, token = _home(tmp_path)
    options = web_serving.server_options(web_serving.Bounds())
    with serving(create_app(admin.home), **options) as url:
        yield Served(url, int(url.rsplit(":", 1)[1]), admin.home, token, admin)


def test_a_connection_that_says_nothing_is_closed(quick: Served) -> None:
    with _connect(quick.port) as sock:
        started = time.monotonic()
        assert _closed(sock, 5)
        assert time.monotonic() - started < 3


def test_a_head_that_trickles_in_is_given_up(quick: Served) -> None:
    with _connect(quick.port) as sock:
        sock.sendall(b"GET /openapi.json HTTP/1.1\r\n")
        answer = b""
        for _ in range(30):
            try:
                sock.sendall(b"X: y\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            sock.settimeout(0.2)
            try:
                answer += sock.recv(65536)
            except TimeoutError:
                continue
            if answer:
                break
        assert answer.startswith(b"HTTP/1.1 408 "), answer


def test_a_slow_honest_upload_and_a_kept_alive_connection_are_served(quick: Served) -> None:
    before = quick.items()
    body, kind = _multipart([("slow.bin", os.urandom(256 * KIB))])
    with _connect(quick.port) as sock:
        sock.sendall(_upload_head(quick, kind, f"Content-Length: {len(body)}\r\n"))
        for start in range(0, len(body), 32 * KIB):  # the body takes longer than a head may
            sock.sendall(body[start : start + 32 * KIB])
            time.sleep(0.25)
        status, _headers, text = _answer(sock)
        assert status == 200, text
        time.sleep(0.5)  # then, on the same connection, the next request
        sock.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert _answer(sock)[0] == 200
    assert quick.items() == before + 1
