"""The printed snippets in the authors' own tools: kramdown-rfc, then xml2rfc, offline.

A draft is made of what `glossary embed --format kramdown` prints (the
definition and the front-matter lines) around a minimal front matter of its
own. kramdown-rfc runs offline with a local reference cache holding the
reference it would fetch from the IETF's bibliography: the `<reference>` that
`glossary embed --format xml` prints, which has the bibliography's shape.
kramdown-rfc is Debian's `ruby-kramdown-rfc2629` (.ci/install-system installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.store import embedded_store
from support import tool_missing

XML2RFC = Path(sys.executable).parent / "xml2rfc"
KRAMDOWN_RFC = shutil.which("kramdown-rfc") or shutil.which("kramdown-rfc2629")
FRONT = """---
title: Sleepy Sensors
docname: draft-example-sleepy-sensors-00
category: info
ipr: trust200902
submissiontype: IETF
author:
  - name: Alex Example
    ins: A. Example
    org: Example Org
"""
BODY = """
--- abstract

Terms for sleepy sensors.

--- middle

# Terminology

{snippet}
"""


def glossary(*args) -> str:
    result = CliRunner().invoke(main, ["--store", str(embedded_store()), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def kramdown_rfc() -> str:
    if KRAMDOWN_RFC is None:
        tool_missing("kramdown-rfc is not installed (apt-get install ruby-kramdown-rfc2629)",
                            "the kramdown-rfc rendering test")
    return KRAMDOWN_RFC


def printed_draft(term: str) -> tuple[str, str]:
    """The draft an author makes of the printed snippet, and the bibliography name it pins."""
    printed = glossary("embed", term, "--format", "kramdown")
    snippet, front_matter = printed.split("\n\n# for the front matter")
    front_matter_lines = front_matter.split("\n")[1:]  # after the header comment
    pinned = [line for line in front_matter_lines if line.strip()][-1].split(": ", 1)[1]  # "  ANCHOR: NAME"
    return FRONT + "\n".join(front_matter_lines).rstrip("\n") + "\n" + BODY.format(snippet=snippet), pinned


def run_kramdown_rfc(tool: str, draft: str, directory: Path, pinned: str) -> subprocess.CompletedProcess:
    cache = directory / "refcache"
    cache.mkdir(exist_ok=True)
    reference = json.loads(glossary("embed", "c1", "--format", "xml", "--json"))["reference"]
    (cache / f"reference.{pinned}.xml").write_text(reference, encoding="utf-8")
    (directory / "draft.md").write_text(draft, encoding="utf-8")
    environment = {**os.environ, "KRAMDOWN_OFFLINE": "1", "KRAMDOWN_REFCACHEDIR": str(cache)}
    return subprocess.run([tool, "draft.md"], cwd=directory, env=environment, capture_output=True, text=True,
                          timeout=120)


def test_the_printed_kramdown_snippet_renders_through_kramdown_rfc_and_xml2rfc(kramdown_rfc, tmp_path):
    draft, pinned = printed_draft("c1")
    assert "stand_alone: true" in draft and pinned == "I-D.draft-ietf-iotops-7228bis-07"
    converted = run_kramdown_rfc(kramdown_rfc, draft, tmp_path, pinned)
    assert converted.returncode == 0 and "***" not in converted.stderr, converted.stderr
    (tmp_path / "draft.xml").write_text(converted.stdout, encoding="utf-8")

    rendered = subprocess.run([str(XML2RFC), "--text", "--no-network", "--no-pagination", "draft.xml", "-o",
                               "draft.txt"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert rendered.returncode == 0, rendered.stderr
    assert "Warning" not in rendered.stderr and "Error" not in rendered.stderr, rendered.stderr
    text = " ".join((tmp_path / "draft.txt").read_text(encoding="utf-8").split())
    assert "(Section 3 of [I-D.ietf-iotops-7228bis])" in text
    assert ('[I-D.ietf-iotops-7228bis] Bormann, C., Ersue, M., Keränen, A., and C. Gomez, "Terminology for '
            'Constrained-Node Networks", Work in Progress, Internet-Draft, draft-ietf-iotops-7228bis-07') in text


def test_without_stand_alone_kramdown_rfc_says_the_output_needs_editing(kramdown_rfc, tmp_path):
    """Why the snippet asks for the setting: kramdown-rfc cannot use the anchor without it."""
    draft, pinned = printed_draft("c1")
    converted = run_kramdown_rfc(kramdown_rfc, draft.replace("stand_alone: true\n", ""), tmp_path, pinned)
    assert "requires stand_alone mode" in converted.stderr
