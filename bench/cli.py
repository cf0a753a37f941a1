"""Benchmark: how long the command line takes to start and answer, beside a bare Python start.

    python bench/cli.py [--repeat N]

Runs ``python -m glossary versions`` (the embedded store) N times, and
``python -c pass`` as often, in fresh processes with the same interpreter, and
prints the median and best wall times of each and their difference (what
the glossary itself costs). For comparison it also times ``terms``, ``show``
and ``search``, which load more (search: whoosh). The slowest modules that
``versions`` imports are listed from ``python -X importtime``.
Goal: ``glossary versions`` answers within 0.3 s (median).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 0.3
COMMANDS = {
    "python -c pass (baseline)": ["-c", "pass"],
    "glossary versions": ["-m", "glossary", "versions"],
    "glossary terms": ["-m", "glossary", "terms"],
    "glossary show c2": ["-m", "glossary", "show", "c2"],
    "glossary search node": ["-m", "glossary", "search", "node"],
}


def timed(arguments: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *arguments], cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def slowest_imports(arguments: list[str], count: int = 8) -> list[tuple[float, str]]:
    """The modules with the largest cumulative import time, in milliseconds."""
    result = subprocess.run([sys.executable, "-X", "importtime", *arguments], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    rows = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = (part.strip() for part in line.split(":", 1)[1].split("|"))
            rows.append((int(cumulative) / 1000, name))
    return sorted(rows, reverse=True)[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    for arguments in COMMANDS.values():  # warm the file cache and the search index
        timed(arguments)
    times = {label: [] for label in COMMANDS}
    for _ in range(args.repeat):  # interleaved, so that load from elsewhere falls on every command alike
        for label, arguments in COMMANDS.items():
            times[label].append(timed(arguments))
    baseline = statistics.median(times["python -c pass (baseline)"])
    print(f"{'command':28} {'median s':>9} {'best s':>7} {'minus baseline s':>17}  ({args.repeat} runs each)")
    for label, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{label:28} {median:9.3f} {min(seconds):7.3f} {median - baseline:17.3f}")
    print("slowest imports of glossary versions (cumulative ms):")
    for milliseconds, name in slowest_imports(COMMANDS["glossary versions"]):
        print(f"  {milliseconds:7.1f}  {name}")
    versions = statistics.median(times["glossary versions"])
    verdict = "PASS" if versions < GOAL_SECONDS else "FAIL"
    print(f"goal: glossary versions within {GOAL_SECONDS} s -> {versions:.3f} s {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
