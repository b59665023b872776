"""The web API under load against a bare Starlette app serving the same rows, in the same run.

A case of 10,000 items is taken in once (small files with words in their names, so that search
has something to find). Then each server — `enquiry serve` (the API: authentication, access
decisions in the core, ledger events, problem JSON) and a bare Starlette app that answers the
same requests with the same rows straight from the catalogue (no authentication, no access
checks) — is started on loopback and driven by 50 concurrent clients doing a mix of list,
item, search and matrix requests, bounded in count and time. Reported per request type:
p50 / p95 latency and throughput, and enquiry's throughput as a ratio of the baseline's.

Goal: p95 <= 100 ms for list, item and search at 10,000 items on a 2-core machine.

    .venv/bin/python benchmarks/web.py [--items 10000] [--clients 50] [--requests 3000]
                                       [--seconds 60] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx

ENQUIRY = [sys.executable, "-m", "enquiry.cli"]
WORDS = [
    *("sarin", "sample", "soil", "hospital", "crater", "munition", "aircraft", "witness"),
    *("video", "photo", "report", "autopsy", "blood", "urine", "hexamine", "impact", "road"),
    *("warehouse", "depot", "survivor", "nerve", "agent", "rocket", "mortar"),
]
CASE = "bench"
# The matrix requests read the built-in case's hypotheses x evidence (an incident of realistic
# size: a matrix of 10,000 unrated rows is not a page anyone reads).
DEMO_CASE = "khan-shaykhun"
INCIDENT = "khan-shaykhun-2017-04-04"
PASSWORD = "benchmark-password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(home: Path) -> dict[str, str]:
    """The benchmark home on SQLite, with a protection key beside it (the built-in case holds
    protected testimony)."""
    key = home.parent / "protection.key"
    if not key.exists():
        from enquiry.app.atrest import new_key_file

        new_key_file(key)
    env = dict(os.environ, ENQUIRY_HOME=str(home), ENQUIRY_PROTECTION_KEY_FILE=str(key))
    env.pop("ENQUIRY_DB", None)
    return env


def build_case(workdir: Path, items: int) -> Path:
    """A home with one case of ``items`` small files, their names made of case words."""
    home = workdir / "home"
    if (home / "ready").exists():
        return home
    shutil.rmtree(home, ignore_errors=True)
    folder = workdir / "files"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(7)
    for index in range(items):
        name = "-".join(rng.sample(WORDS, 3))
        (folder / f"{index:05d}-{name}.dat").write_bytes(
            b"\x00\x01\x02BENCH\x00" + rng.randbytes(64) + index.to_bytes(4, "big")
        )
    env = _env(home)
    start = time.perf_counter()
    subprocess.run(
        [*ENQUIRY, "add", str(folder), "--case", CASE],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    print(f"took in {items} items in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    subprocess.run(
        [*ENQUIRY, "users", "add", "bench"],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    from enquiry.app.cases import demo_case_file

    subprocess.run(
        [*ENQUIRY, "load", str(demo_case_file())], check=True, env=env, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [*ENQUIRY, "users", "grant", "bench", DEMO_CASE, "analyst"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [*ENQUIRY, "users", "grant", "bench", CASE, "analyst"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    (home / "ready").write_text("", encoding="utf-8")
    return home


def token(home: Path) -> str:
    done = subprocess.run(
        [*ENQUIRY, "tokens", "create", "bench"],
        check=True,
        env=_env(home),
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


# --- the baseline: a bare Starlette app returning the same rows --------------------------------


def baseline_app(database: Path) -> Any:
    """Starlette routes answering list, item and search with the catalogue's rows, nothing else."""
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, PlainTextResponse
    from starlette.routing import Route

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(database, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        return connection

    listing = (
        "SELECT items.id, items.sha256, items.kind, items.size, items.original_name AS title,"
        " sources.name AS source, items.protected, cases.name AS 'case' FROM items"
        " JOIN cases ON cases.id = items.case_id LEFT JOIN sources ON sources.id = items.source_id"
        " WHERE cases.name = ? ORDER BY items.id LIMIT ? OFFSET ?"
    )

    def items(request: Any) -> JSONResponse:
        offset = int(request.query_params.get("offset", 0))
        limit = int(request.query_params.get("limit", 50))
        with closing(connect()) as connection:
            rows = [dict(r) for r in connection.execute(listing, (CASE, limit, offset))]
            total = connection.execute("SELECT COUNT(*) FROM items").fetchone()[0]
        return JSONResponse({"items": rows, "total": total, "offset": offset, "limit": limit})

    def item(request: Any) -> JSONResponse:
        with closing(connect()) as connection:
            row = connection.execute(
                "SELECT * FROM items WHERE id = ?", (int(request.path_params["id"]),)
            ).fetchone()
            events = [
                dict(e)
                for e in connection.execute(
                    "SELECT seq, at, actor, action FROM custody_events WHERE item_id = ?",
                    (row["id"],),
                )
            ]
        body = {k: row[k] for k in row.keys() if k not in ("fields", "metadata", "transformation")}  # noqa: SIM118
        body["custody"] = events
        return JSONResponse(body)

    def search(request: Any) -> JSONResponse:
        # The same FTS5 index enquiry's search reads, queried bare: best 20 by bm25, with the
        # item rows they name.
        words = request.query_params.get("q", "").split()
        match = " ".join(f'"{w}"' for w in words)
        with closing(connect()) as connection:
            rows = [
                dict(r)
                for r in connection.execute(
                    "SELECT items.id, items.kind, items.original_name, bm25(search_index) AS score"
                    " FROM search_index JOIN items ON items.id = search_index.rowid / 2"
                    " WHERE search_index MATCH ? AND search_index.rowid % 2 = 0"
                    " ORDER BY score LIMIT 20",
                    (match,),
                )
            ]
        return JSONResponse({"hits": rows})

    def matrix(request: Any) -> JSONResponse:
        # Every rating of the incident's hypotheses, as stored.
        with closing(connect()) as connection:
            rows = [
                dict(r)
                for r in connection.execute(
                    "SELECT hypotheses.key, ratings.item_id, ratings.claim_id, ratings.rating,"
                    " ratings.rationale, ratings.analyst FROM ratings"
                    " JOIN hypotheses ON hypotheses.id = ratings.hypothesis_id"
                    " JOIN incidents ON incidents.id = hypotheses.incident_id"
                    " WHERE incidents.slug = ? ORDER BY ratings.id",
                    (INCIDENT,),
                )
            ]
        return JSONResponse({"ratings": rows})

    def ready(request: Any) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/items", items),
            Route("/items/{id:int}", item),
            Route("/search", search),
            Route("/matrix", matrix),
            Route("/ready", ready),
        ]
    )


def baseline_from_environment() -> Any:
    """The baseline app for a uvicorn worker process (several workers, as enquiry gets)."""
    return baseline_app(Path(os.environ["BENCH_BASELINE_DB"]))


def serve_baseline(database: Path, port: int, workers: int = 1) -> None:
    import uvicorn

    if workers > 1:
        os.environ["BENCH_BASELINE_DB"] = str(database)
        uvicorn.run(
            "web:baseline_from_environment",
            factory=True,
            app_dir=str(Path(__file__).parent),
            host="127.0.0.1",
            port=port,
            workers=workers,
            log_level="warning",
        )
        return
    uvicorn.run(baseline_app(database), host="127.0.0.1", port=port, log_level="warning")


# --- the load ----------------------------------------------------------------------------------

Request = tuple[str, str]  # (kind, path)


def mix(items: int, rng: random.Random, enquiry: bool, routes: set[str]) -> Callable[[], Request]:
    """One request of the mix: list, item, search (and matrix where the API has it)."""

    def next_request() -> Request:
        roll = rng.random()
        if roll < 0.3:
            offset = rng.randrange(0, max(1, items - 50))
            path = (
                f"/api/v1/cases/{CASE}/items" if enquiry else "/items"
            ) + f"?offset={offset}&limit=50"
            return "list", path
        if roll < 0.6:
            ident = rng.randrange(1, items + 1)
            return "item", (f"/api/v1/items/{ident}" if enquiry else f"/items/{ident}")
        if roll < 0.7:
            return "matrix", (f"/api/v1/incidents/{INCIDENT}/matrix" if enquiry else "/matrix")
        query = "+".join(rng.sample(WORDS, 2))
        if enquiry and "/api/v1/search" not in routes:
            return "list", f"/api/v1/cases/{CASE}/items?offset=0&limit=50"
        return "search", (
            f"/api/v1/search?q={query}&case={CASE}" if enquiry else f"/search?q={query}"
        )

    return next_request


async def drive(
    base: str,
    headers: dict[str, str],
    next_request: Callable[[], Request],
    clients: int,
    requests: int,
    seconds: float,
) -> dict[str, list[float]]:
    """``clients`` concurrent clients, each sending its next request when the last is answered,
    until ``requests`` have been sent or ``seconds`` have passed."""
    timings: dict[str, list[float]] = {}
    failures: dict[str, int] = {}
    left = [requests]
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:

        async def worker() -> None:
            while left[0] > 0 and time.monotonic() < deadline:
                left[0] -= 1
                kind, path = next_request()
                start = time.perf_counter()
                response = await client.get(path)
                elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    failures[kind] = failures.get(kind, 0) + 1
                    continue
                timings.setdefault(kind, []).append(elapsed)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        timings["_wall"] = [time.perf_counter() - started]
    if failures:
        print(f"non-200 answers: {failures}", file=sys.stderr)
    return timings


WRK_SCRIPT = """
paths = {%(paths)s}
wrk.headers["Accept"] = "application/json"
%(auth)s
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def drive_wrk(
    base: str, headers: dict[str, str], paths: list[str], clients: int, seconds: float, work: Path
) -> dict[str, float]:
    """``wrk`` (a C load generator, so the client takes little of the 2 cores) keeping
    ``clients`` connections busy with ``paths`` in turn for ``seconds``."""
    script = work / "mix.lua"
    auth = "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items())
    quoted = ", ".join(json.dumps(p) for p in paths)
    script.write_text(WRK_SCRIPT % {"paths": quoted, "auth": auth}, encoding="utf-8")
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{max(1, int(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    count, micros, p50, p95, errors = (int(v) for v in line.split()[1:])
    if errors:
        print(f"wrk: {errors} failed or non-2xx answers", file=sys.stderr)
    return {"n": count, "p50_ms": p50 / 1000, "p95_ms": p95 / 1000, "per_s": count / (micros / 1e6)}


def paths_of(
    kind: str, items: int, enquiry: bool, routes: set[str], count: int = 2000
) -> list[str]:
    """``count`` request paths of one kind (``mix``: the whole mix), drawn as the mix draws."""
    rng = random.Random(13)
    draw = mix(items, rng, enquiry, routes)
    found: list[str] = []
    while len(found) < count:
        got_kind, path = draw()
        if kind in ("mix", got_kind):
            found.append(path)
    return found


def summary(timings: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    wall = timings["_wall"][0]
    out: dict[str, dict[str, float]] = {}
    for kind, values in sorted(timings.items()):
        if kind == "_wall":
            continue
        ordered = sorted(values)
        out[kind] = {
            "n": len(values),
            "p50_ms": 1000 * statistics.median(ordered),
            "p95_ms": 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
            "per_s": len(values) / wall,
        }
    total = sum(len(v) for k, v in timings.items() if k != "_wall")
    out["all"] = {"n": total, "per_s": total / wall, "wall_s": wall}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument(
        "--seconds", type=float, default=15, help="per request type with wrk; in all without"
    )
    parser.add_argument(
        "--python-client", action="store_true", help="drive with httpx even where wrk is installed"
    )
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes, for enquiry and the baseline"
    )
    parser.add_argument(
        "--baseline-server",
        nargs=3,
        metavar=("DATABASE", "PORT", "WORKERS"),
        help=argparse.SUPPRESS,
    )
    args = parser.parse_args()
    if args.baseline_server:
        database, port, workers = args.baseline_server
        serve_baseline(Path(database), int(port), int(workers))
        return
    workdir = args.workdir or Path(tempfile.gettempdir()) / "enquiry-bench-web"
    workdir.mkdir(parents=True, exist_ok=True)
    home = build_case(workdir, args.items)
    bearer = token(home)
    results: dict[str, Any] = {}
    for name in ("enquiry", "baseline"):
        port = _free_port()
        if name == "enquiry":
            command = [*ENQUIRY, "--home", str(home), "serve", "--port", str(port)]
            command += ["--workers", str(args.workers)]
            ready_path = "/openapi.json"
        else:
            command = [
                sys.executable,
                __file__,
                "--baseline-server",
                str(home / "enquiry.db"),
                str(port),
                str(args.workers),
            ]
            ready_path = "/ready"
        process = subprocess.Popen(
            command, env=_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(base + ready_path, timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"{name} server did not start")
                time.sleep(0.3)
            routes = (
                set(httpx.get(base + "/openapi.json").json()["paths"])
                if name == "enquiry"
                else set()
            )
            headers = {"Authorization": f"Bearer {bearer}"} if name == "enquiry" else {}
            if shutil.which("wrk") and not args.python_client:
                results[name] = {}
                for kind in ("list", "item", "search", "matrix", "mix"):
                    paths = paths_of(kind, args.items, name == "enquiry", routes)
                    drive_wrk(base, headers, paths[:200], args.clients, 2, workdir)  # warm-up
                    results[name][kind] = drive_wrk(
                        base, headers, paths, args.clients, args.seconds, workdir
                    )
                results[name]["all"] = results[name].pop("mix")
                continue
            next_request = mix(args.items, random.Random(11), name == "enquiry", routes)
            asyncio.run(drive(base, headers, next_request, args.clients, 100, 30))  # warm-up
            timings = asyncio.run(
                drive(base, headers, next_request, args.clients, args.requests, args.seconds)
            )
            results[name] = summary(timings)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    ours, theirs = results["enquiry"], results["baseline"]
    results["ratio_throughput"] = ours["all"]["per_s"] / theirs["all"]["per_s"]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    client = "wrk" if shutil.which("wrk") and not args.python_client else "httpx"
    print(
        f"{args.items} items, {args.clients} concurrent clients ({client}),"
        f" {args.workers} server process(es) each"
    )
    print(
        f"{'request':8} {'enquiry p50/p95 ms':>20} {'baseline p50/p95 ms':>21} {'enquiry/s':>10} {'base/s':>8}"
    )
    for kind in [k for k in ("list", "item", "search", "matrix") if k in ours]:
        a, b = ours[kind], theirs.get(kind, {})
        print(
            f"{kind:8} {a['p50_ms']:9.1f} / {a['p95_ms']:7.1f} "
            f"{b.get('p50_ms', float('nan')):10.1f} / {b.get('p95_ms', float('nan')):7.1f} "
            f"{a['per_s']:10.1f} {b.get('per_s', float('nan')):8.1f}"
        )
    print(
        f"the mix: enquiry {ours['all']['per_s']:.1f}/s, baseline {theirs['all']['per_s']:.1f}/s,"
        f" ratio {results['ratio_throughput']:.2f}"
    )


if __name__ == "__main__":
    main()
