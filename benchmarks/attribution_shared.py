"""Attribution on PolNeAR dev, scored by the shared scorer (``../shared/eval/polnear_score.py``).

    .venv/bin/python benchmarks/attribution_shared.py [--data ../shared/data/polnear/dev]
        [--rules-only] [--out DIR]

Writes, for every article, what ``enquiry claims extract FILE --json`` prints for it (the same
``ClaimExtractor`` and ``as_dict``, in one process rather than one process per article), then
runs the shared scorer over that folder with ``--pred``. The baseline named in the same run is
the rules alone (``--rules-only`` prints only that), i.e. the extractor without its learnt
models; a middle run has the learnt filter but not the learnt choice of spans.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.text.attribution import AttributionExtractor  # noqa: E402
from enquiry.enrich.text.brat import read_split  # noqa: E402
from enquiry.enrich.text.claims import ClaimExtractor  # noqa: E402

SCORER = ROOT.parent / "shared" / "eval" / "polnear_score.py"


def predict(data: Path, out: Path, learnt: bool, spans: bool = True) -> float:
    """Write one ``{"claims": [...]}`` file per article; the seconds it took. ``spans=False``:
    the learnt filter without the learnt choice of spans."""
    articles = read_split(data)
    attribution = AttributionExtractor(learnt=learnt)
    if not spans:
        attribution.spans = None
    extractor = ClaimExtractor(attribution)
    began = time.perf_counter()
    found = extractor.extract_many((article.text, None) for article in articles)
    for article, records in zip(articles, found, strict=True):
        claims = [record.as_dict() for record in records]
        (out / f"{article.name}.json").write_text(json.dumps({"claims": claims}), "utf-8")
    return time.perf_counter() - began


def score(data: Path, out: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(SCORER), str(data), "--pred", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def f1_of(result: dict[str, Any], key: str) -> float:
    """The F1 of one measure of the scorer's output (it names it "f1" or "f")."""
    measure = result[key]
    return float(measure["f1"] if "f1" in measure else measure["f"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/polnear/dev")
    parser.add_argument("--rules-only", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    runs = [("rules alone (baseline)", False, False)] + (
        []
        if args.rules_only
        else [("rules + filter, no spans", True, False), ("rules + learnt models", True, True)]
    )
    rows = []
    for name, learnt, spans in runs:
        with tempfile.TemporaryDirectory() as folder:
            label = ("learnt" if spans else "filter") if learnt else "rules"
            out = args.out / label if args.out else Path(folder)
            out.mkdir(parents=True, exist_ok=True)
            seconds = predict(args.data, out, learnt, spans)
            rows.append((name, score(args.data, out), seconds))
    print(f"{'run':<26}{'relation':>9}{'source':>8}{'cue':>8}{'content':>8}{'pred':>6}{'gold':>6}")
    for name, result, seconds in rows:
        f1 = {
            key: f1_of(result, key)
            for key in ("relation", "source_soft", "cue_soft", "content_soft")
        }
        print(
            f"{name:<26}{f1['relation']:9.3f}{f1['source_soft']:8.3f}{f1['cue_soft']:8.3f}"
            f"{f1['content_soft']:8.3f}{result['pred_relations']:>6}{result['gold_relations']:>6}"
            f"  ({seconds:.1f} s)"
        )
    for name, result, _ in rows:
        print(f"\n{name}:\n{json.dumps(result)}")


if __name__ == "__main__":
    main()
