#!/bin/sh
# Installs the Debian packages rfx needs, only when one is missing (idempotent
# and quick on a machine that has them). Needs root or sudo for apt-get.
set -e
PKGS="build-essential pkg-config clang-14 libclang-rt-14-dev libgumbo-dev libpcre2-dev \
libutf8proc-dev libjansson-dev libstemmer-dev libcmocka-dev liblinear-dev libxxhash-dev \
libssl-dev libsqlite3-dev sqlite3 hyperfine python3 python3-bs4 python3-lxml libxml2-dev \
valgrind jq time"
# the JSON contract and the Python package (docs/json.md, python/): schema
# validation, pytest, pandas, pip; man pages render with groff; install test
PKGS="$PKGS python3-jsonschema python3-pytest python3-pandas python3-pip python3-setuptools \
python3-venv python3-wheel groff-base groff binutils"
# rfx fetch: libcurl (its tests run a Python stdlib fake EDGAR server)
PKGS="$PKGS libcurl4-openssl-dev"
# PDF input and OCR (src/ingest/pdf.c, pdf_ocr.c) and the tools its tests make PDFs with
PKGS="$PKGS libpoppler-glib-dev libcairo2-dev libtesseract-dev libleptonica-dev tesseract-ocr-eng \
poppler-utils ghostscript enscript imagemagick"
# PostgreSQL corpus backend (docs/corpus.md): libpq to build, the server for the tests
PKGS="$PKGS postgresql-15 libpq-dev"
# rfx serve: libmicrohttpd; its tests use curl, openssl (a test certificate),
# chromium driven by node (puppeteer-core), wrk for the bench
PKGS="$PKGS libmicrohttpd-dev curl openssl chromium nodejs wrk"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
echo "installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $missing >/dev/null
fi
# rfx serve's browser tests: puppeteer-core from the lockfile (drives the
# system chromium; downloads no browser). Skipped when npm is absent.
cd "$(dirname "$0")/.."
# npm: Debian's package, unless node came with its own (nodesource bundles it)
if ! command -v npm >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null ||
        echo "install-deps: npm could not be installed; browser tests will skip" >&2
fi
if command -v npm >/dev/null 2>&1 && [ -f tests/browser/package-lock.json ] &&
   [ ! -d tests/browser/node_modules/puppeteer-core ]; then
    (cd tests/browser && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent) ||
        echo "install-deps: npm ci in tests/browser failed; browser tests will skip" >&2
fi
