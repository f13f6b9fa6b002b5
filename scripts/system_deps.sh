#!/usr/bin/env bash
# Install the Debian packages Zhiliang needs, only when missing and only when it may (root with
# apt-get). Otherwise it says why and does nothing; the tests that need a package skip themselves
# with a clear reason.
#
#   scripts/system_deps.sh run    fonts for the PDF/.docx documents (used by `make run`)
#   scripts/system_deps.sh test   + Chromium for the browser tests, poppler-utils (pdftotext) and
#                                 LibreOffice (headless .docx/.xlsx → PDF checks)   (`make test`)
#
# Fonts: fonts-wqy-zenhei is a TrueType CJK font ReportLab can embed in PDFs; fonts-noto-cjk is what
# pages and .docx files name. Playwright drives /usr/bin/chromium and never downloads a browser.
set -uo pipefail

mode="${1:-test}"
missing=()
have_font() { command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -qi "$1"; }
have_font "Noto Sans CJK" || missing+=(fonts-noto-cjk)
have_font "WenQuanYi Zen Hei" || missing+=(fonts-wqy-zenhei)
if [ "$mode" = "test" ]; then
    [ -x "${ZHILIANG_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    if ! command -v soffice >/dev/null && ! command -v libreoffice >/dev/null; then
        missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
    fi
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "==> System packages: all present"
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
if apt-get update -qq >"$log" 2>&1 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
    echo "    installed"
else
    echo "    apt-get failed (the tests that need these packages will be skipped); last lines:"
    tail -n 15 "$log" | sed 's/^/    /'
fi
rm -f "$log"
exit 0
