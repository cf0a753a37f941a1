"""How a document cites a version: its reference anchor, URLs and bibliographic entry.

RFC 7228 is cited as ``RFC7228``; a bis draft as ``I-D.<name without "draft-">``
(``I-D.ietf-iotops-7228bis``), the anchor kramdown-rfc and the IETF
bibliography use, whatever revision is meant: the revision is in the
reference's seriesInfo. The editor's copy (revision "latest") is not a
published revision, so it is cited as the draft itself, work in progress.
The store has no authors; those of RFC 7228 are known here, a draft's are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ietf import cited_name, reference_target
from ..model import MONTH_NAMES, Version, rfc_number


@dataclass(frozen=True)
class Author:
    initials: str
    surname: str

    @property
    def fullname(self) -> str:
        return f"{self.initials} {self.surname}"


# The store records no authors: these are RFC 7228's, as its reference entry gives them.
RFC_AUTHORS = {"7228": (Author("C.", "Bormann"), Author("M.", "Ersue"), Author("A.", "Keranen"))}
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
    bibxml_name: str  # the name kramdown-rfc fetches: "RFC7228", "I-D.draft-ietf-iotops-7228bis-07"

    @property
    def is_rfc(self) -> bool:
        return self.anchor.startswith("RFC")

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


def reference_for(version: Version) -> Reference:
    number = rfc_number(version.name)
    if number:
        return Reference(
            anchor=f"RFC{number}",
            title=version.title,
            date=version.date or RFC_DATES.get(number),
            target=reference_target(version),
            series=(("RFC", number), ("DOI", f"10.17487/RFC{number}")),
            authors=RFC_AUTHORS.get(number, ()),
            bibxml_name=f"RFC{number}",
        )
    name = cited_name(version)
    published = name == version.name
    return Reference(
        anchor="I-D." + version.document.removeprefix("draft-"),
        title=version.title,
        date=version.date,
        target=reference_target(version),
        series=(("Internet-Draft", name),),
        authors=(),
        bibxml_name=f"I-D.{name}" if published else "I-D." + version.document.removeprefix("draft-"),
    )
