"""Intake throughput against `sha256sum` on the same files, in the same run.

(a) large files: bytes per second of `enquiry add` (hash + copy into the vault + catalogue rows +
    ledger events) as a ratio to `sha256sum` reading and hashing the same files. Goal >= 0.9.
(b) many small files: files per second of `enquiry add` including database rows and ledger
    events, with `sha256sum` on the same files as the baseline. Goal >= 1,000 files/s.

Both commands read the files from the page cache (they are read once before timing), so the
comparison is of the work each does, not of the disk. Usage:

    .venv/bin/python benchmarks/intake.py [--large-mb 1024] [--small 10000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENQUIRY = [sys.executable, "-m", "enquiry.cli"]


def _timed(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    return time.perf_counter() - start


def _warm(files: list[Path]) -> None:
    for path in files:
        with path.open("rb") as handle:
            while handle.read(1 << 22):
                pass


def _sha256sum(files: list[Path]) -> float:
    # xargs keeps the argument list within limits for 10,000 files, as a user would.
    start = time.perf_counter()
    listing = "\0".join(str(p) for p in files).encode()
    subprocess.run(
        ["xargs", "-0", "sha256sum"], input=listing, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def _enquiry_add(folder: Path, home: Path) -> float:
    env = dict(os.environ, ENQUIRY_HOME=str(home))
    env.pop("ENQUIRY_DB", None)
    return _timed([*ENQUIRY, "add", str(folder), "--case", "bench"], env=env)


def large(workdir: Path, total_mb: int, files: int = 4) -> dict[str, float]:
    folder = workdir / "large"
    folder.mkdir()
    per = total_mb * 1024 * 1024 // files
    paths = []
    for index in range(files):
        path = folder / f"video-{index}.bin"
        with path.open("wb") as out:
            for _ in range(per // (1 << 24)):
                out.write(os.urandom(1 << 24))
        paths.append(path)
    size = sum(p.stat().st_size for p in paths)
    _warm(paths)
    baseline = min(_sha256sum(paths) for _ in range(2))
    home = workdir / "home-large"
    ours = _enquiry_add(folder, home)
    shutil.rmtree(home)
    _warm(paths)
    ours = min(ours, _enquiry_add(folder, home))
    return {
        "bytes": size,
        "sha256sum_s": baseline,
        "enquiry_s": ours,
        "sha256sum_MBps": size / baseline / 1e6,
        "enquiry_MBps": size / ours / 1e6,
        "ratio": baseline / ours,
    }


def small(workdir: Path, count: int) -> dict[str, float]:
    folder = workdir / "small"
    folder.mkdir()
    paths = []
    for index in range(count):
        sub = folder / f"d{index // 1000:02d}"
        sub.mkdir(exist_ok=True)
        path = sub / f"statement-{index:05d}.txt"
        path.write_bytes(
            f"statement {index}\n".encode() + os.urandom(64 + index % 2048).hex().encode()
        )
        paths.append(path)
    _warm(paths)
    baseline = _sha256sum(paths)
    ours = _enquiry_add(folder, workdir / "home-small")
    return {
        "files": count,
        "sha256sum_s": baseline,
        "enquiry_s": ours,
        "sha256sum_files_per_s": count / baseline,
        "enquiry_files_per_s": count / ours,
        "ratio": baseline / ours,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-mb", type=int, default=1024)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="enquiry-bench-", dir=args.workdir))
    try:
        big = large(workdir, args.large_mb)
        print(f"(a) large files: {big['bytes'] / 2**30:.2f} GiB in 4 files")
        print(f"    sha256sum       {big['sha256sum_s']:7.2f} s  {big['sha256sum_MBps']:8.0f} MB/s")
        print(f"    enquiry add     {big['enquiry_s']:7.2f} s  {big['enquiry_MBps']:8.0f} MB/s")
        print(
            f"    ratio (enquiry throughput / sha256sum throughput) = {big['ratio']:.2f}  (goal >= 0.9)"
        )
        many = small(workdir, args.small)
        print(f"(b) small files: {many['files']} files")
        print(
            f"    sha256sum       {many['sha256sum_s']:7.2f} s  {many['sha256sum_files_per_s']:8.0f} files/s"
        )
        print(
            f"    enquiry add     {many['enquiry_s']:7.2f} s  {many['enquiry_files_per_s']:8.0f} files/s"
            "  (incl. catalogue rows and ledger events; goal >= 1000)"
        )
        print(f"    ratio (enquiry / sha256sum) = {many['ratio']:.3f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
