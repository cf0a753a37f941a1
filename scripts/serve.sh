#!/usr/bin/env bash
# Serves the glossary (web pages and API) on the embedded store with gunicorn.
# Installs only the runtime dependencies (not the test tools).
# HOST (default 127.0.0.1), PORT (8000) and WORKERS (2) may be set;
# GLOSSARY_STORE chooses another store than the embedded one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GLOSSARY_EXTRAS="" source "$root/scripts/bootstrap.sh"
cd "$root"
echo "glossary on http://${HOST:-127.0.0.1}:${PORT:-8000}/ (API: /api/v1/docs)" >&2
exec gunicorn --config python:glossary.serving --bind "${HOST:-127.0.0.1}:${PORT:-8000}" --workers "${WORKERS:-2}" \
  --access-logfile - 'glossary.api:create_app()'
