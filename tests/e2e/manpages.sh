# manpages.sh — every man/*.1 renders without a single groff warning, and
# parse, diff, eval and train have their pages; rfx.1 names every
# subcommand in `rfx --help`.
. "$(dirname "$0")/tap.sh"
if ! command -v groff >/dev/null 2>&1; then skip "man pages" "groff is not installed"; echo "1..$n"; exit 0; fi
for m in "$RFX_ROOT"/man/*.1; do
    w=$(groff -ww -man -Tutf8 -z "$m" 2>&1)
    [ -z "$w" ] && ok "$(basename "$m") renders without warnings" || notok "$(basename "$m") renders without warnings" "$(echo "$w" | head -3)"
done
for c in $("$RFX" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'); do
    [ "$c" = version ] && continue
    case $c in
    parse|diff|eval|train) check "rfx $c has man/rfx-$c.1" test -f "$RFX_ROOT/man/rfx-$c.1" ;;
    *) [ -f "$RFX_ROOT/man/rfx-$c.1" ] || echo "# note: no man/rfx-$c.1 yet (rfx.1 points to rfx $c --help)" ;;
    esac
    check "rfx.1 names rfx $c" grep -q "^\.B.* $c\b\|^\.BI \"$c \|^\.B $c\$" "$RFX_ROOT/man/rfx.1"
done
check "rfx.1 lists every man/rfx-*.1" sh -c 'for m in "$1"/man/rfx-*.1; do c=$(basename "$m" .1); grep -q "^.BR $(echo "$c" | sed "s/-/\\\\\\\\-/") (1)" "$1/man/rfx.1" || { echo "$c"; exit 1; }; done' _ "$RFX_ROOT"
echo "1..$n"
