"""Truth discovery over a reports file: the service behind ``enquiry truth estimate``.

It needs no home: an outsider hands in a CSV of who reported what about which claim (and,
optionally, the outcomes already known) and gets every claim's p_true and verdict and every
source's reliability back (:func:`enquiry.analysis.truth.estimate`). Both files are hostile
input: a wrong encoding, a missing column, an unknown stance or truth value, an empty file is
refused with one line naming the file, the line and the problem.

Stances missing from the file can be predicted from each report's ``text`` toward its
``claim_text`` by the project's stance model, through :func:`predicted_stances` alone, which
also holds the one mapping from the model's labels to a report's stance; the predicted
stance's probabilities go with the report, and the estimator weighs it by them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from enquiry.analysis.truth import STANCES, TRUTHS, Report, TruthResult, estimate
from enquiry.app.lookup import require_regular_file
from enquiry.errors import BadRequest
from enquiry.intake.walk import printable
from enquiry.progress import Progress, Silent

MAX_BYTES = 256 * 1024 * 1024
"""Largest reports or outcomes file read (a quarter of a gigabyte of CSV)."""
MAX_FIELD = 1024 * 1024
"""Longest cell (a report's text) read."""
STANCE_BATCH = 256
"""Reports whose stance is predicted per call of the model (the bar moves between calls)."""

STANCE_OF_LABEL = {
    "for": "for",
    "against": "against",
    "observing": "observing",
    "supports": "for",
    "agree": "for",
    "refutes": "against",
    "disagree": "against",
    "discusses": "observing",
    "discuss": "observing",
    "unrelated": "observing",
    "neutral": "observing",
}
"""A stance model's label -> a report's stance: supports -> for, refutes -> against,
discusses or unrelated -> observing (and the sentence model's own for / against / observing)."""


Predicted = tuple[str, tuple[float, float, float] | None]
"""A predicted stance and, when the model gives them, P(for), P(against), P(observing)."""


def predicted_stances(claims: Sequence[str], texts: Sequence[str]) -> list[Predicted]:
    """The stance of each text toward its claim by the project's current stance model, with
    the model's calibrated probabilities summed onto the three stances (:data:`STANCE_OF_LABEL`)
    when it gives them; the stance is then the likeliest of the three. The estimator weighs a
    report by these probabilities, so an unsure prediction counts for little."""
    from enquiry.enrich.text.embed import default_embedder
    from enquiry.enrich.text.stance import default_model

    found = default_model().predict(list(claims), list(texts), default_embedder())
    return [as_report_stance(stance) for stance in found]


def as_report_stance(stance: object) -> Predicted:
    """A stance model's answer for one text (a label, and its ``probabilities`` when it has
    them) as a report's stance and P(for), P(against), P(observing)."""
    label = _stance_of(str(getattr(stance, "label", stance)))
    probabilities = getattr(stance, "probabilities", None)
    if not probabilities:
        return label, None
    summed = dict.fromkeys(STANCES, 0.0)
    for name, p in probabilities.items():
        summed[_stance_of(str(name))] += float(p)
    total = sum(summed.values())
    if not total > 0.0:
        raise BadRequest("the stance model gave no probability to any stance")
    scores = (summed["for"] / total, summed["against"] / total, summed["observing"] / total)
    return STANCES[max(range(3), key=lambda n: scores[n])], scores


def _stance_of(label: str) -> str:
    stance = STANCE_OF_LABEL.get(label.lower())
    if stance is None:
        raise BadRequest(f"the stance model gave the label '{printable(label)}', unknown here")
    return stance


def stances_from_text(claims: Sequence[str], texts: Sequence[str]) -> list[str]:
    """The stance of each text toward its claim, by the project's current stance model."""
    return [stance for stance, _ in predicted_stances(claims, texts)]


def _rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> list[dict[str, str]]:
    """The file's rows as dicts of stripped cells, each with its line number under ``#line``."""
    name = printable(str(path))
    require_regular_file(path, folder="give a CSV file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BadRequest(f"{name}: {size} bytes; at most {MAX_BYTES} are read")
        data = path.read_bytes()
    except OSError as exc:
        raise BadRequest(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadRequest(
            f"{name} line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise BadRequest(f"{name} line {line}: a NUL character; this is not a CSV text file")
    if not text.strip():
        raise BadRequest(f"{name}: empty; expected a header line with {', '.join(required)}")
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
        missing = [column for column in required if column not in header]
        if missing:
            raise BadRequest(
                f"{name} line 1: no column {', '.join(repr(m) for m in missing)} "
                f"(needs {', '.join(required)}; may have {', '.join(optional)})"
            )
        rows = []
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise BadRequest(
                    f"{name} line {line}: {len(cells)} cells, but the header names {len(header)}"
                )
            row = {
                column: cells[n].strip() if n < len(cells) else ""
                for n, column in enumerate(header)
            }
            row["#line"] = str(line)
            rows.append(row)
    except csv.Error as exc:
        raise BadRequest(f"{name} line {reader.line_num}: not valid CSV ({exc})") from None
    if not rows:
        raise BadRequest(f"{name}: a header but no rows")
    return rows


def read_reports(path: Path, *, stance_from_text: bool = False) -> list[Report]:
    """Reports from a CSV with ``claim, source, stance`` and optionally ``date, text,
    claim_text`` (an empty cell means not given). With ``stance_from_text``, an empty stance is
    predicted from ``text`` toward ``claim_text``."""
    return _read_reports(path, stance_from_text, Silent())[0]


def _read_reports(
    path: Path, stance_from_text: bool, progress: Progress
) -> tuple[list[Report], int]:
    name = printable(str(path))
    rows = _rows(path, ("claim", "source", "stance"), ("date", "text", "claim_text"))
    wanted: list[int] = []
    for n, row in enumerate(rows):
        where = f"{name} line {row['#line']}"
        for column in ("claim", "source"):
            if not row[column]:
                raise BadRequest(f"{where}: no {column}")
        stance = row["stance"].lower()
        if not stance:
            if not stance_from_text:
                raise BadRequest(
                    f"{where}: no stance (give for, against or observing, or use "
                    "--stance-from-text with text and claim_text)"
                )
            if not row.get("text") or not row.get("claim_text"):
                raise BadRequest(f"{where}: no stance, and no text and claim_text to predict it")
            wanted.append(n)
        elif stance not in STANCES:
            raise BadRequest(
                f"{where}: stance '{printable(row['stance'][:40])}' is not for, against or "
                "observing"
            )
        if row.get("date"):
            try:
                dt.date.fromisoformat(row["date"][:10])
            except ValueError:
                raise BadRequest(
                    f"{where}: date '{printable(row['date'][:40])}' is not a date such as "
                    "2015-03-06"
                ) from None
        row["stance"] = stance
    scores: dict[int, tuple[float, float, float] | None] = {}
    if wanted:
        progress.start("predicting stances", len(wanted), "report")
        for start in range(0, len(wanted), STANCE_BATCH):
            batch = wanted[start : start + STANCE_BATCH]
            predicted = predicted_stances(
                [rows[n]["claim_text"] for n in batch], [rows[n]["text"] for n in batch]
            )
            for n, (stance, found) in zip(batch, predicted, strict=True):
                rows[n]["stance"] = stance
                scores[n] = found
            progress.advance(len(batch))
        progress.finish()
    reports = [
        Report(
            claim=row["claim"],
            source=row["source"],
            stance=row["stance"],
            date=row.get("date") or None,
            text=row.get("text") or None,
            scores=scores.get(n),
        )
        for n, row in enumerate(rows)
    ]
    return reports, len(wanted)


def read_known(path: Path) -> dict[str, str]:
    """Outcomes from a CSV with ``claim, truth`` (true / false / unknown)."""
    name = printable(str(path))
    known: dict[str, str] = {}
    for row in _rows(path, ("claim", "truth"), ()):
        where = f"{name} line {row['#line']}"
        if not row["claim"]:
            raise BadRequest(f"{where}: no claim")
        truth = row["truth"].lower()
        if truth not in TRUTHS:
            raise BadRequest(
                f"{where}: truth '{printable(row['truth'][:40])}' is not true, false or unknown"
            )
        if known.get(row["claim"], truth) != truth:
            raise BadRequest(f"{where}: claim '{printable(row['claim'][:80])}' has two outcomes")
        known[row["claim"]] = truth
    return known


@dataclass(frozen=True)
class Estimated:
    """The estimate and what it was made from."""

    result: TruthResult
    reports: int
    predicted_stances: int


def estimate_file(
    reports_path: Path,
    known_path: Path | None = None,
    *,
    stance_from_text: bool = False,
    progress: Progress | None = None,
) -> Estimated:
    """Read the reports (and outcomes), and estimate every claim and source at once."""
    progress = progress or Silent()
    reports, predicted = _read_reports(reports_path, stance_from_text, progress)
    known = read_known(known_path) if known_path is not None else {}
    progress.start("estimating claims and sources", None, "step")
    result = estimate(reports, known)
    progress.finish()
    return Estimated(result, len(reports), predicted)
