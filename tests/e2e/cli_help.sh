# cli_help.sh — every subcommand's --help names its options, output formats
# and exit codes and points to no file a user lacks; a mistyped option (any
# option the help lists, with its last letter dropped) suggests that option.
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cmds=$("$RFX" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' | grep -v '^version$')
check "rfx --help lists subcommands" test -n "$cmds"
# every command there is, so none escapes the checks below
for c in parse diff lint peers eval train index search history stats export fetch db serve; do
    check "rfx --help lists $c" sh -c 'echo "$1" | grep -qx "$2"' - "$cmds" "$c"
done
for c in $cmds; do
    "$RFX" "$c" --help >"$T/h" 2>&1
    check "rfx $c --help exits 0" test $? -eq 0
    check "rfx $c --help states exit codes" grep -qi "exit codes" "$T/h"
    check "rfx $c --help names its output" grep -qiE "output|--json" "$T/h"
    # an installed rfx has share/doc/rfx/, not the source tree's docs/ or notes
    bad='design\.md|\.\./shared/docs|§|(^|[^a-z/])docs/[a-z0-9_-]+\.md'
    if grep -qE "$bad" "$T/h"; then notok "rfx $c --help cites no file a user lacks" "$(grep -E "$bad" "$T/h")"
    else ok "rfx $c --help cites no file a user lacks"; fi
    # the options the help lists: every --name on an indented option line
    # ("  --since D, --until D" lists two), not those it cites in its text
    opts=$(grep -E '^ +(-[a-zA-Z], )?--[a-z]' "$T/h" | sed 's/  [A-Za-z(].*//' |
           grep -oE -- '--[a-z][a-z-]*' | sort -u)
    for o in $opts; do
        [ ${#o} -ge 6 ] || continue
        typo=${o%?}
        # --jsonl less its l is --json, an option of its own
        echo "$opts" | grep -qx -- "$typo" && continue
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
