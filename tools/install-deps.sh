#!/bin/sh
# Installs the Debian packages rfx needs, only when one is missing (idempotent
# and quick on a machine that has them). Needs root or sudo for apt-get.
set -e
PKGS="build-essential pkg-config clang-14 libclang-rt-14-dev libgumbo-dev libpcre2-dev \
libutf8proc-dev libjansson-dev libstemmer-dev libcmocka-dev liblinear-dev libxxhash-dev \
libssl-dev libsqlite3-dev hyperfine python3 python3-bs4 python3-lxml libxml2-dev valgrind \
jq time sqlite3 python3-jsonschema python3-pytest python3-pandas python3-pip python3-setuptools python3-venv python3-wheel groff-base binutils"
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
