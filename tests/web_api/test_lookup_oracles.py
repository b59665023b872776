"""An item named by its hash (or number) is looked for among the items the user may know of.

Otherwise the answer is an oracle: a viewer who asks for ``/items/<sha>`` of a file their case
holds would be told "several items have a hash starting so" as soon as a case they cannot see
holds the same bytes, and so learn that it does. Every answer below must be the same whether or
not invisible items exist: the item found, the status, and a refusal's message (beyond the
reference it repeats).
"""

from __future__ import annotations

import hashlib

import httpx
from api_world import CASE, INCIDENT, OTHER, PASSWORD, World, unique_bytes

from enquiry.app import accounts, evidence

# What a user may ask of an item by reference, all of them read-only.
READS = ("", "/original", "/preview", "/custody")


def _add(world: World, case: str, data: bytes, *, protected: bool = False) -> int:
    """The administrator takes ``data`` in as evidence of ``case``; its item's number."""
    folder = world.home.parent / "lookup-files"
    folder.mkdir(exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}-{case}.txt"
    path.write_bytes(data)
    report = evidence.add(world.admin, [path], case=case, protected=protected)
    found = report.results[0]
    assert found.status == "stored" and found.item_id is not None, report.summary()
    return found.item_id


def _answers(world: World, role: str, ref: str) -> list[tuple[int, object]]:
    """What ``role`` is told for each read of item ``ref``: the status and the item it names
    (or the refusal's message with the reference taken out)."""
    out: list[tuple[int, object]] = []
    for tail in READS:
        answer = world.get(role, f"/items/{ref}{tail}")
        out.append((answer.status_code, _what(answer, ref)))
    return out


def _what(answer: httpx.Response, ref: str) -> object:
    if answer.status_code >= 400:
        return str(answer.json().get("detail", "")).replace(ref, "REF")
    if answer.headers.get("content-type", "").startswith("application/json"):
        body = answer.json()
        # an item's view names it; its custody log, every item its events are about (it grows
        # with each read, so not its length)
        return body.get("id") if isinstance(body, dict) else sorted({e["item"] for e in body})
    return answer.headers.get("X-Enquiry-Item") or answer.headers.get("Repr-Digest")


def _token_for(world: World, name: str, grants: dict[str, str]) -> None:
    """A user ``name`` with the given role on each case, and a token in the world's keeping."""
    if name in world.tokens:
        return
    accounts.add_user(world.admin, name, PASSWORD)
    for case, role in grants.items():
        accounts.grant(world.admin, name, case, role)
    world.tokens[name] = accounts.create_token(world.admin, name, "tests").token


def test_a_hash_names_the_same_item_whether_or_not_a_hidden_case_holds_the_bytes(
    world: World,
) -> None:
    data = unique_bytes("leaked video stand-in")
    sha = hashlib.sha256(data).hexdigest()
    mine = _add(world, CASE, data)
    before = {ref: _answers(world, "viewer", ref) for ref in (sha, sha[:12], f"sha256:{sha}")}
    assert before[sha][0] == (200, mine)
    _add(world, OTHER, data)  # a case the viewer cannot see now holds the same file
    after = {ref: _answers(world, "viewer", ref) for ref in before}
    assert after == before
    # The administrator sees both items: for them the hash is ambiguous, as before.
    assert world.get("admin", f"/items/{sha}").status_code == 400


def test_a_hash_only_a_hidden_item_has_is_refused_as_one_nothing_has(world: World) -> None:
    elsewhere = unique_bytes("only in the other case")
    _add(world, OTHER, elsewhere)
    hidden_sha = hashlib.sha256(elsewhere).hexdigest()
    witness = unique_bytes("a protected witness's file")
    _add(world, CASE, witness, protected=True)
    protected_sha = hashlib.sha256(witness).hexdigest()
    missing_sha = hashlib.sha256(unique_bytes("never taken in")).hexdigest()
    missing = _answers(world, "viewer", missing_sha)
    assert {status for status, _ in missing} == {404}
    assert _answers(world, "viewer", hidden_sha) == missing
    assert _answers(world, "viewer", hidden_sha[:10]) == _answers(world, "viewer", missing_sha[:10])
    assert _answers(world, "viewer", protected_sha) == missing, "a viewer sees no protected item"
    assert world.get("analyst", f"/items/{protected_sha}").status_code == 200


def test_a_hash_shared_with_a_protected_item_a_viewer_may_not_know_of(world: World) -> None:
    _token_for(world, "twocases", {CASE: "viewer", OTHER: "viewer"})
    data = unique_bytes("protected here, plain there")
    _add(world, CASE, data, protected=True)
    plain = _add(world, OTHER, data)
    sha = hashlib.sha256(data).hexdigest()
    answer = world.get("twocases", f"/items/{sha}")
    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == plain


def test_sending_a_derivative_to_a_hidden_item_is_refused_as_to_a_missing_one(
    world: World,
) -> None:
    elsewhere = unique_bytes("derivative target in the other case")
    _add(world, OTHER, elsewhere)
    hidden_sha = hashlib.sha256(elsewhere).hexdigest()
    missing_sha = hashlib.sha256(unique_bytes("no such original")).hexdigest()
    refs = {
        "number": (str(world.other_item), "99999999"),
        "hash": (hidden_sha, missing_sha),
    }
    for label, (hidden, absent) in refs.items():
        told = []
        for ref in (hidden, absent):
            answer = world.post(
                "investigator",
                f"/items/{ref}/derivatives",
                files={"file": ("copy.txt", unique_bytes("copy"))},
                data={"how": "a working copy"},
            )
            told.append((answer.status_code, _what(answer, ref)))
        assert told[0] == told[1], label
        assert told[0][0] == 404


def test_rating_an_item_by_hash_ignores_another_case_holding_the_bytes(world: World) -> None:
    data = unique_bytes("rated by its hash")
    mine = _add(world, CASE, data)
    _add(world, OTHER, data)
    sha = hashlib.sha256(data).hexdigest()
    rated = world.post(
        "analyst",
        f"/incidents/{INCIDENT}/ratings",
        json={"hypothesis": "H1", "item": sha, "rating": "C", "rationale": "fits H1"},
    )
    assert rated.status_code == 201, rated.text
    assert rated.json()["target_id"] == mine
