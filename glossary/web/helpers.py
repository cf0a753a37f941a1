"""What every page shares: clean URLs and the templates' helpers."""

from __future__ import annotations

from flask import redirect, request, url_for

from ..app import get_catalog as catalog
from ..errors import StoreError
from ..model import NEWEST, short_revision
from ..text import definition_blocks
from .blueprint import web
from .links import api_url
from .present import kind_label


@web.before_request
def drop_blank_parameters():
    """A GET form sends every field, the blank ones too: redirect to the URL without them, to share."""
    if any(not value.strip() for value in request.args.values()):
        kept = {name: value for name, value in request.args.items(multi=True) if value.strip()}
        return redirect(url_for(request.endpoint, **(request.view_args or {}), **kept))
    return None


# Helpers every template may call (template globals, so that they also work on error pages).
for helper in (kind_label, definition_blocks, api_url):
    web.add_app_template_global(helper)


web.add_app_template_global(NEWEST, "newest_alias")
web.add_app_template_filter(short_revision, "short_revision")


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
    return url_for("web.term", term=term_id, version=version)


@web.app_template_global()
def diff_url(old: str, new: str, **more: str | None) -> str:
    return url_for("web.diff", **{"from": old, "to": new}, **{k: v for k, v in more.items() if v})


@web.app_template_global()
def url_with(changes: dict) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    query = {**request.args.to_dict(), **changes}
    query = {name: value for name, value in query.items() if value}
    return url_for(request.endpoint, **(request.view_args or {}), **query)
