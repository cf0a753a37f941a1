"""Benchmark: importing the whole corpus into an empty store, beside bare lxml parsing.

    python bench/import.py [--corpus DIR] [--repeat N]

Every revision the manifest lists (its XML file, as `glossary import
--manifest` takes it) is imported into one empty store in one batch, as the
command does: read, extract the terms, write each version, then the index,
the lineage index and the search index (fsync included). The best
of N such runs is printed per document and in total, beside lxml alone
parsing the same bytes (best of N), with their ratio.
Goal: the whole import within 3x of bare parsing. The text and HTML readers
are timed too, for comparison (no goal).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from glossary.store import Store  # noqa: E402
from importers import read_version  # noqa: E402

GOAL_RATIO = 3.0


def best_of(repeat: int, action) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def bare_parse(data: bytes) -> None:
    etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def import_corpus(sources: list[tuple[bytes, str]]) -> list[float]:
    """Every source into one empty store, as `glossary import --manifest` does: seconds per source."""
    seconds = []
    with tempfile.TemporaryDirectory() as store_dir:
        store = Store(store_dir)
        with store.batch():  # one lock, one index.json and one derived-index update, as the command does
            for data, source in sources:
                start = time.perf_counter()
                store.save(read_version(data, source))
                seconds.append(time.perf_counter() - start)
            start = time.perf_counter()
        seconds[-1] += time.perf_counter() - start  # the batch's commit, counted with the last revision
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=os.environ.get("GLOSSARY_CORPUS", str(ROOT.parent / "shared" / "ietf")))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    revisions = json.loads((corpus / "manifest.json").read_text())["documents"]

    paths = [corpus / revision["files"]["xml"]["path"] for revision in revisions]
    sources = [(path.read_bytes(), str(path)) for path in paths]
    runs = [import_corpus(sources) for _ in range(args.repeat)]
    best_run = min(runs, key=sum)
    rows = []
    for revision, (data, _), imported in zip(revisions, sources, best_run):
        parse = best_of(args.repeat, lambda: bare_parse(data))
        rows.append((revision["name"], len(data), parse, imported))
    total_parse = sum(row[2] for row in rows)
    total_import = sum(best_run)
    other_formats = {}
    for fmt in ("txt", "html"):
        files = [corpus / revision["files"][fmt]["path"] for revision in revisions]
        other_formats[fmt] = sum(
            best_of(args.repeat, lambda: read_version(path.read_bytes(), str(path))) for path in files
        )

    print(f"{'revision':38} {'KiB':>6} {'lxml parse ms':>14} {'import ms':>10} {'ratio':>6}")
    for name, size, parse, imported in rows:
        print(f"{name:38} {size / 1024:6.0f} {parse * 1000:14.2f} {imported * 1000:10.2f} {imported / parse:6.1f}")
    ratio = total_import / total_parse
    print(f"{'total (' + str(len(rows)) + ' revisions)':38} {'':6} {total_parse * 1000:14.2f} "
          f"{total_import * 1000:10.2f} {ratio:6.1f}")
    for fmt, seconds in other_formats.items():
        print(f"reading every {fmt} rendering instead (no store write): {seconds * 1000:.1f} ms")
    verdict = "PASS" if ratio <= GOAL_RATIO else "FAIL"
    print(f"goal: whole import within {GOAL_RATIO:.0f}x of bare parsing -> {ratio:.1f}x {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
