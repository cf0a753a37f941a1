"""The blueprint of the pages, to which views, errors and helpers attach their routes, handlers and globals."""

from flask import Blueprint

web = Blueprint(
    "web", __name__, template_folder="templates", static_folder="static", static_url_path="/assets"
)
