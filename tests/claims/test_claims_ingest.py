"""``enquiry ingest`` of articles and feeds, then ``claims list`` and ``claims merge-actors``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select

from enquiry.cli import main
from enquiry.store import open_store
from enquiry.store.tables import (
    Actor,
    Claim,
    ClaimStance,
    CustodyEvent,
    Hypothesis,
    Incident,
    Rating,
)

DATA = Path(__file__).parent / "data"


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def ingested(home: Path) -> Path:
    _run("ingest", "--quiet", "--case", "ks", str(DATA))
    return home


def test_ingest_stores_documents_feed_entries_and_claims(ingested: Path) -> None:
    store = open_store(ingested, "tester")
    with store.session() as session:
        claims = session.scalars(select(Claim)).all()
        events = session.scalars(
            select(CustodyEvent).where(CustodyEvent.action == "enriched")
        ).all()
    # the article and the two feed entries carry claims; the feed file itself does not
    assert len({claim.item_id for claim in claims}) == 3
    assert len(events) == 3
    details = json.loads(events[0].details)
    assert details["extractor"].startswith("attribution-")
    assert details["claims"] == len(details["claim_ids"])
    lavrov = [claim for claim in claims if "incident was staged" in claim.text]
    assert lavrov and lavrov[0].date == "2017-04-11" and lavrov[0].date_phrase == "on Tuesday"


def test_surname_resolves_to_the_known_actor(ingested: Path) -> None:
    store = open_store(ingested, "tester")
    with store.session() as session:
        names = session.scalars(select(Actor.name).where(Actor.name.like("%Safronkov%"))).all()
        biased = session.scalars(select(Claim).where(Claim.text.like("%biased%"))).one()
        actor = session.get(Actor, biased.actor_id)
    assert names == ["Vladimir Safronkov"]
    assert actor is not None and actor.name == "Vladimir Safronkov"
    assert actor.affiliation == "Russia" and actor.title == "Deputy UN Ambassador"


def test_list_by_party_takes_in_affiliated_speakers(ingested: Path) -> None:
    payload = json.loads(_run("claims", "list", "--case", "ks", "--party", "Russia", "--json"))
    actors = {claim["actor"] for claim in payload["claims"]}
    assert actors == {"Russia", "Vladimir Safronkov"}
    for claim in payload["claims"]:
        assert claim["content"]["end"] - claim["content"]["start"] == len(claim["content"]["text"])


def test_reingest_adds_nothing(ingested: Path) -> None:
    out = _run("ingest", "--quiet", "--case", "ks", str(DATA))
    assert "0 claims from 0 documents" in out
    _run("verify")


def test_merge_actors_moves_claims_and_is_recorded(ingested: Path) -> None:
    out = _run("claims", "merge-actors", "--case", "ks", "Syria", "Russia")
    assert "merged 'Syria' into 'Russia'" in out
    payload = json.loads(_run("claims", "list", "--case", "ks", "--party", "Damascus", "--json"))
    by_actor = {claim["content"]["text"]: claim["actor"] for claim in payload["claims"]}
    # Damascus is now an alias of Russia, so the party is Russia with everyone affiliated to it
    assert by_actor['that the reports were "100% fabrication"'] == "Russia"
    assert set(by_actor.values()) == {"Russia", "Vladimir Safronkov"}
    store = open_store(ingested, "tester")
    with store.session() as session:
        merged = session.scalars(select(CustodyEvent).where(CustodyEvent.action == "merged")).one()
    assert json.loads(merged.details)["name"] == "Syria"
    _run("verify")


def test_list_unknown_case_is_one_line(home: Path) -> None:
    _run("ingest", "--quiet", "--case", "ks", str(DATA / "council.txt"))
    result = CliRunner().invoke(main, ["claims", "list", "--case", "nope"])
    assert result.exit_code != 0
    assert result.output.strip() == "enquiry: case 'nope': no such case"


def test_similar_finds_the_repeated_claim(ingested: Path, tmp_path: Path) -> None:
    repeat = tmp_path / "repeat.txt"
    repeat.write_text(
        "April 20, 2017 — Syria's foreign ministry stated that the reports of the chemical attack "
        "were fabricated.\n",
        encoding="utf-8",
    )
    _run("ingest", "--quiet", "--case", "ks", str(repeat))
    listed = json.loads(_run("claims", "list", "--case", "ks", "--json"))["claims"]
    original = next(claim for claim in listed if "100% fabrication" in claim["content"]["text"])
    payload = json.loads(_run("claims", "similar", str(original["id"]), "--json"))
    best = payload["similar"][0]
    assert "fabricated" in best["content"]["text"]
    assert best["score"] > payload["similar"][-1]["score"]
    store = open_store(ingested, "tester")
    with store.session() as session:
        derived = session.scalars(
            select(CustodyEvent).where(CustodyEvent.action == "derived")
        ).all()
    assert any(json.loads(event.details)["model"] == "all-MiniLM-L6-v2-int8" for event in derived)


def _add_hypotheses(home: Path) -> None:
    store = open_store(home, "tester")
    with store.writing() as (connection, writer):
        case_id = store.case_id(connection, "ks")
        incident = connection.execute(
            insert(Incident).values(
                case_id=case_id, slug="khan-shaykhun", title="Sarin release", data={}
            )
        ).inserted_primary_key[0]
        connection.execute(
            insert(Hypothesis),
            [
                {
                    "incident_id": incident,
                    "key": "H1",
                    "label": "The regime used sarin",
                    "description": "A Syrian government aircraft dropped a sarin bomb",
                    "is_other": False,
                },
                {
                    "incident_id": incident,
                    "key": "H2",
                    "label": "The attack was staged",
                    "description": "The incident was fabricated by the opposition",
                    "is_other": False,
                },
            ],
        )
        writer.append("created", case_id=case_id, details={"incident": "khan-shaykhun"})


def test_stance_suggestions_then_an_analyst_accepts_one(ingested: Path) -> None:
    _add_hypotheses(ingested)
    listed = json.loads(_run("claims", "list", "--case", "ks", "--json"))["claims"]
    sarin = next(claim for claim in listed if "used sarin" in claim["content"]["text"])
    payload = json.loads(_run("claims", "stance", str(sarin["id"]), "--json"))
    suggestions = {row["hypothesis"]: row for row in payload["suggestions"]}
    assert set(suggestions) == {"H1", "H2"}
    for row in suggestions.values():
        assert row["stance"] in ("supports", "refutes", "neutral")
        assert abs(sum(row["probabilities"].values()) - 1) < 1e-6
    assert (
        suggestions["H1"]["probabilities"]["supports"]
        > suggestions["H2"]["probabilities"]["supports"]
    )
    store = open_store(ingested, "tester")
    with store.session() as session:
        assert session.scalars(select(Rating)).all() == []
        assert len(session.scalars(select(ClaimStance)).all()) == 2
    out = _run(
        "--as",
        "analyst",
        "claims",
        "accept",
        str(sarin["id"]),
        "H1",
        "--rationale",
        "the ambassador asserts it",
    )
    assert "rated" in out
    with store.session() as session:
        rating = session.scalars(select(Rating)).one()
        event = session.scalars(select(CustodyEvent).where(CustodyEvent.action == "rated")).one()
    expected = {"supports": "C", "refutes": "I", "neutral": "N"}[suggestions["H1"]["stance"]]
    assert (rating.claim_id, rating.rating, rating.analyst) == (sarin["id"], expected, "analyst")
    assert json.loads(event.details)["from_suggestion"]["stance"] == suggestions["H1"]["stance"]
    _run("verify")


def test_ingest_and_list_on_each_backend(backend: str, home: Path) -> None:
    _run("ingest", "--quiet", "--case", "ks", str(DATA / "council.txt"))
    payload = json.loads(_run("claims", "list", "--case", "ks", "--party", "Russia", "--json"))
    assert {claim["actor"] for claim in payload["claims"]} >= {"Vladimir Safronkov"}
    first = payload["claims"][0]["id"]
    similar = json.loads(_run("claims", "similar", str(first), "--json"))
    assert similar["similar"]
    _run("claims", "merge-actors", "--case", "ks", "Syria", "Russia")
    _run("verify")


def test_html_article_is_dated_by_its_metadata(home: Path, tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>Briefing</title>"
        '<meta name="date" content="2017-04-13"></head><body><article><h1>Briefing</h1>'
        "<p>Russia's deputy ambassador Vladimir Safronkov said on Wednesday that the draft "
        "resolution was unacceptable and that Moscow would not support it in any form at all."
        "</p></article></body></html>",
        encoding="utf-8",
    )
    undated = tmp_path / "undated.txt"
    undated.write_text("Officials said the convoy had left.\n", encoding="utf-8")
    _run("ingest", "--quiet", "--case", "ks", str(page), str(undated))
    claims = json.loads(_run("claims", "list", "--case", "ks", "--json"))["claims"]
    assert claims[0]["actor"] == "Vladimir Safronkov"
    assert (claims[0]["date"], claims[0]["date_phrase"]) == ("2017-04-12", "on Wednesday")
    assert claims[-1]["date"] is None  # undated claims come last on every back end
