#!/bin/sh
# run.sh — build the seed corpora and run the libFuzzer targets for a bounded
# time each. `make fuzz-ci` runs every target for FUZZ_SECONDS (CI: a few
# minutes in all); longer runs are the same script with a bigger -t, see
# docs/reliability.md.
#   fuzz/run.sh [-t SECONDS] [-b BUILD_DIR] [-k] [TARGET...]   TARGET: text html ...
# -k keeps going after a crash (libFuzzer fork mode), to collect every
# distinct crash of a long run instead of stopping at the first.
# Corpora persist in BUILD_DIR/corpus/<target> so runs build on each other;
# crashes land in BUILD_DIR/artifacts/<target>/. Exit 1 if any target found
# a crash, leak, timeout or out-of-memory.
set -u
T=35
B=build/fuzz
KEEP=""
while getopts t:b:k o; do
    case $o in t) T=$OPTARG ;; b) B=$OPTARG ;; k) KEEP="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1" ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
targets=${*:-"text html sgml any register_json model prefix query wordlist"}

kind_of() { # the seed folder (fuzz/seeds/<kind>, tests/regress/<kind>) of a target
    case $1 in register_json) echo json ;; any) echo "text html sgml" ;; prefix) echo html ;; *) echo "$1" ;; esac
}
dict_of() {
    case $1 in text) echo fuzz/text.dict ;; html|sgml|any|prefix) echo fuzz/html.dict ;;
        register_json) echo fuzz/json.dict ;; model) echo fuzz/model.dict ;; query) echo fuzz/query.dict ;;
        wordlist) echo fuzz/wordlist.dict ;; esac
}
maxlen_of() { case $1 in register_json|model) echo 65536 ;; *) echo 65536 ;; esac; }

# Registers for the JSON target come from parsing our own fixtures, when a
# release binary is around; the committed minimal register is always there.
RFX_BIN=${RFX:-}
for c in build-rel/rfx build/rfx; do [ -z "$RFX_BIN" ] && [ -x "$c" ] && RFX_BIN=$c; done

seed() { # seed TARGET DIR
    mkdir -p "$2"
    for k in $(kind_of "$1"); do
        for f in fuzz/seeds/"$k"/* tests/regress/"$k"/*; do [ -f "$f" ] && cp "$f" "$2/"; done
    done
    case $1 in
    text|any) cp examples/*.txt "$2/" 2>/dev/null ;;
    model) cp data/model/*.rfxm "$2/" 2>/dev/null ;;
    register_json)
        if [ -n "$RFX_BIN" ]; then
            for f in examples/*.txt fuzz/seeds/text/* fuzz/seeds/html/* fuzz/seeds/sgml/*; do
                [ -f "$f" ] || continue
                "$RFX_BIN" parse "$f" --json >"$2/reg-$(basename "$f").json" 2>/dev/null
                [ -s "$2/reg-$(basename "$f").json" ] || rm -f "$2/reg-$(basename "$f").json"
            done
        fi ;;
    esac
    return 0
}

fail=0
for t in $targets; do
    bin=$B/fuzz_$t
    if [ ! -x "$bin" ]; then echo "fuzz_$t: not built (make fuzz)"; fail=1; continue; fi
    corpus=$B/corpus/$t
    art=$B/artifacts/$t
    mkdir -p "$art"
    seed "$t" "$corpus"
    log=$B/fuzz_$t.log
    # shellcheck disable=SC2086
    "$bin" "$corpus" $KEEP -max_total_time="$T" -max_len="$(maxlen_of "$t")" -rss_limit_mb=2048 \
        -malloc_limit_mb=1024 -timeout=10 -dict="$(dict_of "$t")" -artifact_prefix="$art/" \
        -print_final_stats=1 >"$log" 2>&1
    rc=$?
    [ -n "$KEEP" ] && [ -n "$(ls "$art")" ] && rc=1
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [ -z "$execs" ] && execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#') # fork mode
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    if [ $rc -ne 0 ]; then
        fail=1
        echo "fuzz_$t: FAILED (exit $rc) after ${execs:-?} execs; see $log"
        grep -E 'ERROR|SUMMARY|Test unit written|runtime error' "$log" | head -8 | sed 's/^/    /'
    else
        echo "fuzz_$t: ok, ${execs:-?} execs in ${T}s, ${cov:-cov ?}, corpus $(ls "$corpus" | wc -l) files"
    fi
done
exit $fail
