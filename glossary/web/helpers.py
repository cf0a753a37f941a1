"""What every page shares: clean URLs and the templates' helpers."""

from __future__ import annotations

from flask import redirect, request

from ..app import get_catalog as catalog
from ..errors import StoreError
from ..limits import MAX_DEFINITION_CHARS, MAX_TERMS_PER_VERSION
from ..model import NEWEST, short_name, short_revision
from ..text import definition_blocks
from .blueprint import web
from .links import api_url, page_url
from .present import kind_label


@web.before_request
def drop_blank_parameters():
    """A GET form sends every field, the blank ones too: redirect to the URL without them, to share."""
    if any(not value.strip() for value in request.args.values()):
        kept = [(name, value) for name, value in request.args.items(multi=True) if value.strip()]
        return redirect(page_url(request.endpoint, kept, **(request.view_args or {})))
    return None


# Helpers every template may call (template globals, so that they also work on error pages).
for helper in (kind_label, definition_blocks, api_url, short_name):
    web.add_app_template_global(helper)


web.add_app_template_global(NEWEST, "newest_alias")
web.add_app_template_filter(short_revision, "short_revision")

# A page shows at most this many entries of a list and characters of a text: the limits of an
# import, so that whatever an import accepts is shown whole, and a store made by other means with
# more still gives pages of bounded size (the JSON twin has everything).
MAX_LISTED = MAX_TERMS_PER_VERSION
MAX_SHOWN_CHARS = MAX_DEFINITION_CHARS
web.add_app_template_global(MAX_LISTED, "max_listed")
web.add_app_template_global(MAX_SHOWN_CHARS, "max_shown_chars")


@web.app_template_filter()
def first_listed(items: list) -> list:
    return items[:MAX_LISTED]


@web.app_template_filter()
def shortened(text: str) -> str:
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + "…"


@web.app_template_global()
def newest_name() -> str | None:
    try:
        entries = catalog().entries()
    except StoreError:  # an error page is being rendered for it
        return None
    return entries[-1]["name"] if entries else None


@web.app_template_global()
def term_url(term_id: str, version: str | None = None) -> str:
    """A term's page; for the newest version without ``version``, so the link follows new versions."""
    if version == newest_name():
        version = None
    return page_url("web.term", {"version": version}, term=term_id)


@web.app_template_global()
def diff_url(old: str, new: str, **more: str | None) -> str:
    return page_url("web.diff", {"from": old, "to": new, **more})


@web.app_template_global()
def url_with(changes: dict) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    return page_url(request.endpoint, {**request.args.to_dict(), **changes}, **(request.view_args or {}))
