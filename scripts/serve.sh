#!/usr/bin/env bash
# Serves the glossary (web pages and API) on the embedded store with gunicorn.
# HOST, PORT and WORKERS may be set; GLOSSARY_STORE chooses another store.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/bootstrap.sh"
cd "$root"
echo "glossary on http://${HOST:-127.0.0.1}:${PORT:-8000}/ (API: /api/v1/docs)" >&2
exec gunicorn --bind "${HOST:-127.0.0.1}:${PORT:-8000}" --workers "${WORKERS:-2}" --worker-class gthread --threads 4 \
  --access-logfile - 'glossary.api:create_app()'
