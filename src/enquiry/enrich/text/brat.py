"""Reading attribution annotations in brat standoff form (the PolNeAR corpus layout).

Cue lexicons and dependency patterns are learnt from such annotations, and the extractor is
measured against them, so the reader lives beside the extractor rather than in a script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("source", "cue", "content")


@dataclass(frozen=True)
class GoldSpan:
    """A possibly discontinuous span: ``fragments`` are (start, end) character offsets."""

    fragments: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass
class GoldRelation:
    """One annotated attribution: cue and content always, a source when one is stated."""

    cue: GoldSpan
    content: GoldSpan | None
    source: GoldSpan | None


@dataclass
class GoldArticle:
    """An article's text and one annotator's attributions of it."""

    name: str
    text: str
    relations: list[GoldRelation] = field(default_factory=list)


def _parse_span(offsets: str) -> GoldSpan:
    fragments = []
    for piece in offsets.split(";"):
        start, end = piece.split()
        fragments.append((int(start), int(end)))
    return GoldSpan(tuple(sorted(fragments)))


def read_ann(path: Path) -> list[GoldRelation]:
    """The attribution relations of one ``.ann`` file."""
    spans: dict[str, GoldSpan] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            _label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = _parse_span(offsets)
        elif line.startswith("E") and len(parts) >= 2:
            args = dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg)
            events.append({key.lower(): value for key, value in args.items()})
    relations = []
    for event in events:
        cue = spans.get(event.get("cue", ""))
        if cue is None:
            continue
        relations.append(
            GoldRelation(
                cue=cue,
                content=spans.get(event.get("content", "")),
                source=spans.get(event.get("source", "")),
            )
        )
    return relations


def read_split(folder: Path, *, one_annotator: bool = True) -> list[GoldArticle]:
    """Every article of a split (``folder/text``, ``folder/attributions``).

    With ``one_annotator`` an article annotated twice counts once (its first annotation file in
    name order), so that doubly annotated articles do not weigh double in learning or scoring.
    """
    articles = []
    seen: set[str] = set()
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        if one_annotator and name in seen:
            continue
        seen.add(name)
        text_path = folder / "text" / f"{name}.txt"
        if not text_path.is_file():
            continue
        text = text_path.read_text(encoding="utf-8")
        articles.append(GoldArticle(name=name, text=text, relations=read_ann(ann)))
    return articles
