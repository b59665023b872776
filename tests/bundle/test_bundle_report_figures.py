"""A finding's report prints the finding's own figures: the bundle's verifiers (the stand-alone
script and `enquiry bundle verify`) read every figure the report marks, print it again from the
finding and compare, and require the figures a reader takes the conclusion from to be marked.

A signed report says who published it, not that its numbers are the analysis's: before this
check a report rendered from another analysis, or edited before signing, verified."""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import (
    SLUG,
    Made,
    failed_lines,
    reprinted_report,
    resign,
    resigned,
    tool,
    verify_both,
)

from enquiry.app import Enquiry, bundles
from enquiry.errors import Unverified
from enquiry.publish import bundle_check
from enquiry.publish.bundle_check import figure_reading, report_problems

REPORT = f"report/{SLUG}.html"
FINDING = f"findings/{SLUG}.json"
MARK = re.compile(r'data-finding="([^"]*)" data-show="share">([^<]*)<')


def _members(made: Made) -> tuple[str, dict[str, Any]]:
    with zipfile.ZipFile(made.bundle) as archive:
        return archive.read(REPORT).decode("utf-8"), json.loads(archive.read(FINDING))


def test_an_honest_report_has_every_marked_figure_read_back(made: Made) -> None:
    code, stdout, _ = verify_both(made.bundle, "--key", made.key)
    assert code == 0, stdout
    line = next(x for x in stdout.splitlines() if x.startswith(f"report {REPORT}:"))
    count = int(re.search(r"its (\d+) marked figures are the finding's", line)[1])  # type: ignore[index]
    page, body = _members(made)
    hypotheses = body["result"]["hypotheses"]
    # at least each account's posterior twice (headline or table) and its range, the band,
    # confidence, engine and inputs hash, every rating of the matrix
    ratings = sum(len(e["ratings"]) for e in body["inputs"]["evidence"])
    assert count >= 2 * len(hypotheses) + 5 + ratings, line
    assert count == page.count("data-finding=")


def test_a_posterior_edited_in_the_report_and_signed_again_fails(
    made: Made, tmp_path: Path
) -> None:
    page, body = _members(made)
    leader = body["result"]["leading"]
    first = next(m for m in MARK.finditer(page) if leader in html.unescape(m[1]))
    assert first[2] != "above 99%"
    edited = page[: first.start(2)] + "above 99%" + page[first.end(2) :]
    cooked = resigned(made, tmp_path / "edited.zip", {REPORT: edited.encode("utf-8")})
    code, stdout, _ = verify_both(cooked, "--key", made.key)
    assert code == 1, stdout
    failed = failed_lines(stdout)
    assert len(failed) == 1, stdout
    assert f"report {REPORT}: it shows 'above 99%' for" in failed[0]
    assert f"where the finding gives '{first[2]}'" in failed[0]
    successor = Enquiry.at(tmp_path / "successor", "successor")
    with pytest.raises(Unverified, match="it shows 'above 99%'"):
        bundles.import_bundle(successor, cooked, key=made.key)


def test_a_report_that_marks_nothing_fails(made: Made, tmp_path: Path) -> None:
    page, body = _members(made)
    bare = page.replace(" data-finding=", " data-was=")
    cooked = resigned(made, tmp_path / "bare.zip", {REPORT: bare.encode("utf-8")})
    code, stdout, _ = verify_both(cooked, "--key", made.key)
    assert code == 1, stdout
    failed = "\n".join(failed_lines(stdout))
    for path in ('["result", "band"]', '["result", "leading"]', '["inputs_sha256"]'):
        assert f"it does not show {path} where it can be checked" in failed, stdout
    for hypothesis in body["result"]["hypotheses"]:
        assert f'{{"id": "{hypothesis["id"]}"}}, "posterior"]' in failed


def test_a_finding_without_its_report_fails(made: Made, tmp_path: Path) -> None:
    cooked = resigned(made, tmp_path / "no-report.zip", {REPORT: None})
    code, stdout, _ = verify_both(cooked, "--key", made.key)
    assert code == 1, stdout
    failed = failed_lines(stdout)
    assert failed == [
        f"FAILED: finding {SLUG}: its report {REPORT} is not among the manifest's members"
    ], stdout


BODY: dict[str, Any] = {
    "inputs_sha256": "ab" * 32,
    "engine_version": "2",
    "result": {
        "leading": "H1",
        "band": "very likely",
        "confidence": "moderate",
        "hypotheses": [{"id": "H1", "posterior": 0.87}, {"id": "H\u200b2", "posterior": 0.13}],
        "standards": {"confident": False},
    },
}


def _mark(paths: list[list[Any]], show: str, text: str, tag: str = "span") -> str:
    where = html.escape(json.dumps(paths), quote=True)
    return f'<{tag} data-finding="{where}" data-show="{show}">{text}</{tag}>'


def _required() -> str:
    return "".join(
        [
            _mark([["inputs_sha256"]], "text", "ab" * 32),
            _mark([["engine_version"]], "text", "2"),
            _mark([["result", "leading"]], "text", "H1"),
            _mark([["result", "band"]], "text", "very likely"),
            _mark([["result", "confidence"]], "text", "moderate"),
            _mark([["result", "hypotheses", {"id": "H1"}, "posterior"]], "share", "87%"),
            # the report names an invisible character where it stands, and isolates it
            _mark([["result", "hypotheses", {"id": "H\u200b2"}, "posterior"]], "share", "13%"),
        ]
    )


def test_the_marks_of_a_report_are_read_as_the_report_prints_them() -> None:
    assert report_problems(f"<p>{_required()}</p>", BODY) == ([], 7)
    named = _mark([["result", "hypotheses", {"id": "H\u200b2"}, "id"]], "text", "H[U+200B]2")
    assert report_problems(_required() + named, BODY) == ([], 8)
    isolated = _mark([["result", "band"]], "text", "\u2068very likely\u2069")
    assert report_problems(_required() + isolated, BODY) == ([], 8)
    assert figure_reading("[U+ZZZZ] [U+110000000]") == "[U+ZZZZ] [U+110000000]"


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (_mark([["result", "band"]], "text", "likely"), "it shows 'likely' for"),
        (_mark([["result", "band"]], "text", "very <b>likely</b>"), "holds markup"),
        (_mark([["result", "nothing"]], "text", "x"), "that the finding does not have"),
        (
            _mark([["result", "hypotheses", {"id": "H9"}, "posterior"]], "share", "1%"),
            "does not have",
        ),
        (_mark([["result", "band"]], "bold", "very likely"), "a mark that names no figure"),
        ('<span data-finding="{not json" data-show="text">x</span>', "names no figure"),
        ('<span data-finding="[]" data-show="text">x</span>', "names no figure"),
        ('<span data-finding=\'[["result","band"]]\' data-show="text"/>', "it shows '' for"),
        ('<span data-finding=\'[["result","band"]]\' data-show="text">very likely', ""),
        # what a browser does not show as an element is no figure: in a comment, in a style
        ("<!-- " + _mark([["result", "band"]], "text", "likely") + " -->", ""),
        ("<style>" + _mark([["result", "band"]], "text", "likely") + "</style>", ""),
        ("<STYLE>p{}</Style>" + _mark([["result", "band"]], "text", "likely"), "it shows 'likely'"),
        (
            _mark([["result", "standards", "confident"]], "met", "✓ met"),
            "where the finding gives '✗ not met'",
        ),
        (_mark([["result", "band"]], "text", "\x1b[2Jsafe"), "it shows '\\\\x1b[2Jsafe'"),
    ],
)
def test_a_hostile_or_wrong_mark_is_named(extra: str, problem: str) -> None:
    problems, _count = report_problems(_required() + extra, BODY)
    if problem:
        assert len(problems) == 1 and problem in problems[0], problems
    else:  # an unclosed mark reads to the end of the page: still the figure it names
        assert problems == [], problems


def test_marks_beyond_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundle_check, "MAX_FIGURES", 10)
    page = _required() + _mark([["result", "band"]], "text", "very likely") * 20
    problems, count = report_problems(page, BODY)
    assert count == 10
    assert problems == ["marks more than 10 figures"]


def test_a_missing_figure_names_its_path() -> None:
    page = _required().replace(_mark([["result", "band"]], "text", "very likely"), "")
    problems, _ = report_problems(page, BODY)
    assert problems == ['it does not show ["result", "band"] where it can be checked']


def test_a_path_steps_by_key_index_or_id_and_nowhere_else() -> None:
    from enquiry.publish.bundle_check import figure_value

    hypotheses = ["result", "hypotheses"]
    assert figure_value(BODY, [*hypotheses, 0, "posterior"]) == 0.87
    assert figure_value(BODY, [*hypotheses, {"id": "H1"}, "posterior"]) == 0.87
    for wrong in (
        [*hypotheses, -1, "posterior"],
        [*hypotheses, 2, "posterior"],
        [*hypotheses, True, "posterior"],
        [*hypotheses, {"id": "H1", "x": 1}, "posterior"],
        ["result", 0],
        ["result", "band", "x"],
    ):
        with pytest.raises(LookupError):
            figure_value(BODY, wrong)


def test_a_fragile_conclusions_linchpins_milestones_and_priors_are_marked(demo_home: Any) -> None:
    """A conclusion resting on one item: its linchpins, milestones, prior bounds and
    sensitivity are printed as marked figures, and every one reads back from its finding."""
    import dataclasses

    from enquiry.analysis import AnalysisInput, Evidence, Hypothesis, analyse
    from enquiry.publish.report import analyse_incident, finding_body, render_report
    from enquiry.store import open_store

    hypotheses = (
        Hypothesis("H1", "a"),
        Hypothesis("H2", "b"),
        Hypothesis("H0", "other", is_other=True),
    )
    key = Evidence(
        "key", "the one lab result", "document", "A", 1, "lab", {"H1": "CC", "H2": "II", "H0": "I"}
    )
    weak = Evidence(
        "weak", "a rumour", "document", "D", 4, "blog", {"H1": "I", "H2": "C", "H0": "N"}
    )
    inputs = AnalysisInput(incident="l", hypotheses=hypotheses, evidence=(key, weak))
    demo = analyse_incident(
        open_store(demo_home.home, "tester", create=False), "khan-shaykhun-2017-04-04"
    )
    fragile = dataclasses.replace(demo, input=inputs, result=analyse(inputs))
    assert fragile.result.sensitivity.linchpins and fragile.result.milestones
    page = render_report(fragile, finding_id=None, generated_at="2026-01-01T00:00:00Z")
    body = json.loads(json.dumps(finding_body(fragile)))
    problems, count = report_problems(page, body)
    assert problems == [] and count > 20
    for marked in ('"linchpins", 0, "leader_posterior_after"', '"milestones", 0, "posterior"'):
        assert html.escape(marked) in page or marked.replace('"', "&#34;") in page, marked
    # the same page against another finding's figures fails, figure by figure
    problems, _ = report_problems(page, json.loads(json.dumps(finding_body(demo))))
    assert any("linchpins" in p for p in problems), problems


SET_ASIDE = "samples with a broken chain of custody"


def _demo_bundle(demo_home: Any) -> tuple[Path, Path, str]:
    home = demo_home.home
    passphrase = (home / "keys" / "demo.passphrase").read_text(encoding="utf-8").strip()
    return home / "bundles" / "khan-shaykhun.zip", home / "bundles" / "demo.pub.json", passphrase


def test_the_scenario_without_broken_samples_is_carried_recomputed_and_marked(
    demo_home: Any, tmp_path: Path
) -> None:
    """The demo's sample has no recorded hand-over: its report says what holds without it,
    the finding carries that scenario, the report's figures of it are marked, and `enquiry
    bundle verify` recomputes it; one its signer moved fails there, with the report in step."""
    from click.testing import CliRunner

    from enquiry.cli import main

    bundle, public, passphrase = _demo_bundle(demo_home)
    slug = "khan-shaykhun-2017-04-04"
    with zipfile.ZipFile(bundle) as archive:
        body = json.loads(archive.read(f"findings/{slug}.json"))
        page = archive.read(f"report/{slug}.html")
    scenario = body["set_aside"][SET_ASIDE]
    assert scenario["evidence"] == ["env-samples-ffm"] and scenario["leader_survives"] is True
    assert html.escape(SET_ASIDE) in page.decode("utf-8")
    honest = CliRunner().invoke(main, ["bundle", "verify", str(bundle), "--key", str(public)])
    assert honest.exit_code == 0, honest.output
    assert "and its 1 scenario(s) of evidence set aside, the same" in honest.output

    scenario["leader_posterior_without"] = 0.99
    cooked = resign(
        bundle,
        tmp_path / "cooked.zip",
        {
            f"findings/{slug}.json": json.dumps(body).encode("utf-8"),
            **reprinted_report(page, body, slug),
        },
        demo_home.home,
        "demo",
        passphrase,
    )
    alone = tool(cooked, "--key", public)
    assert alone.returncode == 0, alone.stdout  # the report is in step with its finding
    checked = CliRunner().invoke(main, ["bundle", "verify", str(cooked), "--key", str(public)])
    assert checked.exit_code == 1, checked.output
    assert (
        f"set_aside.{SET_ASIDE}.leader_posterior_without is 0.99 in the bundle, 0.952"
        in checked.output
    )


def test_many_marks_naming_elements_of_a_long_list_read_the_list_once() -> None:
    """A hostile finding with thousands of accounts and a report marking each one's posterior:
    the list is indexed once, not scanned for every mark (quadratic: with the 500,000 accounts
    a finding of the size allowed can hold, hours)."""
    size = 3_000
    read: list[int] = []

    class Counted(list):  # type: ignore[type-arg]
        def __iter__(self):  # type: ignore[no-untyped-def]
            for element in super().__iter__():
                read.append(1)
                yield element

    many = Counted({"id": f"H{i}", "posterior": 0.5} for i in range(size))
    read.clear()
    body = {**BODY, "result": {**BODY["result"], "hypotheses": many}}
    page = "".join(
        _mark([["result", "hypotheses", {"id": f"H{i}"}, "posterior"]], "share", "50%")
        for i in range(size)
    )
    problems, count = report_problems(page, body)
    assert count == size
    assert all("where it can be checked" in p for p in problems)  # the required few only
    assert len(read) <= 3 * size, len(read)  # once to index, once for what must be marked


HOSTILE_PAGES = {
    "tags never closed": "<a" * 1_000_000,
    "comments never closed": "<!--" * 500_000,
    "end tags never closed": "</" * 1_000_000,
    "processing instructions": "<?" * 1_000_000,
    "a mark full of tags": '<span data-finding="[]" data-show="text">' + "x<b>" * 500_000,
    "nested marks' tags": '<span data-finding="[]">' + "<span>" * 500_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_PAGES))
def test_a_malformed_report_is_read_in_one_pass(name: str) -> None:
    """Python's own HTML parser takes time quadratic in some malformed pages (200 KB of "<a":
    half a minute; these 2–4 MB: hours), so a hostile report could stall every verifier. The
    figure reader is run on each in a process held to 60 CPU seconds, which it never nears."""
    import subprocess
    import sys

    program = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_CPU, (60, 60))\n"
        "from enquiry.publish.bundle_check import FigureReader\n"
        "reader = FigureReader().read(sys.stdin.read())\n"
        "print(len(reader.figures), sum(f.markup for f in reader.figures))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        input=HOSTILE_PAGES[name],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-500:]
    marks, with_markup = map(int, done.stdout.split())
    assert marks == (1 if "mark" in name else 0)
    assert with_markup == marks
