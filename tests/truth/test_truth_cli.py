"""`enquiry truth estimate` on real CSV files: the JSON outsiders rely on, hostile files refused
with one line naming the file, the line and the problem."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from enquiry.app import truth as service
from enquiry.cli import main

HEADER = ["claim", "source", "stance", "date", "text", "claim_text"]


def _write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _reports(tmp_path: Path) -> tuple[Path, Path]:
    """Twelve settled claims and two open ones; 'wire' is always right, 'tabloid' always wrong."""
    rows, known = [], []
    for n in range(12):
        truth = "true" if n % 2 else "false"
        right, wrong = ("for", "against") if truth == "true" else ("against", "for")
        rows += [[f"k{n}", "wire", right, "", "", ""], [f"k{n}", "tabloid", wrong, "", "", ""]]
        rows += [[f"k{n}", f"blog{n}", "observing", "", "", ""]]
        known.append([f"k{n}", truth])
    rows += [["open-1", "wire", "for", "", "", ""], ["open-1", "tabloid", "against", "", "", ""]]
    rows += [["open-2", "wire", "against", "", "", ""], ["open-2", "tabloid", "for", "", "", ""]]
    return (
        _write(tmp_path / "reports.csv", rows),
        _write(tmp_path / "known.csv", known, ["claim", "truth"]),
    )


def test_json_is_exactly_the_published_shape(tmp_path: Path) -> None:
    reports, known = _reports(tmp_path)
    result = _run("truth", "estimate", str(reports), "--known", str(known), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["claims", "sources"]
    for claim in data["claims"]:
        assert list(claim) == ["claim", "p_true", "verdict"]
        assert claim["verdict"] in ("true", "false", "unknown")
        assert 0.0 <= claim["p_true"] <= 1.0
    for source in data["sources"]:
        assert list(source) == ["source", "reliability", "low", "high", "n"]
        assert source["low"] <= source["reliability"] <= source["high"]
    claims = {c["claim"]: c for c in data["claims"]}
    assert claims["open-1"]["verdict"] == "true" and claims["open-1"]["p_true"] > 0.5
    assert claims["open-2"]["verdict"] == "false" and claims["open-2"]["p_true"] < 0.5
    sources = {s["source"]: s for s in data["sources"]}
    assert sources["wire"]["n"] == 12 and sources["tabloid"]["n"] == 12
    assert sources["wire"]["low"] > sources["tabloid"]["high"]


def test_text_output_names_every_claim_and_source(tmp_path: Path) -> None:
    reports, known = _reports(tmp_path)
    result = _run("truth", "estimate", str(reports), "--known", str(known))
    assert result.exit_code == 0
    assert "open-1" in result.output and "wire" in result.output


def test_needs_no_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reports, _ = _reports(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = _run("--home", str(tmp_path / "nowhere"), "truth", "estimate", str(reports))
    assert result.exit_code == 0
    assert not (tmp_path / "nowhere").exists()


BAD = [
    (b"", "empty"),
    (b"claim,source\nc,s\n", "line 1: no column 'stance'"),
    (b"claim,source,stance\n", "a header but no rows"),
    (b"claim,source,stance\nc1,s1,for\nc2,s2,maybe\n", "line 3: stance 'maybe' is not for"),
    (b"claim,source,stance\nc1,s\xff,for\n", "line 2: not UTF-8"),
    (b"claim,source,stance\nc1,s1,for\x00\n", "line 2: a NUL character"),
    (b"claim,source,stance\nc1,,for\n", "line 2: no source"),
    (b"claim,source,stance\nc1,s1,\n", "line 2: no stance"),
    (b"claim,source,stance\nc1,s1,for,extra\n", "line 2: 4 cells"),
    (b"claim,source,stance,date\nc1,s1,for,yesterday\n", "line 2: date 'yesterday'"),
    (b'claim,source,stance\nc1,"s1,for\n', "not valid CSV"),
    (b"claim,source,stance,text\nc1,s1,,words\n", "line 2: no stance"),
]


@pytest.mark.parametrize(("content", "problem"), BAD)
def test_hostile_reports_file_is_refused_with_file_line_and_problem(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "hostile.csv"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["truth", "estimate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"enquiry: {path}")
    assert problem in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"claim,truth\nk0,maybe\n", "line 2: truth 'maybe' is not true, false or unknown"),
        (b"claim\nk0\n", "line 1: no column 'truth'"),
        (b"claim,truth\nk0,true\nk0,false\n", "line 3: claim 'k0' has two outcomes"),
        (b"\xfe\xff\x00c", "not UTF-8"),
    ],
)
def test_hostile_known_file_is_refused(tmp_path: Path, content: bytes, problem: str) -> None:
    reports, _ = _reports(tmp_path)
    known = tmp_path / "known-bad.csv"
    known.write_bytes(content)
    result = CliRunner().invoke(main, ["truth", "estimate", str(reports), "--known", str(known)])
    assert result.exit_code == 2
    assert str(known) in result.stderr and problem in result.stderr


def test_a_byte_order_mark_and_crlf_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfClaim,Source,Stance\r\nc1,s1,FOR\r\nc1,s2,for\r\n")
    result = _run("truth", "estimate", str(path), "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["claims"][0]["claim"] == "c1"


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["truth", "estimate", str(tmp_path / "none.csv")])
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_stances_from_text_with_the_project_model(tmp_path: Path) -> None:
    claim = "A sarin depot was struck in Khan Shaykhun"
    rows = [
        [
            "c1",
            "agency",
            "",
            "",
            "Officials deny a sarin depot was struck; the report is fake",
            claim,
        ],
        ["c1", "paper", "for", "", "", ""],
    ]
    path = _write(tmp_path / "partial.csv", rows)
    result = _run("truth", "estimate", str(path), "--stance-from-text")
    assert result.exit_code == 0, result.output
    assert "1 stances predicted" in result.output
    predicted = service.read_reports(path, stance_from_text=True)
    assert predicted[0].stance == "against" and predicted[1].stance == "for"


class _Labelled:
    def __init__(self, label: str) -> None:
        self.label = label


class _DocumentModel:
    """A stance model speaking the document-level labels (supports / refutes / discusses /
    unrelated): the adapter must map them without any other change."""

    def predict(self, claims: list[str], texts: list[str], embedder: object) -> list[_Labelled]:
        labels = ["supports", "refutes", "discusses", "unrelated"]
        return [_Labelled(labels[n % 4]) for n in range(len(texts))]


def test_the_adapter_maps_document_level_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    import enquiry.enrich.text.embed as embed
    import enquiry.enrich.text.stance as stance

    monkeypatch.setattr(stance, "default_model", lambda: _DocumentModel())
    monkeypatch.setattr(embed, "default_embedder", lambda: None)
    found = service.stances_from_text(["c"] * 4, ["a", "b", "c", "d"])
    assert found == ["for", "against", "observing", "observing"]
