"""Where the IETF publishes a version, and the one rule for linking to a section of it.

Every URL the pages, snippets and exports point to is built here:

- an RFC: the RFC Editor's info page (what a reference cites) and its HTML;
- a numbered draft revision: its datatracker page (cited) and the IETF
  archive's xml2rfc HTML of that revision;
- a draft's editor's copy ("…-latest"): the authors' working copy, never in
  the archive: where the editors publish it (the GitHub Pages site of the
  source repository the document names, as the IETF's draft template
  publishes it); without such a repository, the draft itself: its datatracker
  page, and the datatracker's HTML of its newest revision.

A version's source is given as the public copy of what was read (the
format's file in the RFC Editor's or the IETF archive's collection), never as
where a build machine kept it.

A section is linked as "#section-N" ("#appendix-A"), the ids xml2rfc gives
every numbered section in the archive's HTML, the datatracker's and the RFC
Editor's alike, and the number the citation next to the link shows; an
unnumbered section by its XML anchor when the store has it.

The whole-document diff of two revisions: the IETF author tools' iddiff for
two published revisions, and the comparison of the two source commits in the
authors' public repository where the store records both (the corpus
manifest gives each revision's commit).

A document named for import (``glossary import draft-…-07``) is fetched
from the archive as XML, else as text (older drafts and RFCs exist only as
text), an RFC as text from the RFC Editor; GLOSSARY_IETF_ARCHIVE_URL and
GLOSSARY_RFC_EDITOR_URL point these at another server.
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote

from .model import Section, Version, is_rfc, rfc_number, split_revision

RFC_EDITOR = "https://www.rfc-editor.org/"
IETF_ARCHIVE = "https://www.ietf.org/archive/id/"
DATATRACKER = "https://datatracker.ietf.org/doc/"
IDDIFF = "https://author-tools.ietf.org/iddiff"
# The authors' public repository, where each revision's source commit is.
AUTHORS_REPOSITORY = "https://github.com/lwig-wg/terminology"
IETF_ARCHIVE_ENV = "GLOSSARY_IETF_ARCHIVE_URL"
RFC_EDITOR_ENV = "GLOSSARY_RFC_EDITOR_URL"

# Names a reader gives for import: "draft-ietf-iotops-7228bis[-07]", "rfc7228", "RFC 7228".
_DRAFT_NAME = re.compile(r"draft-[a-z0-9]+(?:-[a-z0-9]+)+", re.IGNORECASE)
_RFC_NAME = re.compile(r"rfc\s?0*(\d{1,5})", re.IGNORECASE)
_GITHUB_REPOSITORY = re.compile(r"https://github\.com/([\w.-]+)/([\w.-]+?)/?")


def source_urls(name: str, *, ietf_archive: str | None = None, rfc_editor: str | None = None) -> list[str]:
    """Where to fetch the document ``name`` from, best first; nothing when ``name`` names no draft or RFC."""
    rfc = _RFC_NAME.fullmatch(name)
    if rfc:
        base = rfc_editor or os.environ.get(RFC_EDITOR_ENV) or RFC_EDITOR + "rfc/"
        return [f"{base.rstrip('/')}/rfc{rfc.group(1)}.txt"]
    if not _DRAFT_NAME.fullmatch(name):
        return []
    base = ietf_archive or os.environ.get(IETF_ARCHIVE_ENV) or IETF_ARCHIVE
    stem = f"{base.rstrip('/')}/{name.lower()}"
    return [f"{stem}.xml", f"{stem}.txt"]


def cited_name(version: Version) -> str:
    """The name a reference gives: the revision's, or the draft's own for the editor's copy."""
    return version.document if version.is_editors_copy or version.revision is None else version.name


def reference_target(version: Version) -> str:
    """The page a reference to ``version`` points to."""
    number = rfc_number(version.name)
    if number:
        return f"{RFC_EDITOR}info/rfc{number}"
    if version.is_editors_copy:
        return editors_copy_url(version) or f"{DATATRACKER}html/{version.document}"
    return f"{DATATRACKER}html/{cited_name(version)}"


def editors_copy_url(version: Version) -> str | None:
    """Where the editors publish the editor's copy: GitHub Pages of the source repository, if on GitHub."""
    match = _GITHUB_REPOSITORY.fullmatch(version.repository or "")
    if not match:
        return None
    return f"https://{match.group(1).lower()}.github.io/{match.group(2)}/{version.document}.html"


def html_url(version: Version) -> str:
    """The HTML rendering of ``version``, to which a section's fragment applies."""
    if version.is_rfc:
        return f"{RFC_EDITOR}rfc/{version.name}.html"
    if version.is_editors_copy:
        return editors_copy_url(version) or f"{DATATRACKER}html/{version.document}"
    return f"{IETF_ARCHIVE}{version.name}.html"


def document_page(version: Version) -> str:
    """Where a reader goes to read ``version``: its HTML; for the editor's copy, the draft's datatracker page."""
    if version.is_editors_copy:
        return f"{DATATRACKER}{version.document}/"
    return html_url(version)


# The extension of each source format's file in the RFC Editor's and the IETF archive's collections.
FORMAT_EXTENSIONS = {"rfcxml-v3": "xml", "rfcxml-v2": "xml", "rfc-text": "txt", "xml2rfc-html": "html"}


def source_url(version: Version) -> str:
    """The public URL of the document ``version`` was read from.

    A source read over http(s) is given as it was; a file, as the public copy
    of that revision in its format; an editor's copy read from a file, which
    is published nowhere the store records, as the draft's datatracker page.
    """
    recorded = version.source.uri
    if recorded.startswith(("https://", "http://")):
        return recorded
    extension = FORMAT_EXTENSIONS.get(version.source.format, "html")
    number = rfc_number(version.name)
    if number:
        return f"{RFC_EDITOR}rfc/rfc{number}.{extension}"
    if version.is_editors_copy or version.revision is None:
        return f"{DATATRACKER}{version.document}/"
    return f"{IETF_ARCHIVE}{version.name}.{extension}"


def section_fragment(section: Section) -> str:
    if section.number:
        kind = "appendix" if section.number[:1].isalpha() else "section"
        return f"#{kind}-{quote(section.number, safe='.')}"
    if section.anchor:
        return "#" + quote(section.anchor, safe="")
    return ""


def section_url(version: Version, section: Section) -> str:
    """The link to ``section`` of ``version``: the one rule for every face."""
    return html_url(version) + section_fragment(section)


def iddiff_url(old_name: str, new_name: str) -> str | None:
    """The author tools' diff of two published revisions (RFCs, numbered drafts); None for anything else."""
    if not (is_published(old_name) and is_published(new_name)):
        return None
    return f"{IDDIFF}?url1={quote(old_name)}&url2={quote(new_name)}"


def is_published(name: str) -> bool:
    """Whether the version of this name is an RFC or a numbered draft revision: what the IETF archive holds."""
    return is_rfc(name) or (name.startswith("draft-") and (split_revision(name)[1] or "").isdigit())


def source_diff_url(old_commit: str | None, new_commit: str | None) -> str | None:
    """The comparison of two source commits in the authors' repository; None unless both are recorded."""
    if not (old_commit and new_commit):
        return None
    return f"{AUTHORS_REPOSITORY}/compare/{quote(old_commit)}...{quote(new_commit)}"


def document_diff_links(old: Version, new: Version) -> dict[str, str]:
    """``{"iddiff": …, "source": …}``: every whole-document diff of the two there is."""
    return revision_diff_links(old.name, old.source.commit, new.name, new.source.commit)


def revision_diff_links(old_name: str, old_commit: str | None, new_name: str, new_commit: str | None
                        ) -> dict[str, str]:
    """document_diff_links of two versions known by their names and source commits alone."""
    links = {"iddiff": iddiff_url(old_name, new_name), "source": source_diff_url(old_commit, new_commit)}
    return {name: url for name, url in links.items() if url}
