#!/usr/bin/env bash
# Runs the whole test suite. Tests on the real IETF corpus run when
# GLOSSARY_CORPUS points at it (default: ../shared/ietf beside the project).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GLOSSARY_EXTRAS=test source "$root/scripts/bootstrap.sh"
if [ -z "${GLOSSARY_CORPUS:-}" ] && [ -d "$root/../shared/ietf" ]; then
  export GLOSSARY_CORPUS="$root/../shared/ietf"
fi
cd "$root"
exec python -m pytest -q -rs "$@"
