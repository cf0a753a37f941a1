"""Benchmark: the service at scale, with N synthetic revisions (about 77 N term-versions).

    python bench/scale.py [--revisions N] [--batch B] [--corpus DIR] [--requests R] [--keep DIR]

1. Generates N revisions (default 1300: about 100,000 term-versions) of the
   newest corpus revision's RFCXML, each made from the one before it by
   editing about 5% of the definition paragraphs and table cells (one word
   replaced by another word of the document; term names and their table
   columns untouched), dated one day after the one before.
2. Imports them into an empty store with the command line, `glossary import`,
   B files per command (default: all of them in one command, as `glossary
   import --manifest` takes a corpus), and prints the rate.
3. Starts gunicorn on a free loopback port as scripts/serve.sh runs it (2
   gthread workers with glossary.serving's settings) and times the first search answer from the
   start of the server.
4. Sends sequential requests over one keep-alive connection, each URL new
   (never repeated, so the service's answer memory does not serve it):
   searches of 1-3 definition words in the newest version, lookups of a term in
   a random version, each term's history over all revisions, and the diff
   from the oldest to the newest version; prints p50/p99.
5. Prints each worker's resident memory, and PASS/FAIL per goal.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # support.py: free loopback ports, shared with the tests

import support  # noqa: E402

GOALS = {
    "import rate": (100.0, "revisions/s", ">="),
    "first search after start": (60.0, "s", "<"),
    "search p99": (50.0, "ms", "<"),
    "lookup p99": (20.0, "ms", "<"),
    "history p99": (200.0, "ms", "<"),
    "diff oldest -> newest": (200.0, "ms", "<"),
    "worker RSS (largest)": (500.0, "MB", "<"),
}
EDITED_SHARE = 0.05
FIRST_DATE = datetime.date(2027, 1, 1)
DOCUMENT = "draft-scale-7228bis"
WORD = re.compile(r"[A-Za-z]{3,}")


# --- synthetic revisions ---------------------------------------------------------


def editable_texts(root) -> list:
    """The definition paragraphs and the table cells that are not term names."""
    paragraphs = [t for dd in root.iter("dd") for t in ([dd] if dd.find("t") is None else dd.iter("t"))]
    cells = []
    for table in root.iter("table"):
        headers = [("".join(th.itertext()).strip().lower()) for th in table.iter("th")]
        name_columns = {i for i, header in enumerate(headers) if "name" in header} or {0}
        for row in table.iter("tr"):
            cells += [td for i, td in enumerate(row.findall("td")) if i not in name_columns]
    return [element for element in paragraphs + cells if WORD.search(element.text or "")]


def edit_one_word(element, vocabulary: list[str], rng: random.Random) -> None:
    words = list(WORD.finditer(element.text))
    chosen = rng.choice(words)
    element.text = element.text[: chosen.start()] + rng.choice(vocabulary) + element.text[chosen.end():]


def synthetic_revisions(newest: bytes, count: int, folder: Path, rng: random.Random) -> list[Path]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.ElementTree(etree.fromstring(newest, parser))
    root = tree.getroot()
    vocabulary = sorted({word for element in editable_texts(root) for word in WORD.findall(element.text)})
    paths = []
    for number in range(1, count + 1):
        root = copy.deepcopy(root)
        texts = editable_texts(root)
        for element in rng.sample(texts, max(1, round(EDITED_SHARE * len(texts)))):
            edit_one_word(element, vocabulary, rng)
        name = f"{DOCUMENT}-{number:04d}"
        root.set("docName", name)
        for info in root.iterfind("front/seriesInfo"):
            if info.get("name") == "Internet-Draft":
                info.set("value", name)
        day = FIRST_DATE + datetime.timedelta(days=number)
        date = root.find("front/date")
        date.attrib.update({"year": str(day.year), "month": day.strftime("%B"), "day": str(day.day)})
        path = folder / f"{name}.xml"
        path.write_bytes(etree.tostring(etree.ElementTree(root), xml_declaration=True, encoding="utf-8",
                                        doctype=tree.docinfo.doctype))
        paths.append(path)
    return paths


# --- importing ---------------------------------------------------------------------


def import_all(store: Path, paths: list[Path], batch: int) -> float:
    """Seconds to import every path with `glossary import`, ``batch`` files per command."""
    started = time.perf_counter()
    for first in range(0, len(paths), batch):
        subprocess.run([sys.executable, "-m", "glossary", "--store", str(store), "import",
                        *map(str, paths[first:first + batch])], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


# --- serving -----------------------------------------------------------------------


def start_gunicorn(store: Path, cache: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "GLOSSARY_STORE": str(store), "GLOSSARY_CACHE": str(cache)}
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:glossary.serving", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "600", "--log-level", "warning",
         "glossary.api:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )


def wait_for_answer(process: subprocess.Popen, port: int, path: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=seconds)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        finally:
            connection.close()


def worker_rss_mb(master: int) -> list[float]:
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:
                status = (stat.parent / "status").read_text()
                sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        except (OSError, AttributeError, IndexError):
            continue
    return sizes


def timed_requests(port: int, paths: list[str]) -> list[float]:
    """Milliseconds of each request, sequentially on one keep-alive connection; every answer must be 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times = []
    for path in paths:
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
    connection.close()
    return times


def p(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


# --- the whole run -----------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revisions", type=int, default=1300)
    parser.add_argument("--batch", type=int, default=0,
                        help="files per `glossary import` (default 0: all in one command)")
    parser.add_argument("--requests", type=int, default=300, help="requests per measured route (default 300)")
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("GLOSSARY_CORPUS") or ROOT.parent / "shared" / "ietf"))
    parser.add_argument("--keep", type=Path, help="keep the generated store in this folder")
    parser.add_argument("--seed", type=int, default=7228)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    manifest = json.loads((args.corpus / "manifest.json").read_text())
    newest = (args.corpus / manifest["documents"][-1]["files"]["xml"]["path"]).read_bytes()

    work = Path(tempfile.mkdtemp(prefix="glossary-scale-"))
    figures: dict[str, float] = {}
    try:
        sources = work / "sources"
        sources.mkdir()
        paths = synthetic_revisions(newest, args.revisions, sources, rng)
        store = args.keep or work / "terms"
        batch = args.batch or len(paths)
        seconds = import_all(store, paths, batch)
        figures["import rate"] = len(paths) / seconds
        from glossary.store import Store

        versions = Store(store).versions()
        term_versions = sum(entry["terms"] for entry in versions)
        print(f"{len(versions)} revisions, {term_versions} term-versions imported in {seconds:.1f} s "
              f"({batch} files per `glossary import`); {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)

        newest_version = Store(store).load(versions[-1]["name"])
        term_ids = [term.id for term in newest_version.terms]
        words = sorted({w for term in newest_version.terms for w in WORD.findall(term.definition)})
        names = [entry["name"] for entry in versions]

        port = support.free_port()
        started = time.perf_counter()
        process = start_gunicorn(store, work / "cache", port)
        try:
            wait_for_answer(process, port, "/api/v1/search?q=constrained", 600)
            figures["first search after start"] = time.perf_counter() - started
            n = iter(range(10**9))
            searches = [f"/api/v1/search?{urllib.parse.urlencode({'q': ' '.join(rng.sample(words, rng.randint(1, 3)))})}"
                        f"&_={next(n)}" for _ in range(args.requests)]
            lookups = [f"/api/v1/terms/{urllib.parse.quote(rng.choice(term_ids))}?version={rng.choice(names)}"
                       f"&_={next(n)}" for _ in range(args.requests)]
            histories = [f"/api/v1/terms/{urllib.parse.quote(term_id)}/history?_={next(n)}"
                         for term_id in (term_ids * 4)[: min(args.requests, 4 * len(term_ids))]]
            timed_requests(port, searches[:20] + lookups[:20])  # both workers have what they read on first use
            search_ms = timed_requests(port, searches)
            lookup_ms = timed_requests(port, lookups)
            history_ms = timed_requests(port, histories)
            diff_ms = timed_requests(port, [f"/api/v1/diff?from=oldest&to=latest&_={next(n)}"])
            figures["search p99"] = p(search_ms, 99)
            figures["lookup p99"] = p(lookup_ms, 99)
            figures["history p99"] = p(history_ms, 99)
            figures["diff oldest -> newest"] = diff_ms[0]
            rss = worker_rss_mb(process.pid)
            figures["worker RSS (largest)"] = max(rss)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        print(f"sequential requests: search p50 {p(search_ms, 50):.1f} ms, lookup p50 {p(lookup_ms, 50):.1f} ms, "
              f"history p50 {p(history_ms, 50):.1f} ms ({len(history_ms)} histories); "
              f"worker RSS {', '.join(f'{mb:.0f}' for mb in rss)} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    passed_all = True
    for label, value in figures.items():
        goal, unit, sense = GOALS[label]
        passed = value >= goal if sense == ">=" else value < goal
        passed_all &= passed
        print(f"{'PASS' if passed else 'FAIL'}  {label:<26} {value:10.1f} {unit:<12} (goal {sense} {goal:g} {unit})")
    return 0 if passed_all else 1


if __name__ == "__main__":
    sys.exit(main())
