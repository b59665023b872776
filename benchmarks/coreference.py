"""Pronoun speakers on PolNeAR dev: how many are found, and whom they are resolved to.

    .venv/bin/python benchmarks/coreference.py [--data ../shared/data/polnear/dev]

Every gold relation of the development split whose source is a pronoun ("he", "she", "they",
"it", ...) is looked up among the extracted claims (a claim whose source span is that pronoun).
PolNeAR marks no antecedents, so whom a pronoun means was read by hand for a sample — every
eighth "he"/"she"/"they"/"it" source in article and offset order, 45 of 359 —
in ``benchmarks/data/polnear_dev_pronouns.tsv`` (a word of the antecedent's name; ``-`` when it
is no named speaker, such as "the ad", ``?`` when unclear). A resolution is right when the
claim's actor contains that word. Baseline in the same run: the rules alone (no learnt given
names, no learnt relation model).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.text.attribution import AttributionExtractor  # noqa: E402
from enquiry.enrich.text.brat import read_split  # noqa: E402
from enquiry.enrich.text.claims import ClaimExtractor  # noqa: E402

PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "us"}
LABELS = ROOT / "benchmarks" / "data" / "polnear_dev_pronouns.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/polnear/dev")
    args = parser.parse_args()
    articles = read_split(args.data)
    labels = {}
    for line in LABELS.read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        article, start, _pronoun, antecedent = line.split("\t")
        labels[(article, int(start))] = antecedent
    gold = [
        (
            article.name,
            relation.source.start,
            article.text[relation.source.start : relation.source.end],
        )
        for article in articles
        for relation in article.relations
        if relation.source is not None
        and article.text[relation.source.start : relation.source.end].strip().lower() in PRONOUNS
    ]
    print(
        f"PolNeAR {args.data.name}: {len(gold)} gold relations whose source is a pronoun "
        f"({dict(Counter(word.lower() for _, _, word in gold).most_common())})"
    )
    print(f"{'run':<24}{'found':>7}{'named':>7}{'sample right':>14}{'of found':>10}")
    for run, learnt in (("rules alone (baseline)", False), ("rules + learnt model", True)):
        extractor = ClaimExtractor(AttributionExtractor(learnt=learnt))
        actors: dict[tuple[str, int], str | None] = {}
        texts = ((article.text, None) for article in articles)
        for piece, records in zip(articles, extractor.extract_many(texts), strict=True):
            for record in records:
                source = record.attribution.source
                if source is not None:
                    speaker = record.speaker
                    resolved = speaker is not None and bool(speaker.resolved_from)
                    actors[(piece.name, source.start)] = (
                        speaker.name if resolved and speaker else None
                    )
        found = [(a, s) for a, s, _ in gold if (a, s) in actors]
        named = [key for key in found if actors[key]]
        judged = {key: value for key, value in labels.items() if value not in ("-", "?")}
        right = sum(
            1
            for key, antecedent in judged.items()
            if actors.get(key)
            and any(word.lower() in str(actors[key]).lower() for word in antecedent.split("|"))
        )
        reached = sum(1 for key in judged if key in actors)
        print(
            f"{run:<24}{len(found):>7}{len(named):>7}{f'{right}/{len(judged)}':>14}"
            f"{f'{right}/{reached}':>10}"
        )


if __name__ == "__main__":
    main()
