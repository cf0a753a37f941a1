"""The reviewer's face: server-rendered HTML pages over the same Catalog as the API.

    /                          the lineage of versions, a search box, the latest changes
    /versions/<version>        every term of a version, grouped by kind, tables as tables
    /terms/<term>?version=     one term: definition, attributes, citation, history
    /diff?from=&to=&kind=&status=&term=&view=side|inline
    /search?q=&version=&kind=&page=
    /feeds/changes.atom, /terms/<term>/feed.atom   Atom feeds of definition changes (feeds.py)

Every page works without JavaScript (static/enhance.js only submits a form
when one of its menus changes) and links to its JSON twin under /api/v1.

glossary.app.create_app registers the blueprint beside the API.
"""

from . import errors, feeds, views  # noqa: F401  (they attach their routes and handlers to ``web``)
from .blueprint import web

__all__ = ["web"]
