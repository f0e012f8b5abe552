#!/bin/sh
# Installs the Debian packages rfx needs, only when one is missing (idempotent
# and quick on a machine that has them). Needs root or sudo for apt-get.
set -e
PKGS="build-essential pkg-config clang-14 libclang-rt-14-dev libgumbo-dev libpcre2-dev \
libutf8proc-dev libjansson-dev libstemmer-dev libcmocka-dev liblinear-dev libxxhash-dev \
libssl-dev libsqlite3-dev hyperfine python3 python3-bs4 python3-lxml libxml2-dev valgrind \
jq time sqlite3"
# rfx lint: tests/e2e/lint.sh validates SARIF output against a schema
PKGS="$PKGS python3-jsonschema"
# rfx fetch: libcurl; its tests run a Python stdlib fake EDGAR server; the man page renders with groff
PKGS="$PKGS libcurl4-openssl-dev groff"
jq time"
# PDF input and OCR (src/ingest/pdf.c, pdf_ocr.c) and the tools its tests make PDFs with
PKGS="$PKGS libpoppler-glib-dev libcairo2-dev libtesseract-dev libleptonica-dev tesseract-ocr-eng \
poppler-utils ghostscript enscript imagemagick"
# PostgreSQL corpus backend (docs/corpus.md, PostgreSQL): libpq to build, the server for the tests
PKGS="$PKGS postgresql-15 libpq-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $missing >/dev/null
