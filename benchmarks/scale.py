"""The scale-out benchmarks of docs/scale.md, one command for all of them.

Each part is its own script (so it can be run, profiled and re-run alone); this driver runs the
parts asked for, one after another, with the arguments given after ``--``:

    .venv/bin/python benchmarks/scale.py [--part a,b,c,d] [-- ARGS FOR THE PART]

(a) intake + enrichment with ``--cluster local:1`` against ``local:2`` (scale_intake.py);
(b) a PostgreSQL catalogue of a million items: p95 of the pages users open, against the plain
    SQL query (scale_catalogue.py);
(c) near-duplicate search at a million stored photos: recall against today's default and
    ``--deep``, query p50/p95, index memory (scale_match.py);
(d) per-core perceptual hashing of photos and video against bare decode + PDQ (media_speed.py).

Each part prints its own baseline, its figures and the ratio; docs/benchmarks.md keeps the
results with the exact commands.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = {
    "a": "scale_intake.py",
    "b": "scale_catalogue.py",
    "c": "scale_match.py",
    "d": "media_speed.py",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in args:
        at = args.index("--")
        args, extra = args[:at], args[at + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="a,b,c,d", help="parts to run, e.g. a,c")
    chosen = [p.strip() for p in parser.parse_args(args).part.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        parser.error(f"--part: no such part {', '.join(unknown)} (a, b, c or d)")
    status = 0
    for part in chosen:
        script = HERE / PARTS[part]
        print(f"== ({part}) {script.name} {' '.join(extra)}".rstrip(), flush=True)
        done = subprocess.run([sys.executable, str(script), *extra], check=False)
        status = status or done.returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
