#!/bin/sh
# man_pages.sh — every man/*.1 renders with `groff -ww -man -Tutf8` without a
# warning, and names its command in NAME.
. "$(dirname "$0")/tap.sh"
if ! command -v groff >/dev/null 2>&1; then skip "man pages" "groff is not installed"; exit 0; fi
found=0
for m in "$RFX_ROOT"/man/*.1; do
    [ -f "$m" ] || continue
    found=1
    name=$(basename "$m" .1)
    warn=$(groff -ww -man -Tutf8 "$m" 2>&1 >/dev/null)
    if [ -z "$warn" ]; then ok "$name.1 renders without warnings"; else notok "$name.1 renders without warnings" "$warn"; fi
    if groff -man -Tutf8 "$m" 2>/dev/null | sed 's/.\x08//g' | grep -A1 '^NAME' | grep -q "$name"; then ok "$name.1 names $name"; else notok "$name.1 names $name"; fi
done
[ $found -eq 1 ] || skip "man pages" "no man/*.1"
