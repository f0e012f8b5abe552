# serve_browser.sh — rfx serve in a real browser: Debian chromium driven by
# puppeteer-core (tests/browser/walk.js, installed by `make deps` with npm ci).
# Walks search -> filing -> diff -> company -> landscape over a corpus of our
# own documents (plus Apple, AMD and AbbVie 10-Ks when ../shared is there),
# renders a hostile filing, and saves screenshots under build/browser/.
# walk.js prints the TAP.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/serve_data/lib.sh"
T=$(mktemp -d)
SPID=""
trap 'serve_stop >/dev/null 2>&1; rm -rf "$T"' EXIT

if [ ! -x "$RFX" ]; then skip "browser" "no rfx binary at $RFX"; exit 0; fi
if ! command -v node >/dev/null 2>&1; then skip "browser" "node is not installed"; exit 0; fi
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then skip "browser" "no chromium at $CHROMIUM"; exit 0; fi
if [ ! -d "$RFX_ROOT/tests/browser/node_modules/puppeteer-core" ]; then
    skip "browser" "puppeteer-core is not installed (make deps runs npm ci in tests/browser)"; exit 0
fi

DB="$T/corpus.db"
serve_index "$DB" || { notok "index the test documents" "$(head -c 300 "$DB.err")"; exit 0; }
QUERY=zirconium
F="$SHARED/data/filings"
if have_shared && [ -d "$F/AAPL" ]; then
    "$RFX" index --db "$DB" --fast -q --tickers "$F/SOURCES.tsv" "$F/AAPL" $(ls "$F"/AMD/*.htm* "$F"/ABBV/*.html 2>/dev/null) \
        >/dev/null 2>"$T/idx.err" || { notok "index the shared 10-Ks" "$(head -c 300 "$T/idx.err")"; exit 0; }
    QUERY=smartphone
fi
HOSTILE=$("$RFX" search --db "$DB" quokka --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["filing_id"])' 2>/dev/null)
serve_start "$T/s" --db "$DB" --rate 0 || { notok "server starts" "$(cat "$T/s.err")"; exit 0; }
mkdir -p "$RFX_ROOT/build/browser"
RFX_URL="http://127.0.0.1:$PORT" RFX_QUERY="$QUERY" RFX_HOSTILE="$HOSTILE" RFX_SHOTS="$RFX_ROOT/build/browser" \
    CHROMIUM="$CHROMIUM" NODE_PATH="$RFX_ROOT/tests/browser/node_modules" \
    timeout 180 node "$RFX_ROOT/tests/browser/walk.js" 2>"$T/node.err"
rc=$?
[ $rc -eq 0 ] || { echo "# node exited $rc"; sed 's/^/# /' "$T/node.err" | grep -v -i dbus | head -20; }
exit $rc
