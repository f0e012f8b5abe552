#!/bin/sh
# pdf.sh — `rfx parse report.pdf` on PDFs made here from the reference
# document and a shared 10-K: a text PDF (enscript + ps2pdf), the same with
# running heads and page numbers, two columns (chromium, CSS columns), an
# HTML 10-K printed by chromium, and a scanned-like PDF (pages rendered at
# 200 dpi, noise, a slight rotation, wrapped back without a text layer) read
# by OCR. Checks: the risk headings equal the source's, amounts survive,
# offsets index the extracted text (--source-text), page + bbox point at the
# right words (pdftotext -x -y -W -H on the box), encrypted and damaged PDFs
# exit 3, batch and diff take PDFs. Skips what lacks its tool or ../shared.
. "$(dirname "$0")/tap.sh"
SEED="$SHARED/data/seed/000_f79ab47b85062882.txt"
if [ ! -x "$RFX" ] || ! command -v jq >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
    skip "PDF input" "no rfx binary, jq or pdftotext (poppler-utils)"
    exit 0
fi
if [ ! -f "$SEED" ] || ! command -v enscript >/dev/null 2>&1 || ! command -v ps2pdf >/dev/null 2>&1; then
    skip "PDF input" "no $SEED, enscript or ps2pdf"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMP_THREAD_LIMIT=1 # Tesseract: one thread per page, as the tests run beside others

# the reference document as a text PDF; Latin-1 for enscript (¥ and · exist there)
iconv -f utf-8 -t latin1//TRANSLIT "$SEED" >"$tmp/seed.l1" 2>/dev/null
enscript -q -B -f Courier10 --word-wrap -p "$tmp/seed.ps" "$tmp/seed.l1" && ps2pdf "$tmp/seed.ps" "$tmp/seed.pdf"
"$RFX" parse "$SEED" --no-classify >"$tmp/src.json"
"$RFX" parse "$tmp/seed.pdf" --no-classify >"$tmp/pdf.json"
jq -r '.risks[].heading' "$tmp/src.json" >"$tmp/h_src"
jq -r '.risks[].heading' "$tmp/pdf.json" >"$tmp/h_pdf"
nh=$(wc -l <"$tmp/h_src")
if [ "$nh" -eq 19 ] && cmp -s "$tmp/h_src" "$tmp/h_pdf"; then ok "text PDF: the 19 headings of the reference document"
else notok "text PDF: headings differ from the source ($nh in the source)" "$(diff "$tmp/h_src" "$tmp/h_pdf" | head -c 400)"; fi
if [ "$(jq -r '.source.format + " " + .source.offsets' "$tmp/pdf.json")" = "pdf extracted-text" ]; then ok "source says format pdf, offsets index the extracted text"
else notok "source.format/offsets" "$(jq -c .source "$tmp/pdf.json")"; fi

# amounts survive: the money facts (text and value) are the same
jq -c '[.risks[].facts[] | select(.kind == "money") | [.text, .value, .currency]]' "$tmp/src.json" >"$tmp/m_src"
jq -c '[.risks[].facts[] | select(.kind == "money") | [.text, .value, .currency]]' "$tmp/pdf.json" >"$tmp/m_pdf"
nm=$(jq length "$tmp/m_src")
if [ "$nm" -gt 10 ] && cmp -s "$tmp/m_src" "$tmp/m_pdf"; then ok "text PDF: all $nm amounts survive with their values"
else notok "text PDF: amounts differ ($nm in the source)" "$(diff "$tmp/m_src" "$tmp/m_pdf" | head -c 300)"; fi

# offsets index the extracted text: every heading and fact is found at its offsets
"$RFX" parse "$tmp/seed.pdf" --source-text --no-classify >"$tmp/seed.ex"
bad=$(python3 - "$tmp/seed.ex" "$tmp/pdf.json" <<'EOF'
import json, re, sys
t = open(sys.argv[1], 'rb').read()
j = json.load(open(sys.argv[2]))
# the text as extracted vs as normalised: whitespace, NFKC, quotes, LaTeX escapes (docs/ingest.md)
norm = lambda s: re.sub(r'\s+', ' ', s).replace('- ', '-').replace('\u2019', "'").replace('\\$', '$').strip()
bad = 0
for k in j['risks']:
    span = t[k['heading_start']:k['heading_end']].decode()
    if norm(span).replace('-', '') != norm(k['heading']).replace('-', ''): bad += 1
    for f in k['facts']:
        if norm(t[f['start']:f['end']].decode()) != norm(f['text']): bad += 1
print(bad)
EOF
)
if [ "$bad" = 0 ]; then ok "headings and facts read back from the extracted text at their offsets"
else notok "$bad spans differ from the extracted text at their offsets"; fi

# page + bbox: the text inside each heading's box (pdftotext crop) starts with the heading
bad=0; checked=0
for i in 0 3 7 12 18; do
    set -- $(jq -r ".risks[$i] | \"\(.page) \(.bbox[0]) \(.bbox[1]) \(.bbox[2]) \(.bbox[3])\"" "$tmp/pdf.json")
    p=$1; x=${2%.*}; y=${3%.*}; w=$(( ${4%.*} - x + 2 )); h=$(( ${5%.*} - y + 2 ))
    got=$(pdftotext -f "$p" -l "$p" -x "$x" -y "$y" -W "$w" -H "$h" "$tmp/seed.pdf" - | tr -s ' \n' '  ' | cut -c1-30)
    want=$(jq -r ".risks[$i].heading" "$tmp/pdf.json" | cut -c1-30)
    checked=$((checked + 1))
    [ "$got" = "$want" ] || { bad=$((bad + 1)); echo "# risk $i page $p box: '$got' vs '$want'"; }
done
if [ "$bad" -eq 0 ]; then ok "page and box of $checked headings hold their words (pdftotext crop)"
else notok "$bad of $checked heading boxes hold other words"; fi
# a fact's box holds the amount
set -- $(jq -r '[.risks[].facts[] | select(.kind == "money")][0] | "\(.page) \(.bbox[0]) \(.bbox[1]) \(.bbox[2]) \(.bbox[3])"' "$tmp/pdf.json")
amt=$(jq -r '[.risks[].facts[] | select(.kind == "money")][0].text' "$tmp/pdf.json")
x=${2%.*}; y=${3%.*}; w=$(( ${4%.*} - x + 2 )); h=$(( ${5%.*} - y + 2 ))
got=$(pdftotext -f "$1" -l "$1" -x "$x" -y "$y" -W "$w" -H "$h" "$tmp/seed.pdf" - | tr -s ' \n' '  ' | sed 's/ *$//')
case "$got" in *"${amt#¥}"*) ok "the first amount's box holds '$amt' (page $1)";; *) notok "amount box" "'$got' vs '$amt'";; esac

# running heads and page numbers (enscript's header) are page furniture
enscript -q -f Courier10 --word-wrap -p "$tmp/hdr.ps" "$tmp/seed.l1" && ps2pdf "$tmp/hdr.ps" "$tmp/hdr.pdf"
"$RFX" parse "$tmp/hdr.pdf" --no-classify >"$tmp/hdr.json"
nfurn=$("$RFX" parse "$tmp/hdr.pdf" --blocks | grep -c 'PGHDR\|PGNUM')
pages=$(jq .source.pages "$tmp/hdr.json")
if jq -r '.risks[].heading' "$tmp/hdr.json" | cmp -s - "$tmp/h_src" && [ "$nfurn" -ge "$pages" ] &&
   ! jq -r '.risks[].body' "$tmp/hdr.json" | grep -q 'seed.l1'; then
    ok "running heads: $nfurn furniture blocks on $pages pages, none in a body, 19 headings"
else notok "running heads" "furniture $nfurn on $pages pages"; fi

# two columns (chromium, CSS columns): reading order across columns
if command -v chromium >/dev/null 2>&1; then
    python3 - "$SEED" "$tmp/two.html" <<'EOF'
import html, sys
t = open(sys.argv[1], encoding='utf-8').read()
ps = [p.strip() for p in t.split('\n\n') if p.strip()]
with open(sys.argv[2], 'w') as f:
    f.write('<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{font:10pt serif;column-count:2;'
            'column-gap:2.5em} p{margin:0 0 .8em}</style></head><body>')
    f.write('\n'.join('<p>' + html.escape(p).replace('\n', '<br>') + '</p>' for p in ps) + '</body></html>')
EOF
    pr() { timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$tmp/chr" --no-pdf-header-footer \
        --print-to-pdf="$2" "file://$1" >/dev/null 2>&1; }
    pr "$tmp/two.html" "$tmp/two.pdf"
    "$RFX" parse "$tmp/two.pdf" --no-classify | jq -r '.risks[].heading' >"$tmp/h_two"
    if cmp -s "$tmp/h_src" "$tmp/h_two"; then ok "two-column PDF: the 19 headings, in order"
    else notok "two-column PDF: headings differ" "$(diff "$tmp/h_src" "$tmp/h_two" | head -c 400)"; fi
    # an HTML 10-K printed to PDF: the same risk headings as the HTML
    G="$SHARED/data/filings/single10k/GME_10-K_0001326380-24-000012.html"
    if [ -f "$G" ]; then
        pr "$G" "$tmp/gme.pdf"
        "$RFX" parse "$G" --no-classify | jq -r '.risks[].heading' >"$tmp/h_gme"
        "$RFX" parse "$tmp/gme.pdf" --no-classify | jq -r '.risks[].heading' >"$tmp/h_gme_pdf"
        ng=$(wc -l <"$tmp/h_gme"); same=$(comm -12 "$tmp/h_gme" "$tmp/h_gme_pdf" | wc -l)
        if [ "$ng" -gt 30 ] && cmp -s "$tmp/h_gme" "$tmp/h_gme_pdf"; then ok "GameStop 10-K printed by chromium: all $ng headings of the HTML"
        else notok "GameStop 10-K PDF: $same of $ng headings" "$(diff "$tmp/h_gme" "$tmp/h_gme_pdf" | head -c 300)"; fi
    else skip "HTML 10-K as PDF" "no $G"; fi
else
    skip "two-column PDF" "no chromium"
    skip "HTML 10-K as PDF" "no chromium"
fi

# bad input: encrypted (user password) and damaged PDFs exit 3 and say why
if command -v gs >/dev/null 2>&1; then
    gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -sOwnerPassword=o -sUserPassword=u -sOutputFile="$tmp/enc.pdf" "$tmp/seed.pdf" >/dev/null 2>&1
    "$RFX" parse "$tmp/enc.pdf" >/dev/null 2>"$tmp/err"; rc=$?
    if [ "$rc" -eq 3 ] && grep -q encrypted "$tmp/err"; then ok "encrypted PDF: exit 3, says encrypted"
    else notok "encrypted PDF: exit $rc" "$(cat "$tmp/err")"; fi
else skip "encrypted PDF" "no ghostscript"; fi
size=$(wc -c <"$tmp/seed.pdf"); worst=0
for cut in 9 200 $((size / 3)) $((size / 2)) $((size - 200)) $((size - 20)); do
    head -c "$cut" "$tmp/seed.pdf" >"$tmp/cut.pdf"
    "$RFX" parse "$tmp/cut.pdf" --no-classify >/dev/null 2>&1; rc=$?
    case $rc in 0|1|3) ;; *) worst=$rc; echo "# cut at $cut: exit $rc";; esac
done
if [ "$worst" -eq 0 ]; then ok "truncated PDFs: exit 0, 1 or 3, never a crash"; else notok "truncated PDF exit $worst"; fi
expect_exit "--format pdf on a text file: exit 3" 3 "$RFX" parse --format pdf "$SEED"

# batch mode and diff take PDFs like any other input
"$RFX" parse -j 2 --no-classify "$tmp/seed.pdf" "$SEED" >"$tmp/batch.jsonl" 2>/dev/null
if [ "$(jq -s '[.[] | .risks | length] | join(",")' "$tmp/batch.jsonl")" = '"19,19"' ]; then ok "batch: a PDF and a text file, 19 risks each"
else notok "batch with a PDF" "$(head -c 300 "$tmp/batch.jsonl")"; fi
"$RFX" diff --json --no-classify "$SEED" "$tmp/seed.pdf" >"$tmp/diff.json" 2>/dev/null
nun=$(jq '[.pairs[] | select(.status == "unchanged")] | length' "$tmp/diff.json" 2>/dev/null)
# 17 measured: two risks differ only in where a paragraph breaks
if [ "${nun:-0}" -ge 17 ]; then ok "diff text vs its PDF: $nun of 19 risks unchanged"
else notok "diff text vs PDF: ${nun:-?} unchanged"; fi

# scanned-like: pages 1-3 at 200 dpi, noise, rotated 0.7 and -0.5 degrees, no text layer
if command -v tesseract >/dev/null 2>&1 || [ -f /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || \
   [ -f /usr/share/tesseract-ocr/4.00/tessdata/eng.traineddata ]; then :; else
    skip "scanned PDF" "no Tesseract English data"; exit 0; fi
if ! command -v pdftoppm >/dev/null 2>&1 || ! command -v convert >/dev/null 2>&1; then
    skip "scanned PDF" "no pdftoppm or ImageMagick convert"; exit 0; fi
pdftoppm -r 200 -f 1 -l 3 -gray "$tmp/seed.pdf" "$tmp/pg"
k=0; for f in "$tmp"/pg-*.pgm; do
    k=$((k + 1)); rot=$( [ $((k % 2)) -eq 0 ] && echo -0.5 || echo 0.7 )
    convert "$f" -seed 7 -rotate "$rot" -background white -flatten -attenuate 0.3 +noise Gaussian -quality 85 "$tmp/scan$k.jpg"
done
python3 "$(dirname "$0")/jpeg2pdf.py" "$tmp/scan.pdf" 200 "$tmp"/scan*.jpg
# the images are 200 dpi: rendering them at 300 would only upsample
"$RFX" parse "$tmp/scan.pdf" --no-classify --ocr-dpi 200 >"$tmp/scan.json"
# the headings that start on pages 1-3 of the text PDF
jq -r '.risks[] | select(.page <= 3) | .heading' "$tmp/pdf.json" >"$tmp/h_p13"
jq -r '.risks[].heading' "$tmp/scan.json" >"$tmp/h_scan"
want=$(wc -l <"$tmp/h_p13")
got=$(python3 -c "
import sys
a=[l.strip() for l in open('$tmp/h_p13')]; b=set(l.strip() for l in open('$tmp/h_scan'))
print(sum(1 for h in a if h in b))")
echo "# scanned: $got of $want headings on pages 1-3 read exactly; $(jq .source.ocr_pages "$tmp/scan.json") pages OCR'd"
# measured (noise seeded, Debian 12's Tesseract 5.3): all of them
if [ "$(jq .source.ocr_pages "$tmp/scan.json")" -eq 3 ] && [ "$want" -ge 3 ] && [ "$got" -eq "$want" ]; then ok "scanned PDF: $got of $want headings found exactly by OCR"
else notok "scanned PDF: $got of $want headings" "$(head -c 300 "$tmp/h_scan")"; fi
# amounts on those pages survive OCR, with their values (yen signs included)
jq -c '[.risks[].facts[] | select(.kind == "money" and .page <= 3) | [.text, .value]]' "$tmp/pdf.json" >"$tmp/m13"
jq -c '[.risks[].facts[] | select(.kind == "money") | [.text, .value]]' "$tmp/scan.json" >"$tmp/m_scan"
nm=$(jq length "$tmp/m13"); same=$(jq -n --slurpfile a "$tmp/m13" --slurpfile b "$tmp/m_scan" '[$a[0][] | select(. as $x | $b[0] | index([$x]))] | length')
echo "# scanned: $same of $nm amounts on pages 1-3 read with the same text and value"
if [ "$nm" -ge 10 ] && [ "$same" -eq "$nm" ]; then ok "scanned PDF: $same of $nm amounts survive OCR"
else notok "scanned PDF: $same of $nm amounts survive OCR" "$(head -c 300 "$tmp/m_scan")"; fi
# low-confidence words come with page and box
if jq -e '[.warnings[] | select(.code == "ocr-low-confidence" and .page != null)] | length > 0' "$tmp/scan.json" >/dev/null &&
   jq -e '[.warnings[] | select(.code == "ocr")] | length == 1' "$tmp/scan.json" >/dev/null; then
    ok "OCR: low-confidence words reported with page and box; an 'ocr' warning says repairs apply"
else notok "OCR warnings" "$(jq -c '[.warnings[] | .code] | unique' "$tmp/scan.json")"; fi
# an OCR heading box points at the same words in the text PDF (same page geometry, slight rotation)
set -- $(jq -r '.risks[0] | "\(.page) \(.bbox[0]) \(.bbox[1]) \(.bbox[2]) \(.bbox[3])"' "$tmp/scan.json")
x=$(( ${2%.*} - 4 )); y=$(( ${3%.*} - 4 )); w=$(( ${4%.*} - ${2%.*} + 8 )); h=$(( ${5%.*} - ${3%.*} + 8 ))
[ "$x" -lt 0 ] && x=0; [ "$y" -lt 0 ] && y=0
got=$(pdftotext -f "$1" -l "$1" -x "$x" -y "$y" -W "$w" -H "$h" "$tmp/seed.pdf" - | tr -s ' \n' '  ' | cut -c1-20)
want=$(jq -r '.risks[0].heading' "$tmp/scan.json" | cut -c1-20)
if [ "$got" = "$want" ]; then ok "OCR heading box on page $1 holds '$want' in the text PDF"
else notok "OCR heading box" "'$got' vs '$want'"; fi
# limits on one scanned page (page 3, which states 13 yen amounts)
python3 "$(dirname "$0")/jpeg2pdf.py" "$tmp/one.pdf" 200 "$tmp/scan3.jpg"
start=$(date +%s)
"$RFX" parse "$tmp/one.pdf" --no-classify --ocr-timeout 1 >"$tmp/t1.json" 2>/dev/null
took=$(( $(date +%s) - start ))
if jq -e '[.warnings[] | select(.code == "ocr-time-limit")] | length == 1' "$tmp/t1.json" >/dev/null && [ "$took" -le 15 ]; then
    ok "--ocr-timeout 1: Tesseract stopped, warning ocr-time-limit (${took}s)"
else notok "--ocr-timeout 1 (${took}s)" "$(jq -c '[.warnings[].code]' "$tmp/t1.json" 2>/dev/null)"; fi
# page 3 alone starts mid-section (no risk-factor title, so no section: exit 1);
# with page 1 in front it is the section's third page, read as page 2 here
python3 "$(dirname "$0")/jpeg2pdf.py" "$tmp/two.pdf" 200 "$tmp/scan1.jpg" "$tmp/scan3.jpg"
"$RFX" parse "$tmp/two.pdf" --no-classify --max-pixels 2M >"$tmp/px.json" 2>/dev/null
n3=$(jq '[.risks[].facts[] | select(.kind == "money" and .page == 3)] | length' "$tmp/pdf.json")
npx=$(jq '[.risks[].facts[] | select(.kind == "money" and .page == 2)] | length' "$tmp/px.json")
if jq -e '[.warnings[] | select(.code == "ocr-pixel-limit")] | length == 2' "$tmp/px.json" >/dev/null && [ "$npx" -eq "$n3" ]; then
    ok "--max-pixels 2M: rendered at a lower dpi with a warning; $npx of $n3 amounts still read"
else notok "--max-pixels 2M: $npx of $n3 amounts" "$(jq -c '[.warnings[].code]' "$tmp/px.json" 2>/dev/null)"; fi
