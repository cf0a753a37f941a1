"""Benchmark: the HTTP API under load, served by gunicorn on loopback.

    python bench/api.py [--store DIR | --corpus DIR] [--duration S] [--rounds N] [--connections N]

Builds a temporary store from the corpus ($GLOSSARY_CORPUS, else ../shared/ietf
beside the checkout) unless --store names one, starts gunicorn on 127.0.0.1
with a benchmark route added (bench/serving.py: GET /api/v1/_ping: a tiny JSON answer through
the same app, hooks and headers), and runs a load generator in a second
process against one route at a time for a fixed duration: N keep-alive
connections (http.client, one thread each), every request timed. The
duration is cut into a few turns, the routes taking turns, so that load
from other processes on the machine falls on every route alike.

Server: gunicorn, 2 gthread workers with 4 threads each. On a 2-core machine
one worker process per core is what the GIL allows to run in parallel; more
processes only add context switches and memory (and the load generator needs
CPU too). gthread rather than sync because sync workers close the connection
after every response: a keep-alive client would measure TCP setup, not the
app. The threads add no CPU, they let one worker hold several keep-alive
connections and overlap socket I/O.

Routes: the trivial one, a term lookup (/terms/c2), a search
(?q=constrained+node), and the full diff (oldest -> newest). The lookup and
the search run a second time with a query-string parameter the API ignores
but that makes every request a new one ("never repeated"): the server then
builds every answer instead of answering from memory (see glossary.app.remembered).

Goals (PASS/FAIL each):
- term lookup throughput >= 80% of the trivial route's;
- search p99 < 25 ms;
- full diff server time < 50 ms: the Flask view timed in-process (test client),
  the first answer of a fresh app, when the diff is computed and serialised
  (median of 7 fresh apps; the answers after it are faster, and shown too).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # support.py: gunicorn on a free port, shared with the API tests

import support  # noqa: E402

WORKERS = 2
THREADS = 4
GOAL_LOOKUP_RATIO = 0.80
GOAL_SEARCH_P99_MS = 25.0
GOAL_DIFF_MS = 50.0

# (label, path); "{n}" becomes a new number for every request.
ROUTES = [
    ("trivial (_ping)", "/api/v1/_ping"),
    ("term lookup", "/api/v1/terms/c2"),
    ("term lookup, never repeated", "/api/v1/terms/c2?_={n}"),
    ("search", "/api/v1/search?q=constrained+node"),
    ("search, never repeated", "/api/v1/search?q=constrained+node&_={n}"),
    ("full diff", "/api/v1/diff?from=oldest&to=latest"),
]


# --- the load generator (runs in its own process: bench/api.py --load ...) ------


def generate_load(port: int, path: str, duration: float, connections: int, warmup: float) -> dict:
    """Requests on ``connections`` keep-alive connections for ``duration`` seconds, after ``warmup``."""
    numbers = itertools.count()
    results = [([], 0) for _ in range(connections)]
    phase = {"measuring": False, "stop": False}
    ready = threading.Barrier(connections + 1)

    def run(slot: int):
        latencies, errors = [], 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        ready.wait()
        while not phase["stop"]:
            target = path.replace("{n}", f"{os.getpid()}.{next(numbers)}")  # unique across processes too
            start = time.perf_counter()
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            elapsed = time.perf_counter() - start
            if phase["measuring"]:
                latencies.append(elapsed)
                errors += not ok
        connection.close()
        results[slot] = (latencies, errors)

    threads = [threading.Thread(target=run, args=(slot,)) for slot in range(connections)]
    for thread in threads:
        thread.start()
    ready.wait()
    time.sleep(warmup)
    phase["measuring"] = True
    started = time.perf_counter()
    time.sleep(duration)
    phase["measuring"] = False
    measured = time.perf_counter() - started
    phase["stop"] = True
    for thread in threads:
        thread.join()
    return {
        "latencies_ms": [round(latency * 1000, 4) for slot_latencies, _ in results for latency in slot_latencies],
        "errors": sum(errors for _, errors in results),
        "seconds": measured,
    }


def merge(parts: list[dict]) -> dict:
    """The slices of one route as one measurement: requests, errors, seconds, p50 and p99 in ms."""
    latencies = sorted(latency for part in parts for latency in part["latencies_ms"])
    return {
        "requests": len(latencies),
        "errors": sum(part["errors"] for part in parts),
        "seconds": sum(part["seconds"] for part in parts),
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
    }


def percentile(ordered: list[float], pct: float) -> float:
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def run_load_process(port: int, path: str, args) -> dict:
    command = [sys.executable, __file__, "--load", path, "--port", str(port),
               "--duration", str(args.duration / args.rounds), "--connections", str(args.connections),
               "--warmup", str(args.warmup)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output)


# --- the server ---------------------------------------------------------------------


# --- server time of the full diff, in-process ---------------------------------------


def diff_server_times(store: Path, fresh_apps: int = 7, iterations: int = 50) -> dict:
    """Milliseconds the Flask view takes to answer the full diff (medians), in-process.

    "computed": the first answer of a fresh app (the two versions already read,
    as any earlier request would have): the diff is computed and serialised;
    median over ``fresh_apps`` apps. "serialised": a new query string each time,
    so the diff is the Catalog's but the answer is built again. "remembered":
    the same request again, answered from memory.
    """
    from glossary.api import create_app

    def timed(client, url: str) -> float:
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        return (time.perf_counter() - start) * 1000

    url = "/api/v1/diff?from=oldest&to=latest"
    computed, serialised, remembered = [], [], []
    with tempfile.TemporaryDirectory() as cache:
        for _ in range(fresh_apps):
            client = create_app(store, cache).test_client()
            client.get("/api/v1/versions/oldest")
            client.get("/api/v1/versions/latest")
            computed.append(timed(client, url))
        serialised = [timed(client, f"{url}&_={n}") for n in range(iterations)]
        remembered = [timed(client, url) for _ in range(iterations)]
    return {name: statistics.median(values) for name, values in
            (("computed", computed), ("serialised", serialised), ("remembered", remembered))}


# --- the whole run ---------------------------------------------------------------


def build_store(corpus: Path, directory: Path) -> None:
    from glossary.store import Store
    from importers import read_version

    store = Store(directory)
    for revision in json.loads((corpus / "manifest.json").read_text())["documents"]:
        path = corpus / revision["files"]["xml"]["path"]
        store.save(read_version(path.read_bytes(), str(path)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: built from the corpus)")
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("GLOSSARY_CORPUS") or ROOT.parent / "shared" / "ietf"))
    parser.add_argument("--duration", type=float, default=8.0, help="seconds measured per route (default 8)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="the duration is cut into this many slices, the routes taking turns (default 4)")
    parser.add_argument("--warmup", type=float, default=0.5,
                        help="seconds of load before measuring each slice (default 0.5)")
    parser.add_argument("--connections", type=int, default=4, help="keep-alive connections (default 4)")
    parser.add_argument("--load", metavar="PATH", help=argparse.SUPPRESS)  # the load generator process
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.load:
        print(json.dumps(generate_load(args.port, args.load, args.duration, args.connections, args.warmup)))
        return 0

    work = Path(tempfile.mkdtemp(prefix="glossary-bench-"))
    try:
        store = args.store
        if store is None:
            if not (args.corpus / "manifest.json").is_file():
                parser.error(f"no corpus at {args.corpus} (set GLOSSARY_CORPUS or give --store)")
            store = work / "terms"
            build_store(args.corpus, store)
        serving = support.gunicorn(store, work / "cache", workers=WORKERS, threads=THREADS,
                                    app="bench.serving:create_app()", ready_path="/api/v1/_ping")
        with serving as base:
            port = int(base.rsplit(":", 1)[1])
            print(f"gunicorn: {WORKERS} gthread workers x {THREADS} threads on 127.0.0.1:{port}; "
                  f"load: {args.connections} keep-alive connections, {args.duration:g} s per route in "
                  f"{args.rounds} turns (each after {args.warmup:g} s warm-up), in a second process; "
                  f"{os.cpu_count()} CPUs", flush=True)
            slices = {label: [] for label, _ in ROUTES}
            for _ in range(args.rounds):  # the routes take turns: load from elsewhere falls on all of them
                for label, path in ROUTES:
                    slices[label].append(run_load_process(port, path, args))
        measured = {label: merge(parts) for label, parts in slices.items()}
        diff_ms = diff_server_times(store)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"{'route':<30} {'requests/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for label, path in ROUTES:
        m = measured[label]
        print(f"{label:<30} {m['requests'] / m['seconds']:>10.0f} {m['p50_ms']:>8.2f} {m['p99_ms']:>8.2f} "
              f"{m['errors']:>7}")
    print()
    print("full diff, Flask view in-process (ms): "
          + ", ".join(f"{name} {value:.2f}" for name, value in diff_ms.items()))
    print()

    def rate(label):
        return measured[label]["requests"] / measured[label]["seconds"]

    ratio = rate("term lookup") / rate("trivial (_ping)")
    search_p99 = measured["search"]["p99_ms"]
    errors = sum(m["errors"] for m in measured.values())
    goals = [
        (f"lookup throughput / trivial throughput = {ratio:.0%} (goal >= {GOAL_LOOKUP_RATIO:.0%}; never repeated: "
         f"{rate('term lookup, never repeated') / rate('trivial (_ping)'):.0%})", ratio >= GOAL_LOOKUP_RATIO),
        (f"search p99 = {search_p99:.2f} ms (goal < {GOAL_SEARCH_P99_MS:g} ms; never repeated: "
         f"{measured['search, never repeated']['p99_ms']:.2f} ms)", search_p99 < GOAL_SEARCH_P99_MS),
        (f"full diff server time = {diff_ms['computed']:.2f} ms, computed (goal < {GOAL_DIFF_MS:g} ms)",
         diff_ms["computed"] < GOAL_DIFF_MS),
        (f"errors = {errors} (goal 0)", errors == 0),
    ]
    for text, passed in goals:
        print(f"{'PASS' if passed else 'FAIL'}  {text}")
    return 0 if all(passed for _, passed in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
