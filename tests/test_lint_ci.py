"""The lint in CI: GitHub Actions annotations, and SARIF 2.1.0 validated against the OASIS schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from support import FIXTURES
from glossary.catalog import Catalog
from glossary.cli import main
from glossary.store import Store, embedded_store

SARIF_SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
DRAFT = FIXTURES / "drafts" / "kramdown-stale-section-and-removed-term.md"
ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),title=([^:]+)::(.*)$")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Catalog:
    return Catalog(Store(embedded_store()), tmp_path_factory.mktemp("cache"))


def glossary(*args):
    return CliRunner().invoke(main, ["--store", str(embedded_store()), *map(str, args)])


def json_report(path: Path) -> dict:
    return json.loads(glossary("lint", path, "--json").stdout)


def expected_flags(report: dict) -> list[tuple[int, str]]:
    """(line, status) of every use that is not unchanged, and the stale sections, as the JSON report says."""
    flags = [(line, use["status"]) for use in report["terms"] if use["status"] != "unchanged" for line in use["lines"]]
    flags += [(cited["line"], "stale-section") for use in report["terms"] for cited in use.get("section_citations", [])]
    return sorted(flags)


def test_the_vendored_schema_is_the_oasis_sarif_2_1_0_schema():
    assert SARIF_SCHEMA["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    assert SARIF_SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


@pytest.mark.parametrize("draft", [DRAFT, FIXTURES / "drafts" / "pinned" / "rfcxml-xinclude.xml",
                                   FIXTURES / "drafts" / "kramdown-citing-rfc7228.md"])
def test_sarif_output_validates_and_locates_every_finding(draft):
    result = glossary("lint", draft, "--format", "sarif")
    sarif = json.loads(result.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(sarif)
    [run] = sarif["runs"]
    located = sorted((r["locations"][0]["physicalLocation"]["region"]["startLine"],
                      r["ruleId"].removeprefix("term-")) for r in run["results"])
    assert located == expected_flags(json_report(draft))
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]} <= {str(draft)}
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run["results"])


def test_an_invalid_sarif_log_is_refused_by_the_schema():
    """The validation can fail: a result without its message is not SARIF."""
    sarif = json.loads(glossary("lint", DRAFT, "--format", "sarif").stdout)
    del sarif["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)


def test_github_annotations_one_per_finding_on_its_line():
    result = glossary("lint", DRAFT, "--format", "github")
    assert result.exit_code == 1  # a term it uses was removed
    *annotations, summary = result.stdout.rstrip("\n").split("\n")
    parsed = [ANNOTATION.match(line) for line in annotations]
    assert all(parsed), annotations
    assert {m.group(2) for m in parsed} == {str(DRAFT)}
    levels = {"removed": "error", "changed": "warning", "stale-section": "warning"}
    assert sorted((int(m.group(3)), m.group(4).removeprefix("term-")) for m in parsed) == expected_flags(
        json_report(DRAFT))
    assert all(m.group(1) == levels[m.group(4).removeprefix("term-")] for m in parsed)
    removed = next(m for m in parsed if m.group(1) == "error")
    assert "Class 13" in removed.group(5) and "successor: Class 15" in removed.group(5)
    assert "\n" not in removed.group(5) and "%0A" in result.stdout  # multi-line messages are escaped
    assert summary.startswith(f"{DRAFT}: 2 term(s) used")


ADDED_AND_ABSENT_DRAFT = """Internet-Draft

This document follows RFC 7228: a Class 13 device on LPWAN links.

References

   [RFC7228]  Bormann, C., Ersue, M., and A. Keranen, "Terminology for
              Constrained-Node Networks", RFC 7228, May 2014.
"""


def expected_clauses(use: dict, report: dict) -> list[str]:
    """What every report should say of a use beyond its status, from the JSON report's facts."""
    since = use.get("cited_version", report["cited_version"])
    clauses = []
    if use["status"] == "added":
        clauses.append(f"not in {since}, defined in {use['current_section']}")
    if use["status"] == "absent":
        clauses.append(f"not in {since} nor in {report['against']}, defined only in {', '.join(use['defined_in'])}")
    if use.get("successor"):
        successor = use["successor"]
        clauses.append(f"successor: {successor['term']} ({successor['id']}), {successor['how']}")
    return clauses


def test_the_text_report_and_ci_describe_added_absent_and_removed_terms_in_the_same_words(tmp_path):
    text_draft = tmp_path / "draft-example-lpwan-00.txt"
    text_draft.write_text(ADDED_AND_ABSENT_DRAFT)
    described = set()
    for draft in (DRAFT, text_draft):
        report = json_report(draft)
        text = glossary("lint", draft).stdout.splitlines()
        github = glossary("lint", draft, "--format", "github").stdout
        annotations = [ANNOTATION.match(line) for line in github.splitlines()]
        sarif = json.loads(glossary("lint", draft, "--format", "sarif").stdout)["runs"][0]["results"]
        for use in report["terms"]:
            clauses = expected_clauses(use, report)
            if not clauses:
                continue
            described.add(use["status"])
            head = f"{use['term']} ({use['id']}): {use['status']}"
            [text_line] = [line for line in text if line.startswith(head)]
            [annotation] = [m.group(5) for m in annotations if m and m.group(5).startswith(head)]
            [result] = [r["message"]["text"] for r in sarif if r["message"]["text"].startswith(head)]
            for clause in clauses:
                assert f"; {clause};" in text_line, text_line
                assert annotation.split("%0A")[0].endswith(f"; {clause}"), annotation
                assert result.split("\n")[0].endswith(f"; {clause}"), result
    assert described == {"added", "absent", "removed"}
