"""The JSON the API answers with, as pydantic models: they document every response in
``/openapi.json`` and keep a route from handing out a field the core did not mean to show.

Each model mirrors a result of a core service (``from_core`` builds it from the dataclass);
withheld values arrive already withheld — the models only carry them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


class CaseOut(BaseModel):
    name: str
    created_at: str
    items: int = Field(description="How many of its items you may see")


class ItemRowOut(BaseModel):
    id: int
    sha256: str | None
    kind: str
    size: int | None
    title: str = Field(description="Its title field or arrival name; withheld when protected")
    source: str | None
    protected: bool
    case: str


class ItemPageOut(BaseModel):
    items: list[ItemRowOut]
    total: int = Field(description="How many items match in all (that you may see)")
    offset: int
    limit: int
    total_exact: bool = Field(
        default=True,
        description="False when more items match than are counted (10,000): total is a floor",
    )


class CustodyLineOut(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    identified_by: str | None = Field(
        default=None,
        description="How the actor was established: 'API token enq_…', 'web session …',"
        " 'command line, --as', … (null for events recorded before this was kept)",
    )


class FindingOut(BaseModel):
    type: str
    severity: str
    message: str
    enricher: str
    created_at: str
    inputs: dict[str, Any]


class SampleCustodyOut(BaseModel):
    """One finding on an environmental sample's recorded chain of custody."""

    code: str = Field(description="What is wrong: no-chain, gap-in-chain, seal-changed, ...")
    severity: str = Field(description="break (the chain does not hold) or warning")
    handovers: list[int] = Field(description="Hand-overs concerned, numbered from 1")
    message: str = Field(description="One plain sentence")


class SampleCheckOut(BaseModel):
    """One environmental sample of the case with findings on its chain of custody."""

    item: int
    key: str | None
    title: str
    protected: bool
    breaks: int
    warnings: int
    findings: list[SampleCustodyOut]


class CaseCustodyCheckOut(BaseModel):
    """The case-wide check of the samples' chains of custody (``enquiry case custody-check``):
    how many samples you may see were checked, how many have a break, and those with findings."""

    case: str
    checked: int
    broken: int = Field(description="Samples with at least one break: what fails the check")
    samples: list[SampleCheckOut]


class PreviewOut(BaseModel):
    """What a preview of the item shows you (``GET /items/{item}/preview``): the item itself,
    its newest confirmed redaction in place of a protected or sensitive photo or video (who
    confirmed it, when), or nothing and why."""

    item: int
    shown_item: int | None = Field(description="The item whose bytes a preview sends; null: none")
    redacted: bool = Field(description="Whether they are a confirmed redaction, not the original")
    media_type: str | None = None
    confirmed_by: str | None = None
    confirmed_at: str | None = None
    withheld: str | None = Field(default=None, description="Why nothing is shown, if so")


class ItemOut(BaseModel):
    """One item with its provenance, custody and media-consistency findings."""

    id: int
    case: str
    kind: str
    sha256: str | None
    size: int | None
    media_type: str
    name: str
    fields: dict[str, Any]
    metadata: dict[str, Any]
    source: str | None
    protected: bool
    derived_from: int | None
    transformation: dict[str, Any] | None
    origins: list[str]
    custody: list[CustodyLineOut]
    findings: list[FindingOut]
    text: dict[str, str] | None = Field(
        default=None, description="Extracted texts by extractor, when asked for with text=true"
    )
    withheld: list[str] = Field(description="Names of the fields withheld from you")
    sealed_at: str | None = None
    preview: PreviewOut | None = Field(
        default=None, description="What a preview shows you; null for an item without bytes"
    )
    sample_custody: list[SampleCustodyOut] | None = Field(
        default=None,
        description="An environmental sample's chain of custody checked hand-over by"
        " hand-over (null for any other item); for a protected sample whose custody is"
        " withheld from you, the findings quote no name, seal or time",
    )


class EventOut(BaseModel):
    """One custody or audit event of the tamper-evident ledger."""

    seq: int
    at: str
    actor: str
    action: str
    case: int | None
    item: int | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class DerivedOut(BaseModel):
    item_id: int | None = Field(description="The new item, if it was stored")
    derived_from: int
    how: str
    problems: list[str]


class UploadedFileOut(BaseModel):
    filename: str
    status: str = Field(description="stored, duplicate, rejected, ...")
    item_id: int | None
    sha256: str | None
    kind: str | None
    problems: list[str]


class UploadOut(BaseModel):
    case: str
    files: list[UploadedFileOut]
    stored: int
    summary: str


class ClaimOut(BaseModel):
    """A claim as shown; a protected item's words and speaker are withheld unless revealed."""

    id: int
    item_id: int | None
    item: str | None
    actor_id: int | None
    actor: str | None
    source: dict[str, Any] | None
    cue: dict[str, Any]
    content: dict[str, Any]
    date: str | None
    date_phrase: str | None
    withheld: bool


class ClaimPageOut(BaseModel):
    claims: list[ClaimOut]
    total: int
    offset: int
    limit: int


class AcceptIn(BaseModel):
    """Accept a claim's suggested stance toward a hypothesis as a rating (or give one)."""

    model_config = ConfigDict(extra="forbid")

    hypothesis: str = Field(
        min_length=1, max_length=200, description="H1, INCIDENT/H1 or its number"
    )
    rating: str | None = Field(
        default=None, description="CC, C, N, I, II or NA; the suggestion's when left out"
    )
    rationale: str = Field(default="", max_length=20_000)


class AcceptedOut(BaseModel):
    rating_id: int
    claim_id: int
    hypothesis: str
    incident: str
    rating: str
    rationale: str
    analyst: str
    from_suggestion: dict[str, Any] | None


class AnalysisOut(BaseModel):
    """The engine's published result for an incident (the ``enquiry analyse --json`` form);
    further keys of the engine's result are passed through as they are."""

    model_config = ConfigDict(extra="allow")

    incident: str
    title: str
    hypotheses: list[dict[str, Any]]
    leading: str | None = None
    band: str | None = None
    band_range: list[float] | None = None
    confidence: str | None = None
    statement: str | None = None
    sensitivity: dict[str, Any] | None = None
    warnings: list[str] = []
    matrix: dict[str, Any] | None = None
    inputs_sha256: str
    engine_version: str


class HitOut(BaseModel):
    """An item or claim found; ``marks`` are the matched words' offsets in ``snippet``."""

    type: str = Field(description="item or claim")
    id: int
    case: str
    title: str
    snippet: str
    marks: list[list[int]]
    marked: str = Field(description="The snippet with each match between « and »")
    score: float
    kind: str
    source: str | None
    grade: str | None
    party: str | None
    date: str | None
    item_id: int | None
    protected: bool


class FacetCountOut(BaseModel):
    value: str | None
    count: int


class SearchOut(BaseModel):
    query: str
    semantic: bool
    total: int
    total_exact: bool = Field(
        description="False when the query matches more than `window`: `total` is then the"
        " window (more than that many) and the hits the best of the window's newest matches"
    )
    facets_exact: bool = Field(
        description="False when the facets count the window's matches only, not all of them"
    )
    window: int = Field(
        description="How many matches a query is ranked and faceted over (all with every_match)"
    )
    offset: int
    limit: int
    hits: list[HitOut]
    facets: dict[str, list[FacetCountOut]] = Field(
        description="For each facet (kind, source, grade, party, month), the hits per value"
    )


# --- the matrix, hypotheses, ratings, analysis runs and review ---------------------------------


class HypothesisColumnOut(BaseModel):
    """One column of the matrix: a hypothesis as the engine gets it."""

    key: str
    label: str
    description: str
    prior: float | None
    is_other: bool


class AnalystRatingOut(BaseModel):
    analyst: str
    rating: str | None
    likelihood: float | None
    rationale: str
    at: str
    earlier_wording: bool = Field(
        default=False,
        description="Made under an earlier wording of the hypothesis than the one it has now",
    )


class CellOut(BaseModel):
    """A cell: the rating that counts (the latest) and each analyst's latest beside it."""

    rating: str | None
    likelihood: float | None
    rationale: str
    analyst: str
    at: str
    analysts: list[AnalystRatingOut]
    disagreement: bool
    spread: int | None = Field(description="Steps apart on II < I < N < C < CC, if comparable")
    ratings: int = Field(description="How many ratings the cell has had")
    earlier_wording: bool = Field(
        default=False,
        description="No rating of the cell judged the hypothesis's current wording: the cell"
        " does not count (taken as unrated) until an analyst rates it again",
    )
    set_aside: int = Field(
        default=0, description="How many analysts' latest ratings judged an earlier wording"
    )


class MatrixRowOut(BaseModel):
    """A row: an item or a claim, its grade, and its cells by hypothesis key."""

    evidence: str
    target: str = Field(description="item or claim")
    target_id: int
    label: str
    kind: str
    source: str | None
    reliability: str
    credibility: int
    protected: bool
    sealed: bool
    cluster: str | None
    counted: bool = Field(description="In the engine's input (rated at least once)")
    cells: dict[str, CellOut]


class MatrixOut(BaseModel):
    """The incident's hypotheses × evidence as you may see it."""

    incident: str
    title: str
    case: str
    hypotheses: list[HypothesisColumnOut]
    rows: list[MatrixRowOut]
    disagreements: int


class HypothesisIn(BaseModel):
    """A new hypothesis of the incident."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=40, description="e.g. H5")
    label: str = Field(min_length=1, max_length=500)
    description: str = Field(default="", max_length=20_000)
    prior: float | None = Field(default=None, gt=0, le=1)
    other: bool = Field(default=False, description="The incident's one catch-all hypothesis")


class HypothesisUpdateIn(BaseModel):
    """A change of a hypothesis: what changes, and why (the rationale is required)."""

    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=20_000)
    prior: float | None = Field(default=None, gt=0, le=1)
    clear_prior: bool = Field(default=False, description="Let the engine share the mass again")
    rationale: str = Field(min_length=1, max_length=20_000)


class HypothesisOut(BaseModel):
    incident: str
    key: str
    label: str
    description: str
    prior: float | None
    is_other: bool
    changed: dict[str, Any] = Field(description="What a change set (empty for a new one)")
    was: dict[str, Any] = Field(description="What the changed values were")


class RatingIn(BaseModel):
    """A rating of how an item or a claim bears on one hypothesis (give one of item, claim)."""

    model_config = ConfigDict(extra="forbid")

    hypothesis: str = Field(min_length=1, max_length=40, description="The hypothesis key, H1")
    item: str | None = Field(
        default=None, min_length=1, max_length=80, description="Its number or SHA-256 prefix"
    )
    claim: int | None = Field(default=None, ge=1, le=2**62)
    rating: str = Field(min_length=1, max_length=4, description="CC, C, N, I, II or NA")
    rationale: str = Field(min_length=1, max_length=20_000)


class RatedOut(BaseModel):
    rating_id: int
    incident: str
    hypothesis: str
    target: str
    target_id: int
    rating: str
    rationale: str
    analyst: str
    previous: str | None = Field(description="The rating that counted before this one")
    previous_analyst: str | None


class FindingStandingOut(BaseModel):
    """Whether a stored finding's numbers still hold (see ``enquiry finding``)."""

    status: str = Field(description="current, stale, altered or unverified")
    explanation: str
    current_inputs_hash: str
    result_sha256: str = Field(description="SHA-256 of the stored result: what a sign-off binds")


class SignOffStandingOut(BaseModel):
    """A reviewer's sign-off of one of the incident's findings, and whether it still holds."""

    comment_id: int
    finding_id: int
    author: str
    created_at: str
    statement: str
    inputs_hash: str
    status: str = Field(description="current, stale, altered, unverified or unbound")
    explanation: str
    rated_by_author: bool = Field(
        default=False,
        description="Its author had rated evidence of the incident when the finding was run:"
        " not an independent review",
    )


class StoredAnalysisOut(BaseModel):
    """A stored finding: the analysis result with what it was computed from. For a user who
    may not know protected items exist, rows naming them are left out (its numbers count
    them)."""

    finding_id: int
    incident: str
    created_at: str
    inputs_hash: str = Field(description="SHA-256 of the exact analysis input")
    engine_version: str
    result: dict[str, Any]
    standing: FindingStandingOut | None = Field(
        default=None,
        description="Whether the stored numbers are still what the catalogue gives: current, "
        "stale, altered or unverified",
    )
    sign_offs: list[SignOffStandingOut] = Field(
        default_factory=list,
        description="Every sign-off of the incident's findings, with whether it still holds",
    )


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(
        default="case",
        min_length=1,
        max_length=300,
        description="case, incident:SLUG, finding:N, item:N, claim:N, hypothesis:KEY, "
        "cell:KEY/item:N or cell:KEY/claim:N",
    )
    body: str = Field(min_length=1, max_length=20_000)


class SignOffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding_id: int = Field(ge=1, le=2**62, description="The incident's latest finding")
    statement: str = Field(min_length=1, max_length=20_000)


class CommentOut(BaseModel):
    id: int
    case: str
    subject: str
    kind: str = Field(description="comment or sign-off")
    author: str
    body: str
    created_at: str
