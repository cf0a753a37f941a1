"""The canonical definition text, shared by every format reader.

A reviewer reads the text rendering, so the canonical form is what the
rendered text says without its layout: words on single spaces, paragraphs
separated by one blank line, list items as ``* item`` lines.
"""

from __future__ import annotations

import re

# Characters the renderers turn into plain ones: no-break space and no-break
# hyphen print as their ordinary forms, zero-width space and word joiner vanish.
_CHAR_MAP = {
    "\u00a0": " ",
    "\u2011": "-",
    "\u200b": "",
    "\u2060": "",
    "\u00ad": "",
}
_CHAR_TABLE = str.maketrans(_CHAR_MAP)


_SPECIAL_CHARS = re.compile("[" + "".join(_CHAR_MAP) + "]")


def clean_chars(text: str) -> str:
    # translate() is slow per character; most text has none of these
    return text.translate(_CHAR_TABLE) if _SPECIAL_CHARS.search(text) else text


def words(text: str) -> str:
    """One line of text on single spaces."""
    return " ".join(clean_chars(text).split())


def paragraphs(blocks: list[str]) -> str:
    """Blocks (paragraphs or ``* item`` lists) joined by one blank line."""
    return "\n\n".join(b for b in (block.strip() for block in blocks) if b)


def bullet_list(items: list[str]) -> str:
    return "\n".join(f"* {words(item)}" for item in items if words(item))


def superscript(base: str) -> str:
    """``<sup>3</sup>`` as the text rendering shows it: ``^3``."""
    return "^" + base


# xml2rfc also breaks lines after a slash ("on/" + "off", URLs).
_BROKEN_AFTER_HYPHEN = re.compile(r"[^\s-]-$|[^\s/]/$")


def join_lines(lines: list[str]) -> str:
    """Wrapped lines as one line of words.

    A word broken after a hyphen at a line end is joined with its hyphen kept
    ("re-" + "establishing" is "re-establishing"): renderers break lines only
    at spaces and at hyphens that are part of the text, and xml2rfc also after
    a slash ("on/" + "off" is "on/off").
    """
    pieces: list[str] = []
    end = ""  # the last two characters joined so far: all that the break test looks at
    for line in lines:
        line = words(line)
        if not line:
            continue
        separator = "" if not pieces or _BROKEN_AFTER_HYPHEN.search(end) else " "
        pieces += [separator, line]
        end = (end + separator + line[-2:])[-2:]
    return "".join(pieces)
