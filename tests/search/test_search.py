"""Search over items, texts and claims, on both back ends: the query syntax, facets, access,
the index following intake and changes, reindex, and semantic ranking.

Every expectation below is written once and checked on SQLite and on PostgreSQL, so a query
finds the same items and claims, with the same facet counts, on either.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from demo_helpers import DemoRun, HomeTemplates
from enquiry.app import Enquiry, accounts, cases, evidence
from enquiry.app import search as searching
from enquiry.app.search import MAX_LIMIT, parse, reindex, search, to_fts5, to_tsquery
from enquiry.cli import main
from enquiry.enrich.base import Enricher, Enrichment, Target
from enquiry.enrich.runner import run_enrichers
from enquiry.errors import BadRequest, NotFound
from enquiry.store import index as search_index

PASSWORD = "correct horse battery"

CASE_FILE = """\
format: enquiry-case/1
case:
  name: alpha
  title: Alpha
actors:
- name: Ministry of Health
  type: organisation
- name: Ministry of Defence
  type: organisation
sources:
- name: Field team
  reliability: B
- name: Wire service
  reliability: D
items:
- key: lab
  kind: environmental_sample
  source: Field team
  credibility: 2
  fields:
    title: Soil samples from the crater
    sample_id: S-1
    collected_at: '2017-04-05T10:00:00'
  text: The laboratory found sarin and its breakdown products in the soil samples.
- key: wire
  kind: document
  source: Wire service
  credibility: 4
  fields:
    title: Agency report on the strike
    published_at: '2017-05-02T00:00:00'
  text: An air strike hit a warehouse holding weapons; chlorine was reported by locals.
claims:
- key: moh
  actor: Ministry of Health
  item: wire
  date: '2017-04-06'
  text: Dozens of patients were treated for poisoning by a nerve agent.
- key: mod
  actor: Ministry of Defence
  item: wire
  date: '2017-05-03'
  text: Aircraft struck a rebel depot where toxic munitions were stored.
"""


def _ids(result: object) -> set[tuple[str, int]]:
    return {(h.type, h.id) for h in result.hits}  # type: ignore[attr-defined]


def _build_alpha(home: Path) -> str:
    """Case alpha from a case file (two items, two claims), three files added to it (one a
    protected testimony), and a file in case beta."""
    admin = Enquiry.at(home, "admin")
    folder = home.parent / "files"
    folder.mkdir()
    (folder / "case.yaml").write_text(CASE_FILE, encoding="utf-8")
    cases.load(admin, folder / "case.yaml")
    (folder / "hospital-log.txt").write_text(
        "Hospital log: 42 patients with pinpoint pupils. Sarin suspected.\n", encoding="utf-8"
    )
    (folder / "sitrep.txt").write_text(
        "Situation report: an air strike on the north of the town at 06:45.\n", encoding="utf-8"
    )
    (folder / "witness-salma.txt").write_text(
        "I am Salma. I smelled sarin near the bakery.\n", encoding="utf-8"
    )
    (folder / "beta.txt").write_text("Sarin in another case entirely.\n", encoding="utf-8")
    evidence.add(admin, [folder / "hospital-log.txt", folder / "sitrep.txt"], case="alpha")
    evidence.add(
        admin,
        [folder / "witness-salma.txt"],
        case="alpha",
        kind="testimony",
        fields={"witness_pseudonym": "W-07", "interview_date": "2017-04-10"},
    )
    evidence.add(admin, [folder / "beta.txt"], case="beta")
    # closed before the home is copied (SQLite removes its -wal and -shm files as it closes)
    admin.store().engine.dispose()
    return ""


@pytest.fixture
def alpha(home_templates: HomeTemplates, tmp_path: Path, backend: str) -> Enquiry:
    """The test's own copy of a home built by :func:`_build_alpha` once per back end and test
    process."""
    run = home_templates.copy(
        "search-alpha", _build_alpha, tmp_path / "home", os.environ.get("ENQUIRY_DB")
    )
    return Enquiry.at(run.home, "admin")


def _item(app: Enquiry, title: str) -> int:
    page = evidence.list_items(app, limit=100)
    return next(row.id for row in page.items if row.title == title)


def _claim(app: Enquiry, actor: str) -> int:
    with app.store().engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT claims.id FROM claims JOIN actors ON actors.id = claims.actor_id"
                    " WHERE actors.name = :a"
                ),
                {"a": actor},
            ).scalar_one()
        )


def test_words_phrases_prefixes_exclusions_and_or(alpha: Enquiry) -> None:
    log = _item(alpha, "hospital-log.txt")
    sitrep = _item(alpha, "sitrep.txt")
    lab = _item(alpha, "Soil samples from the crater")
    wire = _item(alpha, "Agency report on the strike")
    beta = _item(alpha, "beta.txt")
    moh = _claim(alpha, "Ministry of Health")

    assert _ids(search(alpha, "sarin")) == {("item", log), ("item", lab), ("item", beta)}
    assert _ids(search(alpha, "sarin", case="alpha")) == {("item", log), ("item", lab)}
    assert _ids(search(alpha, "sarin soil")) == {("item", lab)}
    assert _ids(search(alpha, '"air strike"')) == {("item", sitrep), ("item", wire)}
    assert _ids(search(alpha, '"strike air"')) == set()
    assert _ids(search(alpha, "pois*")) == {("claim", moh)}
    assert _ids(search(alpha, "sarin -soil -case")) == {("item", log)}
    assert _ids(search(alpha, "pupils OR chlorine")) == {("item", log), ("item", wire)}
    assert _ids(search(alpha, "strike (north OR warehouse)")) == {("item", sitrep), ("item", wire)}
    # The file name and the fields are searched as well as the text; case and accents folded.
    assert _ids(search(alpha, "HOSPITAL-LOG")) == {("item", log)}
    assert _ids(search(alpha, "crâter")) == {("item", lab)}
    # A claim is found by its words and its speaker.
    assert _ids(search(alpha, "ministry nerve")) == {("claim", moh)}


def test_hits_carry_a_marked_snippet_and_their_facets(alpha: Enquiry) -> None:
    found = search(alpha, "breakdown", case="alpha")
    [hit] = found.hits
    assert hit.kind == "environmental_sample" and hit.source == "Field team"
    assert hit.grade == "B2" and hit.date == "2017-04-05" and hit.case == "alpha"
    assert hit.title == "Soil samples from the crater"
    assert "«breakdown»" in hit.marked()
    assert [hit.snippet[s:e] for s, e in hit.marks] == ["breakdown"]
    claim = search(alpha, "depot").hits[0]
    assert (claim.type, claim.party, claim.kind, claim.grade) == (
        "claim",
        "Ministry of Defence",
        "claim",
        "D4",
    )


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('"sarin', "quotation mark"),
        ("(sarin", "not closed"),
        ("sarin)", "no opening"),
        ("-sarin", "every term is excluded"),
        ("OR sarin", "OR needs"),
        ("sarin OR", "OR needs"),
        ("sarin OR -soil", "cannot be part of OR"),
        ("sa*rin", "may only end"),
        ("()", "empty parentheses"),
        ('""', "holds no word"),
        ("?!", "no word"),
        ("- sarin", "right before"),
    ],
)
def test_bad_syntax_is_one_line(query: str, problem: str) -> None:
    with pytest.raises(BadRequest) as refused:
        parse(query)
    message = str(refused.value)
    assert problem in message and "\n" not in message and message.startswith("search query:")


def test_one_tree_two_dialects() -> None:
    node = parse('khan "air strike" sar* -chlorine (a OR b)')
    assert node is not None
    assert to_fts5(node) == (
        '(("khan" AND "air strike" AND "sar"* AND ("a" OR "b")) NOT "chlorine")'
    )
    assert to_tsquery(node) == (
        "(('khan') & ('air' <-> 'strike') & ('sar':*) & !('chlorine') & (('a') | ('b')))"
    )
    assert parse("") is None and parse("   ") is None


def test_facets_count_under_the_other_filters(alpha: Enquiry) -> None:
    everything = search(alpha, "", case="alpha")
    kinds = {f.value: f.count for f in everything.facets["kind"]}
    assert kinds == {
        "document": 3,
        "environmental_sample": 1,
        "testimony": 1,
        "claim": 2,
    }
    assert everything.total == 7
    grades = {f.value: f.count for f in everything.facets["grade"]}
    assert grades == {"B2": 1, "D4": 3, None: 3}
    parties = {f.value: f.count for f in everything.facets["party"]}
    assert parties == {"Ministry of Health": 1, "Ministry of Defence": 1, None: 5}
    months = [(f.value, f.count) for f in everything.facets["date"]]
    assert months == [("2017-04", 3), ("2017-05", 2), (None, 2)]

    claims = search(alpha, "", case="alpha", kinds=["claim"])
    assert claims.total == 2
    # The kind facet still counts the other kinds (under the other filters, none here).
    assert {f.value: f.count for f in claims.facets["kind"]}["document"] == 3
    assert {f.value for f in claims.facets["party"]} == {
        "Ministry of Health",
        "Ministry of Defence",
    }
    dated = search(alpha, "", case="alpha", date_from="2017-05", grades=["D"])
    assert _ids(dated) == {
        ("item", _item(alpha, "Agency report on the strike")),
        ("claim", _claim(alpha, "Ministry of Defence")),
    }
    by_party = search(alpha, "", parties=["Ministry of Health"])
    assert _ids(by_party) == {("claim", _claim(alpha, "Ministry of Health"))}
    with pytest.raises(BadRequest, match="--from"):
        search(alpha, "", date_from="April")
    with pytest.raises(BadRequest, match="no-such-kind"):
        search(alpha, "", kinds=["no-such-kind"])


def test_pages_follow_one_another_best_first(alpha: Enquiry) -> None:
    def keys(result: object) -> list[tuple[str, int]]:
        return [(h.type, h.id) for h in result.hits]  # type: ignore[attr-defined]

    for query in ("", "sarin OR strike OR ministry OR report"):
        whole = search(alpha, query, limit=MAX_LIMIT)
        assert whole.total == len(whole.hits) >= 5
        pages = [search(alpha, query, offset=at, limit=2) for at in range(0, whole.total + 2, 2)]
        assert [key for page in pages for key in keys(page)] == keys(whole)
        assert all(p.total == whole.total and p.facets == whole.facets for p in pages)
        # Best first; equally good ones (every hit, without words) in catalogue order.
        order = [(-h.score, search_index.doc_of(h.type, h.id)) for h in whole.hits]
        assert order == sorted(order)
    assert search(alpha, "sarin", offset=50).hits == []


# --- the window: ranking, counting and facets bounded on broad queries ----------------------------

BROAD = "sarin OR strike OR ministry OR report OR samples OR log"
# Filters of every kind, each with what the whole (unbounded) search gives, to compare with.
FILTERS: list[dict[str, Any]] = [
    {},
    {"kinds": ["claim"]},
    {"kinds": ["document", "environmental_sample"]},
    {"sources": ["Wire service"]},
    {"grades": ["D"]},
    {"grades": ["2"]},
    {"grades": ["B2", "D4"]},
    {"grades": ["%"]},
    {"parties": ["Ministry of Health"]},
    {"date_from": "2017-05"},
    {"date_to": "2017-04-06"},
    {"date_from": "2017", "date_to": "2017-04"},
    {"kinds": ["document"], "date_from": "2017-05-02", "grades": ["D"]},
]


def _docs(result: object) -> list[int]:
    return [search_index.doc_of(h.type, h.id) for h in result.hits]  # type: ignore[attr-defined]


def _counts(result: object, facet: str) -> dict[Any, int]:
    return {f.value: f.count for f in result.facets[facet]}  # type: ignore[attr-defined]


def test_a_broad_query_is_ranked_and_faceted_within_its_newest_matches(
    alpha: Enquiry, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = search(alpha, BROAD, limit=MAX_LIMIT)
    assert whole.total_exact and whole.facets_exact and whole.total == len(whole.hits) >= 6
    newest = sorted(_docs(whole), reverse=True)
    for window in (2, 3, whole.total - 1):
        monkeypatch.setattr(searching, "WINDOW", window)
        capped = search(alpha, BROAD, limit=MAX_LIMIT)
        # The newest matches (highest document numbers), best first among them.
        assert sorted(_docs(capped), reverse=True) == newest[:window]
        assert [h.score for h in capped.hits] == sorted(
            (h.score for h in capped.hits), reverse=True
        )
        assert (capped.total, capped.total_exact, capped.facets_exact) == (window, False, False)
        assert sum(_counts(capped, "kind").values()) == window
        assert capped.to_dict()["total_exact"] is False and capped.to_dict()["window"] == window
    # A window that holds every match changes nothing.
    monkeypatch.setattr(searching, "WINDOW", whole.total)
    same = search(alpha, BROAD, limit=MAX_LIMIT)
    assert (same.total, same.total_exact, same.facets_exact) == (whole.total, True, True)
    assert same.hits == whole.hits and same.facets == whole.facets


def test_without_words_the_window_is_the_first_in_catalogue_order(
    alpha: Enquiry, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = search(alpha, "", case="alpha", limit=MAX_LIMIT)
    monkeypatch.setattr(searching, "WINDOW", 3)
    capped = search(alpha, "", case="alpha", limit=MAX_LIMIT)
    assert _docs(capped) == _docs(whole)[:3] and not capped.total_exact


def test_filters_pick_the_window_as_the_whole_search_filters(
    alpha: Enquiry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the window the database applies the filters (so that a rare kind is not lost
    among the newest matches of others): it must decide exactly as the search does."""
    for query in (BROAD, ""):
        wholes = [search(alpha, query, limit=MAX_LIMIT, **chosen) for chosen in FILTERS]
        assert any(w.total >= 2 for w in wholes) and any(w.total == 0 for w in wholes)
        monkeypatch.setattr(searching, "WINDOW", 1)
        for chosen, whole in zip(FILTERS, wholes, strict=True):
            capped = search(alpha, query, limit=MAX_LIMIT, **chosen)
            ordered = sorted(_docs(whole), reverse=bool(query))
            assert sorted(_docs(capped), reverse=bool(query)) == ordered[:1], chosen
            assert capped.total == min(1, whole.total), chosen
            assert capped.total_exact == (whole.total <= 1), chosen
            assert not capped.facets_exact  # the unfiltered matches overflow the window
        monkeypatch.undo()


def test_the_window_is_the_same_however_it_is_sliced(
    alpha: Enquiry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window is read in slices of document numbers sized from the planner's estimate
    (PostgreSQL) or a fixed width (SQLite): pretend the estimate huge and the width one
    number, so that every document gets a slice of its own, and nothing changes."""
    monkeypatch.setattr(searching, "WINDOW", 3)
    expected = {
        (q, tuple(k)): search(alpha, q, kinds=k) for q in (BROAD, "") for k in ([], ["document"])
    }
    monkeypatch.setattr(searching, "SLICE", 1)
    monkeypatch.setattr(searching, "_estimate", lambda connection, compiled: 1e9)
    for (query, kinds), before in expected.items():
        after = search(alpha, query, kinds=kinds)
        assert (after.hits, after.total, after.total_exact) == (
            before.hits,
            before.total,
            before.total_exact,
        )
        assert after.facets == before.facets


def test_pages_stop_at_the_window(alpha: Enquiry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(searching, "WINDOW", 3)
    window = search(alpha, BROAD)
    pages = [search(alpha, BROAD, offset=at, limit=2) for at in (0, 2)]
    assert [h for page in pages for h in page.hits] == window.hits
    with pytest.raises(BadRequest, match="first 3 hits"):
        search(alpha, BROAD, offset=3)
    runner = CliRunner()
    shown = runner.invoke(main, ["--home", str(alpha.home), "search", BROAD, "--facets"])
    assert shown.exit_code == 0, shown.output
    assert "more than 3 found" in shown.output and "window of 3 matches" in shown.output


def test_every_match_ranks_counts_and_facets_past_the_window(
    alpha: Enquiry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The investigator who must not miss an older document asks for every match: the same
    answer as a search whose window holds them all, filters included."""
    wholes = {i: search(alpha, BROAD, limit=MAX_LIMIT, **f) for i, f in enumerate(FILTERS)}
    monkeypatch.setattr(searching, "WINDOW", 2)
    for i, chosen in enumerate(FILTERS):
        every = search(alpha, BROAD, limit=MAX_LIMIT, every_match=True, **chosen)
        whole = wholes[i]
        assert (every.hits, every.total, every.facets) == (whole.hits, whole.total, whole.facets)
        assert every.total_exact and every.facets_exact, chosen
    assert len(search(alpha, BROAD, offset=2, every_match=True).hits) == wholes[0].total - 2
    shown = CliRunner().invoke(
        main, ["--home", str(alpha.home), "search", BROAD, "--every-match", "--json"]
    )
    assert shown.exit_code == 0, shown.output
    found = json.loads(shown.output)
    assert (found["total"], found["total_exact"]) == (wholes[0].total, True)
    capped = CliRunner().invoke(main, ["--home", str(alpha.home), "search", BROAD])
    assert "--every-match" in capped.output


def _as(admin: Enquiry, name: str) -> Enquiry:
    return admin.acting_as(accounts.authenticate_password(admin, name, PASSWORD))


def test_access_viewers_and_protected_items(alpha: Enquiry) -> None:
    accounts.add_user(alpha, "vera", PASSWORD)
    accounts.add_user(alpha, "ana", PASSWORD)
    accounts.grant(alpha, "vera", "alpha", "viewer")
    accounts.grant(alpha, "ana", "alpha", "analyst")
    vera, ana = _as(alpha, "vera"), _as(alpha, "ana")
    testimony = _item(alpha, "[withheld: protected item]")

    # Nothing of case beta, and the protected testimony is never found by its words.
    assert all(h.case == "alpha" for h in search(vera, "sarin").hits)
    for user in (vera, ana, alpha):
        assert search(user, "salma").total == 0
        assert search(user, "bakery").total == 0
        assert search(user, "witness").total == 0
    with pytest.raises(NotFound):
        search(vera, "sarin", case="beta")
    # A viewer does not learn that protected items exist, not even from the facets.
    listed = search(vera, "", case="alpha")
    assert ("item", testimony) not in _ids(listed)
    assert "testimony" not in {f.value for f in listed.facets["kind"]}
    # Every match ranked past the window obeys the same rules.
    every = search(vera, "", every_match=True, limit=MAX_LIMIT)
    assert all(h.case == "alpha" for h in every.hits) and every.hits
    assert ("item", testimony) not in _ids(every)
    assert "testimony" not in {f.value for f in every.facets["kind"]}
    for user in (vera, ana, alpha):
        assert search(user, "salma", every_match=True).total == 0
    # An analyst may know of it: listed by kind and date, its title and text withheld.
    [hit] = search(ana, "", kinds=["testimony"]).hits
    assert (hit.id, hit.title, hit.snippet, hit.protected) == (
        testimony,
        "[withheld: protected item]",
        "",
        True,
    )
    assert hit.date == "2017-04-10"
    assert search(ana, "", kinds=["testimony"], date_from="2017-04-10").total == 1
    # Semantic search never ranks a protected item's words either.
    with alpha.store().engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT title, fields, body FROM search_index WHERE "
                + ("rowid" if connection.dialect.name == "sqlite" else "doc")
                + " = :d"
            ),
            {"d": search_index.doc_of("item", testimony)},
        ).one()
    assert tuple(row) == ("", "", "")


def test_the_index_follows_intake_and_changes(alpha: Enquiry, tmp_path: Path) -> None:
    new = tmp_path / "late.txt"
    new.write_text("A late memo about phosphine.\n", encoding="utf-8")
    assert search(alpha, "phosphine").total == 0
    evidence.add(alpha, [new], case="alpha")
    [hit] = search(alpha, "phosphine").hits
    evidence.update_item(alpha, str(hit.id), fields={"title": "Memo on phosphine rumours"})
    assert search(alpha, "rumours").hits[0].id == hit.id
    # Protecting it takes its words out of the index at once.
    evidence.update_item(alpha, str(hit.id), protect=True)
    assert search(alpha, "phosphine").total == 0


def test_reindex_rebuilds_an_emptied_index(alpha: Enquiry) -> None:
    before = search(alpha, "sarin OR strike OR ministry")
    with alpha.store().engine.begin() as connection:
        search_index.clear(connection)
    assert search(alpha, "sarin").total == 0
    done = reindex(alpha)
    assert done.documents == 8  # six items and two claims
    after = search(alpha, "sarin OR strike OR ministry")
    assert _ids(after) == _ids(before) and after.total == before.total
    # The index is no evidence: verify has nothing to say about it.
    report = evidence.verify_home(alpha)
    assert report.failures == []


def test_semantic_search_ranks_a_paraphrase_first(alpha: Enquiry) -> None:
    done = reindex(alpha, embeddings=True)
    # Two claims, and the texts of five items (not the protected testimony's).
    assert done.embedded == 7
    found = search(alpha, "people were poisoned with a nerve gas", semantic=True)
    assert found.hits[0].type == "claim"
    assert found.hits[0].id == _claim(alpha, "Ministry of Health")
    other = search(alpha, "warplanes bombed a weapons store", semantic=True)
    assert other.hits[0].id == _claim(alpha, "Ministry of Defence")
    assert other.semantic and other.hits[0].score > 0.25
    with pytest.raises(BadRequest):
        search(alpha, "  ", semantic=True)


def _text_vectors(app: Enquiry, every: bool = False) -> Any:
    """The items whose text has a vector (``every``: one entry per vector)."""
    with app.store().engine.connect() as connection:
        found = [
            int(i)
            for i in connection.execute(
                text("SELECT item_id FROM embeddings WHERE item_id IS NOT NULL")
            ).scalars()
        ]
    return found if every else set(found)


class _Reread(Enricher):
    """A reading of an item's pages that gives it a new text (as OCR does)."""

    name = "ocr"
    version = "test"

    def accepts(self, media_type: str, kind: str) -> bool:
        return True

    def enrich(self, target: Target) -> Enrichment:
        return Enrichment(text="Heavy rain overnight; the river burst its banks and flooded farms.")


def test_semantic_search_finds_a_text_by_its_meaning_never_a_protected_one(
    alpha: Enquiry,
) -> None:
    sitrep = _item(alpha, "sitrep.txt")
    log = _item(alpha, "hospital-log.txt")
    testimony = _item(alpha, "[withheld: protected item]")
    reindex(alpha, embeddings=True)
    assert testimony not in _text_vectors(alpha) and {sitrep, log} <= _text_vectors(alpha)
    # A paraphrase of a text that no claim was read from, sharing hardly a word with it.
    [first, *_] = search(
        alpha, "a bombing raid hit the northern part of the city at dawn", semantic=True
    ).hits
    assert (first.type, first.id, first.title) == ("item", sitrep, "sitrep.txt")
    assert first.snippet.startswith("Situation report") and first.score > 0.25
    found = search(alpha, "doctors saw dozens of casualties whose pupils had shrunk", semantic=True)
    assert (found.hits[0].type, found.hits[0].id) == ("item", log)
    # The texts are embedded once: a second reindex has nothing to embed.
    assert reindex(alpha, embeddings=True).embedded == 0
    # A text read again (OCR, say) is embedded again, its vector replacing the old one.
    run_enrichers(alpha.store(), [log], [_Reread()])
    assert reindex(alpha, embeddings=True).embedded == 1
    assert _text_vectors(alpha, every=True).count(log) == 1
    reread = search(alpha, "a storm flooded the fields by the river", semantic=True)
    assert (reread.hits[0].type, reread.hits[0].id) == ("item", log)

    # The protected testimony's words are never embedded, so never found by their meaning,
    # by whoever may know the testimony exists.
    accounts.add_user(alpha, "ana", PASSWORD)
    accounts.grant(alpha, "ana", "alpha", "analyst")
    for user in (alpha, _as(alpha, "ana")):
        near = search(user, "she noticed the smell of sarin next to the bread shop", semantic=True)
        assert ("item", testimony) not in _ids(near)
    # An item protected after its text was embedded loses the vector at once.
    evidence.update_item(alpha, str(sitrep), protect=True)
    assert sitrep not in _text_vectors(alpha)
    after = search(alpha, "a bombing raid hit the northern part of the city at dawn", semantic=True)
    assert ("item", sitrep) not in _ids(after)
    assert reindex(alpha, embeddings=True).embedded == 0
    assert sitrep not in _text_vectors(alpha)


def test_passages_are_bounded_whatever_the_length() -> None:
    from enquiry.enrich.text.embed import MAX_PASSAGES, PASSAGE_WORDS, mean_vector, passages

    assert passages("") == [] and passages("  \n ") == []
    assert passages("one  two\nthree") == ["one two three"]
    book = " ".join(f"w{n}" for n in range(PASSAGE_WORDS * MAX_PASSAGES * 1000))
    cut = passages(book)
    assert len(cut) == MAX_PASSAGES
    assert all(len(p.split()) == PASSAGE_WORDS for p in cut)
    assert cut[0].split()[0] == "w0" and cut[1].split()[0] == f"w{PASSAGE_WORDS}"
    import numpy as np

    unit = mean_vector(np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    assert np.allclose(unit, [2**-0.5, 2**-0.5])


def test_the_commands(alpha: Enquiry) -> None:
    runner = CliRunner()
    home = ["--home", str(alpha.home)]
    shown = runner.invoke(main, [*home, "search", "sarin", "--case", "alpha", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["total"] == 2 and {h["type"] for h in data["hits"]} == {"item"}
    assert any("«sarin»" in h["marked"].lower() for h in data["hits"])
    plain = runner.invoke(main, [*home, "search", "air strike", "--kind", "document", "--facets"])
    assert plain.exit_code == 0 and "2 found" in plain.output and "kind: document 2" in plain.output
    bad = runner.invoke(main, [*home, "search", '"unclosed'])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "quotation mark" in bad.output
    rebuilt = runner.invoke(main, [*home, "reindex"])
    assert rebuilt.exit_code == 0 and "8 document(s) indexed" in rebuilt.output


# --- the demonstration case ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Enquiry:
    """The Khan Shaykhun case on SQLite, loaded once for the module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        app = Enquiry.at(tmp_path_factory.mktemp("demo") / "home", "admin")
        cases.load(app, cases.demo_case_file())
        yield app


def _samples(app: Enquiry) -> None:
    found = search(app, "Khan Shaykhun sarin samples")
    top = {(h.kind, h.title) for h in found.hits[:3]}
    assert ("environmental_sample", "Environmental samples from the crater area") in top, top
    assert ("medical_record", "Biomedical samples positive for sarin or its markers") in top, top
    assert "environmental_sample" in {f.value for f in found.facets["kind"]}


def test_the_demo_case_finds_the_sarin_samples(demo: Enquiry) -> None:
    _samples(demo)
    claims = search(demo, "sarin", kinds=["claim"], parties=["Russian Federation"])
    assert all(h.party == "Russian Federation" for h in claims.hits)


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_demo_case_on_postgresql(backend: str, demo_case_home: DemoRun) -> None:
    _samples(Enquiry.at(demo_case_home.home, "admin"))
