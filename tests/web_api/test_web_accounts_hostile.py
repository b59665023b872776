"""Sign-in, sessions and the case rights of every route, against a hostile outsider and a
signed-in insider: guesses sent together are throttled like guesses sent one by one, a sign-in
ends the session the browser held before, the session cookie cannot be planted by a neighbouring
host, and every route of the app — listed from the app itself, so that a new one is covered
the day it is added — asks for credentials, hides what the user may not see exactly as what
does not exist, and refuses a cookie-borne change without the session's CSRF token.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from api_world import CASE, INCIDENT, OTHER, PASSWORD, World
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from enquiry.app import accounts
from enquiry.web.app import create_app
from enquiry.web.auth import COOKIE

PLAIN_COOKIE = "enquiry_session"  # the session cookie of a server without secure cookies

CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) the app answers, nested routers included."""

    def walk(routes: list[object], prefix: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for route in routes:
            if isinstance(route, APIRoute):
                found += [(m, prefix + route.path) for m in sorted(route.methods)]
            elif hasattr(route, "original_router"):  # an included router
                context = route.include_context
                found += walk(route.original_router.routes, prefix + context.prefix)
        return found

    return walk(list(app.routes), "")


def _fill(path: str, *, case: str, incident: str, item: int | str) -> str:
    for key, value in {
        "{case}": case,
        "{incident}": incident,
        "{item}": str(item),
        "{ref}": str(item),
        "{claim}": "1",
        "{key}": "H1",
        "{finding}": "1",
    }.items():
        path = path.replace(key, value)
    return path


def _browser(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="https://testserver")


def _sign_in(browser: TestClient, name: str, password: str = PASSWORD) -> httpx.Response:
    form = browser.get("/login")
    token = re.search(r'name="csrf" value="([^"]*)"', form.text)
    assert token is not None
    return browser.post(
        "/login",
        data={"name": name, "password": password, "csrf": token.group(1)},
        follow_redirects=False,
    )


def _csrf(browser: TestClient) -> str:
    page = browser.get("/")
    found = re.search(r'action="/logout".*?name="csrf" value="([^"]*)"', page.text, re.S)
    assert found is not None
    return found.group(1)


# --- the sign-in throttle -------------------------------------------------------------------


def test_guesses_sent_together_are_throttled_like_guesses_one_by_one(
    sqlite_world: World,
) -> None:
    """Twenty wrong passwords for one name at once: before, every one was checked, since each
    passed the throttle while the others were still being hashed."""
    app = create_app(sqlite_world.home)

    def guess(number: int) -> bool:
        answer = _sign_in(_browser(app), "viewer", f"guess number {number}")
        assert answer.status_code == 401
        return "too many" not in answer.text

    with _browser(app), ThreadPoolExecutor(20) as pool:
        checked = sum(pool.map(guess, range(20)))
    assert checked <= 5, f"{checked} passwords were checked"


def test_two_server_processes_on_one_home_count_failures_together(sqlite_world: World) -> None:
    """Two apps on the same home stand for two processes of 'enquiry serve --workers 2': a
    guesser going back and forth between them is refused after five tries in all."""
    first, second = create_app(sqlite_world.home), create_app(sqlite_world.home)
    with _browser(first) as one, _browser(second) as two:
        for number in range(5):
            browser = one if number % 2 else two
            answer = _sign_in(browser, "viewer", f"guess number {number}")
            assert answer.status_code == 401 and "too many" not in answer.text
        for browser in (one, two):
            refused = _sign_in(browser, "viewer")  # even the right password, now
            assert refused.status_code == 401 and "too many" in refused.text


def test_an_insiders_own_sign_in_does_not_reset_the_address_count(sqlite_world: World) -> None:
    app = create_app(sqlite_world.home)
    with _browser(app) as browser:
        for victim in ("owner", "analyst", "reviewer", "revealer"):
            assert _sign_in(browser, victim, "a guessed password").status_code == 401
        assert _sign_in(browser, "viewer").status_code == 303  # their own account
        assert _sign_in(browser, "investigator", "a guessed password").status_code == 401
        refused = _sign_in(browser, "admin", "a guessed password")
        assert refused.status_code == 401 and "too many" in refused.text


def test_a_forwarded_address_does_not_split_the_count(sqlite_world: World) -> None:
    """The server does not trust X-Forwarded-For: a client cannot pose as many addresses."""
    app = create_app(sqlite_world.home)
    with _browser(app) as browser:
        for number in range(5):
            headers = {"X-Forwarded-For": f"10.0.0.{number}"}
            form = browser.get("/login")
            token = re.search(r'name="csrf" value="([^"]*)"', form.text)
            assert token is not None
            browser.post(
                "/login",
                data={"name": f"nobody{number}", "password": "x" * 12, "csrf": token.group(1)},
                headers=headers,
            )
        refused = _sign_in(browser, "viewer")
        assert refused.status_code == 401 and "too many" in refused.text


# --- sessions -------------------------------------------------------------------------------


def test_signing_in_ends_the_session_the_browser_held(sqlite_world: World) -> None:
    """A second sign-in (another user at a shared computer, or the same one) ends the first
    session on the server: its cookie, copied or planted, opens nothing afterwards."""
    app = sqlite_world.client.app
    browser = _browser(app)
    assert _sign_in(browser, "analyst").status_code == 303
    first = browser.cookies.get(COOKIE)
    assert first
    assert _sign_in(browser, "viewer").status_code == 303
    assert browser.cookies.get(COOKIE) != first
    thief = _browser(app)
    thief.cookies.set(COOKIE, first)
    stale = thief.get("/api/v1/cases")
    assert stale.status_code == 401
    assert browser.get("/api/v1/cases").status_code == 200


def test_the_cookies_can_only_come_from_this_host(sqlite_world: World) -> None:
    """``__Host-`` cookies: Secure, for the whole site, no Domain — a neighbouring subdomain
    cannot set one, so it cannot plant a session (its own account) in a user's browser."""
    browser = _browser(sqlite_world.client.app)
    form = browser.get("/login")
    (login_cookie,) = form.headers.get_list("set-cookie")
    signed = _sign_in(browser, "viewer")
    session = [c for c in signed.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}=")]
    assert len(session) == 1
    for cookie in (login_cookie, session[0]):
        assert cookie.startswith("__Host-"), cookie
        assert "secure" in cookie.lower() and "path=/;" in cookie.lower() + ";"
        assert "domain" not in cookie.lower()


def test_a_server_without_secure_cookies_uses_plain_names(sqlite_world: World) -> None:
    """``--insecure-cookies`` (behind a TLS proxy): ``__Host-`` needs Secure, so the names are
    plain — and signing in and out still works."""
    app = create_app(sqlite_world.home, secure_cookies=False)
    browser = TestClient(app, base_url="http://testserver")
    assert _sign_in(browser, "viewer").status_code == 303
    assert browser.cookies.get(PLAIN_COOKIE)
    assert browser.get("/api/v1/cases").status_code == 200
    out = browser.post("/logout", data={"csrf": _csrf(browser)}, follow_redirects=False)
    assert out.status_code == 303
    assert browser.get("/api/v1/cases").status_code == 401


def test_a_disabled_user_is_stopped_at_once_everywhere(sqlite_world: World) -> None:
    admin = sqlite_world.admin
    accounts.add_user(admin, "leaver", PASSWORD)
    accounts.grant(admin, "leaver", CASE, "investigator")
    token = accounts.create_token(admin, "leaver").token
    browser = _browser(sqlite_world.client.app)
    assert _sign_in(browser, "leaver").status_code == 303
    bearer = {"Authorization": f"Bearer {token}"}
    assert browser.get(f"/cases/{CASE}").status_code == 200
    assert sqlite_world.client.get("/api/v1/cases", headers=bearer).status_code == 200
    accounts.disable_user(admin, "leaver")
    assert browser.get(f"/cases/{CASE}", follow_redirects=False).status_code == 303
    assert browser.get("/api/v1/cases").status_code == 401
    assert sqlite_world.client.get("/api/v1/cases", headers=bearer).status_code == 401
    assert _sign_in(_browser(sqlite_world.client.app), "leaver").status_code == 401


# --- every route ----------------------------------------------------------------------------


def test_every_route_asks_for_credentials(sqlite_world: World) -> None:
    app = sqlite_world.client.app
    routes = _routes(app)
    assert len(routes) > 30
    for method, path in routes:
        if path == "/login":
            continue
        url = _fill(path, case=CASE, incident=INCIDENT, item=sqlite_world.plain_item)
        answer = _browser(app).request(method, url, follow_redirects=False)
        if path.startswith("/api/"):
            assert answer.status_code == 401, (method, path, answer.status_code)
            assert answer.headers["www-authenticate"].startswith("Bearer")
        else:
            assert answer.status_code == 303, (method, path, answer.status_code)
            assert answer.headers["location"].startswith("/login?next="), (method, path)


TIMES = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?|\b\d{1,2}:\d{2}(?::\d{2})?"
)


def _alike(
    world: World,
    request: object,
    hidden: dict[str, str],
    missing: dict[str, str],
    *,
    naming: str = "",
) -> None:
    """Each route (naming ``naming`` in its path) answers for the hidden thing exactly as for a
    missing one (their names swapped)."""
    assert callable(request)
    for method, path in _routes(world.client.app):
        if path in ("/login", "/logout", "/") or naming not in path:
            continue
        a = request(method, _fill(path, **hidden))  # type: ignore[arg-type]
        b = request(method, _fill(path, **missing))  # type: ignore[arg-type]
        # times of day and dates differ between two answers and may hold the item's number
        # ("12:32"): masked first, so that only the thing asked about is compared
        a_text, b_text = (TIMES.sub("TIME", answer.text) for answer in (a, b))
        for key in ("case", "item"):
            # as a whole word: a number may also sit inside a token or a digest
            a_text = re.sub(rf"(?<!\w){re.escape(str(hidden[key]))}(?!\w)", "THING", a_text)
            b_text = re.sub(rf"(?<!\w){re.escape(str(missing[key]))}(?!\w)", "THING", b_text)
        assert (a.status_code, a_text) == (b.status_code, b_text), (method, path)


def test_a_case_without_a_role_answers_as_a_missing_one_on_every_route(sqlite_world: World) -> None:
    """The owner of one case asks every route about another case, its item and incidents."""
    world = sqlite_world
    browser = _browser(world.client.app)
    assert _sign_in(browser, "owner").status_code == 303
    csrf = _csrf(browser)

    def ask(method: str, url: str) -> httpx.Response:
        if url.startswith("/api/"):
            return world.client.request(method, url, headers=world.headers("owner"), json={})
        data = {"csrf": csrf} if method in CHANGING else None
        return browser.request(method, url, data=data, follow_redirects=False)

    _alike(
        world,
        ask,
        {"case": OTHER, "incident": "no-incident", "item": str(world.other_item)},
        {"case": "no-such-case", "incident": "no-incident", "item": "987654"},
    )


def test_a_protected_item_answers_a_viewer_as_a_missing_one_on_every_route(
    sqlite_world: World,
) -> None:
    world = sqlite_world
    browser = _browser(world.client.app)
    assert _sign_in(browser, "viewer").status_code == 303
    csrf = _csrf(browser)

    def ask(method: str, url: str) -> httpx.Response:
        data = {"csrf": csrf} if method in CHANGING and not url.startswith("/api/") else None
        return browser.request(
            method, url, data=data, headers={"X-CSRF-Token": csrf}, follow_redirects=False
        )

    _alike(
        world,
        ask,
        {"case": CASE, "incident": INCIDENT, "item": str(world.protected_item)},
        {"case": CASE, "incident": INCIDENT, "item": "987654"},
        naming="/items/{",
    )


@pytest.mark.parametrize("given", ["none", "wrong", "another session's"])
def test_every_change_by_cookie_needs_this_sessions_csrf_token(
    sqlite_world: World, given: str
) -> None:
    """Every state-changing route, page form or API call, with the owner's session cookie but
    without its CSRF token (none, a made-up one, or a valid one of another session)."""
    app = sqlite_world.client.app
    other = _browser(app)
    assert _sign_in(other, "analyst").status_code == 303
    token = {"none": "", "wrong": "x" * 32, "another session's": _csrf(other)}[given]
    browser = _browser(app)
    assert _sign_in(browser, "owner").status_code == 303
    changing = [(m, p) for m, p in _routes(app) if m in CHANGING and p != "/login"]
    assert len(changing) >= 10
    for method, path in changing:
        url = _fill(path, case=CASE, incident=INCIDENT, item=sqlite_world.plain_item)
        headers = {"X-CSRF-Token": token} if token else {}
        data = {"csrf": token} if token else {}
        answer = browser.request(method, url, data=data, headers=headers, follow_redirects=False)
        assert answer.status_code == 403, (method, path, answer.status_code, answer.text[:200])
        assert "CSRF" in answer.text, (method, path)
    assert browser.get("/api/v1/cases").status_code == 200, "the session itself still works"
