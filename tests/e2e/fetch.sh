#!/bin/sh
# fetch.sh — `rfx fetch` against a loopback fake EDGAR (tests/e2e/fetch/fake_edgar.py):
# listing (tickers, submissions with an older page, full-index), filters, the
# User-Agent rule, pacing measured at the server, retries on 429/503/reset/
# short/slow bodies and where they stop, 404/403 messages, redirects,
# malformed JSON, resumable downloads (rerun skips, SIGKILL then resume).
# No internet: the server binds 127.0.0.1 on an ephemeral port and exits by
# itself after 90 s; this script stops it by PID.
. "$(dirname "$0")/tap.sh"
FAKE="$RFX_ROOT/tests/e2e/fetch/fake_edgar.py"
if ! command -v python3 >/dev/null 2>&1; then skip "fetch tests" "python3 is not installed"; exit 0; fi
if ! "$RFX" fetch --help >/dev/null 2>&1; then notok "rfx fetch exists"; exit 1; fi
T=$(mktemp -d)
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT INT TERM
SH=""; have_shared && SH="--shared $SHARED/data/filings"
python3 "$FAKE" build "$T/tree" $SH --examples "$RFX_ROOT/examples" || { notok "build the fake EDGAR tree"; exit 1; }

start_server() { # start_server NAME [FAULTS]: sets PORT; log in $T/NAME.log
    python3 "$FAKE" serve "$T/tree" --port-file "$T/$1.port" --log "$T/$1.log" ${2:+--faults "$2"} \
        --lifetime 90 --max-requests 3000 &
    PIDS="$PIDS $!"
    i=0; while [ ! -s "$T/$1.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    PORT=$(cat "$T/$1.port")
}
# requests of a log since line $2 (the paths, one a line)
reqs() { tail -n +"$(($2 + 1))" "$1" | cut -f2; }
nreq() { reqs "$1" "$2" | grep -c -- "$3"; }
lines() { wc -l <"$1" | tr -d ' '; }
# rate_ok LOG FROM_LINE RATE: prints "max M ..., mean A" and succeeds when
# (a) no 1 s window holds more than RATE requests and (b) the mean rate over
# the run, (n - 1) / (last - first), is at most RATE. Times are the server's,
# with no allowance: the pacer keeps a 5% margin for such jitter (~10 ms per
# request measured here), which this checks too.
rate_ok() {
    tail -n +"$(($2 + 1))" "$1" | cut -f1 | sort -n | python3 -c '
import sys
rate = float(sys.argv[1])
t = [float(x) for x in sys.stdin if x.strip()]
m = max([sum(1 for u in t[i:] if u - s < 1.0) for i, s in enumerate(t)] or [0])
avg = (len(t) - 1) / (t[-1] - t[0]) if len(t) > 1 and t[-1] > t[0] else 0
print("max %d in 1 s, mean %.2f/s over %d requests" % (m, avg, len(t)))
sys.exit(0 if m <= rate and avg <= rate else 1)' "$3"
}
# same_file A B: byte-identical
same_file() { cmp -s "$1" "$2"; }

UA="rfx test suite rfx-tests@example.com"
export RFX_FETCH_BACKOFF_MS=50
start_server a "$T/tree/faults.json"
A="http://127.0.0.1:$PORT"
unset RFX_USER_AGENT

# 1. no User-Agent: refused before any request, exit 2, says why
"$RFX" fetch --base-url "$A" --cik 1000001 --out "$T/x" >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 2 ] && grep -q "User-Agent" "$T/err" && grep -q "contact email" "$T/err"; then ok "no User-Agent: exit 2 and the reason"; else notok "no User-Agent: exit 2 and the reason" "exit $rc: $(cat "$T/err")"; fi
expect_exit "a User-Agent without a contact is refused" 2 "$RFX" fetch --base-url "$A" --cik 1000001 --user-agent "rfx" --out "$T/x"
expect_exit "--rate over 10 is refused" 2 "$RFX" fetch --base-url "$A" --cik 1000001 --user-agent "$UA" --rate 11
expect_exit "no User-Agent with --index: exit 2" 2 "$RFX" fetch --base-url "$A" --cik 1000001 --out "$T/x" --index --db "$T/x.db"
if [ "$(lines "$T/a.log")" -eq 0 ] && [ ! -e "$T/x" ] && [ ! -e "$T/x.db" ]; then ok "refusals made no request and wrote nothing"; else notok "refusals made no request and wrote nothing" "$(lines "$T/a.log") requests"; fi
export RFX_USER_AGENT="$UA"

# 2. listing: submissions + the older-filings page, form and date filters
L0=$(lines "$T/a.log")
(cd "$T" && "$RFX" fetch --base-url "$A" --ticker nwnd --dry-run) >"$T/dry" 2>"$T/err"; rc=$?
got=$(cut -f2,3 "$T/dry" | tr '\t\n' ' ')
want="0001000001-24-000010 20-F 0001000001-24-000001 10-K 0001000001-23-000001 10-K 0001000001-05-000007 10-K 0001000001-99-000002 10-K "
if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then ok "dry run lists 10-K/20-F incl. the older page, no amendment, no 8-K"; else notok "dry run lists 10-K/20-F incl. the older page" "exit $rc, got: $got"; fi
if [ "$(nreq "$T/a.log" "$L0" "submissions-001.json")" -eq 1 ] && [ "$(nreq "$T/a.log" "$L0" Archives)" -eq 0 ]; then ok "dry run reads the older page and downloads no document"; else notok "dry run reads the older page and downloads no document" "$(reqs "$T/a.log" "$L0" | tr '\n' ' ')"; fi
if [ ! -e "$T/edgar" ]; then ok "dry run writes nothing (no ./edgar)"; else notok "dry run writes nothing" "$(find "$T/edgar")"; fi
cnt=$("$RFX" fetch --base-url "$A" --cik 1000001 --amendments --dry-run 2>/dev/null | grep -c "10-K/A")
if [ "$cnt" -eq 1 ]; then ok "--amendments adds the 10-K/A"; else notok "--amendments adds the 10-K/A" "$cnt"; fi
got=$("$RFX" fetch --base-url "$A" --cik 0001000001 --form 8-K,20-F --dry-run 2>/dev/null | cut -f3 | tr '\n' ' ')
if [ "$got" = "20-F 8-K " ]; then ok "--form picks forms"; else notok "--form picks forms" "$got"; fi
L0=$(lines "$T/a.log")
got=$("$RFX" fetch --base-url "$A" --cik 1000001 --since 2010 --until 2024-03 --dry-run 2>/dev/null | cut -f4 | tr '\n' ' ')
if [ "$got" = "2024-03-01 2023-03-01 " ] && [ "$(nreq "$T/a.log" "$L0" "submissions-001")" -eq 0 ]; then ok "--since/--until filter dates, older page outside them not requested"; else notok "--since/--until" "$got"; fi
expect_exit "--since not a date: exit 2" 2 "$RFX" fetch --base-url "$A" --cik 1000001 --since 2024-13 --dry-run

# 3. errors a user can act on, the run goes on
"$RFX" fetch --base-url "$A" --ticker BADJ,NOPE,NWND --dry-run >"$T/dry" 2>"$T/err"; rc=$?
if [ $rc -eq 3 ] && grep -q "CIK 1000002: submissions: malformed JSON at line 1" "$T/err" && grep -q "ticker NOPE: not in company_tickers.json" "$T/err" && [ "$(wc -l <"$T/dry")" -eq 5 ]; then ok "malformed JSON and unknown ticker: one line each, others listed, exit 3"; else notok "malformed JSON and unknown ticker" "exit $rc: $(cat "$T/err")"; fi

# 4. the download run: misbehaving server
L0=$(lines "$T/a.log")
t0=$(date +%s)
"$RFX" fetch --base-url "$A" --ticker FLTY,NWND --out "$T/out" --rate 10 --stall-timeout 1 >/dev/null 2>"$T/err"; rc=$?
t1=$(date +%s)
grep -q "11 fetched, 0 skipped, 3 failed" "$T/err" && [ $rc -eq 3 ] && ok "summary: 11 fetched, 3 failed, exit 3" || notok "summary: 11 fetched, 3 failed, exit 3" "exit $rc: $(tail -3 "$T/err")"
grep -q "f-gone404.htm: HTTP 404 Not Found" "$T/err" && ok "404: one line naming the URL" || notok "404 line" "$(cat "$T/err")"
grep -q "f-forbidden.htm: HTTP 403 Forbidden: the SEC probably refused the User-Agent" "$T/err" && ok "403: says the User-Agent was probably refused" || notok "403 line"
grep -q "f-always503.htm: HTTP 503 Service Unavailable (gave up after 5 attempts)" "$T/err" && ok "503 forever: gives up after --retries" || notok "503 gives up"
[ "$(grep -c . "$T/err")" -eq 4 ] && ok "no other output on a non-terminal (3 errors + summary)" || notok "quiet off a terminal" "$(cat "$T/err")"
c429=$(nreq "$T/a.log" "$L0" "f-429.htm$"); c503=$(nreq "$T/a.log" "$L0" "f-always503.htm$"); c404=$(nreq "$T/a.log" "$L0" "f-gone404.htm$")
c403=$(nreq "$T/a.log" "$L0" "f-forbidden.htm$"); creset=$(nreq "$T/a.log" "$L0" "f-reset.htm$"); cshort=$(nreq "$T/a.log" "$L0" "f-short.htm$"); cslow=$(nreq "$T/a.log" "$L0" "f-slow.htm$")
if [ "$c429" -eq 3 ] && [ "$c503" -eq 5 ] && [ "$c404" -eq 1 ] && [ "$c403" -eq 1 ] && [ "$creset" -eq 2 ] && [ "$cshort" -eq 3 ] && [ "$cslow" -eq 2 ]; then ok "retries happen (429x2, reset, short x2, slow) and stop (503: 5, 404/403: 1)"; else notok "retry counts" "429:$c429 503:$c503 404:$c404 403:$c403 reset:$creset short:$cshort slow:$cslow"; fi
gap=$(tail -n +"$((L0 + 1))" "$T/a.log" | grep "f-429.htm" | cut -f1 | sort -n | python3 -c 'import sys; t=[float(x) for x in sys.stdin]; print(min(b-a for a,b in zip(t,t[1:])) >= 0.99)')
[ "$gap" = True ] && ok "429 Retry-After: 1 honoured between attempts" || notok "Retry-After honoured" "$gap"
m=$(rate_ok "$T/a.log" "$L0" 10) && ok "request rate at or under --rate 10 ($m)" || notok "rate under 10" "$m"
bad=$(tail -n +"$((L0 + 1))" "$T/a.log" | cut -f3 | grep -vcxF "$UA")
[ "$bad" -eq 0 ] && ok "every request carries the User-Agent" || notok "User-Agent on every request" "$bad without"
grep -q gzip "$T/a.log" && ok "gzip offered (JSON answers came back compressed)" || notok "gzip offered"
# every document that landed is the server's file, byte for byte, with metadata
okf=0; badf=""
while IFS="$(printf '\t')" read -r cik acc form date path size; do
    [ "$cik" = 1000001 ] || [ "$cik" = 1000003 ] || continue
    f="$T/out/$cik/$acc/$(basename "$path")"
    case "$path" in *gone404*|*always503*|*forbidden*) [ -e "$f" ] && badf="$badf $f"; continue ;; esac
    case "$form" in 10-K|20-F) ;; *) continue ;; esac
    sha=$(sha256sum "$T/tree$path" | cut -d' ' -f1)
    if same_file "$f" "$T/tree$path" && grep -q "\"sha256\": \"$sha\"" "$T/out/$cik/$acc/rfx-fetch.json" &&
       grep -q "\"bytes\": $size," "$T/out/$cik/$acc/rfx-fetch.json"; then okf=$((okf + 1)); else badf="$badf $f"; fi
done <"$T/tree/expect.tsv"
[ "$okf" -eq 11 ] && [ -z "$badf" ] && ok "11 documents identical to the server's, sha256 and bytes in rfx-fetch.json" || notok "documents identical" "$okf ok; bad:$badf"
[ -z "$(find "$T/out" -name '*.part')" ] && ok "no .part file left" || notok "no .part left" "$(find "$T/out" -name '*.part')"
grep -q '"report_date": "1998-12-31"' "$T/out/1000001/0001000001-99-000002/rfx-fetch.json" && grep -q '"form": "10-K"' "$T/out/1000001/0001000001-99-000002/rfx-fetch.json" && grep -q '"company": "Northwind Holdings"' "$T/out/1000001/0001000001-99-000002/rfx-fetch.json" && ok "metadata: form, report period, company" || notok "metadata fields"
[ -f "$T/out/1000003/0001000003-24-000006/f-redirect.htm" ] && ok "redirect followed" || notok "redirect followed"

# 5. rerun: complete filings skipped without a request; ticker list cached
L0=$(lines "$T/a.log")
"$RFX" fetch --base-url "$A" --ticker FLTY,NWND --out "$T/out" --rate 10 >/dev/null 2>"$T/err"; rc=$?
grep -q "0 fetched, 11 skipped, 3 failed" "$T/err" && ok "rerun skips the 11 complete filings" || notok "rerun skips" "$(tail -1 "$T/err")"
cnt=$(reqs "$T/a.log" "$L0" | grep -c -e company_tickers -e 'f-429' -e nwnd-)
[ "$cnt" -eq 0 ] && ok "rerun: no request for complete files or the fresh ticker cache" || notok "rerun requests" "$(reqs "$T/a.log" "$L0" | tr '\n' ' ')"
touch -d '2 days ago' "$T/out/company_tickers.json"
L0=$(lines "$T/a.log")
"$RFX" fetch --base-url "$A" --ticker NWND --out "$T/out" >/dev/null 2>&1
[ "$(nreq "$T/a.log" "$L0" company_tickers)" -eq 1 ] && ok "ticker cache older than a day is refreshed" || notok "ticker cache refresh"
# a damaged complete file (size kept) is noticed by its sha256 and fetched again
f="$T/out/1000001/0001000001-24-000001/nwnd-20231231.htm"
python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[10]^=1; open(p,'wb').write(b)" "$f"
"$RFX" fetch --base-url "$A" --cik 1000001 --out "$T/out" >/dev/null 2>"$T/err"
grep -q "1 fetched, 4 skipped, 0 failed" "$T/err" && same_file "$f" "$T/tree/Archives/edgar/data/1000001/000100000124000001/nwnd-20231231.htm" && ok "a file that fails its sha256 is fetched again" || notok "sha256 recheck" "$(tail -1 "$T/err")"

# 6. interrupted run: SIGKILL, then resume to the same tree as an uninterrupted run
# (the 20-F stalls mid-body the first time, so the kill lands inside a download)
echo '{"/Archives/edgar/data/1000001/000100000124000010/northwind-20f.txt": {"kind": "slow", "times": 1, "stall": 6},
  "/files/company_tickers.json": {"kind": "404", "times": 1}}' >"$T/bfaults.json"
start_server b "$T/bfaults.json"
B="http://127.0.0.1:$PORT"
L0=$(lines "$T/b.log")
# the real binary, not the schema-checking wrapper: SIGKILL must hit rfx itself
"${RFX_REAL:-$RFX}" fetch --base-url "$B" --cik 1000001,354950,320193 --full --out "$T/kill" --rate 4 --jobs 3 --stall-timeout 20 >/dev/null 2>&1 &
kp=$!
sleep 2.5
kill -9 $kp 2>/dev/null; wait $kp 2>/dev/null
part="$T/kill/1000001/0001000001-24-000010/northwind-20f.txt"
[ -f "$part.part" ] && [ ! -e "$part" ] && ok "killed mid-body: the download is only under its .part name" || notok "killed mid-body" "$(ls "$T/kill/1000001/0001000001-24-000010" 2>&1)"
m=$(rate_ok "$T/b.log" "$L0" 4) && ok "request rate at or under --rate 4 with 3 threads ($m)" || notok "rate under 4" "$m"
partial=""
for f in $(find "$T/kill" -type f ! -name '*.part' ! -name rfx-fetch.json ! -name company_tickers.json); do
    rel=${f#"$T/kill/"}; cik=${rel%%/*}; rest=${rel#*/}; acc=${rest%%/*}; name=${rest#*/}
    src="$T/tree/Archives/edgar/data/$cik/$(echo "$acc" | tr -d -)/$name"
    same_file "$f" "$src" || partial="$partial $rel"
done
[ -z "$partial" ] && ok "after SIGKILL no partial file under a final name" || notok "partial files after SIGKILL" "$partial"
"$RFX" fetch --base-url "$B" --cik 1000001,354950,320193 --full --out "$T/kill" --rate 10 >/dev/null 2>"$T/err"; rc=$?
"$RFX" fetch --base-url "$B" --cik 1000001,354950,320193 --full --out "$T/ref" --rate 10 >/dev/null 2>"$T/err2"; rc2=$?
if [ $rc -eq 0 ] && [ $rc2 -eq 0 ] && diff -r "$T/kill" "$T/ref" >"$T/diff" 2>&1; then ok "resumed run gives the same tree as an uninterrupted one"; else notok "resume to the same tree" "exit $rc/$rc2 $(head -5 "$T/diff") $(tail -2 "$T/err")"; fi
cnt=$(find "$T/ref" -name rfx-fetch.json | wc -l)
if have_shared; then want=12; else want=5; fi
[ "$cnt" -eq "$want" ] && ok "--full: $cnt filings with metadata" || notok "--full filing count" "$cnt, wanted $want"
if have_shared; then
    [ -f "$T/ref/354950/0000354950-24-000011/hd-20240128.htm" ] && [ -f "$T/ref/354950/0000354950-24-000011/0000354950-24-000011.txt" ] && ok "--full saves the primary document and the full submission" || notok "--full files"
else skip "--full on HD" "../shared absent"; fi

# 7. a quarter from full-index
"$RFX" fetch --base-url "$B" --quarter 2024Q1 --form 10-K --out "$T/q" >/dev/null 2>"$T/err"; rc=$?
cnt=$(find "$T/q" -name '*.txt' | wc -l)
[ $rc -eq 0 ] && [ "$cnt" -eq 3 ] && grep -q "1 unreadable rows skipped" "$T/err" && grep -q "3 fetched, 0 skipped, 0 failed (3 listed" "$T/err" && ok "--quarter 2024Q1 --form 10-K: 3 full submissions (a duplicate row once), the garbage row reported" || notok "--quarter" "exit $rc, $cnt files: $(cat "$T/err")"
grep -q '"report_date": "2023-12-31"' "$T/q/2000003/0002000003-24-000003/rfx-fetch.json" && grep -q '"company": "GAMMA  DOUBLE SPACE CO"' "$T/q/2000003/0002000003-24-000003/rfx-fetch.json" && ok "quarter metadata: period from the SGML header, company from the index" || notok "quarter metadata"
got=$("$RFX" fetch --base-url "$B" --quarter 2024q1 --form 10-K --cik 2000002 --amendments --dry-run 2>/dev/null | cut -f1,3 | tr '\t\n' '  ')
[ "$got" = "2000002 10-K " ] && ok "--quarter with --cik lists only that company" || notok "--quarter --cik" "$got"
if have_shared && [ -f "$T/tree/Archives/edgar/full-index/2024/QTR4/company.idx" ]; then
    got=$("$RFX" fetch --base-url "$B" --quarter 2024Q4 --form 8-K,424B5 --dry-run 2>"$T/err" | cut -f3 | sort | tr '\n' ' ')
    [ "$got" = "424B5 8-K " ] && grep -q "trying company.idx" "$T/err" && ok "form.idx missing: company.idx read instead" || notok "company.idx fallback" "$got $(cat "$T/err")"
else skip "company.idx fallback" "../shared/data/filings/forms absent"; fi

# progress bar: drawn on a terminal only (stderr a pty, through script(1))
if command -v script >/dev/null 2>&1; then
    script -qec "\"$RFX\" fetch --base-url $B --cik 1000001 --out \"$T/tty\" --rate 10" /dev/null >"$T/tty.out" 2>&1
    grep -q "\[########################\] 5/5 filings" "$T/tty.out" && grep -q "5 fetched, 0 skipped, 0 failed" "$T/tty.out" && ok "progress bar on a terminal" || notok "progress bar on a terminal" "$(tr '\r' '\n' <"$T/tty.out" | tail -3)"
else skip "progress bar on a terminal" "script(1) is not installed"; fi

# a stale ticker cache whose refresh fails is used, with a warning
mkdir -p "$T/stale" && cp "$T/out/company_tickers.json" "$T/stale/" && touch -d '3 days ago' "$T/stale/company_tickers.json"
"$RFX" fetch --base-url "$B" --ticker NWND --out "$T/stale" --dry-run >"$T/dry" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && [ "$(wc -l <"$T/dry")" -eq 5 ] && grep -q "warning: .*company_tickers.json: HTTP 404 Not Found; using the older" "$T/err" && ok "stale ticker cache used when its refresh fails, with a warning" || notok "stale ticker cache" "exit $rc: $(cat "$T/err")"

# 8. --index: each filing lands in the corpus, in-process
L0=$(lines "$T/b.log")
"$RFX" fetch --base-url "$B" --cik 1000001 --out "$T/ix" --index --db "$T/ix.db" >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && grep -q "5 fetched, 0 skipped, 0 failed.*indexed: 5 added" "$T/err"; then ok "--index adds the 5 filings to the corpus"; else notok "--index adds" "exit $rc: $(cat "$T/err")"; fi
got=$("$RFX" search --db "$T/ix.db" --json "supplier" 2>/dev/null | python3 -c 'import json,sys; h=json.load(sys.stdin)["hits"]; print(len(h) > 0 and all(x["company"] == "Northwind Holdings" for x in h), sorted({x["form"] for x in h}))')
[ "$got" = "True ['10-K']" ] && ok "the corpus answers a search over the fetched filings with EDGAR's company and form" || notok "search the fetched corpus" "$got"
"$RFX" fetch --base-url "$B" --cik 1000001 --out "$T/ix" --index --db "$T/ix.db" >/dev/null 2>"$T/err"
grep -q "0 fetched, 5 skipped.*5 unchanged" "$T/err" && ok "--index rerun: skipped filings are already in the corpus" || notok "--index rerun" "$(cat "$T/err")"
expect_exit "--index with --dry-run is refused" 2 "$RFX" fetch --base-url "$B" --cik 1000001 --index --dry-run
expect_exit "--db without --index is refused" 2 "$RFX" fetch --base-url "$B" --cik 1000001 --db "$T/ix.db"
echo "not a database" >"$T/bad.db"
L0=$(lines "$T/b.log")
expect_exit "--index into a file that is not a database: exit 3" 3 "$RFX" fetch --base-url "$B" --cik 1000001 --out "$T/ix2" --index --db "$T/bad.db"
[ "$(lines "$T/b.log")" -eq "$L0" ] && ok "a bad database fails before any request" || notok "bad database before requests"

# 9. a dead server: every attempt fails to connect; after 3 URLs the rest fail fast
"$RFX" fetch --base-url "http://127.0.0.1:9" --cik 1,2,3,4,5 --retries 2 --jobs 1 --out "$T/dead" >/dev/null 2>"$T/err"; rc=$?
if [ $rc -eq 3 ] && [ "$(grep -c "Couldn't connect\|Could not connect\|Failed to connect" "$T/err")" -eq 3 ] && [ "$(grep -c "not tried: the server could not be reached" "$T/err")" -eq 2 ]; then ok "unreachable server: 3 URLs tried, the rest fail fast, exit 3"; else notok "unreachable server" "exit $rc: $(cat "$T/err")"; fi
