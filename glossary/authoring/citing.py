"""How a document cites a version: its reference anchor, URLs, authors and bibliographic entry.

RFC 7228 is cited as ``RFC7228``; a bis draft as ``I-D.<name without "draft-">``
(``I-D.ietf-iotops-7228bis``), the anchor kramdown-rfc and the IETF
bibliography use, whatever revision is meant: the revision is in the
reference's seriesInfo. The editor's copy (revision "latest") is no
published revision: it is cited as the draft's "editor's copy of <date>",
linking where the editors publish it (the GitHub Pages site of the source
repository the document names, as the IETF's draft template publishes it).
Authors are those the version's front matter lists; RFC 7228's are known here
for as long as the RFC itself is not in the store.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..catalog import Catalog
from ..ietf import cited_name, html_url, reference_target
from ..model import MONTH_NAMES, Author, Section, Version, newest_revision, rfc_number

# RFC 7228's authors while the RFC is not in the store (it is published as plain text only), as the
# text importer would read them from it: initials, surname and organisation from the header, the full
# name from the Authors' Addresses section.
RFC_AUTHORS = {"7228": (Author("Carsten Bormann", "C.", "Bormann", "Universitaet Bremen TZI"),
                        Author("Mehmet Ersue", "M.", "Ersue", "Nokia Solutions and Networks"),
                        Author("Ari Keranen", "A.", "Keranen", "Ericsson"))}
RFC_DATES = {"7228": "2014-05"}


@dataclass(frozen=True)
class Reference:
    """What a citing document needs to cite one version."""

    anchor: str  # "RFC7228", "I-D.ietf-iotops-7228bis"
    title: str
    date: str | None  # ISO, possibly without the day ("2014-05")
    target: str  # the document's page
    series: tuple[tuple[str, str], ...]  # seriesInfo (name, value) pairs
    authors: tuple[Author, ...]
    html_url: str  # the HTML rendering, to which "#section-N" can be appended
    bibxml_name: str | None  # the name kramdown-rfc fetches ("RFC7228", "I-D.draft-ietf-iotops-7228bis-07"); None: none
    label: str  # how the text names it: "RFC 7228", "draft-ietf-iotops-7228bis-07", "…, editor's copy of 30 June 2026"
    editors_copy: bool = False

    @property
    def is_rfc(self) -> bool:
        return self.anchor.startswith("RFC")

    def cite(self, section: Section) -> str:
        """ "Section 3 of RFC 7228" """
        return f"{section.citation()} of {self.label}"

    def date_parts(self) -> dict[str, str]:
        """The attributes of an RFCXML ``<date>``: year, month name, and the day when known."""
        if not self.date:
            return {}
        parts = self.date.split("-")
        result = {"year": parts[0]}
        if len(parts) > 1:
            result["month"] = MONTH_NAMES[int(parts[1]) - 1]
        if len(parts) > 2 and not self.is_rfc:  # RFCs are cited by month
            result["day"] = str(int(parts[2]))
        return result

    def date_words(self) -> str:
        """ "23 April 2026", "May 2014" """
        parts = self.date_parts()
        return " ".join(parts[key] for key in ("day", "month", "year") if key in parts)

    def text_entry(self) -> str:
        """The entry of a references section as RFCs print it (RFC 7322), on one line."""
        pieces = [_author_list(self.authors), f'"{self.title}"'] if self.authors else [f'"{self.title}"']
        if self.is_rfc:
            pieces += [f"{name} {value}" for name, value in self.series]
        else:
            if self.editors_copy:
                pieces.append("editor's copy")  # where xml2rfc puts a <refcontent>
            pieces += ["Work in Progress", *(f"{name}, {value}" for name, value in self.series)]
        if self.date:
            pieces.append(self.date_words())
        return f"[{self.anchor}]  " + ", ".join(pieces) + f", <{self.target}>."


def _author_list(authors: tuple[Author, ...]) -> str:
    """ "Bormann, C., Ersue, M., and A. Keranen" (RFC 7322): the last author's initials first."""
    names = [f"{a.surname}, {a.initials}" for a in authors]
    if len(authors) == 1:
        return names[0]
    last = f"{authors[-1].initials} {authors[-1].surname}"
    return (", ".join(names[:-1]) + ("," if len(authors) > 2 else "") + " and " + last)


def reference_for(version: Version) -> Reference:
    number = rfc_number(version.name)
    if number:
        return Reference(
            anchor=f"RFC{number}",
            title=version.title,
            date=version.date or RFC_DATES.get(number),
            target=reference_target(version),
            series=(("RFC", number), ("DOI", f"10.17487/RFC{number}")),
            authors=tuple(version.authors) or RFC_AUTHORS.get(number, ()),
            html_url=html_url(version),
            bibxml_name=f"RFC{number}",
            label=version.label,
        )
    anchor = "I-D." + version.document.removeprefix("draft-")
    name = cited_name(version)
    reference = Reference(anchor=anchor, title=version.title, date=version.date, target=reference_target(version),
                          series=(("Internet-Draft", name),), authors=tuple(version.authors),
                          html_url=html_url(version), bibxml_name=f"I-D.{name}", label=name)
    if not version.is_editors_copy and version.revision is not None:
        return reference
    reference = replace(reference, bibxml_name=None, editors_copy=True)
    if version.date:
        reference = replace(reference, label=f"{version.document}, editor's copy of {reference.date_words()}")
    return reference


def citable_version(catalog: Catalog, name: str | None = None) -> Version:
    """The version ``name`` means; by default the newest one a reader can retrieve (an RFC or a numbered revision)."""
    if name:
        return catalog.version(name)
    return catalog.version(newest_revision([entry["name"] for entry in catalog.entries()]))
