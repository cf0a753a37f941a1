"""The usage lint on real drafts, against a ground truth judged use by use (tests/fixtures/drafts/real).

`dev/` drafts were used to develop the lint's rules; `holdout/` drafts were
not looked at while doing so. A reported use matches a true one when its line
and term agree; precision is matched reports over reports, recall matched true
uses over true uses, both over distinct (line, term) pairs, since the lint
reports each term once per line. Reports on the truth's `ambiguous` entries
count neither way. A use of a term no stored version defines cannot be found
by any lint over this store: such uses are scored only once the store has the
term (the figures printed say how many were left out).
"""

from __future__ import annotations

import json

import pytest

from support import FIXTURES
from glossary.catalog import Catalog
from glossary.authoring.drafts import BIS
from glossary.authoring.lint import lint
from glossary.store import Store, embedded_store

REAL = FIXTURES / "drafts" / "real"
TRUTH = json.loads((REAL / "truth.json").read_text(encoding="utf-8"))["drafts"]
GOAL = 0.95


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Catalog:
    return Catalog(Store(embedded_store()), tmp_path_factory.mktemp("cache"))


def stored_term_ids(catalog: Catalog) -> set[str]:
    return {term.id for version in catalog.lineage() for term in version.terms}


def score(catalog: Catalog, drafts: list[dict]) -> dict:
    """Matched, reported and true counts over ``drafts``, and what was missed and wrongly reported."""
    known = stored_term_ids(catalog)
    totals = {"matched": 0, "reported": 0, "true": 0, "unscorable": 0, "missed": [], "wrong": []}
    for draft in drafts:
        report = lint((REAL / draft["file"]).read_bytes(), catalog, source=draft["file"])
        reported = {(line, use.id) for use in report.uses for line in use.lines}
        truth = {(use["line"], use["term"]) for use in draft["uses"]}
        ambiguous = {(entry["line"], entry["term"]) for entry in draft.get("ambiguous", [])}
        scorable = {pair for pair in truth if pair[1] in known}
        totals["unscorable"] += len(truth - scorable)
        counted = reported - ambiguous
        totals["reported"] += len(counted)
        totals["matched"] += len(counted & truth)
        totals["true"] += len(scorable)
        totals["missed"] += [(draft["file"], *pair) for pair in sorted(scorable - reported)]
        totals["wrong"] += [(draft["file"], *pair) for pair in sorted(counted - truth)]
    totals["precision"] = totals["matched"] / totals["reported"] if totals["reported"] else 1.0
    totals["recall"] = (totals["true"] - len(totals["missed"])) / totals["true"] if totals["true"] else 1.0
    return totals


def missing_citations(catalog: Catalog, drafts: list[dict]) -> list[tuple]:
    """True citations whose line the lint does not report as citing that document."""
    missing = []
    for draft in drafts:
        report = lint((REAL / draft["file"]).read_bytes(), catalog, source=draft["file"])
        # "RFC 7228bis" named without a draft name means the bis, whatever its draft's name.
        found = {(c.line, {"rfc7228": "RFC7228", BIS: "draft-ietf-iotops-7228bis"}.get(c.document, c.document))
                 for c in report.citations}
        for citation in draft["citations"]:
            if (citation["line"], citation["document"]) not in found:
                missing.append((draft["file"], citation["line"], citation["text"]))
    return missing



@pytest.mark.parametrize("subset", ["dev", "holdout"])
def test_precision_and_recall_on_real_drafts(catalog, subset):
    drafts = [draft for draft in TRUTH if draft["set"] == subset]
    result = score(catalog, drafts)
    print(f"\n{subset}: precision {result['precision']:.1%} ({result['matched']}/{result['reported']}), "
          f"recall {result['recall']:.1%} ({result['true'] - len(result['missed'])}/{result['true']}), "
          f"{result['unscorable']} uses of terms not in the store left out")
    assert result["precision"] >= GOAL, result["wrong"]
    assert result["recall"] >= GOAL, result["missed"]


@pytest.mark.parametrize("subset", ["dev", "holdout"])
def test_every_citation_of_real_drafts_is_found(catalog, subset):
    assert missing_citations(catalog, [draft for draft in TRUTH if draft["set"] == subset]) == []
