#!/usr/bin/env bash
# Install what the browser tests need from Debian: Chromium (Playwright drives /usr/bin/chromium,
# it never downloads a browser of its own) and CJK fonts so Chinese pages render.
# Only when it may: as root with apt-get available. Otherwise it says why and does nothing;
# the browser tests then skip themselves with a clear reason.
set -uo pipefail

chromium="${ZHILIANG_CHROMIUM:-/usr/bin/chromium}"
missing=()
[ -x "$chromium" ] || missing+=(chromium)
if ! { command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; }; then
    missing+=(fonts-noto-cjk)
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "==> System packages: chromium and fonts-noto-cjk present"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "==> System packages: skipping install of ${missing[*]}: not root (run: sudo apt-get install ${missing[*]})"
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "==> System packages: skipping install of ${missing[*]}: apt-get not available"
    exit 0
fi

echo "==> System packages: installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
if apt-get update -qq >"$log" 2>&1 && apt-get install -y -qq "${missing[@]}" >>"$log" 2>&1; then
    echo "    installed"
else
    echo "    apt-get failed (browser tests will be skipped); last lines:"
    tail -n 15 "$log" | sed 's/^/    /'
fi
rm -f "$log"
exit 0
