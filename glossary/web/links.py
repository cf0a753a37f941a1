"""Where a page points outside itself: the IETF's HTML of a revision, and the page's JSON twin."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from flask import request

from ..model import Section, Term, Version
from ..store import EDITORS_COPY

IETF_ARCHIVE = "https://www.ietf.org/archive/id/"
RFC_EDITOR = "https://www.rfc-editor.org/rfc/"
DATATRACKER = "https://datatracker.ietf.org/doc/"

_RFC_NAME = re.compile(r"rfc\d+")


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def document_url(version: Version) -> str:
    """The revision as the IETF publishes it in HTML (the editor's copy: see section_links)."""
    if _RFC_NAME.fullmatch(version.name):
        return f"{RFC_EDITOR}{version.name}.html"
    if version.revision == EDITORS_COPY:
        return f"{DATATRACKER}{version.document}/"
    return f"{IETF_ARCHIVE}{version.name}.html"


def section_links(version: Version, term: Term, lineage: list[Version]) -> list[Link]:
    """Links to the section defining ``term`` in the IETF's HTML of ``version``, best first.

    Drafts: the archive's xml2rfc HTML, at the section's own anchor (xml2rfc
    keeps the XML anchor as the id of the section) or else at "section-N",
    which xml2rfc always generates. RFCs: the RFC Editor's HTML, at
    "section-N" (the only form the HTML of older, text-only RFCs has).

    The editor's copy ("…-latest") is the authors' working copy: it is never in
    the IETF archive, so an archive URL with its name would be a dead link, and
    where the authors publish it is not recorded in the store. It links to the
    document's datatracker page (which lists the newest submitted revision and
    the authors' repository), and then to the term's section in the newest
    numbered revision the store holds, labelled as such: that revision's
    section, found through the term there, since sections move between revisions.
    """
    if version.revision != EDITORS_COPY:
        section = term.section
        return [Link(f"{section.citation()} in the IETF's HTML", document_url(version) + _fragment(version, section))]
    links = [Link("Editor's copy: the document on the datatracker", document_url(version))]
    numbered = [v for v in lineage if v.document == version.document and v.revision != EDITORS_COPY]
    if numbered:
        newest = numbered[-1]
        there = next((t for t in newest.terms if t.id == term.id), None)
        if there is not None:
            links.append(Link(f"{there.section.citation()} in {newest.name}, the newest numbered revision",
                              document_url(newest) + _fragment(newest, there.section)))
        else:
            links.append(Link(f"{newest.name}, the newest numbered revision (without this term)",
                              document_url(newest)))
    return links


def _fragment(version: Version, section: Section) -> str:
    if section.anchor and not _RFC_NAME.fullmatch(version.name):
        return "#" + quote(section.anchor, safe="")
    if section.number:
        return "#section-" + quote(section.number, safe=".")
    return ""


def api_url(path: str, **query: str | None) -> str:
    """``/api/v1<path>?<query>`` under this app's root; empty parameters are left out.

    Paths, not url_for endpoints: the paths are the API's published contract
    (README, OpenAPI), its view names are not.
    """
    kept = {name.rstrip("_"): value for name, value in query.items() if value}
    url = f"{request.script_root}/api/v1{path}"
    return f"{url}?{urlencode(kept)}" if kept else url


def path_segment(name: str) -> str:
    return quote(name, safe="")
