"""Signing a test browser in through the web app's real sign-in form (its CSRF token read from
the page, the password posted), as a person would: the one way the web tests get a session;
and a real server on a loopback port, for the tests that speak HTTP to one."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient


def signed_in(app: FastAPI, name: str, password: str) -> TestClient:
    """A browser on ``app`` signed in as ``name`` (the sign-in must succeed: 303)."""
    browser = TestClient(app, base_url="https://testserver")
    answer = sign_in(browser, name, password)
    assert answer.status_code == 303, answer.text
    return browser


def sign_in(browser: TestClient, name: str, password: str) -> Any:
    """The answer to the sign-in form posted as a person would: the form loaded, its CSRF
    token read from the page, the name and password sent."""
    form = browser.get("/login")
    token = re.search(r'name="csrf" value="([^"]*)"', form.text)
    assert token is not None
    return browser.post(
        "/login",
        data={"name": name, "password": password, "csrf": token.group(1), "next": "/"},
        follow_redirects=False,
    )


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(app: Any, **options: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread of this process, with
    ``options`` for uvicorn's ``Config``; yields the server's address, stops it afterwards."""
    import uvicorn

    port = free_port()
    settings: dict[str, Any] = {"log_level": "warning", **options}
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
