"""The JSON API under /api/v1: blueprints only (routes, authoring, openapi), their schemas, problems and caching.

The application factory is glossary.app.create_app; ``glossary.api:create_app``
stays the name gunicorn and scripts/serve.sh use.
"""

from ..app import create_app

__all__ = ["create_app"]
