"""Which names read as an account's: the rule behind refusing ``--as`` an account's name
without its token and a new account named as someone the ledger already records. The ledger
names an actor by name alone, so a name drawn like an account's in a listing must be refused
where it would be taken as that account's acts."""

from __future__ import annotations

import pytest

from enquiry.app.context import same_account


@pytest.mark.parametrize(
    "name",
    [
        "alice",
        "ALICE",
        "ａｌｉｃｅ",  # fullwidth
        "\u0430lice",  # a Cyrillic а
        "ali\u0301ce",  # a combining accent
        "al\u200bice",  # a zero-width space
        "aIice",  # a capital I drawn as the l
        "alIce",  # ... and as the i
        "AIICE",  # capitals throughout: both I read as the letters alice has
        "aIIce",  # each capital I read as the letter alice has there
        "a1ice",  # a one drawn as the l
        "a|ice",
    ],
)
def test_drawn_like_alice_reads_as_alice(name: str) -> None:
    assert same_account(name, "alice")


@pytest.mark.parametrize(
    ("name", "account"),
    [("0scar", "oscar"), ("bemard", "bernard"), ("vvendy", "wendy"), ("wendy", "vvendy")],
)
def test_digits_and_pairs_drawn_as_a_letter(name: str, account: str) -> None:
    assert same_account(name, account)


@pytest.mark.parametrize(
    ("name", "account"),
    [
        ("allce", "alice"),  # a lower-case l and i are two letters: neil and nell
        ("neil", "nell"),
        ("alice2", "alice"),
        ("alic", "alice"),
        ("bob", "alice"),
    ],
)
def test_other_names_are_other_people(name: str, account: str) -> None:
    assert not same_account(name, account)
