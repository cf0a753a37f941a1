"""Benchmark: the HTTP API under load from wrk, served by gunicorn on loopback.

    python bench/api.py [--store DIR | --corpus DIR] [--duration S] [--rounds N] [--threads N] [--connections N]

Builds a temporary store from the corpus ($GLOSSARY_CORPUS, else ../shared/ietf
beside the checkout) unless --store names one, starts gunicorn on a free
127.0.0.1 port as scripts/serve.sh runs it (glossary.serving's settings, 2 workers;
no access log), with a benchmark route added (bench/serving.py: GET /api/v1/_ping: a tiny
JSON answer through the same app, hooks and headers), and loads it with wrk
(`wrk -t2 -c8` by default; Debian/Ubuntu: `apt-get install wrk`).

Headline rows: URLs that never repeat, as real traffic mostly is. A wrk Lua
script walks a shuffled list of paths and appends a request counter that
the API ignores (`_=<thread>.<n>`), so no two requests of a run have the same
URL and the service's memory of finished answers never serves one:
- the trivial route, the baseline, measured in the same run;
- term lookups: every term of every version (`/terms/{id}?version={v}`);
- search: 1 to 3 words drawn from the definitions of the newest version;
- diffs: random pairs of versions (`/diff?from=&to=`).
The second table repeats one URL per route: what the answer memory serves.

The routes take turns (`--rounds`), so load from other processes on the
machine falls on all of them alike; each turn's latency distribution (1000 quantiles
from wrk) is merged, weighted by its requests, for p50/p99 over all turns.

Goals (PASS/FAIL each): lookups >= 80% of the trivial route's requests/s;
search p99 < 25 ms; diff p99 < 50 ms; no non-2xx answer and no socket error.
wrk and gunicorn share the machine's cores (and with whatever else runs on
it: the load average is printed), so the script also times the same routes
in-process, one request at a time: the work a request costs, without queueing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # support.py: gunicorn on a free port, shared with the API tests

import support  # noqa: E402

from glossary import serving  # noqa: E402

WORKERS = 2  # scripts/serve.sh's default
THREADS = serving.threads
GOAL_LOOKUP_RATIO = 0.80
GOAL_SEARCH_P99_MS = 25.0
GOAL_DIFF_P99_MS = 50.0
WRK_INSTALL = "wrk is not installed: on Debian or Ubuntu `sudo apt-get install wrk` (https://github.com/wg/wrk)"

# wrk calls request() for every request: the next path of the list, made unique by a counter.
LUA_TEMPLATE = """
local paths = {PATHS}
local counter = 0
local thread_number = 0
local threads = {}

function setup(thread)
  thread_number = thread_number + 1
  thread:set("id", thread_number)
  table.insert(threads, thread)
end

function init(args)
  counter = (id - 1) * 7919  -- the threads start at different places of the list
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if UNIQUE then
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "_=" .. id .. "." .. counter
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  -- the latency distribution as its 1000 quantiles (0.1% apart), to merge the turns of a route
  local quantiles = {}
  for i = 1, 1000 do table.insert(quantiles, latency:percentile(i / 10)) end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "microseconds": %d, "non_2xx": %d, "socket_errors": %d, "quantiles": [%s]}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    table.concat(quantiles, ",")))
end
"""


def lua_script(paths: list[str], unique: bool) -> str:
    listed = "{" + ",".join(json.dumps(path) for path in paths) + "}"
    return LUA_TEMPLATE.replace("{PATHS}", listed).replace("UNIQUE", "true" if unique else "false")


def run_wrk(base: str, script: Path, seconds: float, threads: int, connections: int) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
               "-s", str(script), base]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def merge(parts: list[dict]) -> dict:
    """The turns of one route as one measurement: requests/s, p50 and p99 in ms, errors."""
    # Each turn's quantiles stand for a thousandth of its requests each.
    weighted = sorted((us, part["requests"] / 1000) for part in parts for us in part["quantiles"])
    requests = sum(part["requests"] for part in parts)
    seconds = sum(part["microseconds"] for part in parts) / 1e6
    return {
        "rate": requests / seconds if seconds else 0.0,
        "p50_ms": percentile(weighted, 50) / 1000,
        "p99_ms": percentile(weighted, 99) / 1000,
        "non_2xx": sum(part["non_2xx"] for part in parts),
        "socket_errors": sum(part["socket_errors"] for part in parts),
    }


def percentile(weighted: list[tuple[float, float]], pct: float) -> float:
    """The ``pct`` percentile of (value, weight) pairs sorted by value."""
    total = sum(weight for _, weight in weighted)
    if not total:
        return float("nan")
    seen = 0.0
    for value, weight in weighted:
        seen += weight
        if seen >= pct / 100 * total - 1e-9:
            return value
    return weighted[-1][0]


# --- the URLs ------------------------------------------------------------------------


def never_repeated_routes(store: Path, rng: random.Random) -> list[tuple[str, list[str]]]:
    from glossary.store import Store

    versions = Store(store).load_versions()
    names = [version.name for version in versions]
    lookups = [f"/api/v1/terms/{urllib.parse.quote(term.id)}?version={version.name}"
               for version in versions for term in version.terms]
    words = sorted({word for term in versions[-1].terms for word in re.findall(r"[A-Za-z]{3,}", term.definition)})
    searches = []
    for _ in range(4000):
        query = " ".join(rng.sample(words, rng.randint(1, 3)))
        searches.append("/api/v1/search?" + urllib.parse.urlencode({"q": query}))
    diffs = [f"/api/v1/diff?from={old}&to={new}" for old in names for new in names if old != new]
    for paths in (lookups, diffs):
        rng.shuffle(paths)
    return [
        ("trivial (_ping)", ["/api/v1/_ping"]),
        ("term lookup, any version", lookups),
        ("search, 1-3 definition words", searches),
        ("diff, random version pair", diffs),
    ]


REPEATED_ROUTES = [
    ("trivial (_ping)", ["/api/v1/_ping"]),
    ("term lookup (c2)", ["/api/v1/terms/c2"]),
    ("search (constrained node)", ["/api/v1/search?q=constrained+node"]),
    ("full diff (oldest -> latest)", ["/api/v1/diff?from=oldest&to=latest"]),
]


# --- the work per request, without load -----------------------------------------


def in_process_ms(store: Path, routes, requests: int = 400) -> dict[str, tuple[float, float]]:
    """(p50, p99) ms of each route answered by the app in this process, one request at a time.

    The same never-repeated URLs as the headline rows, through Flask's test
    client: the work a request costs, with no queueing and no other process.
    """
    from bench.serving import create_app

    with tempfile.TemporaryDirectory() as cache:
        client = create_app(store, cache).test_client()
        figures = {}
        for label, paths in routes:
            for n, path in enumerate(paths[:50]):  # warm-up, as the wrk runs have
                client.get(f"{path}{'&' if '?' in path else '?'}_=w{n}")
            times = []
            for n in range(requests):
                path = paths[n % len(paths)]
                started = time.perf_counter()
                response = client.get(f"{path}{'&' if '?' in path else '?'}_={n}")
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, path
            times.sort()
            figures[label] = (times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))])
    return figures


# --- the whole run ---------------------------------------------------------------


def build_store(corpus: Path, directory: Path) -> None:
    from glossary.store import Store
    from importers import read_version

    store = Store(directory)
    with store.batch():  # as `glossary import --manifest` builds the committed store
        for revision in json.loads((corpus / "manifest.json").read_text())["documents"]:
            path = corpus / revision["files"]["xml"]["path"]
            store.save(read_version(path.read_bytes(), str(path)))


def measure(base: str, work: Path, routes, unique: bool, args) -> dict[str, dict]:
    scripts = {}
    for number, (label, paths) in enumerate(routes):
        scripts[label] = work / f"{'unique' if unique else 'same'}-{number}.lua"
        scripts[label].write_text(lua_script(paths, unique))
    for label, _ in routes:  # warm-up: every worker has read what it needs
        run_wrk(base, scripts[label], args.warmup, args.threads, args.connections)
    turns = {label: [] for label, _ in routes}
    for _ in range(args.rounds):
        for label, _ in routes:
            turns[label].append(run_wrk(base, scripts[label], args.duration / args.rounds,
                                        args.threads, args.connections))
    return {label: merge(parts) for label, parts in turns.items()}


def print_table(title: str, measured: dict[str, dict]) -> None:
    trivial = measured["trivial (_ping)"]["rate"]
    print(title)
    print(f"{'route':<32} {'requests/s':>10} {'of trivial':>10} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for label, m in measured.items():
        print(f"{label:<32} {m['rate']:>10.0f} {m['rate'] / trivial:>10.0%} {m['p50_ms']:>8.2f} "
              f"{m['p99_ms']:>8.2f} {m['non_2xx'] + m['socket_errors']:>8}")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: built from the corpus)")
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("GLOSSARY_CORPUS") or ROOT.parent / "shared" / "ietf"))
    parser.add_argument("--duration", type=int, default=8,
                        help="seconds measured per route (default 8; whole seconds per turn, as wrk takes them)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="the duration is cut into this many turns, the routes taking turns (default 4)")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of unmeasured load per route first (default 1)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--seed", type=int, default=7228)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print(WRK_INSTALL, file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="glossary-bench-"))
    try:
        store = args.store
        if store is None:
            if not (args.corpus / "manifest.json").is_file():
                parser.error(f"no corpus at {args.corpus} (set GLOSSARY_CORPUS or give --store)")
            store = work / "terms"
            build_store(args.corpus, store)
        routes = never_repeated_routes(store, random.Random(args.seed))
        serving = support.gunicorn(store, work / "cache", workers=WORKERS, threads=THREADS,
                                   app="bench.serving:create_app()", ready_path="/api/v1/_ping")
        with serving as base:
            print(f"gunicorn: {WORKERS} gthread workers x {THREADS} threads on {base}; "
                  f"wrk -t{args.threads} -c{args.connections}, {args.duration:g} s per route in {args.rounds} "
                  f"turns after {args.warmup:g} s of warm-up; {os.cpu_count()} CPUs", flush=True)
            load_before = os.getloadavg()[0]
            fresh = measure(base, work, routes, True, args)
            repeated = measure(base, work, REPEATED_ROUTES, False, args)
        work_ms = in_process_ms(store, routes)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print_table("URLs never repeated (every answer computed)", fresh)
    print_table("the same URL again and again (answers from memory)", repeated)
    print(f"load average of the machine before the run: {load_before:.1f} ({os.cpu_count()} CPUs)")
    print("work per request, in-process, one at a time (ms): "
          + "; ".join(f"{label} p50 {p50:.2f} p99 {p99:.2f}" for label, (p50, p99) in work_ms.items()))
    print()

    ratio = fresh["term lookup, any version"]["rate"] / fresh["trivial (_ping)"]["rate"]
    search_p99 = fresh["search, 1-3 definition words"]["p99_ms"]
    diff_p99 = fresh["diff, random version pair"]["p99_ms"]
    failures = sum(m["non_2xx"] + m["socket_errors"] for table in (fresh, repeated) for m in table.values())
    goals = [
        (f"lookups / trivial = {ratio:.0%} of requests/s (goal >= {GOAL_LOOKUP_RATIO:.0%})", ratio >= GOAL_LOOKUP_RATIO),
        (f"search p99 = {search_p99:.1f} ms (goal < {GOAL_SEARCH_P99_MS:g} ms)", search_p99 < GOAL_SEARCH_P99_MS),
        (f"diff p99 = {diff_p99:.1f} ms (goal < {GOAL_DIFF_P99_MS:g} ms)", diff_p99 < GOAL_DIFF_P99_MS),
        (f"non-2xx answers and socket errors = {failures} (goal 0)", failures == 0),
    ]
    for text, passed in goals:
        print(f"{'PASS' if passed else 'FAIL'}  {text}")
    return 0 if all(passed for _, passed in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
