"""Bodies sent to the server by someone who wants it down: a sign-in form or an API call of
gigabytes, files posted to a route that takes none, a body that lies about its length or
trickles in. Each is refused having read little or nothing of it; the uploads that are meant to
be big still are received whole."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import pytest
from api_world import CASE, INCIDENT, World, run_asgi

from enquiry.web import limits
from enquiry.web.app import SECURITY_HEADERS
from web_helpers import signed_in

MIB = 1 << 20


@dataclass
class Outcome:
    status: int
    read: int
    size: int
    headers: dict[str, str]


def _drive(
    world: World,
    path: str,
    kind: str,
    pieces: list[bytes],
    *,
    headers: dict[str, str] | None = None,
    declare: bool = True,
    pause: float = 0.0,
) -> Outcome:
    """POST ``pieces`` as a body to ``path`` straight through the ASGI app, as a client on
    the network would (``pause`` seconds before each piece after the first); what the server
    answered and how many bytes of the body it read before answering."""
    body = list(pieces)
    size = sum(map(len, body))
    read = 0
    sent: list[dict[str, object]] = []
    answered = asyncio.Event()

    async def receive() -> dict[str, object]:
        nonlocal read
        if body and not answered.is_set():
            if pause and read:
                await asyncio.sleep(pause)
            chunk = body.pop(0)
            read += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": bool(body)}
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)
        if message["type"] == "http.response.start":
            answered.set()

    extra = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    if declare:
        extra.append((b"content-length", str(size).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "server": ("testserver", 443),
        "client": ("127.0.0.1", 5555),
        "headers": [(b"host", b"testserver"), (b"content-type", kind.encode()), *extra],
    }
    run_asgi(world.client.app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    raw = start.get("headers") or []
    answer = {k.decode().lower(): v.decode() for k, v in raw}  # type: ignore[attr-defined]
    return Outcome(int(start["status"]), read, size, answer)  # type: ignore[call-overload]


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def _fields(count: int) -> list[bytes]:
    """A form of ``count`` fields of almost a megabyte each (each under the parser's own
    bound of one megabyte a field, so that only a bound on the whole body stops it)."""
    return [f"f{n}=".encode() + b"a" * (MIB - 16) + b"&" for n in range(count)]


@pytest.mark.parametrize("declare", [True, False])
def test_a_huge_sign_in_form_from_anyone_is_refused_unread(
    sqlite_world: World, declare: bool
) -> None:
    """Before: the sign-in form's fields were parsed (held in memory) before anything was
    checked — 64 fields of a megabyte, 64 MB held for one request from nobody in particular."""
    outcome = _drive(sqlite_world, "/login", FORM, _fields(64), declare=declare)
    assert outcome.status == 413
    assert outcome.read <= (0 if declare else limits.BODY_MAX + MIB), outcome.read
    for header, value in SECURITY_HEADERS.items():
        assert outcome.headers.get(header.lower()) == value


@pytest.mark.parametrize("declare", [True, False])
def test_a_huge_json_call_from_nobody_is_refused_unread(sqlite_world: World, declare: bool) -> None:
    """Before: an API call's JSON was read whole into memory before its credentials were
    looked at."""
    pieces = [b'{"hypothesis": "H1", "rationale": "', *[b"x" * MIB] * 64, b'"}']
    path = f"/api/v1/incidents/{INCIDENT}/ratings"
    outcome = _drive(sqlite_world, path, JSON, pieces, declare=declare)
    assert outcome.status == 413
    assert outcome.headers["content-type"] == "application/problem+json"
    assert outcome.read <= (0 if declare else limits.BODY_MAX + MIB), outcome.read


def _multipart(megabytes: int) -> tuple[str, list[bytes]]:
    boundary = "limits-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", [head, *[b"\0" * MIB] * megabytes, tail]


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("viewer", "/logout"),
        ("viewer", f"/incidents/{INCIDENT}/rate"),
        ("viewer", f"/api/v1/incidents/{INCIDENT}/ratings"),
        (None, "/login"),
    ],
)
def test_files_sent_where_no_files_are_taken_are_refused_unread(
    sqlite_world: World, who: str | None, path: str
) -> None:
    """Before: any signed-in user could post gigabytes of files to a form that takes none
    (signing out, rating a cell), and they were spooled to disk before the form was checked."""
    kind, pieces = _multipart(64)
    headers = {}
    if who and path.startswith("/api/"):
        headers = sqlite_world.headers(who)
    elif who:
        browser = signed_in(sqlite_world.client.app, who, "correct horse battery")
        headers = {"cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items())}
    outcome = _drive(sqlite_world, path, kind, pieces, headers=headers)
    assert outcome.status == 415
    assert outcome.read == 0


def test_uploads_are_still_received_whole(sqlite_world: World) -> None:
    kind, pieces = _multipart(8)
    path = f"/api/v1/cases/{CASE}/items"
    outcome = _drive(sqlite_world, path, kind, pieces, headers=sqlite_world.headers("investigator"))
    assert outcome.status == 200 and outcome.read == outcome.size


def test_a_body_that_trickles_in_is_given_up(
    sqlite_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client sending a small body a piece at a time, slower than the server waits for, is
    answered 408 and holds the connection no longer."""
    monkeypatch.setattr(limits, "BODY_SECONDS", 0.5)
    pieces = [b"name=a", b"&password=b", b"&csrf=c", b"&next=/"]
    outcome = _drive(sqlite_world, "/login", FORM, pieces, pause=0.3)
    assert outcome.status == 408
    assert outcome.read < sum(map(len, pieces))


def test_an_ordinary_sign_in_and_a_long_comment_still_pass(sqlite_world: World) -> None:
    """The bound is far above what any form of the app sends: a comment of the longest
    allowed, in a script whose letters take three bytes each, percent-encoded, is taken."""
    browser = signed_in(sqlite_world.client.app, "analyst", "correct horse battery")
    page = browser.get(f"/incidents/{INCIDENT}/analysis")
    action = re.search(r'action="(/incidents/[^"]+/comment)"', page.text)
    csrf = re.search(r'name="csrf" value="([^"]*)"', page.text)
    assert action is not None and csrf is not None
    answer = browser.post(
        action.group(1),
        data={"body": "ش" * 19_000 + " ✓", "csrf": csrf.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]
