"""Atom feeds of definition changes, for reviewers' feed readers: the whole document's and one term's.

    /feeds/changes.atom          every substantive change between consecutive versions
    /terms/<term>/feed.atom      the changes of one term across the lineage

One entry per substantive change: a term added, removed, renamed, or whose
definition or attributes changed between a version and the one before it in
the lineage. Each entry links the comparison page that shows it.
"""

from __future__ import annotations

from datetime import datetime, timezone

from feedgen.feed import FeedGenerator
from flask import Response, url_for

from ..app import get_catalog as catalog
from ..app import remembered
from ..model import Term, Version
from .blueprint import web

ATOM = "application/atom+xml"
# The statuses of a diff entry or history event that a reviewer is told about.
SUBSTANTIVE = ("added", "re-added", "changed", "renamed", "removed")
FEED_AUTHOR = {"name": "RFC 7228bis glossary"}


@web.get("/feeds/changes.atom")
@remembered
def changes_feed():
    lineage = catalog().lineage()
    feed = _feed(url_for("web.changes_feed", _external=True), "RFC 7228bis: definition changes",
                 "Every term added, removed, renamed or changed from one version of RFC 7228bis to the next.",
                 url_for("web.home", _external=True))
    for old, new in zip(lineage, lineage[1:]):
        for entry in catalog().diff(old.name, new.name).terms:
            if entry.status in SUBSTANTIVE:
                before = old.by_id(entry.renamed_from or entry.id)
                after = new.by_id(entry.id) if entry.status != "removed" else None
                _add_entry(feed, entry.id, entry.term, entry.status, old, new, before, after, entry.renamed_from)
    return _answer(feed, lineage)


@web.get("/terms/<path:term>/feed.atom")
@remembered
def term_feed(term: str):
    history = catalog().history(term)
    lineage = catalog().lineage()
    by_name = {version.name: version for version in lineage}
    names = [version.name for version in lineage]
    feed = _feed(url_for("web.term_feed", term=history.id, _external=True),
                 f"RFC 7228bis: changes of {history.term}",
                 f"How the definition of {history.term} changed from version to version.",
                 url_for("web.term", term=history.id, _external=True))
    for event in history.events:
        if event.event not in SUBSTANTIVE:
            continue
        new = by_name[event.version]
        index = names.index(event.version)
        old = lineage[index - 1] if index else None
        before = _last_before(history.present_in, names, index, by_name, event.renamed_from or event.id)
        after = new.by_id(event.id) if event.event != "removed" else None
        _add_entry(feed, event.id, event.term, event.event, old, new, before, after, event.renamed_from)
    return _answer(feed, [by_name[name] for name in history.present_in] or lineage)


def _last_before(present_in: list[str], names: list[str], index: int, by_name: dict[str, Version],
                 term_id: str) -> Term | None:
    """The term as the last version before ``index`` that defines it had it (a re-added term skips a gap)."""
    earlier = [name for name in present_in if names.index(name) < index]
    return by_name[earlier[-1]].by_id(term_id) if earlier else None


def _feed(feed_url: str, title: str, subtitle: str, page_url: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.author(FEED_AUTHOR)
    feed.link(href=feed_url, rel="self", type=ATOM)
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.language("en")
    return feed


def _add_entry(feed: FeedGenerator, term_id: str, term: str, status: str, old: Version | None, new: Version,
               before: Term | None, after: Term | None, renamed_from: str | None) -> None:
    page = url_for("web.diff", _external=True, term=term_id,
                   **({"from": old.name, "to": new.name} if old else {"from": new.name, "to": new.name}))
    entry = feed.add_entry(order="append")
    # One change of one term in one version: the pair identifies it for good.
    entry.id(f"{url_for('web.term', term=term_id, _external=True)}#{status}-in-{new.name}")
    entry.title(_title(term, status, new, renamed_from))
    entry.link(href=page, rel="alternate", type="text/html")
    entry.updated(_when(new))
    entry.content(_text(status, old, new, before, after), type="text")


def _title(term: str, status: str, new: Version, renamed_from: str | None) -> str:
    if status == "renamed":
        return f"{term}: renamed from {renamed_from} in {new.name}"
    return f"{term}: {status} in {new.name}"


def _text(status: str, old: Version | None, new: Version, before: Term | None, after: Term | None) -> str:
    parts = []
    if before is not None and status != "added":
        parts.append(f"In {old.name if old else 'the version before'}:\n{before.definition}")
    if after is not None:
        parts.append(f"In {new.name}:\n{after.definition}")
    return "\n\n".join(parts) or status


def _when(version: Version) -> datetime:
    """A version's date as a moment: its ISO date ("2026-04-23", "2014-05"), at midnight UTC."""
    parts = [int(part) for part in (version.date or "1970-01-01").split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2], tzinfo=timezone.utc)


def _answer(feed: FeedGenerator, versions: list[Version]) -> Response:
    feed.updated(max(_when(version) for version in versions))
    return Response(feed.atom_str(pretty=True), mimetype=ATOM)
