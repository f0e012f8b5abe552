/*
 * fuzz_register_json.c — libFuzzer target for saved registers: the JSON that
 * `rfx diff OLD.json NEW.json` reads back is untrusted input too. Bytes →
 * rfx_register_from_json (exact length, no NUL terminator, so an over-read
 * shows) → the register diffed against itself and against a half of the
 * input read as a second register → every diff renderer → free.
 *
 * Lint runs on it too (with itself as last year's register).
 *
 * Invariant: a register diffed against itself has no added or removed risks.
 */
#include "rfx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render_all(const rfx_diff *d) {
    char *s = rfx_diff_json(d, 0);
    free(s);
    s = rfx_diff_json(d, RFX_RENDER_PRETTY);
    free(s);
    s = rfx_diff_text(d, RFX_RENDER_COLOR);
    free(s);
    s = rfx_diff_html(d, 0);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rfx_register *r = NULL;
    rfx_error e;
    /* a private copy of exactly size bytes: ASan flags any read past it */
    char *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    if (size) memcpy(copy, data, size);
    rfx_status st = rfx_register_from_json(copy, size, &r, &e);
    if (st != RFX_OK) {
        if (r) __builtin_trap(); /* failures return no register */
        free(copy);
        return 0;
    }
    char *s = rfx_register_json(r, 0);
    free(s);
    s = rfx_register_text(r, 0);
    free(s);
    rfx_diff *d = NULL;
    if (rfx_diff_compute(r, r, &d, &e) == RFX_OK && d) {
        if (rfx_diff_count(d, "added") || rfx_diff_count(d, "removed")) __builtin_trap();
        render_all(d);
        rfx_diff_free(d);
    }
    rfx_register *empty = NULL;
    static const char minimal[] = "{\"risks\":[]}";
    if (rfx_register_from_json(minimal, sizeof minimal - 1, &empty, &e) == RFX_OK) {
        if (rfx_diff_compute(empty, r, &d, &e) == RFX_OK && d) {
            render_all(d);
            rfx_diff_free(d);
        }
        rfx_register_free(empty);
    }
    /* `rfx lint saved.json --previous saved.json`: every rule, the stale
     * ones against the register itself (every risk is unchanged) */
    rfx_lint_options lo;
    rfx_lint_options_init(&lo);
    lo.previous = r;
    rfx_findings *f = NULL;
    if (rfx_lint(r, &lo, &f, &e) == RFX_OK) {
        s = rfx_findings_sarif(f, NULL, 0);
        free(s);
        s = rfx_findings_text(f, NULL, 0);
        free(s);
        rfx_findings_free(f);
    }
    rfx_register_free(r);
    free(copy);
    return 0;
}
