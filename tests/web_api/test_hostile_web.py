"""The web server and its API against a hostile outsider and a signed-in user with few rights:
signing out really ends a session, an uploaded page is never rendered as one of the server's,
awkward file names are received once and plainly, and a failure or a wrong parameter is
answered in the format asked for, with the security headers, and without the server's insides.
"""

from __future__ import annotations

import re

import pytest
from api_world import CASE, PASSWORD, SECRETS, World, run_asgi, unique_bytes
from fastapi.testclient import TestClient

from enquiry.web.app import SECURITY_HEADERS, create_app
from enquiry.web.auth import COOKIE


def _browser(world: World) -> TestClient:
    """A browser of its own (its own cookie jar) on the world's server."""
    return TestClient(world.client.app, base_url="https://testserver")


def _sign_in(browser: TestClient, name: str, next_page: str = "/") -> str:
    """Sign ``name`` in through the form; the session's CSRF token, read from a page."""
    form = browser.get("/login")
    token = re.search(r'name="csrf" value="([^"]*)"', form.text)
    assert token is not None
    answer = browser.post(
        "/login",
        data={"name": name, "password": PASSWORD, "csrf": token.group(1), "next": next_page},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    page = browser.get("/")
    csrf = re.search(r'action="/logout".*?name="csrf" value="([^"]*)"', page.text, re.S)
    assert csrf is not None
    return csrf.group(1)


def _upload(world: World, name: str, data: bytes) -> dict[str, object]:
    answer = world.post("investigator", f"/cases/{CASE}/items", files=[("files", (name, data))])
    assert answer.status_code == 200, answer.text
    (received,) = answer.json()["files"]
    assert isinstance(received, dict)
    return received


# --- sessions -------------------------------------------------------------------------------


def test_the_sign_out_form_ends_the_session(sqlite_world: World) -> None:
    """The header's Sign out form posts its CSRF token as a field; it must be honoured, and the
    session must be gone on the server afterwards, not only forgotten by the browser."""
    browser = _browser(sqlite_world)
    csrf = _sign_in(browser, "viewer")
    cookie = browser.cookies.get(COOKIE)
    assert cookie
    answer = browser.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:200]
    assert answer.headers["location"] == "/login"
    # the old cookie, replayed, opens nothing
    replay = TestClient(sqlite_world.client.app, base_url="https://testserver")
    replay.cookies.set(COOKIE, cookie)
    assert replay.get("/", follow_redirects=False).status_code == 303
    assert replay.get("/api/v1/cases").status_code == 401


def test_sign_out_without_the_token_is_refused(sqlite_world: World) -> None:
    """A cross-site form cannot sign a user out (nor do anything else) without the token."""
    browser = _browser(sqlite_world)
    _sign_in(browser, "viewer")
    answer = browser.post("/logout", data={"csrf": "forged"}, follow_redirects=False)
    assert answer.status_code == 403
    assert browser.get("/", follow_redirects=False).status_code == 200


def test_signing_in_gives_a_new_session_with_strict_cookie(sqlite_world: World) -> None:
    """A cookie planted before sign-in is never the session's id afterwards."""
    browser = _browser(sqlite_world)
    browser.cookies.set(COOKIE, "planted-by-someone-else")
    form = browser.get("/login")
    token = re.search(r'name="csrf" value="([^"]*)"', form.text)
    assert token is not None
    answer = browser.post(
        "/login",
        data={"name": "viewer", "password": PASSWORD, "csrf": token.group(1)},
        follow_redirects=False,
    )
    (cookie,) = [c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}=")]
    assert "planted-by-someone-else" not in cookie
    for flag in ("HttpOnly", "Secure", "SameSite=strict"):
        assert flag.lower() in cookie.lower(), cookie


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/\t/evil.example",
        "javascript:1",
    ],
)
def test_next_never_leaves_the_server(sqlite_world: World, target: str) -> None:
    browser = _browser(sqlite_world)
    form = browser.get("/login")
    token = re.search(r'name="csrf" value="([^"]*)"', form.text)
    assert token is not None
    answer = browser.post(
        "/login",
        data={"name": "viewer", "password": PASSWORD, "csrf": token.group(1), "next": target},
        follow_redirects=False,
    )
    location = answer.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\", "/\t"))


def test_a_token_in_the_address_is_not_credentials(sqlite_world: World) -> None:
    token = sqlite_world.tokens["viewer"]
    for name in ("access_token", "token"):
        answer = sqlite_world.client.get(f"/api/v1/cases?{name}={token}")
        assert answer.status_code == 401


# --- what an uploaded file may do in a browser ----------------------------------------------

MARKUP = b"<!doctype html><title>x</title><form action=/login method=post></form>"


def test_an_uploaded_page_is_a_download_never_a_page_of_this_server(sqlite_world: World) -> None:
    """An investigator's upload of HTML, opened by anyone at ``/items/N/content``, must not be
    rendered in the server's origin (where it could pose as a sign-in form or pull in other
    uploads as script): it is handed over as an attachment under a sandboxing policy."""
    received = _upload(sqlite_world, "page.html", MARKUP + unique_bytes("html"))
    browser = _browser(sqlite_world)
    _sign_in(browser, "viewer")
    answer = browser.get(f"/items/{received['item_id']}/content")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].startswith("attachment")
    policy = answer.headers["content-security-policy"]
    assert policy.startswith("sandbox") and "script-src" not in policy
    # the original, through the API, is a sandboxed attachment too
    original = sqlite_world.get("viewer", f"/items/{received['item_id']}/original")
    assert original.headers["content-disposition"].startswith("attachment")
    assert original.headers["content-security-policy"].startswith("sandbox")


def test_a_plain_text_preview_stays_inline_but_sandboxed(sqlite_world: World) -> None:
    browser = _browser(sqlite_world)
    _sign_in(browser, "viewer")
    answer = browser.get(f"/items/{sqlite_world.plain_item}/content")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == "inline"
    assert answer.headers["content-security-policy"].startswith("sandbox")


# --- awkward names --------------------------------------------------------------------------


def test_a_long_name_in_a_non_latin_script_is_received(sqlite_world: World) -> None:
    """150 letters of Arabic are 300 bytes: more than a file system takes in one name. The
    upload is received, under a shortened name that keeps its extension."""
    name = "ش" * 150 + ".txt"
    received = _upload(sqlite_world, name, unique_bytes("long name"))
    assert received["status"] == "stored", received
    filename = str(received["filename"])
    assert filename.endswith(".txt") and len(filename.encode("utf-8")) <= 200
    assert filename.startswith("ش" * 10)


def test_an_invisible_direction_override_in_a_name_is_shown(sqlite_world: World) -> None:
    """A right-to-left override would make a program's name read as a text file's."""
    received = _upload(sqlite_world, "report\u202etxt.exe", unique_bytes("bidi"))
    assert received["status"] == "stored", received
    assert "\u202e" not in str(received["filename"])
    assert str(received["filename"]) == "report\\u202etxt.exe"
    log = sqlite_world.get("investigator", f"/items/{received['item_id']}/custody").text
    assert "\u202e" not in log


@pytest.mark.parametrize(
    ("name", "expected"),
    [("../../etc/passwd", "passwd"), ("..", "upload"), ("C:\\dir\\x.txt", "x.txt")],
)
def test_a_name_cannot_point_outside_the_upload(
    sqlite_world: World, name: str, expected: str
) -> None:
    received = _upload(sqlite_world, name, unique_bytes(name))
    assert received["status"] == "stored" and received["filename"] == expected


# --- failures and wrong parameters ----------------------------------------------------------


def test_a_wrong_page_parameter_is_answered_with_a_page(sqlite_world: World) -> None:
    browser = _browser(sqlite_world)
    _sign_in(browser, "viewer")
    answer = browser.get(f"/cases/{CASE}/items?offset=-1")
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert "offset" in answer.text
    api = sqlite_world.get("viewer", f"/cases/{CASE}/items?offset=-1")
    assert api.status_code == 400
    assert api.headers["content-type"] == "application/problem+json"


def test_an_unexpected_failure_shows_nothing_of_the_server(sqlite_world: World) -> None:
    """A fault inside a route answers 500 in the format asked for, with the security headers,
    and without the exception's words, a traceback or a path of the server."""
    app = create_app(sqlite_world.home)
    inside = f"{sqlite_world.home}/enquiry.db SELECT * FROM users {SECRETS[0]}"

    def fail() -> None:
        raise RuntimeError(inside)

    app.add_api_route("/api/v1/failing", fail)
    app.add_api_route("/failing", fail)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        api = client.get("/api/v1/failing")
        page = client.get("/failing")
    assert api.status_code == 500 and page.status_code == 500
    assert api.headers["content-type"] == "application/problem+json"
    assert page.headers["content-type"].startswith("text/html")
    for answer in (api, page):
        for text in (inside, "Traceback", str(sqlite_world.home), "SELECT", SECRETS[0]):
            assert text not in answer.text
        for header, value in SECURITY_HEADERS.items():
            assert answer.headers.get(header) == value, header


@pytest.mark.parametrize(
    "path", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%00"]
)
def test_static_files_stay_in_their_folder(sqlite_world: World, path: str) -> None:
    answer = sqlite_world.client.get(path)
    assert answer.status_code == 404
    assert "create_app" not in answer.text


# --- files are read only from those who may send them ----------------------------------------


def _post_files(world: World, path: str, headers: dict[str, str]) -> tuple[int, int, int]:
    """POST a 64 MiB multipart body to ``path`` straight through the ASGI app; the status, and
    how many of its bytes the server read before answering, and the body's size."""
    boundary = "enquiry-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    piece = b"\0" * (1 << 20)
    body = [head, *[piece] * 64, f"\r\n--{boundary}--\r\n".encode()]
    size = sum(map(len, body))
    read = 0
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        nonlocal read
        if body:
            chunk = body.pop(0)
            read += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": bool(body)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

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
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
            (b"content-length", str(size).encode()),
            *[(k.lower().encode(), v.encode()) for k, v in headers.items()],
        ],
    }
    run_asgi(world.client.app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return int(start["status"]), read, size  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        (None, f"/api/v1/cases/{CASE}/items", 401),  # nobody signed in
        ("viewer", f"/api/v1/cases/{CASE}/items", 403),  # may read, may not add
        ("viewer", "/api/v1/items/1/derivatives", 403),
        ("investigator", "/api/v1/cases/no-such-case/items", 404),
        (None, f"/cases/{CASE}/upload", 303),  # a page: the sign-in form
    ],
)
def test_files_from_who_may_not_send_them_are_refused_unread(
    sqlite_world: World, who: str | None, path: str, status: int
) -> None:
    """A multipart body is parsed (its files spooled to disk) before a route's own checks run:
    anyone could make the server write gigabytes before being told no. Such a request is now
    answered before its body is read, and a permitted one is read whole."""
    headers = sqlite_world.headers(who) if who else {}
    answer, read, size = _post_files(sqlite_world, path, headers)
    assert answer == status
    assert read < 1 << 20, read  # nothing of the file was taken
    answer, read, size = _post_files(
        sqlite_world, f"/api/v1/cases/{CASE}/items", sqlite_world.headers("investigator")
    )
    assert answer == 200 and read == size
