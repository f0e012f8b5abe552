/*
 * fuzz_wordlist.c — libFuzzer target for word lists users bring
 * (`--wordlist NAME=FILE`): a Loughran-McDonald-style CSV or a plain list
 * is untrusted text. Bytes → rfx_wordlists_load_memory for each metric name
 * → a parse of a fixed risk text that counts with the loaded lists → freed.
 *
 * Invariants: a load either succeeds with at least one word or fails with
 * a status and message; the measure stage never crashes on what loaded.
 */
#include "rfx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char doc[] =
    "Item 1A. Risk Factors\n\n"
    "We may face lawsuits that could harm our business.\n\n"
    "Litigation and adverse rulings could reduce our revenues. Damages may be material, "
    "and a violation of law could lead to losses, fines and uncertainty about our future.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const names[] = {"uncertainty", "litigious", "negative"};
    rfx_wordlists *wl = rfx_wordlists_new();
    if (!wl) return 0;
    /* exact-length copy without a terminator, so an over-read is caught */
    char *copy = malloc(size ? size : 1);
    if (!copy) { rfx_wordlists_free(wl); return 0; }
    if (size) memcpy(copy, data, size);
    for (int i = 0; i < 3; i++) {
        rfx_error e = {0, ""};
        rfx_status st = rfx_wordlists_load_memory(wl, names[i], copy, size, "fuzz", &e);
        if (st == RFX_OK && rfx_wordlists_count(wl, names[i]) == 0) __builtin_trap();
        if (st != RFX_OK && !e.message[0]) __builtin_trap();
    }
    free(copy);
    rfx_options o;
    rfx_options_init(&o);
    o.wordlists = wl;
    o.no_classify = 1;
    rfx_register *reg = NULL;
    rfx_error e;
    if (rfx_parse_memory(doc, sizeof doc - 1, "doc", &o, &reg, &e) == RFX_OK) {
        char *j = rfx_register_json(reg, 0);
        if (!j) __builtin_trap();
        free(j);
    }
    rfx_register_free(reg);
    rfx_wordlists_free(wl);
    return 0;
}
