"""Bundles: a case, signed and checkable by anyone; its import into another home; backups.

Export is publication: the catalogue and the case's originals are verified first (as for a
report), protected identities stay out unless revealed — and a reveal is recorded — and the
ledger records the export with the bundle's and its manifest's hashes and the key that signed
it. Checking a bundle needs no home at all: it is :mod:`enquiry.publish.bundle_check`, the same
code as the stand-alone ``tools/verify_bundle.py``. Import and restore take in only a bundle
that passes that check, and record that the custody they receive continues from its signed head.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Connection, insert, select

from enquiry.app import keys
from enquiry.app.access import Right, require, require_admin, require_case, require_incident
from enquiry.app.context import Enquiry
from enquiry.app.lookup import case_blobs, find_case, require_regular_file
from enquiry.app.outputs import refuse_home_output
from enquiry.app.protection import WITHHELD_IDENTITY, hidden, record_reveal
from enquiry.app.publishing import require_withholding_key, verified
from enquiry.errors import BadRequest, CatalogueError, EnquiryError, Refused, Unverified
from enquiry.intake import yamlsafe
from enquiry.intake.casefile import dump_case, load_case
from enquiry.intake.casefile_schema import (
    SHA256_PREFIX,
    CaseDocument,
    CaseFileError,
    item_ref,
    parse_document,
)
from enquiry.intake.extract import Extractor
from enquiry.intake.walk import printable
from enquiry.progress import Progress, Silent
from enquiry.publish import bundle as writing
from enquiry.publish import bundle_check
from enquiry.store import Store
from enquiry.store.db import HOME_FILE
from enquiry.store.ledger import LedgerWriter, state_digest, utc_now
from enquiry.store.tables import BundleImport, Case, CustodyEvent, Incident, Item, WithheldItem
from enquiry.store.vault import private_folder, scratch_folder


def _extractors() -> list[Extractor]:
    from enquiry.enrich import default_extractors

    return list(default_extractors())


@dataclass(frozen=True)
class Exported:
    """A bundle written: where, its hashes, what it holds and who signed it."""

    path: Path
    sha256: str
    size: int
    manifest_sha256: str
    members: int
    items: int
    originals: int
    withheld: int
    incidents: list[str]
    key: str | None
    fingerprint: str | None

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "path": str(self.path)}


def _signer(app: Enquiry, name: str | None, passphrase: str | None) -> writing.Signer | None:
    if name is None:
        return None
    if passphrase is None:
        raise BadRequest(
            f"key '{name}': its passphrase is needed (set {keys.PASSPHRASE_ENV}, or type it)"
        )
    view, private = keys.unlock(app, name, passphrase)
    document = keys.public_document(app, name)
    return writing.Signer(view.name, view.fingerprint, document["public_key"], private.sign)


def _check_authority_url(url: str) -> None:
    """Refuse, in one line, an authority's URL that cannot be asked: not http(s), no host, a
    port out of range, brackets that do not close (which ``urllib`` would only find with a
    traceback), or a name and password in it. Those would not be sent (``urllib`` sends no
    credentials from a URL) and every message naming the authority would show them, so the
    line names the URL with them masked."""
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url)
        host, _port = parts.hostname, parts.port
    except ValueError as exc:
        raise BadRequest(f"timestamping authority '{printable(url)}': not a URL ({exc})") from None
    if "@" in parts.netloc:
        masked = parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]).geturl()
        raise BadRequest(
            f"timestamping authority '{printable(masked)}': a name or password in the URL is"
            " not sent to the authority; give its URL without them"
        )
    if parts.scheme not in ("http", "https") or not host:
        raise BadRequest(f"timestamping authority '{printable(url)}': not an http(s) URL")


def _stamper(tsa: str | None) -> writing.Stamper | None:
    """The configured timestamping authority (``--tsa`` or ``ENQUIRY_TSA_URL``), if any."""
    import os

    from enquiry.publish import timestamp

    url = tsa or os.environ.get(timestamp.TSA_ENV) or None
    if url is None:
        return None
    _check_authority_url(url)

    def stamp(data: bytes) -> bytes:
        try:
            return timestamp.stamp(url, data)
        except timestamp.TimestampError as exc:
            raise EnquiryError(f"{exc}; the bundle was not written") from None

    return stamp


def _subject(app: Enquiry, case: str | None, incident: str | None) -> tuple[int, str, list[str]]:
    if (case is None) == (incident is None):
        raise BadRequest("give exactly one of --case NAME or --incident ID")
    store = app.store(create=False)
    if incident is not None:
        require_incident(app, incident)
    else:
        assert case is not None
        require_case(app, case)
    with store.session() as session:
        if incident is not None:
            found = session.scalars(select(Incident).where(Incident.slug == incident)).first()
            assert found is not None
            row = session.get(Case, found.case_id)
            assert row is not None
            return row.id, row.name, [incident]
        assert case is not None
        row = find_case(session, case)
        slugs = list(
            session.scalars(
                select(Incident.slug).where(Incident.case_id == row.id).order_by(Incident.slug)
            )
        )
        return row.id, row.name, slugs


def _finding(
    app: Enquiry,
    slug: str,
    reveal: bool,
    failures: list[str],
    *,
    case_id: int,
    signer: writing.Signer | None,
    pdf: bool,
) -> dict[str, Any]:
    """The incident's finding as a bundle carries it: the analysis with its inputs, and the
    report as the report command would write it (confirmed redactions in place of protected
    photographs, the signing key named in its sign-off), in HTML and, unless ``pdf`` is off, PDF.
    """
    from enquiry.app.redaction import report_photographs
    from enquiry.publish.inputs import UnknownIncident
    from enquiry.publish.pdf import html_to_pdf
    from enquiry.publish.report import SignOff, finding_body, publish_report

    store = app.store(create=False)
    sign_off = (
        SignOff(app.actor, utc_now(), signer.name, signer.fingerprint, "signed bundle manifest")
        if signer is not None
        else None
    )
    photographs = report_photographs(app, case_id, reveal=reveal)
    # a revealed report names witnesses and shows their faces: made in memory, not in a
    # file of a disk that is deleted afterwards but stays in its free blocks
    with scratch_folder("enquiry-report-") as scratch:
        try:
            published = publish_report(
                store,
                slug,
                Path(scratch) / "report.html",
                reveal=reveal,
                unverified=failures,
                sign_off=sign_off,
                photographs=photographs,
            )
        except (UnknownIncident, ValueError) as exc:
            raise EnquiryError(f"incident '{slug}': {exc}") from None
        html = published.path.read_bytes()
    document: bytes | None = None
    if pdf:
        try:
            document = html_to_pdf(html.decode("utf-8"))
        except ValueError as exc:
            raise EnquiryError(
                f"incident '{slug}': the report's PDF cannot be made ({exc})"
            ) from None
    body = finding_body(published.analysis)
    return {"incident": slug, "body": body, "html": html, "pdf": document}


def _write_archive(
    output: Path,
    progress: Progress | None,
    stage: str,
    total: int | None,
    write: Callable[[Callable[[int], None]], writing.Written],
) -> writing.Written:
    """Write a bundle or backup with its progress shown, a file-system error as one line."""
    bar = progress or Silent()
    bar.start(stage, total, "B")
    try:
        return write(bar.advance)
    except OSError as exc:
        raise EnquiryError(
            f"{printable(str(output))}: cannot write ({exc.strerror or exc})"
        ) from None
    finally:
        bar.finish()


def export_bundle(
    app: Enquiry,
    output: Path,
    *,
    case: str | None = None,
    incident: str | None = None,
    sign: str | None = None,
    passphrase: str | None = None,
    reveal: bool = False,
    hashes_only: bool = False,
    allow_unverified: bool = False,
    tsa: str | None = None,
    progress: Progress | None = None,
    pdf: bool = True,
    inside_home: bool = False,
) -> Exported:
    """Write one case's bundle (for one incident, or all of the case's) to ``output``; ``pdf``
    off leaves the reports' PDF out (the HTML, from which it is made, is always there).

    A file inside the home is refused (:func:`~enquiry.app.outputs.refuse_home_output`) unless
    ``inside_home``, which only the demo passes, for the ``bundles/`` folder it chooses."""
    if not inside_home:
        refuse_home_output(app, output)
    case_id, case_name, slugs = _subject(app, case, incident)
    require(app, case_id, Right.PROTECTED_ITEMS, name=case_name)  # the whole record
    require_withholding_key(app, case_id, f"bundle of case '{case_name}'")
    if reveal:
        require(app, case_id, Right.REVEAL, name=case_name)
    signer = _signer(app, sign, passphrase)
    stamper = _stamper(tsa)
    store = app.store(create=False)
    with store.session() as session:
        blobs = case_blobs(session, case_id)
        items = list(session.scalars(select(Item).where(Item.case_id == case_id)))
    failures = verified(
        app,
        case_id=case_id,
        blobs=blobs,
        purpose=f"bundle of case '{case_name}'",
        allow_unverified=allow_unverified,
    )
    if reveal:
        with store.writing() as (_connection, writer):
            record_reveal(writer, items, {"bundle": printable(str(output))})
    findings = [
        _finding(app, slug, reveal, failures, case_id=case_id, signer=signer, pdf=pdf)
        for slug in slugs
    ]
    casefile = dict(dump_case(store, case_name, reveal=reveal, record_reveal=False))
    content = writing.CaseContent(
        case_id=case_id,
        case_name=case_name,
        incident=incident,
        casefile=casefile,
        findings=findings,
        hidden_items={item.id for item in items if hidden(item, reveal)},
        reveal=reveal,
        hashes_only=hashes_only,
    )
    written = _write_archive(
        output,
        progress,
        "writing bundle",
        sum(item.size or 0 for item in items),
        lambda advance: writing.write_case_bundle(
            store,
            content,
            output,
            signer=signer,
            created_at=utc_now(),
            progress=advance,
            stamper=stamper,
        ),
    )
    entries = written.manifest["items"]
    originals = sum(1 for entry in entries if entry["member"])
    withheld = sum(1 for entry in entries if entry["sha256"] and not entry["member"])
    with store.writing() as (_connection, writer):
        writer.append(
            "exported",
            case_id=case_id,
            details={
                "what": "bundle",
                "sha256": written.sha256,
                "size": written.size,
                "manifest_sha256": written.manifest_sha256,
                "path": str(output.resolve()),
                "key": signer.name if signer else None,
                "fingerprint": signer.fingerprint if signer else None,
                "revealed": reveal,
                "hashes_only": hashes_only,
                "timestamped": stamper is not None,
                "head": written.manifest["ledger"]["head"],
                **({"unverified": True} if failures else {}),
            },
        )
    return Exported(
        output,
        written.sha256,
        written.size,
        written.manifest_sha256,
        written.members,
        len(entries),
        originals,
        withheld,
        slugs,
        signer.name if signer else None,
        signer.fingerprint if signer else None,
    )


def check_bundle(
    path: Path,
    key: Path | None = None,
    progress: Progress | None = None,
    tsa_certificate: Path | None = None,
) -> bundle_check.Outcome:
    """Check a bundle with no home and no database: the stand-alone verifier's own code, and
    then every finding's numbers recomputed by this enquiry's engine
    (:func:`recompute_findings`), which the stand-alone verifier, importing nothing of
    enquiry, cannot do."""
    bar = progress or Silent()
    bar.start("verifying bundle", None, "B")
    try:
        outcome = bundle_check.check(
            path, key, progress=bar.advance, tsa_certificate=tsa_certificate
        )
    finally:
        bar.finish()
    if outcome.unreadable is None:
        recompute_findings(path, outcome)
    return outcome


# What a finding's result carries from the report's context rather than from the engine: the
# ratings of an earlier wording of a hypothesis and the lines of a verification gone past. They
# are text, not numbers, and the inputs do not hold what they are made from.
_CONTEXT_KEYS = ("earlier_wording", "unverified")


def recompute_findings(path: Path, outcome: bundle_check.Outcome) -> None:
    """Run this enquiry's engine on each finding's inputs and compare what it computes with the
    result the bundle carries, number by number; a difference is a failure of the bundle.

    The inputs hash to what the finding names (the stand-alone check); that says the result
    was computed from them only if the engine gives that result again. A signer could
    otherwise publish a posterior the engine never gave, over honest inputs. A finding made by
    another version of the engine is noted and not recomputed: its numbers may rightly differ."""
    from enquiry.publish.report import engine_version

    ours = engine_version()
    try:
        with writing.opened(path) as bundle:
            for entry in bundle.manifest.get("findings") or []:
                if isinstance(entry, Mapping):
                    _recompute(bundle, entry, outcome, ours)
    except EnquiryError:
        return  # changed since it was checked, or unreadable: the check has said what it can


def _recompute(
    bundle: writing.Opened, entry: Mapping[str, Any], outcome: bundle_check.Outcome, ours: str
) -> None:
    """One finding of :func:`recompute_findings`."""
    from enquiry.analysis import analyse
    from enquiry.analysis.inputs import input_from_dict

    label = f"finding {bundle_check.value_text(entry.get('incident'))}"
    try:
        body = json.loads(bundle.read(str(entry.get("member", ""))))
    except (EnquiryError, ValueError, RecursionError):
        return  # the check has failed this member already
    if not isinstance(body, dict) or not isinstance(body.get("result"), dict):
        return
    made_by = str(body.get("engine_version"))
    if made_by != ours:
        outcome.notes.append(
            f"{label}: made by engine {bundle_check.value_text(made_by)}, this enquiry's is"
            f" {ours}: its numbers were not recomputed (the version that made it can)"
        )
        return
    try:
        inputs = input_from_dict(body["inputs"])
        computed = json.loads(json.dumps(analyse(inputs).to_dict()))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        outcome.failures.append(
            f"{label}: its inputs cannot be analysed by the engine it names"
            f" ({bundle_check.value_text(str(exc))})"
        )
        return
    result = body["result"]
    stored = {k: v for k, v in result.items() if k not in _CONTEXT_KEYS}
    # an earlier wording adds its warnings after the engine's own, which must come first
    extra = len(stored.get("warnings") or []) - len(computed.get("warnings") or [])
    if result.get("earlier_wording") and extra > 0 and isinstance(stored["warnings"], list):
        stored["warnings"] = stored["warnings"][:-extra]
    where = first_difference(stored, computed, "result") or _set_aside_difference(body, inputs)
    if where is None:
        aside = body.get("set_aside") or {}
        also = f", and its {len(aside)} scenario(s) of evidence set aside" if aside else ""
        outcome.summary.append(
            f"{label}: every number recomputed from its inputs by engine {ours}{also}, the same"
        )
    else:
        outcome.failures.append(
            f"{label}: the engine does not give the result the bundle carries: {where}"
        )


def _set_aside_difference(body: Mapping[str, Any], inputs: Any) -> str | None:
    """Where a scenario the finding carries beside its result (``set_aside``: evidence set
    aside together, as the report states it) first differs from the engine's own, or None."""
    from enquiry.analysis.engine import without_evidence

    aside = body.get("set_aside")
    if aside is None:
        return None
    if not isinstance(aside, dict):
        return "set_aside is not an object of scenarios"
    for name, stored in aside.items():
        where = f"set_aside.{name}"
        wanted = stored.get("evidence") if isinstance(stored, dict) else None
        if not isinstance(wanted, list) or not all(isinstance(e, str) for e in wanted):
            return f"{where} names no evidence set aside"
        try:
            again = json.loads(json.dumps(without_evidence(inputs, wanted).to_dict()))
        except ValueError as exc:
            return f"{where} cannot be recomputed ({exc})"
        found = first_difference(stored, again, where)
        if found is not None:
            return found
    return None


def first_difference(stored: Any, computed: Any, path: str) -> str | None:
    """Where two published results first differ (a path and both values), or None."""
    if isinstance(stored, dict) and isinstance(computed, dict):
        for key in sorted(set(stored) | set(computed), key=str):
            if key not in computed:
                return f"{path}.{key} is in the bundle, not in what the engine gives"
            if key not in stored:
                return f"{path}.{key} is missing from the bundle"
            found = first_difference(stored[key], computed[key], f"{path}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(stored, list) and isinstance(computed, list):
        if len(stored) != len(computed):
            return f"{path} has {len(stored)} entries in the bundle, {len(computed)} recomputed"
        for index, (a, b) in enumerate(zip(stored, computed, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    if stored == computed and type(stored) is type(computed):
        return None
    shown = bundle_check.value_text(json.dumps(stored))[:80]
    again = bundle_check.value_text(json.dumps(computed))[:80]
    return f"{path} is {shown} in the bundle, {again} recomputed"


def _checked(
    copy: Path, path: Path, key: Path | None, progress: Progress | None
) -> bundle_check.Outcome:
    """The verifier's outcome for the private ``copy`` of the bundle at ``path``, with every
    line naming ``path`` (the file the user gave) rather than the copy; a bundle that does not
    verify is refused."""
    outcome = check_bundle(copy, key, progress)
    inside, shown = str(copy), printable(str(path))

    def named(line: str) -> str:
        return line.replace(inside, shown)

    outcome.source = shown
    outcome.summary = [named(line) for line in outcome.summary]
    outcome.failures = [named(line) for line in outcome.failures]
    outcome.notes = [named(line) for line in outcome.notes]
    if outcome.unreadable is not None:
        raise BadRequest(bundle_check.escaped(named(outcome.unreadable)))
    if outcome.failures:
        raise Unverified(
            f"{shown}: the bundle failed verification ({len(outcome.failures)} failure(s));"
            f" nothing was taken in: {bundle_check.escaped(outcome.failures[0])}",
            outcome.failures,
        )
    return outcome


@contextmanager
def _received(
    path: Path, key: Path | None, progress: Progress | None, spare: Path | None
) -> Iterator[tuple[writing.Opened, bundle_check.Outcome]]:
    """The bundle at ``path``, checked and open for reading — the same bytes for both.

    It is copied once into a private folder, and that copy is what is checked and then read,
    through one handle whose whole file must hash as the copy did; every member read is then
    checked against the manifest. So a file swapped or rewritten at ``path`` after the check
    (a shared folder, a USB stick) can bring in nothing the check did not see. That folder is
    in memory where it can be, else ``spare`` (the home's private temporary area, when the home
    exists): a bundle may carry a witness's revealed testimony (see
    :func:`~enquiry.store.vault.private_folder`)."""
    require_regular_file(path)
    shown = printable(str(path))
    bar = progress or Silent()
    try:
        size: int | None = path.stat().st_size
    except OSError:
        size = None
    with ExitStack() as stack:
        folder = stack.enter_context(private_folder("enquiry-bundle-", size or 0, spare))
        bar.start("copying bundle", size, "B")
        try:
            copy = stack.enter_context(writing.private_copy(path, shown, bar.advance, Path(folder)))
        finally:
            bar.finish()
        outcome = _checked(copy.path, path, key, progress)
        bundle = stack.enter_context(writing.opened(copy.path, sha256=copy.sha256, shown=shown))
        yield bundle, outcome


def _spare(app: Enquiry) -> Path | None:
    """The home's private temporary area, if the home exists (an import into a new home makes
    it only once the bundle has been checked)."""
    if not (app.home / HOME_FILE).is_file():
        return None
    return app.store(create=False).vault.tmp


def _carried_size(manifest: Mapping[str, Any]) -> int:
    """How many bytes of originals the bundle carries (what an import unpacks)."""
    total = 0
    for entry in manifest.get("items") or []:
        if isinstance(entry, Mapping) and entry.get("member"):
            size = entry.get("size")
            total += size if isinstance(size, int) and size > 0 else 0
    return total


@dataclass(frozen=True)
class Imported:
    """A case taken in from a bundle."""

    case: str
    manifest_sha256: str
    head: tuple[int, str]
    items: int
    withheld: int
    signer: str | None
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _place(item: dict[str, Any], used: set[str]) -> str:
    """Where an attached original goes beside the case file: the name the case file gives it if
    that is a plain relative path, else one made from its hash."""
    name = str(item.get("file", ""))
    parts = PurePosixPath(name).parts
    plain = (
        name
        and not name.startswith("/")
        and "\\" not in name
        and all(part not in ("", ".", "..") and not _UNSAFE.search(part) for part in parts)
    )
    if not plain or name in used or name == "case.yaml":
        stem = _UNSAFE.sub("_", PurePosixPath(name).name).strip("._") or "file"
        name = f"files/{str(item['sha256'])[:12]}-{stem}"
    used.add(name)
    return name


CASE_MEMBER = "case/case.yaml"


def _case_document(bundle: writing.Opened) -> CaseDocument:
    """The bundle's case file, read through the same bounded, safe YAML reader as ``enquiry
    load`` (no Python objects from tags, aliases counted, size, nesting and nodes limited).

    Its size is refused from the archive's directory before a byte is read, and its errors
    name the bundle and the member (``BUNDLE/case/case.yaml:LINE:COLUMN: ...``)."""
    label = f"{bundle.shown}/{CASE_MEMBER}"
    data = bundle.read(CASE_MEMBER, limit=yamlsafe.MAX_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CaseFileError(f"{label}:{line}: not UTF-8 text; nothing was taken in") from None
    try:
        node = yamlsafe.compose(text, label)
    except yamlsafe.YamlError as exc:
        raise CaseFileError(f"{exc}; nothing was taken in") from None
    try:
        return parse_document(node, label)
    except CaseFileError as exc:
        raise type(exc)(f"{exc}; nothing was taken in") from None


def _listed_ref(entry: Mapping[str, Any]) -> str:
    """How a case file names the manifest's item (as :func:`item_ref`, and as a dump names an
    item with neither key nor hash)."""
    if entry.get("key"):
        return str(entry["key"])
    if entry.get("sha256"):
        return SHA256_PREFIX + str(entry["sha256"])
    return f"item-{entry.get('id')}"


def _same_items(shown: str, manifest: Mapping[str, Any], doc: Mapping[str, Any]) -> None:
    """Refuse a case file whose items are not the manifest's, one for one.

    The manifest is what the check vouched for (each item's hash received in the ledger, the
    signature over it); the case file is what is loaded. An item the case file adds, leaves
    out, or gives another hash, kind or protection than the manifest would be taken in — or
    dropped — on the word of a member no check compared with anything, and a protected item
    marked unprotected would have its bytes stored in the clear."""
    listed: dict[str, Mapping[str, Any]] = {}
    for entry in manifest.get("items") or []:
        ref = _listed_ref(entry)
        if ref in listed:
            raise BadRequest(
                f"{shown}: its manifest lists item '{printable(ref)}' twice; nothing was taken in"
            )
        listed[ref] = entry
    found: set[str] = set()
    for item in doc.get("items", []):
        ref = item_ref(item)
        label = f"{shown}: item '{printable(ref)}'"
        entry = listed.get(ref)
        if entry is None:
            raise BadRequest(
                f"{label} of its case file is not among the manifest's items; nothing was taken in"
            )
        found.add(ref)
        sha = item.get("sha256")
        if sha is None and "text" in item:
            sha = hashlib.sha256(str(item["text"]).encode("utf-8")).hexdigest()
        for what, ours, theirs in (
            ("sha256", sha, entry.get("sha256")),
            ("kind", item.get("kind"), entry.get("kind")),
            ("protected", bool(item.get("protected")), bool(entry.get("protected"))),
        ):
            if ours != theirs:
                raise BadRequest(
                    f"{label}: the case file gives {what} {printable(str(ours))}, the manifest"
                    f" {printable(str(theirs))}; nothing was taken in"
                )
        if entry.get("member") and "file" not in item and "text" not in item:
            raise BadRequest(
                f"{label}: the bundle carries its original, the case file gives it no file;"
                " nothing was taken in"
            )
        if "file" in item and not sha:
            raise BadRequest(
                f"{label}: the case file attaches a file without its SHA-256; nothing was taken in"
            )
    missing = [ref for ref in listed if ref not in found]
    if missing:
        raise BadRequest(
            f"{shown}: the manifest lists {len(missing)} item(s) its case file leaves out"
            f" ('{printable(missing[0])}'); nothing was taken in"
        )


def _require_key_for_protected(shown: str, manifest: Mapping[str, Any]) -> None:
    """Refuse, before the home is touched, a bundle carrying protected items' bytes when no
    protection key is given.

    Such bytes — the confirmed redaction of a protected photo that a redacted bundle carries
    because its report publishes it, or any protected item of a revealed bundle — are stored
    here as every protected item is: encrypted at rest, under the imported case's own key,
    which is made only with the protection key. Without it the load would stop at the first
    such item; saying so first, in one line, is clearer."""
    from enquiry.store.crypt import KEY_FILE_ENV, PASSPHRASE_ENV, KeyUnavailable, key_source

    carried = [
        entry
        for entry in manifest.get("items") or []
        if entry.get("member") and entry.get("protected") is True
    ]
    if carried and key_source() is None:
        raise KeyUnavailable(
            f"{shown}: carries the bytes of {len(carried)} protected item(s), which this home"
            " stores only encrypted, under a case key made with the protection key: give it"
            f" ({KEY_FILE_ENV} or {PASSPHRASE_ENV}); nothing was taken in"
        )


@dataclass(frozen=True)
class _Signer:
    """Who signed a bundle as far as this home can tell, and whether it vouches for them.

    ``fingerprint`` is the key whose signature the check verified (``None``: not signed);
    ``vouched`` says how this home knows that key — the public key given with ``--key``, or one
    of its own keys — and is ``None`` when nothing here does: a key the manifest carries proves
    only that whoever made the bundle holds it, and anyone can make a key of any name. ``why``
    says, for a note, why the signer is not vouched for."""

    name: str | None
    fingerprint: str | None
    vouched: str | None
    why: str


def _signer_of(
    store: Store, manifest: Mapping[str, Any], outcome: bundle_check.Outcome, key: Path | None
) -> _Signer:
    """The bundle's signer as :class:`_Signer` says: only a signature the check verified counts,
    and only ``--key`` or a key of this home (not revoked) vouches for whose it is."""
    from enquiry.store.tables import SigningKey

    said = manifest.get("signer")
    name = str(said.get("key") or "") if isinstance(said, dict) else ""
    fingerprint = outcome.signed_by
    if fingerprint is None:
        return _Signer(None, None, None, "the bundle is not signed")
    if key is not None:
        return _Signer(name, fingerprint, "the key given (--key)", "")
    with store.session() as session:
        own = session.scalars(
            select(SigningKey).where(SigningKey.fingerprint == fingerprint)
        ).first()
        if own is not None:
            session.expunge(own)
    if own is not None and own.revoked_at is None:
        return _Signer(name, fingerprint, f"this home's key '{own.name}'", "")
    if own is not None:
        why = (
            f"it is signed by this home's key '{own.name}', which was revoked at"
            f" {own.revoked_at}: whoever holds that key now may have signed it"
        )
    else:
        why = (
            f"it is signed by a key calling itself '{printable(name)}' (fingerprint"
            f" {fingerprint[:16]}) that no --key vouches for and that is not one of this"
            " home's keys"
        )
    return _Signer(name, fingerprint, None, why)


@dataclass(frozen=True)
class _Unconfirmed:
    """A confirmation the bundle's case file claims for a redaction, left out of the import."""

    key: str | None
    sha256: str | None
    by: str
    at: str


def _drop_confirmations(doc: CaseDocument) -> list[_Unconfirmed]:
    """Remove from the case file every redaction's ``confirmed``, returning what each said.

    A confirmation is a person's decision that a picture may be published; taken in, it lets
    this home's report publish the picture. It is the word of whoever made the bundle, so it
    is kept only when this home vouches for the signer (see :class:`_Signer`): a bundle anyone
    could have made and self-signed would otherwise publish any picture as "confirmed"."""
    dropped: list[_Unconfirmed] = []
    for item in doc.get("items", []):
        said = item.pop("confirmed", None)
        if not said:
            continue
        dropped.append(
            _Unconfirmed(
                str(item["key"]) if item.get("key") else None,
                str(item["sha256"]) if item.get("sha256") else None,
                str(said.get("by", "")),
                str(said.get("at", "")),
            )
        )
    return dropped


def _unconfirmed_notes(
    store: Store, case_id: int, dropped: list[_Unconfirmed], why: str
) -> list[str]:
    """One note per redaction taken in unconfirmed: which item it is here, what the bundle
    said, why that was not taken in, and what to do about it."""
    if not dropped:
        return []
    with store.session() as session:
        rows = session.execute(
            select(Item.id, Item.key, Item.sha256, Item.derived_from)
            .where(Item.case_id == case_id)
            .order_by(Item.id)
        ).all()
        absent = set(
            session.scalars(
                select(WithheldItem.item_id)
                .join(Item, Item.id == WithheldItem.item_id)
                .where(Item.case_id == case_id)
            )
        )
    found: dict[str, tuple[int, int | None]] = {}  # "key:K" or "sha256:S" -> (id, its original)
    for item_id, item_key, sha, source in rows:
        if item_key:
            found[f"key:{item_key}"] = (int(item_id), source)
        if sha:
            found.setdefault(f"sha256:{sha}", (int(item_id), source))
    notes = []
    for claim in dropped:
        here = found.get(f"key:{claim.key}") if claim.key else found.get(f"sha256:{claim.sha256}")
        if here is None:  # the load takes in every item of the case file; never reached
            continue
        item_id, original = here
        what = f"a redaction of item {original}" if original else "a redaction"
        said = (
            f"item {item_id} ({what}): the bundle says it was confirmed for publication by"
            f" '{printable(claim.by)}' at {printable(claim.at)}, but {why}; it is taken in"
            " unconfirmed"
        )
        if item_id in absent:
            # Its bytes stayed out of the bundle: there is nothing here to look at or publish.
            notes.append(
                f"{said} (its bytes were withheld from the bundle, so nothing of it is published"
                " here either way; import the bundle again with --key and its signer's public"
                " key, if you trust that signer, to keep the confirmation on record)"
            )
        else:
            notes.append(
                f"{said} and is not published until someone here looks at it and runs"
                f" 'enquiry media redact --confirm {item_id}' (or import the bundle again with"
                " --key and its signer's public key, if you trust that signer)"
            )
    return notes


def import_bundle(
    app: Enquiry, path: Path, *, key: Path | None = None, progress: Progress | None = None
) -> Imported:
    """Take a verified case bundle into this home; custody continues from its signed head.

    Items whose bytes the bundle withholds (redacted, or hashes only) come in as withheld items:
    hash, kind, fields and ratings kept, content absent; ``verify`` lists them as withheld.
    What is taken in is exactly what was checked (see :func:`_received`), and the case file
    must name the manifest's case and list its items one for one (:func:`_same_items`);
    anything else is refused before the home is touched, and the load itself is one
    transaction.

    A redaction the bundle says was confirmed is taken in as confirmed only when this home
    vouches for the bundle's signer (``key`` given and matched, or one of this home's own keys);
    otherwise it comes in unconfirmed, with a note naming it (see :func:`_drop_confirmations`).
    """
    require_admin(app, "bundle import")
    shown = printable(str(path))
    spare = _spare(app)
    with (
        _received(path, key, progress, spare) as (bundle, outcome),
        private_folder("enquiry-import-", _carried_size(bundle.manifest), spare) as scratch,
    ):
        manifest = bundle.manifest
        if manifest.get("kind") != "case":
            raise BadRequest(
                f"{shown}: a {printable(str(manifest.get('kind')))} bundle; restore a backup"
                " with 'enquiry restore'"
            )
        case_name = (manifest.get("subject") or {}).get("case")
        if not isinstance(case_name, str) or not case_name.strip():
            raise BadRequest(
                f"{shown}: its manifest names no case (subject.case); nothing was taken in"
            )
        if writing.member_sha(manifest, CASE_MEMBER) is None:
            raise BadRequest(
                f"{shown}: the bundle carries no case file ({CASE_MEMBER}); nothing was taken in"
            )
        doc = _case_document(bundle)
        if doc["case"]["name"] != case_name:
            raise BadRequest(
                f"{shown}: its case file is of case '{printable(str(doc['case']['name']))}', its"
                f" manifest of case '{printable(case_name)}'; nothing was taken in"
            )
        _same_items(shown, manifest, doc)
        _require_key_for_protected(shown, manifest)
        store = app.store(create=True)
        with store.session() as session:
            if session.scalars(select(Case.id).where(Case.name == case_name)).first():
                raise Refused(
                    f"case '{printable(case_name)}' exists in this home; import the bundle into"
                    " a home without it"
                )
        signer = _signer_of(store, manifest, outcome, key)
        dropped = [] if signer.vouched else _drop_confirmations(doc)
        folder = Path(scratch)
        carried = {
            str(entry["sha256"]): str(entry["member"])
            for entry in manifest["items"]
            if entry.get("member")
        }
        used: set[str] = set()
        names: dict[str, str] = {}  # the names of files whose bytes stayed out
        for item in doc.get("items", []):
            sha = item.get("sha256")
            if "file" in item and sha in carried:
                place = _place(item, used)
                target = folder / place
                if not target.exists():
                    bundle.extract_to(carried[sha], target, sha)
                item["file"] = place
            elif "file" in item and sha:
                names[str(sha)] = str(item.pop("file"))
        absent = {
            str(entry["sha256"]): entry
            for entry in manifest["items"]
            if entry.get("sha256") and not entry.get("member")
        }
        head = manifest["ledger"]["head"]
        recorded: list[int] = []
        import_ids: list[int] = []
        case_ids: list[int] = []

        def before_items(connection: Connection, writer: LedgerWriter, case_id: int) -> None:
            # The case must be the one this transaction made. Writers take the ledger head in
            # turn, so a case another process made since the check above (an import of the
            # same bundle, say) has its events committed by now; this one's are not yet.
            earlier = connection.execute(
                select(CustodyEvent.seq).where(CustodyEvent.case_id == case_id).limit(1)
            ).first()
            if earlier is not None:
                raise Refused(
                    f"case '{printable(case_name)}' exists in this home; import the bundle into"
                    " a home without it"
                )
            new = connection.execute(
                insert(BundleImport).values(
                    case_id=case_id,
                    manifest_sha256=bundle.manifest_sha256,
                    head_seq=int(head["seq"]),
                    head_hash=str(head["hash"]),
                    # only a signature the check verified names a signer; a manifest's word
                    # that a key signed it, with no signature to show, names nobody
                    signer=signer.fingerprint,
                    imported_at=utc_now(),
                )
            ).inserted_primary_key
            assert new is not None
            import_ids.append(int(new[0]))
            case_ids.append(case_id)
            writer.append(
                "transferred",
                case_id=case_id,
                details={
                    "what": "bundle import",
                    "manifest_sha256": bundle.manifest_sha256,
                    "from_head": {"seq": int(head["seq"]), "hash": str(head["hash"])},
                    "key": signer.name if signer.fingerprint else None,
                    "fingerprint": signer.fingerprint,
                    "vouched": signer.vouched,
                    "withheld": len(absent),
                    **({"unconfirmed": len(dropped)} if dropped else {}),
                },
            )

        def take_absent(
            connection: Connection, writer: LedgerWriter, case_id: int, item: Mapping[str, Any]
        ) -> int:
            sha = str(item["sha256"])
            entry = absent.get(sha)
            if entry is None:
                raise BadRequest(
                    f"{shown}: the case file names evidence sha256:{sha[:12]}"
                    " that the bundle neither carries nor lists as withheld"
                )
            item_id = _withheld(
                connection,
                writer,
                case_id,
                import_ids[0],
                entry,
                item,
                names.get(sha),
                bundle.manifest_sha256,
            )
            recorded.append(item_id)
            return item_id

        fresh = {sha for sha in carried if not store.vault.has(sha)}
        try:
            load_case(
                store,
                doc,
                extractors=_extractors(),
                base=folder,
                name=f"bundle {bundle.manifest_sha256[:12]}",
                before_items=before_items,
                absent=take_absent,
                bundle=bundle.manifest_sha256,
            )
        except BaseException:
            _discard_unrecorded(store, fresh)
            raise
        manifest_sha = bundle.manifest_sha256
    return Imported(
        case_name,
        manifest_sha,
        (int(head["seq"]), str(head["hash"])),
        len(manifest["items"]),
        len(recorded),
        signer.name if signer.fingerprint else None,
        list(outcome.notes) + _unconfirmed_notes(store, case_ids[0], dropped, signer.why),
    )


def _discard_unrecorded(store: Store, shas: set[str]) -> None:
    """After a load that did not commit, remove the originals it put in the vault that no item
    records: the transaction left no trace in the catalogue, and neither should the vault — a
    revealed witness's testimony, written in the clear before it is encrypted, above all."""
    if not shas:
        return
    with store.session() as session:
        recorded = set(session.scalars(select(Item.sha256).where(Item.sha256.in_(sorted(shas)))))
    for sha in sorted(shas - recorded):
        store.vault.discard(sha)


def _withheld(
    connection: Connection,
    writer: LedgerWriter,
    case_id: int,
    import_id: int,
    entry: Mapping[str, Any],
    listed: Mapping[str, Any],
    name: str | None,
    manifest_sha256: str,
) -> int:
    """One item whose bytes stayed out of the bundle: its row, receipt and withheld mark (the
    case file's loader then brings its source, credibility and fields to the listed values)."""
    sha = str(entry["sha256"])
    withheld = [str(field) for field in listed.get("withheld", [])]
    if "text" in withheld:
        note: dict[str, Any] = {"text": True}
    elif name is not None:
        note = {"file": name}
    else:
        note = {}
    row = {
        "case_id": case_id,
        "kind": str(listed.get("kind") or entry["kind"]),
        "sha256": sha,
        "size": entry.get("size"),
        "media_type": str(entry.get("media_type") or ""),
        "original_name": PurePosixPath(name).name if name else "",
        # The identifying fields the bundle withheld are marked so (the values never came);
        # with how the entry held its content, a dump names what was withheld as before.
        "fields": {field: WITHHELD_IDENTITY for field in withheld if field not in ("text", "file")},
        "meta": {"casefile": note} if note else {},
        "source_id": None,
        "credibility": None,
        "protected": bool(entry.get("protected")),
        "derived_from": None,
        "transformation": None,
        "origin": None,
        "key": listed.get("key"),
        "created_at": utc_now(),
    }
    new = connection.execute(insert(Item).values(**row)).inserted_primary_key
    assert new is not None
    item_id = int(new[0])
    reason = str(entry.get("content") or "withheld")
    connection.execute(
        insert(WithheldItem).values(item_id=item_id, reason=reason, bundle_import_id=import_id)
    )
    writer.append(
        "received",
        case_id=case_id,
        item_id=item_id,
        details={
            "kind": row["kind"],
            "sha256": sha,
            "size": row["size"],
            "content": None,
            "withheld": str(entry.get("content")),
            "state": state_digest(row),
        },
    )
    return item_id


@dataclass(frozen=True)
class BackedUp:
    path: Path
    sha256: str
    size: int
    manifest_sha256: str
    members: int
    key: str | None


def backup(
    app: Enquiry,
    output: Path,
    *,
    sign: str | None = None,
    passphrase: str | None = None,
    allow_unverified: bool = False,
    tsa: str | None = None,
    progress: Progress | None = None,
) -> BackedUp:
    """The whole home as one verifiable bundle: catalogue, vault, ledger head, keys (encrypted).

    A SQLite catalogue and a PostgreSQL one are backed up alike (as a SQLite file made from a
    consistent snapshot), so either can be restored onto either back end."""
    require_admin(app, "backup")
    refuse_home_output(app, output, inside="the home it backs up")
    store = app.store(create=False)
    signer = _signer(app, sign, passphrase)
    stamper = _stamper(tsa)
    with store.session() as session:
        blobs = sorted({str(s) for s in session.scalars(select(Item.sha256)) if s})
    verified(app, case_id=None, blobs=blobs, purpose="backup", allow_unverified=allow_unverified)
    written = _write_archive(
        output,
        progress,
        "writing backup",
        None,
        lambda advance: writing.write_backup(
            store,
            output,
            signer=signer,
            created_at=utc_now(),
            progress=advance,
            stamper=stamper,
        ),
    )
    with store.writing() as (_connection, writer):
        writer.append(
            "exported",
            details={
                "what": "backup",
                "sha256": written.sha256,
                "size": written.size,
                "manifest_sha256": written.manifest_sha256,
                "path": str(output.resolve()),
                "key": signer.name if signer else None,
                "fingerprint": signer.fingerprint if signer else None,
                "head": written.manifest["ledger"]["head"],
            },
        )
    return BackedUp(
        output,
        written.sha256,
        written.size,
        written.manifest_sha256,
        written.members,
        signer.name if signer else None,
    )


def _empty_postgresql(url: str) -> None:
    """Refuse, before anything is unpacked, a catalogue a restore cannot fill."""
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from enquiry.store.db import make_engine, public_url

    if not url.startswith("postgresql"):
        raise Refused(
            "restore puts the catalogue in SQLite inside the home, or in the PostgreSQL"
            " database ENQUIRY_DB names: unset ENQUIRY_DB or give a postgresql+psycopg:// URL"
        )
    engine = None
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            names = inspect(connection).get_table_names()
    except ArgumentError:
        # Not echoed: what cannot be parsed cannot be stripped of a password either.
        raise CatalogueError(
            "ENQUIRY_DB is not a database URL such as postgresql+psycopg://user@host:5432/name"
        ) from None
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
        password = make_url(url).password
        if password:
            reason = reason.replace(str(password), "***")
        raise CatalogueError(
            f"catalogue database {public_url(url)} cannot be opened: {reason}"
        ) from None
    finally:
        if engine is not None:
            engine.dispose()
    if names:
        raise Refused(
            f"catalogue database {public_url(url)} is not empty; restore into a new, empty database"
        )


@dataclass(frozen=True)
class Restored:
    home: Path
    files: int
    head: tuple[int, str]
    notes: list[str]
    catalogue: str  # where the catalogue now is (a SQLite file, or a URL without password)
    signer: str | None = None  # the fingerprint of the key that signed the backup
    vouched: str = ""  # what vouches for that signer (see _restore_vouched)


UNSIGNED = "unsigned"


def _restore_vouched(
    path: Path, outcome: bundle_check.Outcome, key: Path | None, accept_signer: str | None
) -> tuple[str | None, str]:
    """Who vouches for a backup about to become a whole home: ``(fingerprint, how)``.

    A backup restored becomes every case, every item and the ledger at once, and a forged one
    verifies as well as a real one: whoever makes it re-hashes its manifest, or signs it with a
    key of their own, and carries that key inside. Nothing in a new home can tell the
    mechanism's key from theirs, so the user must: with ``--key`` (the signer's public key,
    checked by the verifier), or with ``--accept-signer`` naming the fingerprint they checked
    (``unsigned`` for a backup made without ``--sign``). Otherwise the restore is refused
    before anything is unpacked."""
    shown = printable(str(path))
    fingerprint = outcome.signed_by
    if key is not None and fingerprint is not None:
        return fingerprint, "the key given (--key)"
    if key is not None:
        raise Refused(f"{shown}: the backup is not signed, so --key vouches for nothing in it")
    said = (accept_signer or "").strip().lower()
    if fingerprint is None:
        if said == UNSIGNED:
            return None, "the word of whoever restored it (--accept-signer unsigned)"
        raise Refused(
            f"{shown}: the backup is not signed, so nothing shows who made it; nothing was"
            " restored. Restore it on your own word with --accept-signer unsigned (make"
            " backups with --sign KEY)"
        )
    if said and said != UNSIGNED:
        if len(said) < 16 or any(c not in "0123456789abcdef" for c in said):
            raise BadRequest(
                f"--accept-signer {printable(accept_signer or '')}: not a key fingerprint (16 to"
                " 64 hexadecimal digits) nor 'unsigned'"
            )
        if fingerprint.startswith(said):
            return fingerprint, "its fingerprint, checked by whoever restored it (--accept-signer)"
        raise Refused(
            f"{shown}: signed by the key with fingerprint {fingerprint[:16]}, not"
            f" {printable(said[:16])} as --accept-signer says; nothing was restored"
        )
    raise Refused(
        f"{shown}: signed by a key with fingerprint {fingerprint[:16]} that nothing here vouches"
        " for; nothing was restored. Give the signer's public key with --key, or, once you have"
        f" checked that fingerprint against the mechanism's, --accept-signer {fingerprint[:16]}"
    )


def restore(
    app: Enquiry,
    path: Path,
    *,
    key: Path | None = None,
    accept_signer: str | None = None,
    progress: Progress | None = None,
) -> Restored:
    """Recreate a home from a verified backup, into a folder that is new or empty.

    Its catalogue is SQLite inside the home, or the empty PostgreSQL database ``ENQUIRY_DB``
    names, whichever back end the backup came from. Its signer must be vouched for, by ``key``
    or by ``accept_signer`` (see :func:`_restore_vouched`); the restore event records which."""
    require_admin(app, "restore")
    import os

    target = app.home
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise Refused(f"{printable(str(target))}: not empty; restore into a new folder (--home)")
    catalogue = os.environ.get("ENQUIRY_DB") or None
    if catalogue is not None:
        _empty_postgresql(catalogue)
    # the home to restore must stay empty: no private area of its own yet
    with _received(path, key, progress, None) as (bundle, outcome):
        if bundle.manifest.get("kind") != "backup":
            raise BadRequest(
                f"{printable(str(path))}: a {bundle.manifest.get('kind')} bundle, not a backup;"
                " take a case in with 'enquiry bundle import'"
            )
        signer, vouched = _restore_vouched(path, outcome, key, accept_signer)
        said = bundle.manifest.get("signer")
        signer_name = str(said.get("key") or "") if signer and isinstance(said, dict) else None
        files = writing.restore_backup(bundle, target, catalogue)
        head = bundle.manifest["ledger"]["head"]
        manifest_sha = bundle.manifest_sha256
    store = app.store(create=False)
    # the restored files on the disk before the event that says they were restored
    store.vault.sync()
    from enquiry.store.verify import verify

    report = verify(store)
    if not report.intact:
        raise Unverified(
            f"{printable(str(target))}: the restored home fails verification"
            f" ({len(report.failures)} failure(s)): {report.failures[0]}",
            report.failures,
        )
    with store.writing() as (_connection, writer):
        writer.append(
            "transferred",
            details={
                "what": "restore",
                "manifest_sha256": manifest_sha,
                "from_head": {"seq": int(head["seq"]), "hash": str(head["hash"])},
                "key": signer_name,
                "fingerprint": signer,
                "vouched": vouched,
            },
        )
    from enquiry.store.db import SQLITE_FILE, public_url

    where = public_url(catalogue) if catalogue else str(target / SQLITE_FILE)
    head_at = (int(head["seq"]), str(head["hash"]))
    return Restored(target, files, head_at, list(outcome.notes), where, signer, vouched)


DEMO_KEY = "demo"


@dataclass(frozen=True)
class DemoBundle:
    """The demonstration's signed bundle, and where its key, passphrase and public key are."""

    exported: Exported
    public_key: Path
    passphrase_file: Path


def demo_bundle(app: Enquiry, case: str, *, pdf: bool = True) -> DemoBundle:
    """Sign the demonstration case with a key of its own, named ``demo``, without asking.

    The demo's passphrase is made once and kept beside its key (``keys/demo.passphrase``,
    readable by its owner only): fine for a demonstration, never for a real key, whose
    passphrase belongs in the signer's head or a password manager.
    """
    import os
    import secrets

    from enquiry.publish import signing

    store = app.store(create=False)
    secret = signing.keys_folder(store.home) / f"{DEMO_KEY}.passphrase"
    if DEMO_KEY not in {view.name for view in keys.list_keys(app)}:
        signing.keys_folder(store.home).mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(24) + "\n")
        keys.create(app, DEMO_KEY, secret.read_text(encoding="utf-8").strip())
    passphrase = secret.read_text(encoding="utf-8").strip()
    folder = store.home / "bundles"
    folder.mkdir(exist_ok=True)
    public = folder / f"{DEMO_KEY}.pub.json"
    public.write_text(signing.public_text(keys.public_document(app, DEMO_KEY)), encoding="utf-8")
    exported = export_bundle(
        app,
        folder / f"{case}.zip",
        case=case,
        sign=DEMO_KEY,
        passphrase=passphrase,
        pdf=pdf,
        inside_home=True,
    )
    return DemoBundle(exported, public, secret)
