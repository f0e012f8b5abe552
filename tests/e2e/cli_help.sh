# cli_help.sh — every subcommand's --help names its options, output formats
# and exit codes and points to no file a user lacks; a mistyped option (any
# option the help lists, with its last letter dropped) suggests that option.
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cmds=$("$RFX" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' | grep -v '^version$')
check "rfx --help lists subcommands" test -n "$cmds"
for c in $cmds; do
    "$RFX" "$c" --help >"$T/h" 2>&1
    check "rfx $c --help exits 0" test $? -eq 0
    check "rfx $c --help states exit codes" grep -qi "exit codes" "$T/h"
    check "rfx $c --help names its output" grep -qiE "output|--json" "$T/h"
    if grep -qE "design\.md|\.\./shared/docs|§" "$T/h"; then notok "rfx $c --help cites no internal design note" "$(grep -E 'design\.md|§' "$T/h")"
    else ok "rfx $c --help cites no internal design note"; fi
    # the options the help lists: the first --name on an indented option line
    for o in $(sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' "$T/h" | sort -u); do
        [ ${#o} -ge 6 ] || continue
        typo=${o%?}
        "$RFX" "$c" "$typo" >/dev/null 2>"$T/e"; rc=$?
        if [ $rc -eq 2 ] && grep -q "did you mean $o?" "$T/e"; then ok "rfx $c $typo suggests $o"
        elif [ $rc -ne 2 ]; then notok "rfx $c $typo suggests $o" "exit $rc"
        else notok "rfx $c $typo suggests $o" "$(cat "$T/e")"; fi
    done
done
"$RFX" parse --zzzzzz x 2>"$T/e"
check "a far-off option points to --help" grep -q "see rfx parse --help" "$T/e"
"$RFX" prase x 2>"$T/e"
check "a mistyped command suggests the command" grep -q "did you mean parse?" "$T/e"
echo "1..$n"
