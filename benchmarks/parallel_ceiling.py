"""What two processes get from this machine at this moment: the ceiling of local:2 / local:1.

The cluster benchmark (``scale_intake.py``) compares one worker against two on the same machine,
so its ratio can be no better than what two processes doing the same work at once get from the
machine's cores. This runs the workers' own work — the claims of 30 news articles (spaCy and the
attribution model, loaded before the clock starts) and the readers of 20 photos (decoding,
metadata, perceptual hashes) — first in one process, then in two at once, and prints for each
``2 × alone / slower of the two``: 2.0 on two free cores, less when the cores are shared with
other work, or when the work is bound by something the two processes share (memory bandwidth).
Each child is single-threaded (BLAS too), as a cluster worker is. Usage:

    .venv/bin/python benchmarks/parallel_ceiling.py [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_intake import build

# Each child warms up on a little of the work (imports, model loading), then times the rest.
_CLAIMS = """
import sys, time
from pathlib import Path
from enquiry.enrich.text.enrichers import default_claim_extractor
extractor = default_claim_extractor()
texts = [p.read_text() for p in sorted(Path(sys.argv[1]).glob('article-*.txt'))[:30]]
list(extractor.extract_many([(t, None) for t in texts[:2]]))
start = time.perf_counter()
list(extractor.extract_many([(t, None) for t in texts]))
print(time.perf_counter() - start)
"""
_PHOTOS = """
import sys, time
from pathlib import Path
from enquiry.enrich import default_extractors
readers = default_extractors()
photos = sorted(Path(sys.argv[1]).glob('photo-*.jpg'))
def read(paths):
    for path in paths:
        for reader in readers:
            try:
                reader.extract(path, 'image/jpeg')
            except Exception:
                pass
read(photos[:2])
start = time.perf_counter()
read(photos)
print(time.perf_counter() - start)
"""
WORK = {"claims": _CLAIMS, "photos": _PHOTOS}


def _start(code: str, corpus: Path) -> subprocess.Popen[str]:
    single = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    return subprocess.Popen(
        [sys.executable, "-c", code, str(corpus)],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, **single),
    )


def ceiling(kind: str, corpus: Path) -> tuple[float, float, float]:
    """Seconds alone, seconds of the slower of two at once, and 2 × alone / that."""
    alone = float(_start(WORK[kind], corpus).communicate()[0])
    pair = [_start(WORK[kind], corpus) for _ in range(2)]
    slower = max(float(p.communicate()[0]) for p in pair)
    return alone, slower, 2 * alone / slower


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="parallel-ceiling-"))
    try:
        build(workdir / "corpus", 30, 20, 0)
        for _ in range(args.rounds):
            for kind in WORK:
                alone, slower, ratio = ceiling(kind, workdir / "corpus")
                print(
                    f"{kind:>7}: alone {alone:5.2f} s, two at once {slower:5.2f} s ->"
                    f" {ratio:.2f}x of 2.00; load average {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
