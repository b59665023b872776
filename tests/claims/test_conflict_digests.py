"""News digests about the Khan Shaykhun attack, written for these tests in the style of
wire reports (datelines, long reports before their speaker, Arabic and Russian names, unnamed
officials, casualty figures, transcript turns). Every attribution in them was read by hand;
``conflict_digests.tsv`` lists each one: the source as written, the cue, the first words of
the content and the actor it names. The extractor must find each, and nothing else."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from enquiry.enrich.text.claims import ClaimExtractor

DATA = Path(__file__).parent / "digests"


def _expected() -> dict[str, list[tuple[str, str, str, str]]]:
    rows: dict[str, list[tuple[str, str, str, str]]] = {}
    with (DATA / "conflict_digests.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or row[0].startswith("#"):
                continue
            digest, source, cue, content, actor = row
            rows.setdefault(digest, []).append((source, cue, content, actor))
    return rows


EXPECTED = _expected()


@pytest.mark.parametrize("digest", sorted(EXPECTED))
def test_every_statement_of_the_digest_and_nothing_else(
    claim_extractor: ClaimExtractor, digest: str
) -> None:
    text = (DATA / digest).read_text("utf-8")
    found = []
    for record in claim_extractor.extract(text):
        attribution = record.attribution
        source = attribution.source.text if attribution.source is not None else "-"
        actor = record.speaker.name if record.speaker is not None else "-"
        found.append((source, attribution.cue.text, attribution.content.text, actor))
    expected = EXPECTED[digest]
    for source, cue, content, actor in expected:
        match = [f for f in found if f[1] == cue and f[2].startswith(content)]
        assert match, f"{digest}: no claim {cue!r} {content!r}"
        assert (match[0][0], match[0][3]) == (source, actor), f"{digest}: {cue!r} {content!r}"
    assert len(found) == len(expected), [f[:3] for f in found]
