#!/usr/bin/env bash
# Serves the glossary API on the embedded store with gunicorn.
# HOST, PORT and WORKERS may be set; GLOSSARY_STORE chooses another store.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/bootstrap.sh"
cd "$root"
echo "glossary API on http://${HOST:-127.0.0.1}:${PORT:-8000}/api/v1/docs" >&2
exec gunicorn --bind "${HOST:-127.0.0.1}:${PORT:-8000}" --workers "${WORKERS:-2}" \
  --access-logfile - 'glossary.api:create_app()'
