"""Cases and incidents whose names hold '/', '?', '#', '%', spaces or Arabic, reached over HTTP
from a real server: every API route that names them answers for that very case, and every link
the pages draw from a name leads to that case's page, not to another case's (the case
``x/items`` is not the evidence list of case ``x``) and not to nothing."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import httpx
import pytest

from enquiry.app import Enquiry, accounts, cases, evidence
from enquiry.web.app import create_app
from web_helpers import serving

PASSWORD = "correct horse battery"
# What the core accepts as a case's name (printable, stripped): each one case of its own.
NAMES = (
    "a/b",
    "a%2Fb",
    "x",
    "x/items",
    "100% sure?",
    "#7 & more",
    "two words",
    "خان شيخون / ٤ نيسان",
)
LOADED = "Khan Shaykhun / 4 April"
INCIDENT = "ks/2017-04-04 #1?"
CASE_FILE = f"""format: enquiry-case/1
case: {{name: {json.dumps(LOADED)}}}
sources:
- {{name: Field team, reliability: B}}
incidents:
- slug: {json.dumps(INCIDENT)}
  hypotheses:
  - {{id: H1, label: a shell fired from the north}}
  - {{id: H0, label: something else, other: true}}
items:
- key: crater-note
  kind: document
  source: Field team
  fields: {{title: Field note on the crater}}
  text: Fresh crater in the square; fragments of a 122 mm shell.
ratings:
- incident: {json.dumps(INCIDENT)}
  item: crater-note
  analyst: ana
  values: {{H1: CC, H0: N}}
  rationale: A fresh crater with shell fragments.
"""


@dataclass(frozen=True)
class Site:
    url: str
    home: Path
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A home with one small item in each case of ``NAMES`` (its text names its case) and the
    loaded case, all owned by ``ana``; served on loopback (cookies without Secure: plain
    HTTP from a client that is not a browser)."""
    root = tmp_path_factory.mktemp("names")
    admin = Enquiry.at(root / "home", "admin")
    for number, name in enumerate(NAMES):
        note = root / f"note-{number}.txt"
        note.write_text(f"The note of case number {number}.\n", encoding="utf-8")
        evidence.add(admin, [note], case=name)
    (root / "case.yaml").write_text(CASE_FILE, encoding="utf-8")
    cases.load(admin, root / "case.yaml")
    accounts.add_user(admin, "ana", PASSWORD)
    for name in (*NAMES, LOADED):
        accounts.grant(admin, "ana", name, "owner")
    token = accounts.create_token(admin, "ana").token
    with serving(create_app(admin.home, secure_cookies=False)) as url:
        yield Site(url, admin.home, token)


def _seg(name: str) -> str:
    return quote(name, safe="")


def test_the_api_answers_for_the_very_case_named(site: Site) -> None:
    with httpx.Client(base_url=f"{site.url}/api/v1", headers=site.auth) as api:
        listed = {c["name"] for c in api.get("/cases").json()}
        assert listed == {*NAMES, LOADED}
        logged: set[int] = set()
        for name in NAMES:
            items = api.get(f"/cases/{_seg(name)}/items")
            assert items.status_code == 200, (name, items.text)
            assert [row["case"] for row in items.json()["items"]] == [name], name
            for tail in ("custody", "claims", "comments"):
                answer = api.get(f"/cases/{_seg(name)}/{tail}")
                assert answer.status_code == 200, (name, tail, answer.text)
            custody = api.get(f"/cases/{_seg(name)}/custody").json()
            (case_id,) = {e["case"] for e in custody}  # one case's log
            assert case_id not in logged, name
            logged.add(case_id)
            sent = api.post(
                f"/cases/{_seg(name)}/items",
                files=[("files", (f"{_seg(name)}.txt", f"More on {name}.\n".encode()))],
            )
            assert sent.status_code == 200, (name, sent.text)
            assert sent.json()["case"] == name and sent.json()["stored"] == 1
            again = api.get(f"/cases/{_seg(name)}/items").json()["items"]
            assert [row["case"] for row in again] == [name, name], name
            comment = api.post(
                f"/cases/{_seg(name)}/comments", json={"subject": "case", "body": "checked"}
            )
            assert comment.status_code == 201, (name, comment.text)
        # an incident whose slug holds '/', '#' and '?'
        for path in ("matrix", "analysis", "analysis/latest", "report"):
            answer = api.get(f"/incidents/{_seg(INCIDENT)}/{path}")
            if path == "analysis/latest":
                assert answer.status_code == 404 and "no analysis has been run" in answer.text
            else:
                assert answer.status_code == 200, (path, answer.text)
        ran = api.post(f"/incidents/{_seg(INCIDENT)}/analysis")
        assert ran.status_code == 201, ran.text
        assert api.get(f"/incidents/{_seg(INCIDENT)}/analysis/latest").status_code == 200


def _sign_in(client: httpx.Client, next_path: str = "/") -> httpx.Response:
    form = client.get(f"/login?next={quote(next_path, safe='')}")
    csrf = re.search(r'name="csrf" value="([^"]*)"', form.text)
    following = re.search(r'name="next" value="([^"]*)"', form.text)
    assert csrf is not None and following is not None
    return client.post(
        "/login",
        data={
            "name": "ana",
            "password": PASSWORD,
            "csrf": csrf.group(1),
            "next": html.unescape(following.group(1)),
        },
    )


def _links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'(?:href|action|data-features)="([^"]*)"', page)]


def _case_shown(page: str) -> str:
    found = re.search(r'<span class="case-name">([^<]*)</span>', page)
    assert found is not None, page[:500]
    return html.unescape(found.group(1))


def test_every_link_a_page_draws_from_a_name_leads_to_that_case(site: Site) -> None:
    with httpx.Client(base_url=site.url) as browser:
        assert _sign_in(browser).status_code == 303
        home = browser.get("/")
        dashboards = {
            link for link in _links(home.text) if link.startswith("/cases/") and "?" not in link
        }
        assert len(dashboards) == len(NAMES) + 1
        for link in sorted(dashboards):
            page = browser.get(link)
            assert page.status_code == 200, (link, page.text[:300])
            name = _case_shown(page.text)
            assert f"<h1>Case {html.escape(name, quote=False)}</h1>" in page.text, link
            for tail, title in (
                ("items", "Evidence"),
                ("claims", "Claims by party"),
                ("map", "Map"),
            ):
                (sub,) = [x for x in _links(page.text) if x.endswith(f"/{tail}")]
                shown = browser.get(sub)
                assert shown.status_code == 200, (name, sub, shown.text[:300])
                assert _case_shown(shown.text) == name and f"<h1>{title}</h1>" in shown.text
                if tail == "map":
                    (data,) = [x for x in _links(shown.text) if x.endswith("/map.geojson")]
                    assert browser.get(data).status_code == 200, (name, data)
                if tail == "items":
                    (action,) = [x for x in _links(shown.text) if x.endswith("/upload")]
                    csrf = re.search(r'name="csrf" value="([^"]*)"', shown.text)
                    assert csrf is not None
                    sent = browser.post(
                        action,
                        data={"csrf": csrf.group(1)},
                        files=[
                            ("files", ("page.txt", f"Sent from the page of {name}.\n".encode()))
                        ],
                    )
                    assert sent.status_code == 200, (name, sent.text[:300])
                    (item,) = re.findall(r'href="(/items/[0-9]+)"', sent.text)
                    item_page = browser.get(item)
                    assert _case_shown(item_page.text) == name
                    assert link in _links(item_page.text), (name, link)
        # the incident's links, from the loaded case's dashboard
        loaded = browser.get(f"/cases/{_seg(LOADED)}")
        incident_links = [x for x in _links(loaded.text) if x.startswith("/incidents/")]
        assert incident_links and all(
            x.startswith(f"/incidents/{_seg(INCIDENT)}/") for x in incident_links
        )
        for link in incident_links:
            answer = browser.get(link)
            assert answer.status_code == 200, (link, answer.text[:300])
        report = browser.get(f"/incidents/{_seg(INCIDENT)}/report")
        assert report.status_code == 200, report.text[:300]
        assert "/" not in unquote(report.headers["content-disposition"])


def test_signing_in_leads_back_to_the_case_asked_for(site: Site) -> None:
    for name in ("x/items", "100% sure?", "خان شيخون / ٤ نيسان"):
        wanted = f"/cases/{_seg(name)}"
        with httpx.Client(base_url=site.url) as browser:
            bounced = browser.get(wanted)
            assert bounced.status_code == 303
            target = unquote(urlsplit(bounced.headers["location"]).query.removeprefix("next="))
            signed = _sign_in(browser, target)
            assert signed.status_code == 303
            back = browser.get(signed.headers["location"])
            assert back.status_code == 200 and _case_shown(back.text) == name
