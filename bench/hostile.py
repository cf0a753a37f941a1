"""Benchmark: small hostile inputs beside a normal corpus import, measured in the same run.

    python bench/hostile.py [--corpus DIR] [--repeat N]

The baseline is a normal import: every revision the corpus manifest lists
(its XML file) into an empty store, as `glossary import --manifest` does.
Each hostile case then goes the way a user's input goes (the usage lint, an
import into an empty store, a download from a loopback server) and is
answered: read, or refused with one line. Printed per case: the best of N
times, its ratio to the baseline, and the answer.
Goal: every case within 20x of the baseline. The downloads are bounded by
their deadline (0.5 s here), which they are printed beside; a lint of the
largest draft accepted (10 MiB of prose) is printed for reference.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # hostile_inputs.py: the inputs, shared with tests/test_hostile.py

import hostile_inputs  # noqa: E402
from glossary.catalog import Catalog  # noqa: E402
from glossary.importing import import_source  # noqa: E402
from glossary.authoring.lint import lint  # noqa: E402
from glossary.store import Store, embedded_store  # noqa: E402
from importers import SourceError, read_version  # noqa: E402
from importers.fetch import download  # noqa: E402
from importers.terms import expansions  # noqa: E402

GOAL_RATIO = 20.0
NEWEST = "draft-ietf-iotops-7228bis-07"
DOWNLOAD_DEADLINE = 0.5


def best_of(repeat: int, action) -> tuple[float, str]:
    """The shortest time of ``repeat`` runs of ``action``, and what it answered."""
    best, answer = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        answer = action()
        best = min(best, time.perf_counter() - start)
    return best, answer


def import_corpus(sources: list[tuple[bytes, str]]) -> str:
    with tempfile.TemporaryDirectory() as store_dir:
        store = Store(store_dir)
        for data, source in sources:
            store.save(read_version(data, source))
    return f"{len(sources)} versions imported"


def import_file(path: Path) -> str:
    """`glossary import PATH` into an empty store: its one line of answer."""
    with tempfile.TemporaryDirectory() as store_dir:
        outcome = import_source(Store(store_dir), str(path))
    if outcome.status == "failed":
        return "refused: " + outcome.error.split(": ", 1)[1]
    return f"{outcome.status} ({len(outcome.version.terms)} terms)"


def lint_answer(data: bytes, catalog: Catalog) -> str:
    try:
        report = lint(data, catalog)
    except SourceError as error:
        return f"refused: {error.problem}"
    return f"{report.format}, {len(report.uses)} term(s) used"


def download_answer(url: str) -> str:
    try:
        return f"{len(download(url, timeout=DOWNLOAD_DEADLINE))} bytes"
    except SourceError as error:
        return f"refused: {error.problem}"


class DrippingHandler(http.server.BaseHTTPRequestHandler):
    """/headers drips its headers, /body its body: a byte every 0.1 s."""

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        if self.path == "/body":
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\n")
        else:
            self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
        for _ in range(100):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.1)


@contextlib.contextmanager
def dripping_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DrippingHandler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def hostile_files(work: Path, corpus: Path) -> dict[str, Path]:
    """The hostile sources to import, written under ``work``."""
    text = (corpus / "txt" / f"{NEWEST}.txt").read_text()
    xml = (corpus / "xml" / f"{NEWEST}.xml").read_bytes()
    acronyms = hostile_inputs.acronym_prose("LLN", "Low-Power and Lossy Network", 320_000)
    contents = {
        "text with a paragraph of 214 KB": hostile_inputs.long_paragraph(text, "2.  Core Terminology", 214_000),
        "text with a paragraph of 430 KB": hostile_inputs.long_paragraph(text, "2.  Core Terminology", 430_000),
        "text with a paragraph of 1.5 MB": hostile_inputs.long_paragraph(text, "2.  Core Terminology", 1_500_000),
        "text with a line of 100,000 dots": hostile_inputs.contents_line_of_dots(text, "3.  Classes of Constrained"),
        "text with 320 KB of acronym prose": hostile_inputs.insert_before_line(
            text, "2.3.2.  LoWPAN", ["   " + acronyms[i:i + 66] for i in range(0, len(acronyms), 66)]),
        "XML with 100,000 terms": hostile_inputs.with_definitions(
            xml, [(f"Hostile {i}", "A term.") for i in range(100_000)]),
        "XML with a 9 MB definition": hostile_inputs.with_definitions(xml, [("Long", "word " * 1_800_000)]),
        "XML with 1,000,000 spaces in an attribute": hostile_inputs.with_definitions(
            xml, [("Spacious", "A term.")], dt_attributes=' title="' + " " * 1_000_000 + '"'),
        "XML of a document named latest": hostile_inputs.renamed(xml, NEWEST, b"latest"),
        "HTML of 13,000 unclosed <meta": b"<!doctype html><html>" + b"<meta " * 13_000,
    }
    html = (corpus / "html" / f"{NEWEST}.html").read_bytes()
    contents["HTML nested 5,000 deep"] = hostile_inputs.nested_in_first_definition(html)
    files = {}
    for number, (case, content) in enumerate(contents.items()):
        path = work / f"case-{number}"
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        files[f"import: {case}"] = path
    fifo = work / "fifo"
    os.mkfifo(fifo)  # no writer
    files["import: a FIFO with no writer"] = fifo
    files["import: /dev/zero"] = Path("/dev/zero")
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("GLOSSARY_CORPUS", ROOT.parent / "shared" / "ietf")))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    manifest = json.loads((args.corpus / "manifest.json").read_text())["documents"]
    sources = [((args.corpus / d["files"]["xml"]["path"]).read_bytes(), d["files"]["xml"]["path"]) for d in manifest]
    baseline, _ = best_of(args.repeat, lambda: import_corpus(sources))
    print(f"baseline: corpus import ({len(sources)} revisions, XML)   {baseline * 1000:8.1f} ms\n")

    catalog = Catalog(Store(embedded_store()), Path(tempfile.mkdtemp(prefix="hostile-cache-")))
    cases = {
        "lint: <!DOCTYPE + [] x 34 after <rfc": lambda: lint_answer(
            b'<rfc docName="x"><!DOCTYPE' + b"[]" * 34, catalog),
        "lint: '<rfc ' x 40,000": lambda: lint_answer(b"<rfc " * 40_000, catalog),
        "lint: 'C2' on 100,000 lines": lambda: lint_answer(b"RFC 7228\n" + b"C2\n" * 100_000, catalog),
        "lint: 'C2' on 200,000 lines": lambda: lint_answer(b"RFC 7228\n" + b"C2\n" * 200_000, catalog),
        "acronym expansions in 320 KB of prose": lambda: repr(expansions(
            "LLN", hostile_inputs.acronym_prose("LLN", "Low-Power and Lossy Network", 320_000))),
    }
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        for case, path in hostile_files(Path(work), args.corpus).items():
            cases[case] = lambda path=path: import_file(path)
        width = max(map(len, cases)) + 2
        print(f"{'case':<{width}}{'ms':>9}{'ratio':>8}   answer")
        for case, action in cases.items():
            seconds, answer = best_of(args.repeat, action)
            ratio = seconds / baseline
            failures += ratio > GOAL_RATIO
            print(f"{case:<{width}}{seconds * 1000:9.1f}{ratio:7.1f}x   {answer[:70]}")
        prose = b"RFC 7228\n" + b"Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 180_000
        seconds, answer = best_of(1, lambda: lint_answer(prose, catalog))
        print(f"{'lint: 10 MiB of prose, no goal':<{width}}{seconds * 1000:9.1f}{seconds / baseline:7.1f}x   {answer}")
        with dripping_server() as base:
            for path in ("/headers", "/body"):
                seconds, answer = best_of(1, lambda: download_answer(base + path))
                print(f"{'download: dripping ' + path[1:]:<{width}}{seconds * 1000:9.1f}{'':>8}   {answer[:70]}")
    print(f"\n{'PASS' if not failures else 'FAIL'}  every case within {GOAL_RATIO:g}x of the corpus import"
          f" ({failures} beyond); downloads end at their {DOWNLOAD_DEADLINE:g} s deadline")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
