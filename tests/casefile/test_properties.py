"""Property-based tests of the case-file reader and loader: whatever the text, the answer is a
loaded case or one located refusal — never a traceback, never a half-written catalogue."""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from casefile_helpers import catalogue
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enquiry.intake.casefile import CaseFileError, builtin_case, load_case_file, read_case_file
from enquiry.store import open_store
from enquiry.store.verify import verify

LOCATED = re.compile(r"^[^\n]*\.yaml:\d+:\d+: [^\n]+$")
FAST = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# Fragments of YAML syntax and of the case-file vocabulary, so that random text often parses.
TOKENS = st.sampled_from(
    [
        "format: enquiry-case/1\n",
        "case:",
        " {name: x}",
        "items:",
        "\n- ",
        "key:",
        "kind:",
        " document",
        "fields:",
        " {title: t}",
        "text:",
        "file:",
        "sha256:",
        "ratings:",
        "incident:",
        "values:",
        " {H1: C}",
        "&a ",
        "*a",
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        "- ",
        "\n",
        "  ",
        "'",
        '"',
        "!!binary",
        "!!python/object:os.system",
        "<<: ",
        "? ",
        "|\n",
        ">-\n",
        "~",
        "null",
        "true",
        "1e999",
        "2020-13-45",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "\t",
        "#",
        "\x00",
        "\ufeff",
        "é",
    ]
)
YAMLISH = st.one_of(st.text(max_size=200), st.lists(TOKENS, max_size=40).map("".join))

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=12), inner, max_size=4),
    ),
    max_leaves=25,
)
SECTION_NAMES = st.sampled_from(
    ["format", "case", "actors", "sources", "incidents", "items", "claims", "ratings", "x"]
)


def _read(folder: Path, text: str) -> None:
    path = folder / "case.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        read_case_file(path)
    except CaseFileError as exc:
        assert LOCATED.match(str(exc)), str(exc)


def test_random_yamlish_text_is_read_or_refused_with_a_place() -> None:
    folder = Path(tempfile.mkdtemp())

    @FAST
    @given(YAMLISH)
    def check(text: str) -> None:
        if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            return
        _read(folder, text)

    check()


def test_random_structures_are_read_or_refused_with_a_place() -> None:
    folder = Path(tempfile.mkdtemp())

    @FAST
    @given(
        st.one_of(
            VALUES,
            st.dictionaries(SECTION_NAMES, VALUES, max_size=6),
            st.dictionaries(
                SECTION_NAMES,
                st.lists(st.dictionaries(st.text(max_size=10), VALUES, max_size=5), max_size=3),
            ),
        )
    )
    def check(value: Any) -> None:
        _read(folder, yaml.safe_dump(value, allow_unicode=True))

    check()


KEYS_OF_ENTRIES = st.sampled_from(
    [
        "key",
        "kind",
        "source",
        "fields",
        "text",
        "sha256",
        "name",
        "type",
        "slug",
        "hypotheses",
        "other",
        "values",
        "item",
        "incident",
        "rationale",
        "reliability",
        "credibility",
        "window",
        "place",
        "date",
        "actor",
        "supports",
        "evidence",
        "likelihoods",
        "derived_from",
        "prior",
    ]
)


@st.composite
def mutations(draw: st.DrawFn) -> dict[str, Any]:
    """The built-in case with a few keys dropped, renamed or given values of another type."""
    doc: dict[str, Any] = copy.deepcopy(BUILTIN)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        section = draw(
            st.sampled_from(
                ["case", "actors", "sources", "incidents", "items", "claims", "ratings"]
            )
        )
        target: Any = doc[section]
        if isinstance(target, list):
            target = target[draw(st.integers(min_value=0, max_value=len(target) - 1))]
        if isinstance(target, dict) and draw(st.booleans()):
            nested = [k for k, v in target.items() if isinstance(v, dict | list) and v]
            if nested:
                inner = target[draw(st.sampled_from(sorted(nested)))]
                target = inner[0] if isinstance(inner, list) else inner
        if not isinstance(target, dict) or not target:
            continue
        key = draw(st.sampled_from(sorted(target)))
        action = draw(st.sampled_from(["drop", "rename", "retype", "add"]))
        if action == "drop":
            del target[key]
        elif action == "rename":
            target[draw(st.one_of(KEYS_OF_ENTRIES, st.text(min_size=1, max_size=8)))] = target.pop(
                key
            )
        elif action == "retype":
            target[key] = draw(VALUES)
        else:
            target[draw(KEYS_OF_ENTRIES)] = draw(VALUES)
    return doc


BUILTIN: dict[str, Any] = yaml.safe_load(builtin_case().read_text(encoding="utf-8"))


def test_mutations_of_the_builtin_case_are_read_or_refused_with_a_place() -> None:
    folder = Path(tempfile.mkdtemp())

    @settings(
        max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(mutations())
    def check(doc: dict[str, Any]) -> None:
        _read(folder, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))

    check()


def test_a_failed_load_of_a_mutated_case_leaves_the_catalogue_as_it_was() -> None:
    folder = Path(tempfile.mkdtemp())
    store = open_store(folder / "home", "tester")
    load_case_file(store, builtin_case())

    @settings(
        max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(mutations())
    def check(doc: dict[str, Any]) -> None:
        path = folder / "case.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        before = catalogue(store)
        try:
            load_case_file(store, path)
        except CaseFileError as exc:
            assert LOCATED.match(str(exc)), str(exc)
            assert catalogue(store) == before
        report = verify(store)
        assert report.intact, report.failures

    check()
