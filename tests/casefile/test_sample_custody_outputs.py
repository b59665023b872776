"""The samples' chain of custody as every entry point shows it: ``item show`` (text and JSON),
``case custody-check`` (its listing and its exit status), the API's item route and the report
— the same findings from the one check, and for a protected sample whose hand-overs are
withheld, findings that name no one.

One home for the module: a small case with a broken sample (rated), a clean one, and a
protected one whose kind (overridden through ENQUIRY_KINDS_PATH, as an investigation may)
declares the custody and the collector identifying."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from enquiry.app import Enquiry, accounts, cases, evidence, publishing
from enquiry.cli import main
from enquiry.model.kinds import KINDS_DIR, reload_kinds
from small_case import broken_swab, one_incident_case

INCIDENT = "yard-2021"
CASE = "yard"
# Who carried the protected sample: never in an output that does not reveal it.
SECRETS = ("Yusra Qadri", "Qadri", "Tariq Nassif", "Nassif")
PASSWORD = "correct horse battery"

SAMPLES = (
    broken_swab("swab-broken", "A swab from the crater.")
    + """\
- key: soil-clean
  kind: environmental_sample
  source: Field team
  fields:
    title: Soil from the verge
    sample_id: SO-2
    collected_by: Amal Haddad
    collected_at: '2021-03-03T07:30:00+02:00'
    laboratory: Lab North
    analytes: [{name: sarin, result: not_detected}]
    custody:
    - {at: '2021-03-03T12:00:00+02:00', from: Amal Haddad, to: Lab North, seal: S-2}
  text: Soil from the verge.
- key: swab-protected
  kind: environmental_sample
  source: Field team
  protected: true
  fields:
    title: Swab from the courtyard
    sample_id: SW-3
    collected_by: Yusra Qadri
    laboratory: Lab North
    analytes: [{name: sarin, result: detected}]
    custody:
    - {at: '2021-03-03T13:00:00+02:00', from: Yusra Qadri, to: Tariq Nassif, seal: Q-9}
    - {at: '2021-03-04T13:00:00+02:00', from: Yusra Qadri, to: Lab North, seal: Q-9}
  text: A swab from the courtyard.
"""
)

RATED = """\
- incident: yard-2021
  item: swab-broken
  analyst: A. Analyst
  values: {H1: C, H0: N}
"""

# The package's kind, with the people who handled the sample declared identifying.
KIND = (KINDS_DIR / "environmental_sample.yaml").read_text(encoding="utf-8")
KIND = KIND.replace("  collected_by: {type: string}\n", "").replace(
    "  custody:\n    type: list\n",
    "  collected_by: {type: string, identifying: true}\n"
    "  custody:\n    type: list\n    identifying: true\n",
)


@dataclass
class Yard:
    home: Path
    admin: Enquiry
    ids: dict[str, int]


def _case_file() -> str:
    text = one_incident_case(CASE, "The yard", INCIDENT, place="yard")
    text = text.replace("ratings:\n", SAMPLES + "ratings:\n")
    return text + RATED


@pytest.fixture(scope="module")
def yard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Yard]:
    root = tmp_path_factory.mktemp("sample-custody")
    kinds = root / "kinds"
    kinds.mkdir()
    (kinds / "environmental_sample.yaml").write_text(KIND, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        patch.setenv("ENQUIRY_KINDS_PATH", str(kinds))
        reload_kinds()
        try:
            admin = Enquiry.at(root / "home", "admin")
            (root / "case.yaml").write_text(_case_file(), encoding="utf-8")
            cases.load(admin, root / "case.yaml")
            rows = evidence.list_items(admin, case=CASE, limit=50).items
            keys = {"Swab from the crater": "broken", "Soil from the verge": "clean"}
            ids = {keys.get(r.title, r.title): r.id for r in rows}
            ids["protected"] = next(r.id for r in rows if r.protected)
            ids["note"] = next(r.id for r in rows if r.kind == "document")
            yield Yard(root / "home", admin, ids)
        finally:
            patch.undo()
            reload_kinds()


def _cli(yard: Yard, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(yard.home), "--as", "tester", *args])


def _no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_item_show_lists_the_breaks_of_a_sample(yard: Yard) -> None:
    shown = _cli(yard, "item", "show", str(yard.ids["broken"]), "--json")
    assert shown.exit_code == 0, shown.output
    [finding] = json.loads(shown.output)["sample_custody"]
    assert finding == {
        "code": "gap-in-chain",
        "severity": "break",
        "handovers": [1, 2],
        "message": "Hand-over 2 is from 'Courier Ilse', but hand-over 1 went to 'Courier Ode':"
        " who held the sample in between is not recorded.",
    }
    text = _cli(yard, "item", "show", str(yard.ids["broken"]))
    assert "chain of custody: 1 break(s), 0 warning(s)" in text.output
    assert "gap-in-chain [hand-over 1, 2]: Hand-over 2 is from 'Courier Ilse'" in text.output
    clean = json.loads(_cli(yard, "item", "show", str(yard.ids["clean"]), "--json").output)
    assert clean["sample_custody"] == []
    note = json.loads(_cli(yard, "item", "show", str(yard.ids["note"]), "--json").output)
    assert "sample_custody" not in note  # not a sample: nothing checked, nothing said


def test_a_protected_samples_findings_name_no_one_until_revealed(yard: Yard) -> None:
    ref = str(yard.ids["protected"])
    shown = _cli(yard, "item", "show", ref, "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["fields"]["custody"] == "[withheld: protected witness identity]"
    codes = [(f["code"], f["handovers"]) for f in data["sample_custody"]]
    assert codes == [("gap-in-chain", [1, 2])]
    assert data["sample_custody"][0]["message"] == (
        "Hand-over 2 is not from the person hand-over 1 went to: who held the sample in"
        " between is not recorded."
    )
    _no_secret(shown.output)
    _no_secret(_cli(yard, "item", "show", ref).output)
    revealed = json.loads(_cli(yard, "item", "show", ref, "--json", "--reveal").output)
    assert "'Tariq Nassif'" in revealed["sample_custody"][0]["message"]


def test_without_the_key_a_protected_sample_is_not_checked_rather_than_clean(
    yard: Yard, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE")
    shown = _cli(yard, "item", "show", str(yard.ids["protected"]), "--json")
    assert shown.exit_code == 0, shown.output
    [finding] = json.loads(shown.output)["sample_custody"]
    assert (finding["code"], finding["severity"]) == ("not-checked", "warning")
    assert "held encrypted" in finding["message"]


def test_the_case_check_lists_broken_samples_and_fails(yard: Yard) -> None:
    done = _cli(yard, "case", "custody-check", CASE)
    assert done.exit_code == 1, done.output
    lines = done.output.splitlines()
    assert lines[0] == f"item {yard.ids['broken']} (swab-broken)  Swab from the crater"
    assert "Soil from the verge" not in done.output
    assert f"item {yard.ids['protected']} (swab-protected)" in done.output
    assert lines[-1] == (
        f"case '{CASE}': 3 sample(s) checked, 2 with a broken chain, 0 with warnings only"
    )
    _no_secret(done.output)
    as_json = _cli(yard, "case", "custody-check", CASE, "--json")
    assert as_json.exit_code == 1
    report = json.loads(as_json.output)
    assert (report["case"], report["checked"], report["broken"]) == (CASE, 3, 2)
    by_key = {s["key"]: s for s in report["samples"]}
    assert set(by_key) == {"swab-broken", "swab-protected"}
    assert by_key["swab-protected"]["protected"] is True
    shown = json.loads(_cli(yard, "item", "show", str(yard.ids["broken"]), "--json").output)
    assert by_key["swab-broken"]["findings"] == shown["sample_custody"]  # one check
    # opening the protected sample's record to check it is an access the ledger records
    log = json.loads(_cli(yard, "log", "--item", str(yard.ids["protected"]), "--json").output)
    assert any(
        e["action"] == "accessed" and e["details"].get("purpose") == "sample custody check"
        for e in log
    )


def test_the_case_check_passes_on_warnings_unless_strict_and_refuses_unknown_cases(
    yard: Yard, tmp_path: Path
) -> None:
    clean = SAMPLES.split("- key: soil-clean")[1].split("- key: swab-protected")[0]
    # a hand-over from the laboratory to itself: irregular, not a break
    clean = clean.replace(
        "seal: S-2}\n",
        "seal: S-2}\n    - {at: '2021-03-04T09:00:00+02:00', from: Lab North, to: lab north,"
        " seal: S-2}\n",
    )
    text = one_incident_case("verge", "The verge", "verge-2021", place="verge")
    text = text.replace("ratings:\n", "- key: soil-clean" + clean + "ratings:\n")
    (tmp_path / "verge.yaml").write_text(text.replace("verge.", "verge, again."), "utf-8")
    cases.load(yard.admin, tmp_path / "verge.yaml")
    done = _cli(yard, "case", "custody-check", "verge")
    assert done.exit_code == 0, done.output
    assert "self-handover [hand-over 2]: Hand-over 2 is from 'Lab North' to 'lab north'" in (
        done.output
    )
    assert done.output.splitlines()[-1] == (
        "case 'verge': 1 sample(s) checked, 0 with a broken chain, 1 with warnings only"
    )
    assert _cli(yard, "case", "custody-check", "verge", "--strict").exit_code == 1
    missing = _cli(yard, "case", "custody-check", "no-such-case")
    assert missing.exit_code == 1 and "no such case" in missing.output


def test_the_api_and_the_web_page_give_the_same_findings(yard: Yard) -> None:
    from enquiry.web.app import create_app
    from web_helpers import signed_in

    accounts.add_user(yard.admin, "web-admin", PASSWORD, admin=True)
    token = accounts.create_token(yard.admin, "web-admin", "tests").token
    headers = {"Authorization": f"Bearer {token}"}
    accounts.add_user(yard.admin, "passer-by", PASSWORD)  # no role on the case
    outsider_token = accounts.create_token(yard.admin, "passer-by", "tests").token
    app = create_app(yard.home)
    with TestClient(app, base_url="https://testserver") as client:
        broken = client.get(f"/api/v1/items/{yard.ids['broken']}", headers=headers)
        hidden = client.get(f"/api/v1/items/{yard.ids['protected']}", headers=headers)
        note = client.get(f"/api/v1/items/{yard.ids['note']}", headers=headers)
        case_check = client.get(f"/api/v1/cases/{CASE}/custody-check", headers=headers)
        outsider = client.get(
            f"/api/v1/cases/{CASE}/custody-check",
            headers={"Authorization": f"Bearer {outsider_token}"},
        )
    assert broken.status_code == 200, broken.text
    # the case-wide check: the command's very answer, and nothing of it to a user without a role
    assert case_check.status_code == 200, case_check.text
    listed = _cli(yard, "case", "custody-check", CASE, "--json").output
    assert case_check.json() == json.loads(listed)
    _no_secret(case_check.text)
    assert outsider.status_code in (403, 404), outsider.text
    assert "swab" not in outsider.text.lower() and "SW-" not in outsider.text
    shown = json.loads(_cli(yard, "item", "show", str(yard.ids["broken"]), "--json").output)
    assert broken.json()["sample_custody"] == shown["sample_custody"]
    assert [f["code"] for f in hidden.json()["sample_custody"]] == ["gap-in-chain"]
    _no_secret(hidden.text)
    assert note.json()["sample_custody"] is None
    with signed_in(app, "web-admin", PASSWORD) as browser:
        page = browser.get(f"/items/{yard.ids['broken']}").text
        protected_page = browser.get(f"/items/{yard.ids['protected']}").text
    assert "Hand-overs from collection to laboratory" in page and "1 break" in page
    assert "but hand-over 1 went to &#39;Courier Ode&#39;" in page
    assert "Hand-over 2 is not from the person hand-over 1 went to" in protected_page
    _no_secret(protected_page)


def test_the_report_lists_broken_samples_and_the_conclusion_without_them(
    yard: Yard, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    publishing.report(yard.admin, INCIDENT, out)
    page = out.read_text(encoding="utf-8")
    start = page.index('id="sample-custody"')
    # the words as a reader sees them: the figures are marked for the bundle's check
    section = re.sub(
        r"<span data-finding[^>]*>([^<]*)</span>", r"\1", page[start : page.index("</div>", start)]
    )
    assert "2 of the case's 3 environmental samples have a recorded chain" in section
    assert "Swab from the crater" in section and "Swab from the courtyard" in section
    assert "Soil from the verge" not in section
    assert "but hand-over 1 went to" in section  # the plain sample's break, quoted
    # the scenario sets aside what the analysis weighs: the one broken sample that is rated
    assert "With the one of them rated for this incident, swab-broken, set aside, H1 still" in (
        section
    )
    _no_secret(page)
