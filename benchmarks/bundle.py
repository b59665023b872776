"""Bundle export and verification of a 1 GB case, against `sha256sum` on the same originals.

A case of 64 random 16 MiB files (1 GiB, incompressible, as media is) is taken into a fresh
home once. Then, each timed in the same run and read from the page cache (every file is read
once before timing, so the comparison is of the work done, not of the disk):

- baseline: `sha256sum` over the case's originals in the vault (and, for reference,
  ``hashlib.sha256`` over them in-process, the floor for any Python verifier);
- export: `enquiry bundle export --case … --sign KEY` (verify the catalogue and re-hash every
  original first, then copy each original into the ZIP hashing it again, write the ledger, the
  manifest and the signature);
- verify: `enquiry bundle verify BUNDLE --key PUB` and `python3 tools/verify_bundle.py` (the
  same code, stand-alone): every member re-hashed, the signature, the chain, the items.

Throughput is bytes of originals per second; the ratio is enquiry's to `sha256sum`'s (goal for
verify: >= 0.8). Each timing is the best of ``--repeat`` runs. Usage:

    nice -n 10 .venv/bin/python benchmarks/bundle.py [--files 64] [--file-mb 16] [--repeat 2]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENQUIRY = [sys.executable, "-m", "enquiry.cli"]
PASSPHRASE = "benchmark passphrase"


def _run(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def _best(command: list[str], env: dict[str, str], repeat: int) -> float:
    return min(_run(command, env) for _ in range(repeat))


def _warm(paths: list[Path]) -> None:
    for path in paths:
        with path.open("rb") as handle:
            while handle.read(1 << 22):
                pass


def _hashlib(paths: list[Path]) -> float:
    """The same hashing in this process, with the library every Python verifier would use."""
    start = time.perf_counter()
    for path in paths:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=64)
    parser.add_argument("--file-mb", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=args.workdir) as scratch:
        work = Path(scratch)
        home = work / "home"
        env = {k: v for k, v in os.environ.items() if k != "ENQUIRY_DB"}
        env.update(
            ENQUIRY_HOME=str(home),
            ENQUIRY_KEY_PASSPHRASE=PASSPHRASE,
            PYTHONPATH=str(ROOT / "src"),
        )
        sources = work / "originals"
        sources.mkdir()
        for index in range(args.files):
            (sources / f"clip-{index:03d}.bin").write_bytes(os.urandom(args.file_mb << 20))
        total = args.files * (args.file_mb << 20)
        print(f"case: {args.files} files x {args.file_mb} MiB = {total / 2**30:.2f} GiB")
        taken = _run([*ENQUIRY, "add", str(sources), "--case", "bench"], env)
        print(f"  intake (not compared): {taken:.1f} s")
        _run([*ENQUIRY, "keys", "create", "bench"], env)
        public = work / "bench.pub.json"
        _run([*ENQUIRY, "keys", "export-public", "bench", "-o", str(public)], env)
        blobs = sorted(p for p in (home / "vault" / "sha256").glob("*/*/*") if p.is_file())
        assert len(blobs) == args.files, len(blobs)

        _warm(blobs)
        baseline = _best(["sha256sum", *map(str, blobs)], env, args.repeat)
        hashed = min(_hashlib(blobs) for _ in range(args.repeat))
        bundle = work / "bench.zip"
        export = _best(
            [*ENQUIRY, "bundle", "export", "--case", "bench", "-o", str(bundle), "--sign", "bench"],
            env,
            args.repeat,
        )
        _warm([bundle])
        verify = _best(
            [*ENQUIRY, "bundle", "verify", str(bundle), "--key", str(public)], env, args.repeat
        )
        alone = _best(
            [
                sys.executable,
                str(ROOT / "tools" / "verify_bundle.py"),
                str(bundle),
                "--key",
                str(public),
            ],
            env,
            args.repeat,
        )

        def line(name: str, seconds: float) -> str:
            rate = total / seconds / 2**20
            return (
                f"  {name:<44} {seconds:7.2f} s  {rate:8.1f} MiB/s  ratio {baseline / seconds:.2f}"
            )

        print(f"bundle: {bundle.stat().st_size / 2**30:.2f} GiB")
        print(line("sha256sum over the originals (baseline)", baseline))
        print(line("Python hashlib.sha256 over them (reference)", hashed))
        print(line("enquiry bundle export --sign", export))
        print(line("enquiry bundle verify --key", verify))
        print(line("python3 tools/verify_bundle.py --key", alone))
        print(f"verify goal >= 0.8: {'met' if baseline / verify >= 0.8 else 'NOT met'}")
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
