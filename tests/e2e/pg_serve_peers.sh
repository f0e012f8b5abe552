# pg_serve_peers.sh — rfx serve and rfx peers --db on PostgreSQL answer what
# they answer on SQLite: the same documents indexed into both, one server on
# each, and every API endpoint's answer compared by content (ids may be
# assigned differently); no password in serve's output or errors. Starts its
# own throwaway cluster (tests/lib/pgcluster.sh) and stops it by PID; the
# servers are stopped by PID too.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/serve_data/lib.sh"
if [ ! -x "$RFX" ]; then skip "serve/peers on PostgreSQL" "no rfx binary at $RFX"; exit 0; fi
for tool in curl python3; do
    if ! command -v $tool >/dev/null 2>&1; then skip "serve/peers on PostgreSQL" "$tool is not installed"; exit 0; fi
done
. "$RFX_ROOT/tests/lib/pgcluster.sh"
if ! pgc_available; then skip "serve/peers on PostgreSQL" "$PGC_WHY"; exit 0; fi
T=$(mktemp -d)
SPID=""; SPID_S=""; SPID_P=""
# servers first (by PID), then the directory; pgcluster's trap stops the cluster
PGC_ON_EXIT='for x in $SPID_S $SPID_P; do kill -TERM $x 2>/dev/null; done; sleep 0.2; for x in $SPID_S $SPID_P; do kill -KILL $x 2>/dev/null; done; rm -rf "$T"'
if ! pgc_start; then rm -rf "$T"; skip "serve/peers on PostgreSQL" "$PGC_WHY"; exit 0; fi
# the server runs the real binary (the wrapper execs it anyway): its PID is the server's
RFXS=${RFX_REAL:-$RFX}
P=$PGC_URI
S="$T/s.db"
D="$RFX_ROOT/tests/e2e/serve_data"
pgc_psql -d postgres -c "CREATE DATABASE rfx_peers OWNER rfx_test" >/dev/null
# the peers corpus is reached without a password in the URI: libpq takes it
# from PGPASSWORD (so it is not on these command lines either)
PP="postgresql://rfx_test@127.0.0.1:$PGC_PORT/rfx_peers"
PPW=$(echo "$P" | sed 's|/rfx_test$|/rfx_peers|')

ixok=1
for db in "$S" "$P"; do
    "$RFX" index --db "$db" -q -j 1 "$D/acme2021.txt" "$D/acme2022.txt" "$D/hostile2022.txt" 2>"$T/ix.err" || { ixok=; cat "$T/ix.err"; }
done
[ -n "$ixok" ] && ok "the serve test documents indexed into SQLite and PostgreSQL" || { notok "index the serve test documents" "$(head -c 300 "$T/ix.err")"; exit 0; }

# ---- one server on each backend ----
start() { # start NAME DB: sets SPID_NAME, URL_NAME
    RFX_SAVED=$RFX; RFX=$RFXS
    serve_start "$T/$1" --db "$2" --rate 0 --access-log; r=$?
    RFX=$RFX_SAVED
    eval "SPID_$1=\$SPID; URL_$1=http://127.0.0.1:\$PORT"
    SPID=""
    return $r
}
start S "$S" && ok "serve on SQLite starts" || { notok "serve on SQLite starts" "$(cat "$T/S.err")"; exit 0; }
start P "$P" && ok "serve on PostgreSQL starts" || { notok "serve on PostgreSQL starts" "$(cat "$T/P.err")"; exit 0; }

# get B PATH: the body to $T/B.body, prints the status
get() { eval "u=\$URL_$1"; curl -s -m 20 -o "$T/$1.body" -w '%{http_code}' "$u$2"; }
# same NAME PATH [KIND]: both servers answer 200 with the same content
#   KIND json (default): equal once ids are dropped; hits: the same risks (by
#   company, year, index and heading) in any order
same() {
    name=$1; path=$2; kind=${3:-json}
    a=$(get S "$path"); b=$(get P "$path")
    if [ "$a" != 200 ] || [ "$b" != 200 ]; then
        notok "$name" "statuses SQLite $a, PostgreSQL $b: $(head -c 200 "$T/P.body")"; return
    fi
    if out=$(python3 "$T/cmp.py" "$kind" "$T/S.body" "$T/P.body" 2>&1); then ok "$name ($out)"; else notok "$name" "$out"; fi
}
cat >"$T/cmp.py" <<'EOF'
import json, math, sys
ID = ("id", "filing_id", "risk_id", "prev_risk_id", "next_risk_id", "old_id", "new_id", "company_id", "prev_filing_id")
def strip(x):
    if isinstance(x, dict):
        # ids are assigned per backend; timings differ from run to run
        return {k: strip(v) for k, v in x.items() if k not in ID and not k.endswith("_id") and not k.endswith("_seconds") and k != "indexed_at"}
    if isinstance(x, list):
        return [strip(v) for v in x]
    if isinstance(x, float):
        return round(x, 6)
    return x
def size(x):
    if isinstance(x, dict): return sum(size(v) for v in x.values()) + 1
    if isinstance(x, list): return sum(size(v) for v in x) + 1
    return 1
kind, a, b = sys.argv[1:4]
A = json.load(open(a)); B = json.load(open(b))
if kind == "hits":
    key = lambda h: (h.get("company"), h.get("fiscal_year"), h.get("risk_index", h.get("index")), h.get("heading"))
    x = sorted(map(key, A["hits"]), key=repr); y = sorted(map(key, B["hits"]), key=repr)
    if not x: sys.exit("no hits on SQLite: the comparison would prove nothing")
    if x != y: sys.exit("SQLite %s\nPostgreSQL %s" % (x, y))
    print("%d hits" % len(x))
else:
    x, y = strip(A), strip(B)
    def diff(a, b, path="$"):
        if type(a) != type(b): return "%s: SQLite %r / PostgreSQL %r" % (path, a, b)
        if isinstance(a, dict):
            if sorted(a) != sorted(b): return "%s: keys %s / %s" % (path, sorted(a), sorted(b))
            for k in a:
                d = diff(a[k], b[k], path + "." + k)
                if d: return d
        elif isinstance(a, list):
            if len(a) != len(b): return "%s: %d / %d items" % (path, len(a), len(b))
            for i, (u, v) in enumerate(zip(a, b)):
                d = diff(u, v, "%s[%d]" % (path, i))
                if d: return d
        elif a != b: return "%s: SQLite %r / PostgreSQL %r" % (path, a, b)
        return None
    d = diff(x, y)
    if d: sys.exit(d)
    print("%d values" % size(x))
EOF

same "search zirconium: the same hits" "/api/search?q=zirconium" hits
same "search with company and year filters: the same hits" "/api/search?q=zirconium&company=acme&year=2022" hits
same "search for a phrase: the same hits" "/api/search?q=%22single%20supplier%22" hits
same "search, one word or another: the same hits" "/api/search?q=sprockets%20OR%20margins" hits
same "filings list: the same filings" "/api/filings"
same "filings of one company" "/api/filings?company=acme"
# the ids of the same filing on each backend, by company and year
fid() { # fid B KEY -> filing id on that server
    get "$1" /api/filings >/dev/null
    python3 -c '
import json,sys
for f in json.load(open(sys.argv[1]))["filings"]:
    if (f.get("company") or "")[:4] + str(f.get("fiscal_year")) == sys.argv[2]: print(f["filing_id"])' "$T/$1.body" "$2"
}
S21=$(fid S ACME2021); S22=$(fid S ACME2022); P21=$(fid P ACME2021); P22=$(fid P ACME2022)
if [ -n "$S21" ] && [ -n "$S22" ] && [ -n "$P21" ] && [ -n "$P22" ]; then ok "the Acme filings found on both backends"
else notok "the Acme filings found on both backends" "SQLite $S21 $S22, PostgreSQL $P21 $P22"; fi
# same2 NAME PATH_S PATH_P: as same, with backend-specific ids in the paths
same2() {
    name=$1; a=$(get S "$2"); b=$(get P "$3")
    if [ "$a" != 200 ] || [ "$b" != 200 ]; then notok "$name" "statuses SQLite $a, PostgreSQL $b: $(head -c 200 "$T/P.body")"; return; fi
    if out=$(python3 "$T/cmp.py" json "$T/S.body" "$T/P.body" 2>&1); then ok "$name ($out)"; else notok "$name" "$out"; fi
}
same2 "one filing's register" "/api/filings/$S22" "/api/filings/$P22"
# a risk with lineage: the 2022 risk that mentions zirconium, on each backend
rid() { get "$1" "/api/search?q=zirconium&year=2022&limit=1" >/dev/null; python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hits"][0]["risk_id"])' "$T/$1.body" 2>/dev/null; }
RS=$(rid S); RP=$(rid P)
same2 "one risk with its lineage" "/api/risks/$RS" "/api/risks/$RP"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["lineage"], d' "$T/P.body" 2>/dev/null \
    && ok "the risk on PostgreSQL has a lineage" || notok "the risk on PostgreSQL has a lineage" "$(head -c 300 "$T/P.body")"
same2 "diff against the previous filing" "/api/diff?new=$S22" "/api/diff?new=$P22"
same2 "diff of two given filings" "/api/diff?new=$S21&old=$S22" "/api/diff?new=$P21&old=$P22"
same "company history" "/api/companies/acme/history"
same "company timeline" "/api/companies/0000999999/timeline"
for by in category year company form; do same "stats by $by" "/api/stats?by=$by"; done
for p in "/api/filings/999999" "/api/risks/987654" "/api/companies/nosuchcompanyxyz/history" "/api/search?q=%22unbalanced"; do
    a=$(get S "$p"); b=$(get P "$p")
    [ "$a" = "$b" ] && [ "$a" -ge 400 ] && ok "the same error status for $p ($a)" || notok "the same error status for $p" "SQLite $a, PostgreSQL $b"
done

# ---- many requests at once: one session per pooled connection ----
eval "u=\$URL_P"; cpids=""
# 12 at once: under serve's 16 connections per address
for i in 1 2 3; do
    for path in "/api/search?q=zirconium" "/api/filings" "/api/stats?by=category" "/api/companies/acme/history"; do
        curl -s -m 30 -o /dev/null -w '%{http_code}\n' "$u$path" >>"$T/par.st" &
        cpids="$cpids $!"
    done
done
# only the clients: a bare wait would wait for the servers too
for x in $cpids; do wait "$x"; done
n200=$(grep -c '^200$' "$T/par.st")
[ "$n200" -eq 12 ] && ok "12 requests at once on PostgreSQL: all 200" || notok "12 requests at once on PostgreSQL" "$(sort "$T/par.st" | uniq -c | tr '\n' ' ')"
nsess=$(pgc_psql -Atc "SELECT count(*) FROM pg_stat_activity WHERE usename = 'rfx_test' AND datname = 'rfx_test'")
[ "${nsess:-99}" -le 4 ] && ok "the server holds at most --threads (4) sessions ($nsess)" || notok "the server holds at most --threads sessions" "$nsess"

# ---- the database server drops every connection: the pool reconnects ----
get P /api/filings >/dev/null; get P "/api/stats?by=year" >/dev/null
nk=$(pgc_psql -Atc "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = 'rfx_test' AND pid <> pg_backend_pid()")
bad=""
for i in 1 2 3 4 5 6; do st=$(get P /api/filings); [ "$st" = 200 ] || bad="$bad $st"; done
if [ "${nk:-0}" -ge 1 ] && [ -z "$bad" ]; then ok "after the server's $nk connections were terminated, every request still answers 200"
else notok "the pool reconnects after its connections were terminated" "terminated ${nk:-?}; statuses:$bad"; fi

# ---- an index beside the PostgreSQL server: no stale answers ----
get P "/api/search?q=yttrium" >/dev/null
get P "/api/search?q=yttrium" >/dev/null
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["hits"]==[]' "$T/P.body" 2>/dev/null \
    && ok "PostgreSQL server: no yttrium yet (asked twice)" || notok "PostgreSQL server: no yttrium yet" "$(head -c 200 "$T/P.body")"
sed -e 's/2022/2023/g; s/-23-000001/-24-000001/; s/zirconium/yttrium/g' "$D/acme2022.txt" >"$T/acme2023.txt"
if "$RFX" index --db "$P" -q "$T/acme2023.txt" 2>"$T/ix2.err"; then
    st=$(get P "/api/search?q=yttrium")
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["hits"] and d["hits"][0]["fiscal_year"]==2023, d' "$T/P.body" 2>/dev/null \
        && ok "after indexing into PostgreSQL beside the server, the new filing is found at once" \
        || notok "the PostgreSQL server sees a newly indexed filing" "status $st: $(head -c 300 "$T/P.body")"
    st=$(get P "/api/filings?company=acme")
    python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["filings"])==3' "$T/P.body" 2>/dev/null \
        && ok "the filings list shows it too" || notok "the filings list shows the new filing" "status $st"
else notok "index a filing into PostgreSQL while the server runs" "$(head -c 300 "$T/ix2.err")"; fi

# ---- the password stays out of everything serve printed ----
for b in S P; do
    eval "pid=\$SPID_$b"
    SPID=$pid; serve_stop; rc=$?; SPID=""
    eval "SPID_$b="
    [ "$rc" -eq 0 ] && ok "serve on $b stops on SIGTERM, exit 0" || notok "serve on $b stops on SIGTERM" "exit $rc"
done
nlog=$(wc -l <"$T/P.err")
if [ "$nlog" -gt 20 ] && ! grep -qF "$PGC_PASSWORD" "$T/P.out" "$T/P.err"; then ok "no password in serve's output and access log ($nlog lines)"
else notok "no password in serve's output and access log" "$nlog lines; $(grep -cF "$PGC_PASSWORD" "$T/P.out" "$T/P.err")"; fi
BAD=$(echo "$P" | sed "s|:$PGC_PASSWORD@|:wrong${PGC_PASSWORD}x@|")
"$RFXS" serve --db "$BAD" --listen 127.0.0.1:0 >"$T/bad.out" 2>"$T/bad.err" </dev/null &
bpid=$!
i=0; while kill -0 $bpid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 $bpid 2>/dev/null; then kill -KILL $bpid; wait $bpid; notok "serve with a wrong password exits" "still running after 10 s"
else
    wait $bpid; rc=$?
    if [ "$rc" -eq 3 ] && [ "$(wc -l <"$T/bad.err")" -eq 1 ] && ! grep -qF "$PGC_PASSWORD" "$T/bad.out" "$T/bad.err"; then
        ok "serve with a wrong password: exit 3, one line, no password ($(head -c 120 "$T/bad.err"))"
    else notok "serve with a wrong password: exit 3, one line, no password" "exit $rc: $(cat "$T/bad.err")"; fi
fi
"$RFXS" serve --db "$(echo "$P" | sed 's|/rfx_test$|/nosuchdb|')" --listen 127.0.0.1:0 >"$T/bad.out" 2>"$T/bad.err" </dev/null &
bpid=$!
i=0; while kill -0 $bpid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 $bpid 2>/dev/null; then kill -KILL $bpid; wait $bpid; notok "serve on a missing database exits" "still running after 10 s"
else
    wait $bpid; rc=$?
    [ "$rc" -eq 3 ] && ! grep -qF "$PGC_PASSWORD" "$T/bad.out" "$T/bad.err" \
        && ok "serve on a missing database: exit 3, no password" || notok "serve on a missing database: exit 3, no password" "exit $rc: $(cat "$T/bad.err")"
fi

# ---- rfx peers --db: the same answer from both backends ----
F="$RFX_ROOT/tests/peers"
ixok=1
export PGPASSWORD="$PGC_PASSWORD"
for db in "$T/peers.db" "$PP"; do "$RFX" index --db "$db" -q -j 1 "$F" 2>"$T/ixp.err" || ixok=; done
if [ -z "$ixok" ]; then notok "index the peers fixtures into both backends" "$(head -c 300 "$T/ixp.err")"
else
    for co in acme borealis cobalt; do
        "$RFX" peers "$co" --db "$T/peers.db" --json >"$T/ps.json" 2>"$T/ps.err"; a=$?
        "$RFX" peers "$co" --db "$PP" --json >"$T/pp.json" 2>"$T/pp.err"; b=$?
        if [ $a -ne 0 ] || [ $b -ne 0 ]; then notok "peers $co --db: both backends answer" "exit $a/$b: $(head -c 200 "$T/pp.err")"; continue; fi
        if out=$(python3 "$T/cmp.py" json "$T/ps.json" "$T/pp.json" 2>&1); then ok "peers $co --db: the same answer on both backends ($out)"
        else notok "peers $co --db: the same answer on both backends" "$out"; fi
        cp "$T/pp.json" "$T/pp.$co.json"
    done
    # and the same as reading the documents themselves
    "$RFX" peers acme --in "$F" --json 2>/dev/null | python3 -c '
import json,sys
a=json.load(sys.stdin); b=json.load(open(sys.argv[1]))
k=lambda d: [[p["company"] for p in d["peers"]], d["unique"], d["risks"][1]["shared_text"]["companies"], len(d["gaps"])]
assert k(a)==k(b), (k(a),k(b))' "$T/pp.acme.json" 2>"$T/py" && ok "peers acme on PostgreSQL: the same comparison as --in" \
        || notok "peers acme on PostgreSQL: the same comparison as --in" "$(tail -c 300 "$T/py")"
    PGPASSWORD=nope "$RFX" peers acme --db "$PP" >"$T/bad.out" 2>"$T/bad.err"; rc=$?
    [ "$rc" -eq 3 ] && ! grep -q nope "$T/bad.out" "$T/bad.err" \
        && ok "peers with a wrong PGPASSWORD: exit 3, no password" || notok "peers with a wrong PGPASSWORD: exit 3, no password" "exit $rc: $(cat "$T/bad.err")"
    unset PGPASSWORD
    "$RFX" peers acme --db "$(echo "$PPW" | sed "s|:$PGC_PASSWORD@|:wrong${PGC_PASSWORD}x@|")" >"$T/bad.out" 2>"$T/bad.err"; rc=$?
    [ "$rc" -eq 3 ] && ! grep -qF "$PGC_PASSWORD" "$T/bad.out" "$T/bad.err" \
        && ok "peers with a wrong password: exit 3, no password" || notok "peers with a wrong password: exit 3, no password" "exit $rc: $(cat "$T/bad.err")"
fi
echo "1..$n"
