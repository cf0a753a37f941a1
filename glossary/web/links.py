"""Where a page points outside itself: the IETF's HTML of a revision, and the page's JSON twin."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from flask import request

from ..ietf import document_page, section_url
from ..model import Term, Version


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def section_links(version: Version, term: Term, lineage: list[Version]) -> list[Link]:
    """Links to the section defining ``term`` in the IETF's HTML of ``version``, best first (see glossary.ietf).

    The editor's copy ("…-latest") is never in the IETF archive, and the store
    knows where its authors publish it only when the document names its
    repository (citations link it there, see glossary.ietf). The page links
    to the document's datatracker page (which lists the newest submitted revision and
    the authors' repository), and then to the term's section in the newest
    numbered revision the store holds, labelled as such: that revision's
    section, found through the term there, since sections move between revisions.
    """
    if not version.is_editors_copy:
        return [Link(f"{term.section.citation()} in the IETF's HTML", section_url(version, term.section))]
    links = [Link("Editor's copy: the document on the datatracker", document_page(version))]
    numbered = [v for v in lineage if v.document == version.document and not v.is_editors_copy]
    if numbered:
        newest = numbered[-1]
        there = newest.by_id(term.id)
        if there is not None:
            links.append(Link(f"{there.section.citation()} in {newest.name}, the newest numbered revision",
                              section_url(newest, there.section)))
        else:
            links.append(Link(f"{newest.name}, the newest numbered revision (without this term)",
                              document_page(newest)))
    return links


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
