"""Benchmark: importing the whole corpus into an empty store, beside bare lxml parsing.

    python bench/import.py [--corpus DIR] [--repeat N]

Every revision the manifest lists (its XML file, as `glossary import
--manifest` takes it) is imported into one empty store in one batch, as the
command does (glossary.importing.import_sources: read in worker processes,
one per core, saved in order), then the index, the lineage index and the
search index (fsync included). The best of N such runs is printed in total,
beside lxml alone parsing the same files (best of N), with their ratio; per
document, the time to read it alone (fetch, parse, extract) beside its parse.
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

from glossary.importing import import_sources, read_source  # noqa: E402
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


def import_corpus(paths: list[Path]) -> float:
    """Seconds to import every path into one empty store, as `glossary import --manifest` does."""
    with tempfile.TemporaryDirectory() as store_dir:
        store = Store(store_dir)
        start = time.perf_counter()
        with store.batch():  # one lock, one index.json and one derived-index update, as the command does
            outcomes = list(import_sources(store, ((str(path), None) for path in paths), len(paths)))
        seconds = time.perf_counter() - start
    failed = [outcome.error for outcome in outcomes if outcome.status == "failed"]
    if failed:
        raise SystemExit(f"the corpus did not import: {failed[0]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=os.environ.get("GLOSSARY_CORPUS", str(ROOT.parent / "shared" / "ietf")))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    revisions = json.loads((corpus / "manifest.json").read_text())["documents"]

    paths = [corpus / revision["files"]["xml"]["path"] for revision in revisions]
    total_import = min(import_corpus(paths) for _ in range(args.repeat))
    rows = []
    for revision, path in zip(revisions, paths):
        parse = best_of(args.repeat, lambda: bare_parse(path.read_bytes()))
        read = best_of(args.repeat, lambda: read_source(str(path)))
        rows.append((revision["name"], path.stat().st_size, parse, read))
    total_parse = sum(row[2] for row in rows)
    other_formats = {}
    for fmt in ("txt", "html"):
        files = [corpus / revision["files"][fmt]["path"] for revision in revisions]
        other_formats[fmt] = sum(
            best_of(args.repeat, lambda: read_version(path.read_bytes(), str(path))) for path in files
        )

    print(f"{'revision':38} {'KiB':>6} {'lxml parse ms':>14} {'read ms':>10} {'ratio':>6}")
    for name, size, parse, read in rows:
        print(f"{name:38} {size / 1024:6.0f} {parse * 1000:14.2f} {read * 1000:10.2f} {read / parse:6.1f}")
    ratio = total_import / total_parse
    print(f"{'whole import (' + str(len(rows)) + ' revisions)':38} {'':6} {total_parse * 1000:14.2f} "
          f"{total_import * 1000:10.2f} {ratio:6.1f}")
    for fmt, seconds in other_formats.items():
        print(f"reading every {fmt} rendering instead (no store write): {seconds * 1000:.1f} ms")
    verdict = "PASS" if ratio <= GOAL_RATIO else "FAIL"
    print(f"goal: whole import within {GOAL_RATIO:.0f}x of bare parsing -> {ratio:.1f}x {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
