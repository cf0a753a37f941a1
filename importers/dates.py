"""Document dates as ISO strings, from the parts RFCs and drafts give."""

from __future__ import annotations

from glossary.model import MONTH_NAMES

# Month names as documents write them, full or abbreviated, lower case -> number.
MONTHS = {
    form: number
    for number, name in enumerate(MONTH_NAMES, start=1)
    for form in (name.lower(), name[:3].lower())
} | {"sept": 9}


def iso_date(year, month, day=None) -> str | None:
    """"2026", "June", "30" -> "2026-06-30"; without a day, "2026-06"."""
    if not year or not str(year).strip().isdigit():
        return None
    text = str(year).strip()
    if month:
        month_text = str(month).strip().lower()
        number = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
        if not number:
            return text
        text += f"-{number:02d}"
        if day and str(day).strip().isdigit():
            text += f"-{int(str(day).strip()):02d}"
    return text
