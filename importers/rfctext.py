"""Plain-text RFCs and Internet-Drafts, as xml2rfc and the RFC Editor paginate them.

The text is first freed of its page furniture (footers, form feeds, running
headers and the blank lines that pad a page), rejoining whatever a page break
split. The body is then read unit by unit, a unit being the lines between two
blank lines: its first line and its indentation say whether it is a heading,
a list, a hanging definition, a table, a quotation or a paragraph.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from . import asciitable
from .dates import MONTHS, iso_date
from .document import Definition, DocSection, Document, Prose, Table, source_repository
from glossary.limits import quote
from glossary.model import Author

from .errors import SourceError
from .text import bullet_list, join_lines, paragraphs, words

FORMAT = "rfc-text"
WIDTH = 72  # both renderers fill lines up to 72 columns

_FOOTER = re.compile(r"^\S.*\s\[Page \d+\]$")
_RUNNING_HEADER = re.compile(r"^(?:Internet-Draft|INTERNET[- ]DRAFT|RFC \d+)\s{2,}\S.*\s\S+$")
_HEADING = re.compile(r"^(?:(\d+(?:\.\d+)*)|Appendix ([A-Z](?:\.\d+)*))\.?\s+(\S.*)$")
_BULLET = re.compile(r"^( *)(?:[*o-]|\d+\.) {2,}(?=\S)")
_DEFINITION = re.compile(r"^( *)(\S[^:]{0,60}?):(?: {2,}(\S.*))?$")
_QUOTE = re.compile(r"^( *)\|(?: {1,2}|$)")
_BACK_MATTER = re.compile(r"\bReferences\b|^Authors?'? Address(?:es)?$|^Index$")
_CAPTION = re.compile(r"^Table (\d+)(?::\s*(.*))?$")
_DRAFT_NAME = re.compile(r"^\s+<?(draft-[a-z0-9][a-z0-9.-]*?)(?:\.txt)?>?$")
# An author in the header: initials ("C.", "J.-L.", "A. B.") and surname, perhaps ", Ed.".
_HEADER_AUTHOR = re.compile(r"^((?:[A-Z][a-z]?\.(?:[ -]?[A-Z][a-z]?\.)*))\s*(\S.*?)(?:,\s*Ed\.)?$")
_AUTHORS_HEADING = re.compile(r"^(?:[A-Z]\.\s+)?Authors?'? Address(?:es)?$")
_RFC_NUMBER = re.compile(r"^Request for Comments:\s*(\d+)", re.MULTILINE)
_MONTH = "(" + "|".join(name.capitalize() for name in MONTHS) + r")\.?"
_DATES = (  # pattern, and its groups holding year, month and day
    (re.compile(rf"^(\d{{1,2}}) {_MONTH} (\d{{4}})$"), (3, 2, 1)),
    (re.compile(rf"^{_MONTH} (\d{{1,2}}), (\d{{4}})$"), (3, 1, 2)),
    (re.compile(rf"^{_MONTH} (\d{{4}})$"), (2, 1, None)),
)
_FIRST_PAGE_HEADER = re.compile(
    r"^(?:Internet-Draft|INTERNET[- ]DRAFT|Request for Comments:|Network Working Group|Independent Submission"
    r"|Internet (?:Engineering|Research) Task Force|Internet Architecture Board|\S+ (?:Working|Research) Group)\b",
    re.MULTILINE,
)


def looks_like(data: bytes) -> bool:
    """A first-page header ("Internet-Draft", "Request for Comments:"...) and section headings or header fields."""
    head = data[:16384]
    if b"\x00" in head or head.lstrip().startswith(b"<"):
        return False
    top = "\n".join(head.decode("utf-8", "replace").splitlines()[:40])
    if not _FIRST_PAGE_HEADER.search(top):
        return False
    return bool(
        re.search(r"^(?:Expires|Category|Intended [Ss]tatus|ISSN|Obsoletes|Updates):", top, re.MULTILINE)
        or re.search(rb"^ *1\.? +[A-Z]", data, re.MULTILINE)
    )


def read(data: bytes, source: str) -> Document:
    lines, cut_short = _depaginate(decode(data, source))
    if cut_short:
        raise SourceError(source, f"truncated: the last page has no footer; the text ends at {_last_words(lines)!r}")
    start = next((i for i in range(len(lines)) if (_heading(lines, i) or ("",))[0] == "1"), None)
    if start is None:
        raise SourceError(source, "no body: the text has no section 1 heading (truncated, or not an RFC or draft)")
    body, complete = _body(lines[start:])
    if not complete:
        raise SourceError(source, f"truncated: the text ends in the body, at {_last_words(lines)!r}")
    tables = _TableCount()
    sections = []
    for number, title, section_lines in body:
        try:
            blocks = _blocks(section_lines, tables)
        except asciitable.NotATable as e:
            raise SourceError(source, f"unreadable table in section {number}: {e}") from None
        sections.append(DocSection(number=number, title=title, blocks=blocks))
    front = lines[:start]
    return Document(name=_name(front, source), title=_title(front), date=_date(front), format=FORMAT, sections=sections,
                    authors=_authors(front, lines), repository=source_repository("\n".join(front)))


def decode(data: bytes, source: str, encoding: str = "utf-8-sig") -> str:
    """The text of ``data``, strictly in ``encoding``: a byte that does not decode names its line.

    Never a guess: old RFCs in Latin-1 are imported with ``--encoding latin-1``.
    """
    try:
        text = data.decode(encoding)
    except LookupError:
        raise SourceError(source, f"unknown encoding {quote(encoding)}") from None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        shown = "UTF-8" if encoding == "utf-8-sig" else encoding
        raise SourceError(
            source, f"not {shown}: byte 0x{data[error.start]:02x} on line {line} does not decode "
            "(give --encoding for a text in another encoding)"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _last_words(lines: list[str]) -> str:
    return next((words(line) for line in reversed(lines) if line.strip()), "")


# --- pages -----------------------------------------------------------------

def _depaginate(text: str) -> tuple[list[str], bool]:
    """The lines without page furniture, and whether the text stops within a page."""
    pages = _pages(text)
    # Pages are filled down to the same line, unless the break was moved up
    # (before a heading or a table, or to keep lines of a paragraph together).
    gaps = [_trailing_blanks(page) for page in pages[:-1]]
    full = min(gaps, default=0)
    out: list[str] = []
    for number, page in enumerate(pages):
        content = page[: len(page) - _trailing_blanks(page)]
        if out and content:
            page_full = gaps[number - 1] == full
            if not _continues(out[-1], content[0], page_full):
                out.append("")
            elif page_full and _ends_sentence(out[-1]) and _starts_sentence(content[0]):
                content[0] = _PageTop(content[0])
        out.extend(content)
    return out, len(pages) > 1 and any(pages[-1])


class _PageTop(str):
    """The first line of a page that continues the paragraph of the page before, or starts one.

    A full page that ends with a sentence, followed by a page that opens
    with one, does not show whether a paragraph break fell between them:
    xml2rfc drops the blank line at the top of a page, and a sentence may
    end on a page's last line just as a paragraph does. The text is read as
    one paragraph, and the place is kept (``Prose.page_breaks``).
    """


def _ends_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?][\"')\]]*$", line))


def _starts_sentence(line: str) -> bool:
    return bool(re.match(r"\s*[\"'(\[]?[A-Z0-9]", line))


def _pages(text: str) -> list[list[str]]:
    """The pages without footers, form feeds, running headers and blank lines at their top.

    Every page but the last ended with a footer; the last holds what follows
    the last footer (only blank lines in a complete text).
    """
    pages: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = raw.replace("\f", "").expandtabs().rstrip()
        if _FOOTER.match(line):
            pages.append([])
        else:
            pages[-1].append(line)
    for page in pages[1:]:
        del page[: _leading_blanks(page)]
        if page and _RUNNING_HEADER.match(page[0]):
            del page[: 1 + _leading_blanks(page[1:])]
    return pages


def _leading_blanks(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line), len(lines))


def _trailing_blanks(lines: list[str]) -> int:
    return _leading_blanks(lines[::-1])


def _continues(above: str, below: str, page_full: bool) -> bool:
    """Whether the first line of a page continues the block of the last line of the page before.

    Renderers fill lines: a line continues the one above only if its first
    word would not have fit there. A page that is not full ends a block,
    except after a term line: xml2rfc leaves that behind when it moves the
    rest of a definition to the next page.
    """
    if asciitable.is_table_line(above) or asciitable.is_table_line(below):
        return asciitable.is_table_line(above) and asciitable.is_table_line(below)
    if bool(_QUOTE.match(above)) != bool(_QUOTE.match(below)):
        return False
    plain_above, plain_below = _unquote(above), _unquote(below)
    if _starts_block(plain_below) or _indent(plain_below) != _hang(plain_above):
        return False
    if not page_full and not _starts_definition(plain_above):
        return False
    return wraps_onto(above, plain_below)


def wraps_onto(above: str, below: str) -> bool:
    """Whether line ``below`` can continue line ``above``: its first word would not have fit there."""
    first_word = re.match(r"[^\s/-]*[/-]?", below.strip()).group()
    return len(above) + 1 + len(first_word) > WIDTH


def _unquote(line: str) -> str:
    match = _QUOTE.match(line)
    return match.group(1) + "   " + line[match.end() :] if match else line


def _starts_block(line: str) -> bool:
    return _indent(line) == 0 or bool(_BULLET.match(line) or _CAPTION.match(line.strip())) or _starts_definition(line)


def _starts_definition(line: str) -> bool:
    """A "Term:  text" line."""
    match = _DEFINITION.match(line)
    return bool(match and match.group(3))


def _hang(line: str) -> int:
    """The indentation of the lines that continue the block this line starts or continues."""
    bullet = _BULLET.match(line)
    if bullet:
        return bullet.end()
    return _indent(line) + 3 if _starts_definition(line) else _indent(line)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# --- front matter ----------------------------------------------------------

def _header_block(front: list[str]) -> list[str]:
    """The first page's top lines: organisation, document number, authors, date."""
    start = _leading_blanks(front)
    end = next((i for i in range(start, len(front)) if not front[i]), len(front))
    return front[start:end]


def _name(front: list[str], source: str) -> str:
    rfc = _RFC_NUMBER.search("\n".join(_header_block(front)))
    if rfc:
        return "rfc" + (rfc.group(1).lstrip("0") or "0")  # not int(): the number may have thousands of digits
    draft = next((m.group(1) for m in map(_DRAFT_NAME.match, front) if m), None)
    if draft:
        return draft
    raise SourceError(source, 'no document name: neither "Request for Comments: N" nor a draft name under the title')


def _title(front: list[str]) -> str:
    """The centred lines after the header block, without the draft name."""
    rest = front[_leading_blanks(front) + len(_header_block(front)) :]
    rest = rest[_leading_blanks(rest) :]
    lines = []
    for line in rest:
        if not line or _indent(line) == 0:
            break
        if not _DRAFT_NAME.match(line):
            lines.append(line)
    return join_lines(lines)


def _date(front: list[str]) -> str | None:
    """The date at the right of the header block ("30 June 2026", "May 2014")."""
    found = None
    for line in _header_block(front):
        right = re.split(r"\s{2,}", line.strip())[-1]
        for pattern, (year, month, day) in _DATES:
            match = pattern.match(right)
            if match:
                found = iso_date(match.group(year), match.group(month), match.group(day) if day else None)
    return found


def _right_column(front: list[str]) -> list[str]:
    """The header block's right-hand column, line by line ("" where a line has none)."""
    column = []
    for line in _header_block(front):
        pieces = re.split(r"\s{2,}", line.strip())
        column.append(pieces[-1] if len(pieces) > 1 or line.startswith(" ") else "")
    return column


def _authors(front: list[str], lines: list[str]) -> list[Author]:
    """The header's right column ("C. Bormann", then the organisation unless the next
    author or the date follows), with full names from the Authors' Addresses section."""
    authors: list[list] = []  # [initials, surname, organisation lines]
    for entry in _right_column(front):
        named = _HEADER_AUTHOR.match(entry)
        if named:
            authors.append([named.group(1), named.group(2), []])
        elif entry and authors and not any(pattern.match(entry) for pattern, _ in _DATES):
            authors[-1][2].append(entry)
    fullnames = _address_names(lines)
    found = []
    for initials, surname, organization in authors:
        fullname = next((name for name in fullnames if name.endswith(" " + surname)), f"{initials} {surname}")
        found.append(Author(fullname, initials, surname, " ".join(organization) or None))
    return found


def _address_names(lines: list[str]) -> list[str]:
    """The first line of each address in the Authors' Addresses section: the author's full name."""
    start = next((i for i, line in enumerate(lines) if _AUTHORS_HEADING.match(line)), None)
    if start is None:
        return []
    names, after_blank = [], True
    for line in lines[start + 1:]:
        if line and not line.startswith(" "):
            break  # the next heading
        if line.strip() and after_blank:
            names.append(re.sub(r",?\s*\((?:editor|Ed\.)\)$|,\s*Ed\.$", "", line.strip()))
        after_blank = not line.strip()
    return names


# --- sections --------------------------------------------------------------

def _heading(lines: list[str], i: int) -> tuple[str | None, str] | None:
    """(number, title) if line i starts a heading: at the left margin, numbered, or unnumbered
    between blank lines. Table-of-contents entries are indented or dotted."""
    line = lines[i]
    if not line or line[0] == " " or asciitable.is_table_line(line):
        return None
    match = _HEADING.match(line)
    if match and not _is_contents_entry(line):
        return match.group(1) or match.group(2), match.group(3)
    if (i == 0 or not lines[i - 1]) and (i + 1 == len(lines) or not lines[i + 1]):
        return None, line
    return None


def _is_contents_entry(line: str) -> bool:
    """A table-of-contents line: a page number after a dotted leader ("...... 5" or ". . . 5").

    Read from the right, so that a line of dots without a page number costs one look at each dot.
    """
    before_number = line.rstrip("0123456789")
    if before_number == line:
        return False
    leader = before_number.rstrip()
    if leader.endswith("..."):
        return True
    spaced = leader != before_number and len(leader) >= 4
    return spaced and leader[-1] == leader[-3] == "." and leader[-2].isspace() and leader[-4].isspace()


def _body(lines: list[str]) -> tuple[list[tuple[str | None, str, list[str]]], bool]:
    """The body sections as (number, title, lines), and whether the text goes on after the body.

    The body ends where the references, the appendices or the authors'
    addresses begin.
    """
    sections: list[tuple[str | None, str, list[str]]] = []
    i = 0
    while i < len(lines):
        heading = _heading(lines, i)
        i += 1
        if not heading:
            sections[-1][2].append(lines[i - 1])
            continue
        number, title = heading
        if (number or "")[:1].isalpha() or _BACK_MATTER.search(title):
            return sections, True
        title_lines = [title]
        while i < len(lines) and lines[i]:  # a title wrapped onto more lines
            title_lines.append(lines[i])
            i += 1
        sections.append((number, join_lines(title_lines), []))
    return sections, False


# --- blocks ----------------------------------------------------------------

@dataclass
class _TableCount:
    """The number of the last table, for a table the text shows without one."""

    last: int = 0


class _Units:
    """A section's units (lines between blank lines), read front to back."""

    def __init__(self, lines: list[str], tables: _TableCount):
        self.units: deque[list[str]] = deque()  # taken from the front: a list would make that quadratic
        self.tables = tables
        fresh = True
        for line in lines:
            if line.strip() and fresh:
                self.units.append([])
            if line.strip():
                self.units[-1].append(line)
            fresh = not line.strip()

    def peek(self) -> list[str] | None:
        return self.units[0] if self.units else None

    def take(self) -> list[str]:
        return self.units.popleft()

    def put_back(self, lines: list[str]) -> None:
        self.units.appendleft(lines)


def _blocks(lines: list[str], tables: _TableCount) -> list:
    units = _Units(lines, tables)
    out: list = []
    while units.peek():
        unit = units.peek()
        if asciitable.is_rule(unit[0]):
            out.append(_table(units))
        elif _QUOTE.match(unit[0]):
            out.extend(_quotation(units.take(), tables))
        elif _BULLET.match(unit[0]):
            out.append(Prose(_list(units), "list"))
        elif _is_definition(unit):
            out.extend(_definitions(units))
        else:
            out.append(_paragraph(units.take()))
    return out


def _paragraph(lines: list[str]) -> Prose:
    """A paragraph, with the places where it runs over a page break that may be a paragraph break."""
    breaks = tuple(len(join_lines(lines[:i])) for i, line in enumerate(lines) if i and isinstance(line, _PageTop))
    return Prose(join_lines(lines), page_breaks=breaks)


def _is_definition(unit: list[str]) -> bool:
    """A hanging definition: "Term:  text", or "Term:" above lines indented by 3 more."""
    match = _DEFINITION.match(unit[0])
    if not match or len(match.group(2).split()) > 8:
        return False
    return bool(match.group(3)) or (len(unit) > 1 and _indent(unit[1]) == _indent(unit[0]) + 3)


def _definitions(units: _Units) -> list[Definition]:
    """A hanging definition with the paragraphs and lists indented under it.

    Definitions may follow each other without blank lines: each is one
    paragraph then.
    """
    unit = units.take()
    indent = _indent(unit[0])
    entries: list[tuple[str, list[str]]] = []  # term, lines of its first paragraph
    for line in unit:
        match = _DEFINITION.match(line)
        if not entries or (match and match.group(3) and _indent(line) == indent):
            entries.append((match.group(2).strip(), [match.group(3) or ""]))
        else:
            entries[-1][1].append(line)
    texts = [join_lines(entries[-1][1])]
    while units.peek() and _indent(units.peek()[0]) >= indent + 3:
        texts.append(_list(units) if _BULLET.match(units.peek()[0]) else join_lines(units.take()))
    last = Definition(entries[-1][0], paragraphs(texts))
    return [Definition(term, join_lines(lines)) for term, lines in entries[:-1]] + [last]


def _list(units: _Units) -> str:
    """A bullet (or numbered) list as ``* item`` lines; an item's later paragraphs join it."""
    indent = _indent(units.peek()[0])
    items: list[list[str]] = []  # per item, the text of its paragraphs
    while units.peek():
        unit = units.peek()
        if _BULLET.match(unit[0]) and _indent(unit[0]) == indent:
            units.take()
            for line in unit:
                marker = _BULLET.match(line)
                if marker and _indent(line) == indent:
                    items.append([line[marker.end() :]])
                else:
                    items[-1][-1] += "\n" + line
        elif items and _indent(unit[0]) > indent:
            items[-1].append(_list(units) if _BULLET.match(unit[0]) else "\n".join(units.take()))
        else:
            break
    return bullet_list([" ".join(join_lines(part.split("\n")) for part in parts) for parts in items])


def _quotation(unit: list[str], tables: _TableCount) -> list[Prose]:
    """A quotation marked with ``|``: its paragraphs and lists as prose."""
    inner = [line[_QUOTE.match(line).end() :] if _QUOTE.match(line) else line for line in unit]
    out = []
    for block in _blocks(inner, tables):
        if isinstance(block, Definition):
            out.append(Prose(f"{block.term}: {block.text}", "quote"))
        elif isinstance(block, Prose):
            out.append(Prose(block.text, "quote"))
    return out


def _table(units: _Units) -> Table:
    """A table and the "Table N: caption" line(s) centred under it."""
    unit = units.take()
    size = next((i for i, line in enumerate(unit) if not asciitable.is_table_line(line)), len(unit))
    if size < len(unit):
        units.put_back(unit[size:])
    header, rows = asciitable.parse(unit[:size])
    number, caption = units.tables.last + 1, None
    match = _CAPTION.match(join_lines(units.peek() or []))
    if match:
        units.take()
        number, caption = int(match.group(1)), match.group(2) or None
    units.tables.last = number
    return Table(header=header, rows=rows, number=number, caption=caption)
