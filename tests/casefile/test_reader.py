"""The case-file reader: declared keys, located errors, duplicate keys, size and alias limits."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from enquiry.errors import EnquiryError
from enquiry.intake import yamlsafe
from enquiry.intake.casefile import CaseFileError, builtin_case, normalise, read_case_file
from enquiry.intake.casefile_schema import SECTIONS

HEAD = "format: enquiry-case/1\ncase: {name: small}\n"
ITEM = "items:\n- key: note\n  kind: document\n  fields: {title: A note}\n  text: a note\n"


def _refused(tmp_path: Path, text: str) -> str:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError) as caught:
        read_case_file(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:")
    return message.removeprefix(f"{path}:")


def test_case_file_errors_are_domain_errors() -> None:
    error = CaseFileError("x")
    assert isinstance(error, EnquiryError) and isinstance(error, ValueError)
    assert error.exit_code == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEAD + ITEM + "  sorce: Field team\n",
            "8:3: items[0]: unknown key 'sorce' — did you mean 'source'?",
        ),
        (HEAD + "itmes: []\n", "3:1: unknown key 'itmes' — did you mean 'items'?"),
        (
            HEAD + "actors:\n- {name: A, tpye: state}\n",
            "4:13: actors[0]: unknown key 'tpye' — did you mean 'type'?",
        ),
        (
            HEAD + "incidents:\n- slug: s\n  window: {start: '2020-01-01T00:00:00Z', ende: x}\n",
            "5:43: incidents[0].window: unknown key 'ende' — did you mean 'end'?",
        ),
        (
            HEAD + "actors:\n- {name: A, colour: red}\n",
            "4:13: actors[0]: unknown key 'colour' (known: name, type, aliases, title, affiliation)",
        ),
    ],
)
def test_unknown_keys_are_named_with_a_suggestion(tmp_path: Path, text: str, expected: str) -> None:
    assert _refused(tmp_path, text) == expected


def test_duplicate_keys_are_refused_where_they_repeat(tmp_path: Path) -> None:
    message = _refused(tmp_path, HEAD + ITEM + "  kind: photo\n")
    assert message == "8:3: duplicate key 'kind' (first at line 5, column 3)"
    assert _refused(tmp_path, HEAD + "case: {name: other}\n").startswith(
        "3:1: duplicate key 'case'"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEAD + ITEM.replace("a note\n", "a note\n  credibility: 9\n"),
            "8:16: items[0].credibility: 9 is not",
        ),
        (
            HEAD + "sources:\n- {name: S, reliability: G}\n",
            "4:26: sources[0].reliability: 'G' is not",
        ),
        (HEAD + "actors: [1]\n", "3:10: actors[0]: expected a mapping"),
        (HEAD + "items: {a: 1}\n", "3:8: items: expected a list"),
        (
            HEAD + ITEM.replace("document", "[document]"),
            "5:9: items[0].kind: expected a single value, not a list",
        ),
        (
            HEAD + ITEM.replace("{title: A note}", "{titel: A note}"),
            "6:19: items[0].fields: (item 'note') field 'titel'",
        ),
        (HEAD + "x: [\n", "4:1: not valid YAML"),
        ("format: enquiry-case/2\n", "1:9: format: 'enquiry-case/2' is not a format"),
        ("", "1:1: is empty"),
        ("- a\n", "1:1: expected a mapping of sections"),
        (HEAD + "a: &x 1\nb: {<<: *x}\n", "4:5: merge keys (<<) are not accepted"),
        (HEAD + "? [a]\n: 1\n", "3:3: a key must be plain text"),
        (
            HEAD + ITEM.replace("key: note", "key: 'sha256:x'"),
            "4:8: items[0].key: a key may not start",
        ),
        (
            HEAD + ITEM.replace("A note", "!!python/object:os.system echo"),
            "6:11: items[0].fields: not valid YAML: could not determine a constructor",
        ),
    ],
)
def test_every_error_names_the_line_and_column(tmp_path: Path, text: str, expected: str) -> None:
    assert _refused(tmp_path, text).startswith(expected)


def test_a_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = [
        HEAD + ITEM.rstrip("\n"),
        '    l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    lines[0] = lines[0].replace("  fields: {title: A note}", "  fields:\n    title: A note")
    for level in range(1, 10):
        lines.append(f"    l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
    lines[0] = lines[0].replace("  text: a note", "")
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    message = _refused(tmp_path, text)
    elapsed = time.perf_counter() - started
    assert "aliases expand this value to more than" in message
    # Not a timing assertion: a sanity bound far above the few milliseconds it takes, so that a
    # refusal that expanded the bomb first (minutes, gigabytes) cannot pass.
    assert elapsed < 30


def test_cycles_depth_and_size_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "refers to a node that contains it" in _refused(tmp_path, HEAD + "x: &a [*a]\n")
    assert "nested deeper than" in _refused(tmp_path, HEAD + "x: " + "[" * 200 + "]" * 200 + "\n")
    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 100)
    message = _refused(tmp_path, HEAD + "# " + "x" * 200 + "\n")
    assert "a case file may have at most 100" in message


def test_node_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_NODES", 50)
    message = _refused(tmp_path, HEAD + "x: [" + ", ".join(["1"] * 100) + "]\n")
    assert "more than 50 values in one document" in message


def test_not_a_regular_file_or_not_text(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CaseFileError, match="is a FIFO, not a case file"):
        read_case_file(fifo)
    with pytest.raises(CaseFileError, match="is a folder"):
        read_case_file(tmp_path)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"case: {name: x}\nx: \xff\n")
    with pytest.raises(CaseFileError, match=r"binary.yaml:2:4: not UTF-8 text"):
        read_case_file(binary)
    control = tmp_path / "control.yaml"
    control.write_text("case: {name: x}\nx: a\x00b\n", encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"control.yaml:2:5: not valid YAML: character #x0000"):
        read_case_file(control)


def test_every_declared_section_is_reachable_and_the_builtin_case_reads() -> None:
    assert {"case", "actors", "sources", "incidents", "items", "claims", "ratings"} <= set(SECTIONS)
    doc = read_case_file(builtin_case())
    assert doc.locations["items[0]"].line > 1
    # Already-parsed data goes through the same declarations (without lines to name).
    with pytest.raises(CaseFileError, match=r"^data: items\[0\]: unknown key 'sorce'"):
        normalise(
            {"case": {"name": "x"}, "items": [{"key": "a", "kind": "document", "sorce": 1}]}, "data"
        )


def test_a_refusal_never_repeats_an_identifying_value(tmp_path: Path) -> None:
    text = HEAD + (
        "items:\n- key: w\n  kind: testimony\n  text: words\n"
        "  fields: {witness_pseudonym: W-1, witness_name: [Jane Roe]}\n"
    )
    message = _refused(tmp_path, text)
    assert message.startswith("7:50: items[0].fields: (item 'w') field 'witness_name': not a valid")
    assert "Jane" not in message


def test_a_refusal_is_one_line_whatever_the_file_holds(tmp_path: Path) -> None:
    message = _refused(tmp_path, HEAD + 'actors:\n- {name: A, type: "st\\nate\\x1b[2J"}\n')
    assert "'st\\x0aate\\x1b[2J' is not one of" in message


def test_every_declared_key_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "casefile.md").read_text(encoding="utf-8")
    missing = sorted(
        {key.name for shape in SECTIONS.values() for key in shape.keys}
        - set(re.findall(r"`([a-z_0-9]+)`", doc))
    )
    assert missing == []
