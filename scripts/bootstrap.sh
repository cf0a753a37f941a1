#!/usr/bin/env bash
# Creates .venv and installs the project into it, once per purpose: again only
# when pyproject.toml changes. Sourced by the other scripts, which set
# GLOSSARY_EXTRAS first: "" (serving: runtime dependencies only) or "test".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
extras="${GLOSSARY_EXTRAS:-}"
target="$root${extras:+[$extras]}"
stamp="$venv/.installed-${extras:-runtime}-$(sha256sum "$root/pyproject.toml" | cut -c1-16)"
if [ ! -x "$venv/bin/python" ]; then
  echo "bootstrap: creating the virtual environment .venv" >&2
  python3 -m venv "$venv"
fi
if [ ! -f "$stamp" ]; then
  echo "bootstrap: installing the glossary${extras:+ with its $extras dependencies} into .venv (once; again only when pyproject.toml changes)" >&2
  "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
  "$venv/bin/python" -m pip install --progress-bar on -e "$target" >&2
  rm -f "$venv"/.installed-"${extras:-runtime}"-*
  touch "$stamp"
fi
export PATH="$venv/bin:$PATH"
