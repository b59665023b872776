"""Signing a test browser in through the web app's real sign-in form (its CSRF token read from
the page, the password posted), as a person would: the one way the web tests get a session."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient


def signed_in(app: FastAPI, name: str, password: str) -> TestClient:
    """A browser on ``app`` signed in as ``name`` (the sign-in must succeed: 303)."""
    browser = TestClient(app, base_url="https://testserver")
    form = browser.get("/login")
    token = re.search(r'name="csrf" value="([^"]*)"', form.text)
    assert token is not None
    answer = browser.post(
        "/login",
        data={"name": name, "password": password, "csrf": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return browser
