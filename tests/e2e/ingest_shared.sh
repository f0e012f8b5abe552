#!/bin/sh
# ingest_shared.sh — every HTML filing and EDGAR submission in the shared
# corpus ingests without error, yields blocks, and has a block naming "Risk
# Factors" (except filings from before Item 1A existed, and documents whose
# folder README says they have no risk section: forms/ lists 8-Ks, proxies,
# 6-Ks with "exit 1"). Skipped when the shared data is absent. Receives the rfx binary in $RFX (tests/run.sh).
. "$(dirname "$0")/tap.sh"
if ! have_shared; then
    skip "shared filings" "no shared data at \$SHARED ($SHARED)"
    exit 0
fi
D="$SHARED/data/filings"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
find "$D" \( -name '*.htm' -o -name '*.html' -o -name '*_full-submission.txt' \) | sort > "$T/files"
files=0 bad=0 norisk=0
while IFS= read -r f; do
    files=$((files + 1))
    "$RFX" parse "$f" --blocks > "$T/blocks" 2> "$T/err"
    rc=$?
    # 0 = parsed, 1 = no risk-factor section: both mean ingest worked
    if [ "$rc" -gt 1 ] || [ ! -s "$T/blocks" ]; then
        bad=$((bad + 1))
        notok "ingest $(basename "$f")" "exit $rc: $(head -c 300 "$T/err")"
        continue
    fi
    case "$f" in
        *MEDICIS_10-K_FY1999*|*FY2005_full-submission*) continue ;; # before Item 1A existed
    esac
    # a folder with its own expectations: no risk section expected there
    case "$(readme_expect "$f")" in *"exit 1"*) continue ;; esac
    # tag-stripped .txt copies may break "Item 1A. Risk / Factors" across lines
    want='risk factors'
    case "$f" in *.txt) want='item 1a' ;; esac
    if ! grep -qi "$want" "$T/blocks"; then
        norisk=$((norisk + 1))
        notok "\"$want\" in a block of $(basename "$f")"
    fi
done < "$T/files"
[ "$bad" -eq 0 ] && ok "all $files shared filings ingest and yield blocks"
[ "$norisk" -eq 0 ] && ok "every filing from 2005 on has a \"Risk Factors\" block"
