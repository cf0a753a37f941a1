"""How much the glossary accepts from one source: every limit in one place (README, "Security").

A real RFC or draft is far below each of them (the corpus: at most 77 terms
in a version, 1,680 characters in a definition); a source beyond one is
refused whole, with a message naming the limit.
"""

from __future__ import annotations

MAX_SOURCE_BYTES = 10 * 1024 * 1024  # a file, a download or a linted draft
MAX_TERMS_PER_VERSION = 1_000
MAX_DEFINITION_CHARS = 20_000
MAX_NOTE_CHARS = 20_000
MAX_TERM_NAME_CHARS = 200  # a term's name, each of its aliases and its id
MAX_VERSION_NAME_CHARS = 120  # a draft name is about 40
MAX_RFC_NUMBER = 99_999
MAX_LINT_USES = 100_000  # uses of term names in one linted draft: the lint's work budget
QUOTED_CHARS = 80  # how much of an offending name an error message shows
SHOWN_SOURCE_CHARS = 300  # how much of a path or URL heading an error message shows


def quote(text: str) -> str:
    """``text`` as an error message shows it: repr-quoted, cut to QUOTED_CHARS characters."""
    if len(text) <= QUOTED_CHARS:
        return repr(text)
    return repr(text[:QUOTED_CHARS]) + f"... ({len(text):,} characters)"


def shorten(source: str) -> str:
    """A path or URL as it heads an error message: cut to SHOWN_SOURCE_CHARS characters."""
    return source if len(source) <= SHOWN_SOURCE_CHARS else source[:SHOWN_SOURCE_CHARS] + "..."


class LimitExceeded(ValueError):
    """A source beyond one of the limits; the message names the limit (importers name the source)."""


def check_term_count(count: int) -> None:
    if count > MAX_TERMS_PER_VERSION:
        raise LimitExceeded(f"more than {MAX_TERMS_PER_VERSION:,} terms: beyond the limit of terms per version")


def check_text(what: str, text: str, limit: int, term: str) -> None:
    if len(text) > limit:
        raise LimitExceeded(f"the {what} of {quote(term)} has {len(text):,} characters; the limit is {limit:,}")


def check_term(term) -> None:
    """A Term's names and texts against the limits."""
    for name in [term.term, *term.aliases, term.id]:
        if len(name) > MAX_TERM_NAME_CHARS:
            raise LimitExceeded(f"the term name {quote(name)} is longer than {MAX_TERM_NAME_CHARS} characters")
    check_text("definition", term.definition, MAX_DEFINITION_CHARS, term.term)
    for note in term.notes:
        check_text("note", note.text, MAX_NOTE_CHARS, term.term)


def check_version(version) -> None:
    """Every limit on a Version read from a source."""
    check_term_count(len(version.terms))
    for term in version.terms:
        check_term(term)
