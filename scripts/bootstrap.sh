#!/usr/bin/env bash
# Create .venv with the system python3, put uv inside it, and install the locked dependencies.
#
#   scripts/bootstrap.sh run    runtime dependencies only (used by `make run`)
#   scripts/bootstrap.sh dev    runtime + dev group: pytest, playwright, ruff … (used by `make test`)
#
# Only python3 (with venv and pip) is needed on the machine; uv comes from PyPI into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
PYTHON="${PYTHON:-python3}"
UV_VERSION="0.13.9"
VENV=".venv"

if [ ! -x "$VENV/bin/python" ]; then
    echo "==> Creating $VENV with $($PYTHON --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
fi

if [ ! -x "$VENV/bin/uv" ] || [ "$("$VENV/bin/uv" --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    echo "==> Installing uv $UV_VERSION into $VENV"
    # A venv made by uv itself has no pip; ensurepip brings it from the standard library.
    "$VENV/bin/python" -m pip --version >/dev/null 2>&1 || "$VENV/bin/python" -m ensurepip --upgrade >/dev/null
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

export UV_PROJECT_ENVIRONMENT="$VENV"
export UV_PYTHON_DOWNLOADS=never   # use the venv's python, never fetch one
export UV_NO_PROGRESS=1
case "$mode" in
    # --inexact: `make run` must not uninstall the test tools a developer already has.
    run) "$VENV/bin/uv" sync --locked --no-dev --inexact --quiet ;;
    dev) "$VENV/bin/uv" sync --locked --quiet ;;
    *) echo "usage: $0 run|dev" >&2; exit 2 ;;
esac
