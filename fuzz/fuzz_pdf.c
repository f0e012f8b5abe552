/*
 * fuzz_pdf.c — libFuzzer target: arbitrary bytes parsed as PDF (format
 * forced), through poppler's text layer into blocks and the whole pipeline.
 * OCR is off and the page count small, so each input stays bounded in time
 * (rendering and Tesseract are the library's own code, not rfx's).
 *
 * Invariants (a violation traps): OK/ENOTFOUND return a register, other
 * statuses none and a message; every risk span lies inside the extracted
 * text that offsets index (rfx_source_text), in order; every renderer
 * returns output.
 */
#include "rfx.h"

#include <stdint.h>
#include <stdlib.h>

#define FUZZ_CHECK(c) \
    do { if (!(c)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rfx_options o;
    rfx_options_init(&o);
    o.format = "pdf";
    o.ocr = -1;
    o.max_pages = 8;
    o.max_memory_bytes = (size_t)256 << 20;
    rfx_register *r = NULL;
    rfx_error e;
    rfx_status st = rfx_parse_memory(data, size, "fuzz.pdf", &o, &r, &e);
    FUZZ_CHECK((st == RFX_OK || st == RFX_ENOTFOUND) == (r != NULL));
    if (!r) {
        FUZZ_CHECK(e.code == (int)st && e.message[0]);
        return 0;
    }
    size_t tl = 0;
    const char *t = rfx_source_text(r, &tl);
    FUZZ_CHECK(t != NULL);
    size_t prev = 0;
    for (size_t i = 0; i < rfx_risk_count(r); i++) {
        size_t a = rfx_risk_start(r, i), b = rfx_risk_end(r, i);
        FUZZ_CHECK(a <= b && b <= tl);
        FUZZ_CHECK(a >= prev);
        prev = a;
    }
    char *s = rfx_register_json(r, RFX_RENDER_PRETTY);
    FUZZ_CHECK(s);
    free(s);
    s = rfx_register_text(r, 0);
    FUZZ_CHECK(s);
    free(s);
    s = rfx_register_blocks(r, 0);
    FUZZ_CHECK(s);
    free(s);
    rfx_register_free(r);
    return 0;
}
