#!/bin/sh
# run.sh — `make bench-pdf`: pages per second of rfx on PDFs made here, and
# the share of time per stage (bench/pdf/pdf_bench.c), written to
# bench/pdf/RESULTS.md with the machine.
#   bench/pdf/run.sh [BUILD/rfx]     env: REPS (5, text PDFs), OCR_REPS (1), PDF_BENCH
# Inputs (made in a temp dir, never committed):
#   seed.pdf   the reference document, enscript + ps2pdf, 9 pages
#   gme.pdf    GameStop's FY2023 10-K printed by chromium (when chromium is there)
#   scan.pdf   pages 1-3 of seed.pdf at 200 dpi, noise, rotated, no text layer (OCR)
# Tesseract runs with OMP_THREAD_LIMIT=1: one core per page, the way batch
# mode would spread documents over cores.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${PDF_BENCH:-$ROOT/build/bench/pdf_bench}
SHARED=${RFX_SHARED:-$ROOT/../shared}
SEED=$SHARED/data/seed/000_f79ab47b85062882.txt
REPS=${REPS:-5}
OCR_REPS=${OCR_REPS:-1}
OUT=${RESULTS:-$ROOT/bench/pdf/RESULTS.md}
[ -x "$B" ] || { echo "bench-pdf: $B not built (make bench-pdf)"; exit 2; }
[ -f "$SEED" ] || { echo "bench-pdf: no $SEED; skipping"; exit 0; }
for t in enscript ps2pdf pdftoppm convert python3; do
    command -v $t >/dev/null || { echo "bench-pdf: $t missing; skipping"; exit 0; }
done
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export OMP_THREAD_LIMIT=1
iconv -f utf-8 -t latin1//TRANSLIT "$SEED" >"$W/seed.l1"
enscript -q -B -f Courier10 --word-wrap -p "$W/seed.ps" "$W/seed.l1" && ps2pdf "$W/seed.ps" "$W/seed.pdf"
files="$W/seed.pdf"
G=$SHARED/data/filings/single10k/GME_10-K_0001326380-24-000012.html
if command -v chromium >/dev/null && [ -f "$G" ]; then
    timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$W/chr" --no-pdf-header-footer \
        --print-to-pdf="$W/gme.pdf" "file://$G" >/dev/null 2>&1 && files="$files $W/gme.pdf"
fi
pdftoppm -r 200 -f 1 -l 3 -gray "$W/seed.pdf" "$W/pg"
k=0; for f in "$W"/pg-*.pgm; do
    k=$((k + 1)); convert "$f" -seed 7 -rotate 0.6 -background white -flatten -attenuate 0.3 +noise Gaussian -quality 85 "$W/s$k.jpg"
done
python3 "$ROOT/tests/e2e/jpeg2pdf.py" "$W/scan.pdf" 200 "$W"/s*.jpg

"$B" "$REPS" $files >"$W/text.out" || exit 1
"$B" "$OCR_REPS" "$W/scan.pdf" >"$W/ocr.out" || exit 1
{
    echo "# PDF input: pages per second and time per stage"
    echo
    echo "Made by \`make bench-pdf\` (bench/pdf/run.sh) on $(date -u +%Y-%m-%d)."
    echo "Machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1);"
    echo "poppler $(pkg-config --modversion poppler-glib), Tesseract $(pkg-config --modversion tesseract)."
    echo "Times are CPU seconds of the parsing thread (the machine is shared with other builds;"
    echo "Tesseract is held to that thread by OMP_THREAD_LIMIT=1), so pages/s is per core."
    echo "Text PDFs: median of $REPS parses; OCR: median of $OCR_REPS (Tesseract, 300 dpi)."
    echo
    echo "| file | pages | OCR pages | seconds | pages/s |"
    echo "|---|---|---|---|---|"
    cat "$W/text.out" "$W/ocr.out" | awk '$2 == "pages" { printf "| %s | %s | %s | %s | %s |\n", $1, $3, $5, $7, $9 }'
    echo
    echo "Share of the time per stage (median seconds, % of the parse):"
    echo
    printf '| stage |'; cat "$W/text.out" "$W/ocr.out" | awk '$2 == "pages" { printf " %s |", $1 }'; echo
    printf '|---|'; cat "$W/text.out" "$W/ocr.out" | awk '$2 == "pages" { printf "---|" }'; echo
    for s in open text render ocr build locate segment extract classify measure json; do
        printf '| %s |' "$s"
        cat "$W/text.out" "$W/ocr.out" | awk -v s="$s" '$2 == "stage" && $3 == s { printf " %s s (%s) |", $4, $5 }'
        echo
    done
} >"$OUT"
cat "$OUT"
