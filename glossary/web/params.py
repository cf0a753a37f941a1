"""Reading a page's query string: every bad value is a BadParameter (an HTML 400 naming what is allowed)."""

from __future__ import annotations

from flask import request

from ..app import get_catalog as catalog
from ..errors import BadParameter


def optional(name: str) -> str | None:
    """The parameter's value, or None when it is missing or blank."""
    value = request.args.get(name, "").strip()
    return value or None


def choice(name: str, allowed: tuple[str, ...] | list[str], default: str | None = None) -> str | None:
    value = optional(name)
    if value is None:
        return default
    if value not in allowed:
        raise BadParameter(name, value, list(allowed))
    return value


def kind() -> str | None:
    """The kind the ``kind`` parameter means (case and punctuation insensitive), None for every kind."""
    return catalog().kind(optional("kind"))


def page_number(name: str = "page") -> int:
    value = optional(name) or "1"
    if not value.isdigit() or not 1 <= int(value) <= 10_000:
        raise BadParameter(name, value, detail=f"{name} must be a whole number from 1, not {value!r}")
    return int(value)
