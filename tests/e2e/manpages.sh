# manpages.sh — the man pages (one script: eco's manpages.sh and fetch's
# man_pages.sh merged). Every man/*.1 renders without a single groff warning
# and names its command in NAME; every subcommand in `rfx --help` has its
# page, names every option its --help lists, and cites no file of the source
# tree; rfx.1 names every subcommand and lists every page in SEE ALSO.
. "$(dirname "$0")/tap.sh"
if ! command -v groff >/dev/null 2>&1; then skip "man pages" "groff is not installed"; echo "1..$n"; exit 0; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for m in "$RFX_ROOT"/man/*.1; do
    name=$(basename "$m" .1)
    w=$(groff -ww -man -Tutf8 "$m" 2>&1 >"$T/out")
    [ -z "$w" ] && ok "$name.1 renders without warnings" || notok "$name.1 renders without warnings" "$(echo "$w" | head -3)"
    if sed 's/.\x08//g' "$T/out" | grep -A1 '^NAME' | grep -q "^ *$name "; then ok "$name.1 names $name"
    else notok "$name.1 names $name" "$(sed 's/.\x08//g' "$T/out" | grep -A1 '^NAME')"; fi
    # an installed page has share/doc/rfx/, not the source tree's docs/
    bad='design\.md|\.\./shared/docs|§|(^|[^a-z/])docs/[a-z0-9_-]+\.md'
    if grep -qE "$bad" "$m"; then notok "$name.1 cites no file a user lacks" "$(grep -E "$bad" "$m")"
    else ok "$name.1 cites no file a user lacks"; fi
done
cmds=$("$RFX" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' | grep -v '^version$')
check "rfx --help lists subcommands" test -n "$cmds"
for c in $cmds; do
    page="$RFX_ROOT/man/rfx-$c.1"
    check "rfx $c has man/rfx-$c.1" test -f "$page"
    check "rfx.1 names rfx $c" grep -q "^\.B.* $c\b\|^\.BI \"$c \|^\.BR* $c\b" "$RFX_ROOT/man/rfx.1"
    [ -f "$page" ] || continue
    # the options --help lists (as tests/e2e/cli_help.sh reads them), in roff: \-\-name
    missing=""
    for o in $("$RFX" "$c" --help | grep -E '^ +(-[a-zA-Z], )?--[a-z]' | sed 's/  [A-Za-z(].*//' |
               grep -oE -- '--[a-z][a-z-]*' | sort -u); do
        grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')\\b" "$page" || missing="$missing $o"
    done
    [ -z "$missing" ] && ok "rfx-$c.1 names every option of rfx $c --help" ||
        notok "rfx-$c.1 names every option of rfx $c --help" "missing:$missing"
done
# SEE ALSO of rfx.1: from its heading to the end of the page
sed -n '/^\.SH SEE ALSO/,$p' "$RFX_ROOT/man/rfx.1" >"$T/see"
for m in "$RFX_ROOT"/man/rfx-*.1; do
    c=$(basename "$m" .1)
    check "rfx.1 SEE ALSO lists $c(1)" grep -q "^\.BR $(echo "$c" | sed 's/-/\\\\-/') (1)" "$T/see"
done
echo "1..$n"
