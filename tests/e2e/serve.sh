# serve.sh — rfx serve over a small corpus of our own documents (and shared
# filings when present): API statuses and JSON shapes, escaping and security
# headers, abuse (path traversal, oversized and malformed requests, slow and
# many clients, methods, rate), tokens both ways, TLS, SIGTERM.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/serve_data/lib.sh"
T=$(mktemp -d)
SPID=""
trap 'serve_stop >/dev/null 2>&1; rm -rf "$T"' EXIT

if [ ! -x "$RFX" ]; then skip "rfx serve" "no rfx binary at $RFX"; exit 0; fi
for tool in curl python3; do
    if ! command -v $tool >/dev/null 2>&1; then skip "rfx serve" "$tool is not installed"; exit 0; fi
done

DB="$T/corpus.db"
if ! serve_index "$DB"; then notok "index the test documents" "$(head -c 300 "$DB.err")"; exit 0; fi
ok "index the test documents"

expect_exit "serve: unknown option is a usage error" 2 "$RFX" serve --db "$DB" --frobnicate
expect_exit "serve: a missing database is bad input" 3 "$RFX" serve --db "$T/none.db" --listen 127.0.0.1:0
expect_exit "serve: a non-loopback address without tokens is refused" 2 "$RFX" serve --db "$DB" --listen 0.0.0.0:0
expect_exit "serve: a malformed address is a usage error" 2 "$RFX" serve --db "$DB" --listen localhost
expect_exit "serve: --tls-cert without --tls-key is a usage error" 2 "$RFX" serve --db "$DB" --listen 127.0.0.1:0 --tls-cert /dev/null

if ! serve_start "$T/s1" --db "$DB" --rate 0; then
    notok "server starts on an ephemeral port" "$(cat "$T/s1.err")"; exit 0
fi
ok "server starts on an ephemeral port ($PORT)"
U="http://127.0.0.1:$PORT"

# get PATH [curl args]: prints the status; the body is in $T/body, headers in $T/hdr
get() {
    p=$1; shift
    curl -s --path-as-is -m 10 -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@" "$U$p"
}
status_is() { # status_is NAME WANT PATH [curl args]
    name=$1; want=$2; shift 2
    got=$(get "$@")
    if [ "$got" = "$want" ]; then ok "$name"; else notok "$name" "status $got, wanted $want: $(head -c 200 "$T/body")"; fi
}
json_check() { # json_check NAME PYTHON-EXPR-ON-d (the body is d)
    name=$1; expr=$2
    if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert ($expr), d" "$T/body" >"$T/py" 2>&1; then ok "$name"
    else notok "$name" "$(tail -c 300 "$T/py")"; fi
}

# ---- the API ----
status_is "GET /api/ lists the endpoints" 200 /api/
json_check "/api/ names /api/search" '"/api/search" in d["endpoints"]'
status_is "search finds a rare word" 200 "/api/search?q=zirconium"
json_check "search hits have ids, heading and a marked snippet" \
    'd["hits"] and all(k in d["hits"][0] for k in ("risk_id","filing_id","heading","snippet")) and "\ue000" in json.dumps(d["hits"][0]["snippet"], ensure_ascii=False)'
"$RFX" search --db "$DB" zirconium --json >"$T/cli.json" 2>/dev/null
python3 -c "
import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
assert [h['risk_id'] for h in a['hits']]==[h['risk_id'] for h in b['hits']], (a,b)" "$T/body" "$T/cli.json" >"$T/py" 2>&1 \
    && ok "search: the API and rfx search --json find the same risks" || notok "search: the API and rfx search --json find the same risks" "$(tail -c 300 "$T/py")"
status_is "search filters: company + year" 200 "/api/search?q=zirconium&company=acme&year=2022"
json_check "year filter keeps 2022 only" 'd["hits"] and all(h["fiscal_year"]==2022 for h in d["hits"])'
status_is "search paging: limit=1" 200 "/api/search?q=zirconium&limit=1"
json_check "limit=1 gives one hit" 'len(d["hits"])==1'
status_is "a malformed query is 400" 400 '/api/search?q=%22unbalanced'
json_check "errors are JSON with status and message" 'd["error"]["status"]==400 and d["error"]["message"]'
status_is "limit over 100 is 400" 400 "/api/search?q=x&limit=1000"
status_is "a non-numeric year is 400" 400 "/api/search?q=x&year=20x1"
status_is "an unknown parameter is 400" 400 "/api/search?q=x&colour=red"
status_is "a parameter given twice is 400" 400 "/api/search?q=x&q=y"
status_is "invalid UTF-8 in a parameter is 400" 400 "/api/search?q=%ff%fe"
status_is "a control character in a parameter is 400" 400 "/api/search?q=a%01b"
status_is "an overlong parameter is 400" 400 "/api/search?q=$(python3 -c 'print("a"*1500)')"
status_is "a stray percent sign is handled" 400 "/api/search?q=%zz%&limit=%"
status_is "filings list" 200 "/api/filings"
json_check "filings: three filings with ids" 'len(d["filings"])==3'
ids=$(python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
by={}
for f in d["filings"]: by[(f.get("company") or "")[:4]+str(f.get("fiscal_year"))]=f["filing_id"]
print(by["ACME2021"], by["ACME2022"], by["EVIL2022"])' "$T/body" 2>/dev/null)
set -- $ids
A21=$1; A22=$2; EVIL=$3
if [ -z "$EVIL" ]; then notok "filing ids by company and year" "$(head -c 300 "$T/body")"; fi
status_is "one filing's register" 200 "/api/filings/$A22"
json_check "the register has its risks, groups and categories" \
    'len(d["register"]["risks"])==3 and d["register"]["risks"][0]["group"] and "categories" in d["register"]["risks"][0]'
status_is "an unknown filing is 404" 404 "/api/filings/999999"
status_is "a filing id that is not a number is 404" 404 "/api/filings/1abc"
status_is "a huge filing id is 404" 404 "/api/filings/99999999999999999999999"
status_is "filings list by company" 200 "/api/filings?company=acme"
json_check "two Acme filings" 'len(d["filings"])==2'
rid=$(python3 -c 'import json; d=json.load(open("'"$T"'/cli.json")); print(d["hits"][0]["risk_id"])' 2>/dev/null)
status_is "one risk with its lineage" 200 "/api/risks/$rid"
json_check "risk has a lineage list" 'isinstance(d["lineage"], list) and d["lineage"]'
status_is "an unknown risk is 404" 404 "/api/risks/987654"
status_is "diff against the previous filing" 200 "/api/diff?new=$A22"
"$RFX" diff "$RFX_ROOT/tests/e2e/serve_data/acme2021.txt" "$RFX_ROOT/tests/e2e/serve_data/acme2022.txt" --json >"$T/diff.json" 2>/dev/null
python3 -c "
import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
assert a['old_filing']['filing_id']==int(sys.argv[3]), a['old_filing']
assert a['counts']==b['counts'], (a['counts'], b['counts'])
assert a['similarity']==b['similarity']
assert [p['status'] for p in a['pairs']]==[p['status'] for p in b['pairs']]" "$T/body" "$T/diff.json" "$A21" >"$T/py" 2>&1 \
    && ok "diff: the previous filing by default, same counts and pairs as rfx diff" || notok "diff: the previous filing by default, same counts and pairs as rfx diff" "$(tail -c 300 "$T/py")"
status_is "diff of any two filings (old given)" 200 "/api/diff?new=$A21&old=$A22"
status_is "diff of the first filing has no predecessor: 404" 404 "/api/diff?new=$A21"
status_is "diff without new= is 400" 400 "/api/diff"
status_is "diff of an unknown filing is 404" 404 "/api/diff?new=424242"
status_is "company history" 200 "/api/companies/acme/history"
status_is "company timeline" 200 "/api/companies/0000999999/timeline"
json_check "timeline: two years with categories, added and removed" \
    '[y["year"] for y in d["years"]]==[2021,2022] and all(sum(y["categories"].values())==y["total"]==3 for y in d["years"])'
status_is "an unknown company is 404" 404 "/api/companies/nosuchcompanyxyz/history"
status_is "an unknown endpoint is 404" 404 "/api/nothing"
status_is "stats by category" 200 "/api/stats?by=category"
status_is "stats by something else is 400" 400 "/api/stats?by=colour"

# ---- an index running beside the server: the cache notices the change ----
status_is "before: no risk mentions yttrium" 200 "/api/search?q=yttrium"
json_check "before: zero hits (and this answer is now cached)" 'd["hits"]==[]'
sed -e 's/2022/2023/g; s/-23-000001/-24-000001/; s/zirconium/yttrium/g' \
    "$RFX_ROOT/tests/e2e/serve_data/acme2022.txt" >"$T/acme2023.txt"
if "$RFX" index --db "$DB" "$T/acme2023.txt" >/dev/null 2>"$T/idx.err"; then
    status_is "after indexing a 2023 filing beside the server" 200 "/api/search?q=yttrium"
    json_check "after: the new filing's risks are found (the cache was dropped)" 'len(d["hits"])>0 and d["hits"][0]["fiscal_year"]==2023'
else notok "index a filing while the server runs" "$(head -c 300 "$T/idx.err")"; fi

# ---- escaping and headers ----
status_is "the hostile filing is served" 200 "/api/filings/$EVIL"
if grep -qi '^content-type: application/json' "$T/hdr" && grep -qi '^x-content-type-options: nosniff' "$T/hdr"; then
    ok "API answers are JSON with nosniff"; else notok "API answers are JSON with nosniff" "$(cat "$T/hdr")"; fi
json_check "hostile markup survives as text in the JSON" '"<script>" in d["register"]["risks"][0]["heading"]'
status_is "the start page" 200 /
if grep -qi "^content-security-policy: default-src 'none'; script-src 'self'" "$T/hdr" && ! grep -qi 'unsafe-inline' "$T/hdr"; then
    ok "CSP allows only the server's own script"; else notok "CSP allows only the server's own script" "$(grep -i content-security "$T/hdr")"; fi
if grep -q '<input type="search"' "$T/body" || grep -q 'src="/app.js"' "$T/body"; then ok "the start page loads app.js"; else notok "the start page loads app.js"; fi
if ! grep -qi '<script>[^<]' "$T/body" && ! grep -q ' on[a-z]*=' "$T/body"; then ok "no inline script or handlers in the page"; else notok "no inline script or handlers in the page"; fi
if ! grep -q 'innerHTML\|outerHTML\|insertAdjacentHTML\|document.write' "$RFX_ROOT/web/app.js"; then
    ok "app.js never parses strings as HTML"; else notok "app.js never parses strings as HTML"; fi

# ---- abuse ----
for p in "/../../../../etc/passwd" "/%2e%2e/%2e%2e/etc/passwd" "/app.js/../../../etc/passwd" "/..%2f..%2fetc%2fpasswd" \
         "//etc/passwd" "/web/app.js" "/index.html%00.js" "/.git/config" "/src/serve/server.c"; do
    got=$(get "$p")
    if [ "$got" = 404 ] && ! grep -q 'root:' "$T/body"; then ok "path traversal refused: $p"
    else notok "path traversal refused: $p" "status $got"; fi
done
for m in POST PUT DELETE PATCH OPTIONS TRACE; do
    got=$(get /api/ -X $m)
    if [ "$got" = 405 ] && grep -qi '^allow: GET, HEAD' "$T/hdr"; then ok "$m is 405 with Allow"; else notok "$m is 405 with Allow" "status $got"; fi
done
got=$(curl -s -m 10 --head -o /dev/null -w '%{http_code} %{size_download}' "$U/api/")
[ "$got" = "200 0" ] && ok "HEAD answers without a body" || notok "HEAD answers without a body" "got $got"
status_is "GET with a body is 413" 413 /api/ -X GET -H 'Content-Type: text/plain' --data-binary 'abcdef'
status_is "a POST declaring 100 MB is refused before any body is read" 405 /api/ -H 'Content-Length: 100000000' -X POST
big=$(python3 -c 'print("x"*40000)')
got=$(get / -H "X-Big: $big")
case $got in 431|413|400|000) ok "a 40 kB header is refused ($got)";; *) notok "a 40 kB header is refused" "status $got";; esac
got=$(get "/api/search?q=$(python3 -c 'print("a"*30000)')")
case $got in 414|431|413|400|000) ok "a 30 kB URL is refused ($got)";; *) notok "a 30 kB URL is refused" "status $got";; esac
if curl -sv -m 10 -o /dev/null -o /dev/null "$U/api/" "$U/api/filings" 2>&1 | grep -q 'Re-using existing connection'; then
    ok "keep-alive: a second request reuses the connection"; else notok "keep-alive: a second request reuses the connection"; fi
status_is "DNS rebinding: a foreign Host is refused on loopback" 403 /api/ -H "Host: evil.example:$PORT"
status_is "Host localhost is fine" 200 /api/ -H "Host: localhost:$PORT"
status_is "a control character in a company name is 400" 400 "/api/companies/a%01b/history"
status_is "invalid UTF-8 in an API path is 400" 400 "/api/filings/%8bzz"
json_check "its error body is valid JSON" 'd["error"]["status"]==400' 
status_is "the server still answers after the abuse" 200 /api/
serve_stop; rc=$?
[ $rc -eq 0 ] && ok "SIGTERM stops the server cleanly (exit 0)" || notok "SIGTERM stops the server cleanly" "exit $rc: $(tail -3 "$T/s1.err")"

# slow and many clients: a server with short timeouts and a small per-address limit
if serve_start "$T/s2" --db "$DB" --timeout 2 --request-timeout 3 --max-per-ip 4 --rate 0; then
    python3 - "$PORT" >"$T/slow" 2>&1 <<'PY'
import socket, sys, time
port = int(sys.argv[1])
# slowloris: a header byte every 0.5 s never finishes the request
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
t0 = time.time(); closed = None
while time.time() - t0 < 10:
    try:
        s.sendall(b"X")
        s.settimeout(0.5)
        if s.recv(1024) == b"": closed = time.time() - t0; break
    except socket.timeout:
        continue
    except OSError:
        closed = time.time() - t0; break
print("slowloris_closed_after", closed)
# a silent client is closed by the idle timeout
s = socket.create_connection(("127.0.0.1", port)); s.settimeout(6)
t0 = time.time()
try: r = s.recv(1); idle = time.time() - t0 if r == b"" else None
except OSError: idle = time.time() - t0
print("idle_closed_after", idle)
# many connections from one address: at most 4 are served at once
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(12)]
served = 0
for c in socks:
    try:
        c.settimeout(2); c.sendall(b"GET /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        if c.recv(12).startswith(b"HTTP/1.1 200"): served += 1
    except OSError: pass
print("served_of_12", served)
for c in socks: c.close()
time.sleep(0.3)
c = socket.create_connection(("127.0.0.1", port)); c.settimeout(3)
c.sendall(b"GET /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
print("after", c.recv(12).decode(errors="replace"))
# a malformed request line
c = socket.create_connection(("127.0.0.1", port)); c.settimeout(3)
c.sendall(b"GET /api/ HTTP/1.1 extra\r\n\r\n")
print("malformed", c.recv(12).decode(errors="replace"))
PY
    v=$(sed -n 's/^slowloris_closed_after //p' "$T/slow")
    python3 -c "import sys; v=sys.argv[1]; assert v!='None' and float(v) < 6" "$v" 2>/dev/null \
        && ok "a slowloris client is cut off by the request deadline (${v}s)" || notok "a slowloris client is cut off" "$(cat "$T/slow")"
    v=$(sed -n 's/^idle_closed_after //p' "$T/slow")
    python3 -c "import sys; v=sys.argv[1]; assert v!='None' and float(v) < 5" "$v" 2>/dev/null \
        && ok "a silent client is closed by the idle timeout (${v}s)" || notok "a silent client is closed by the idle timeout" "$(cat "$T/slow")"
    v=$(sed -n 's/^served_of_12 //p' "$T/slow")
    [ -n "$v" ] && [ "$v" -le 4 ] && [ "$v" -ge 1 ] && ok "12 connections from one address: $v served (limit 4)" || notok "per-address connection limit" "$(cat "$T/slow")"
    grep -q '^after HTTP/1.1 200' "$T/slow" && ok "the server answers again once they close" || notok "the server answers again once they close" "$(cat "$T/slow")"
    grep -q '^malformed HTTP/1.1 400' "$T/slow" && ok "a malformed request line is 400" || notok "a malformed request line is 400" "$(cat "$T/slow")"
    serve_stop
else notok "server with short timeouts starts" "$(cat "$T/s2.err")"; fi

# rate limit: 5 a second (burst 10) -> 429 with Retry-After
if serve_start "$T/s3" --db "$DB" --rate 5; then
    # 30 requests on one keep-alive connection, as fast as they go
    python3 - "$PORT" >"$T/rate" 2>&1 <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
codes, retry = [], set()
for i in range(30):
    c.request("GET", "/api/")
    r = c.getresponse(); r.read()
    codes.append(r.status)
    if r.status == 429: retry.add(r.getheader("Retry-After"))
print("ok", codes.count(200), "limited", codes.count(429), "retry", ",".join(sorted(x or "none" for x in retry)))
PY
    n200=$(awk '{print $2}' "$T/rate"); n429=$(awk '{print $4}' "$T/rate")
    [ -n "$n429" ] && [ "$n429" -gt 0 ] && [ "$n200" -ge 8 ] && ok "rate limit: $n200 answered, $n429 refused with 429" || notok "rate limit gives 429" "$(cat "$T/rate")"
    grep -q 'retry 1$' "$T/rate" && ok "429 carries Retry-After: 1" || notok "429 carries Retry-After" "$(cat "$T/rate")"
    serve_stop
else notok "server with a rate limit starts" "$(cat "$T/s3.err")"; fi

# ---- tokens ----
printf '# rfx serve tokens\nraw-token-0123456789abcdef\n' >"$T/tokens"
echo "hashed-token-0123456789abcdef" | "$RFX" serve --hash-token >>"$T/tokens"
grep -q '^sha256:[0-9a-f]\{64\}$' "$T/tokens" && ok "--hash-token prints a sha256: line" || notok "--hash-token prints a sha256: line" "$(cat "$T/tokens")"
printf 'short\n' >"$T/badtokens"
expect_exit "a token shorter than 16 characters is refused" 3 "$RFX" serve --db "$DB" --listen 127.0.0.1:0 --token-file "$T/badtokens"
if serve_start "$T/s4" --db "$DB" --token-file "$T/tokens"; then
    U="http://127.0.0.1:$PORT"
    status_is "tokens: no token is 401" 401 /api/
    grep -qi '^www-authenticate: Bearer' "$T/hdr" && ok "401 asks for a bearer token" || notok "401 asks for a bearer token"
    status_is "tokens: a wrong token is 401" 401 /api/ -H "Authorization: Bearer raw-token-0123456789abcdeX"
    status_is "tokens: a raw token from the file is accepted" 200 "/api/search?q=zirconium" -H "Authorization: Bearer raw-token-0123456789abcdef"
    status_is "tokens: a token stored hashed is accepted" 200 /api/ -H "Authorization: Bearer hashed-token-0123456789abcdef"
    status_is "tokens: the hash itself is not a token" 401 /api/ -H "Authorization: Bearer $(sed -n 's/^sha256://p' "$T/tokens")"
    status_is "tokens: the page itself needs none (it asks for one)" 200 /
    serve_stop
else notok "server with tokens starts" "$(cat "$T/s4.err")"; fi

# ---- TLS with a self-signed certificate made now ----
if command -v openssl >/dev/null 2>&1 &&
   openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 \
       -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1; then
    if serve_start "$T/s5" --db "$DB" --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"; then
        grep -q "listening on https://" "$T/s5.out" && ok "TLS: the server says https" || notok "TLS: the server says https"
        got=$(curl -s -m 10 --cacert "$T/cert.pem" -o "$T/body" -w '%{http_code}' "https://127.0.0.1:$PORT/api/search?q=zirconium")
        [ "$got" = 200 ] && grep -q '"hits"' "$T/body" && ok "TLS: search over HTTPS with the certificate" || notok "TLS: search over HTTPS" "status $got"
        got=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "https://127.0.0.1:$PORT/api/")
        [ "$got" = 000 ] && ok "TLS: an unknown certificate is not trusted by the client" || notok "TLS: untrusted cert" "status $got"
        got=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/")
        [ "$got" != 200 ] && ok "TLS: plain HTTP to the TLS port gets no answer ($got)" || notok "TLS: plain HTTP refused" "status $got"
        serve_stop
    else notok "TLS server starts" "$(cat "$T/s5.err")"; fi
    printf 'not a key\n' >"$T/badkey.pem"
    expect_exit "TLS: a bad key is bad input" 3 "$RFX" serve --db "$DB" --listen 127.0.0.1:0 --tls-cert "$T/cert.pem" --tls-key "$T/badkey.pem"
else skip "TLS" "openssl cannot make a certificate here"; fi

# ---- shared filings: the same search through the API and the CLI ----
if have_shared && [ -d "$SHARED/data/filings/isb_capstone_item1a/NVDA" ]; then
    SDB="$T/shared.db"
    if "$RFX" index --db "$SDB" "$SHARED"/data/filings/isb_capstone_item1a/NVDA/*_item1a.html >/dev/null 2>"$T/idx.err" &&
       serve_start "$T/s6" --db "$SDB" --rate 0; then
        U="http://127.0.0.1:$PORT"
        status_is "shared NVDA filings: search" 200 "/api/search?q=gaming&limit=50"
        "$RFX" search --db "$SDB" gaming --limit 50 --json >"$T/cli.json" 2>/dev/null
        python3 -c "
import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
assert a['hits'] and [h['risk_id'] for h in a['hits']]==[h['risk_id'] for h in b['hits']]" "$T/body" "$T/cli.json" >"$T/py" 2>&1 \
            && ok "shared NVDA filings: API and CLI agree" || notok "shared NVDA filings: API and CLI agree" "$(tail -c 300 "$T/py")"
        status_is "shared NVDA filings: list" 200 "/api/filings"
        json_check "four NVDA filings" 'len(d["filings"])==4'
        serve_stop
    else notok "index and serve the NVDA filings" "$(head -c 300 "$T/idx.err") $(cat "$T/s6.err" 2>/dev/null)"; fi
else skip "shared filings" "no shared data at $SHARED"; fi

# the manual page renders without warnings
if command -v groff >/dev/null 2>&1; then
    w=$(groff -ww -man -Tutf8 "$RFX_ROOT/man/rfx-serve.1" 2>&1 >/dev/null)
    [ -z "$w" ] && ok "man/rfx-serve.1 renders without groff warnings" || notok "man/rfx-serve.1 renders without groff warnings" "$w"
else skip "man page" "groff is not installed"; fi
