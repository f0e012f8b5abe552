/*
 * fuzz_model.c — libFuzzer target for classifier model files (`--model
 * FILE`): a model is untrusted text like any filing. Bytes →
 * rfx_model_parse (src/classify/model.c) → a prediction on a fixed risk
 * (exercising the weights and index the parser built) → written back out →
 * parsed again → freed.
 *
 * Invariant: a model that parsed, written out, parses again (the writer and
 * the reader agree on the format).
 */
#include "classify/classify.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char heading[] =
    "We may not be able to compete effectively against competitors with greater resources.";
static const char body[] =
    "Our competitors include large telecommunications carriers. Pricing pressure, new "
    "entrants and customer concentration could reduce our revenues and margins; a cyber "
    "attack, a change in tax law or the loss of key personnel could hurt us.";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rfx_error e;
    /* exact-length copy without a terminator, so an over-read is caught */
    char *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    if (size) memcpy(copy, data, size);
    rfx_model *m = rfx_model_parse(copy, size, "fuzz-model", &e);
    free(copy);
    if (!m) return 0;
    rfx_pred preds[8];
    double *probs = calloc(m->ncats ? m->ncats : 1, sizeof *probs);
    if (probs) {
        size_t n = rfx_model_predict(m, heading, body, NULL, probs, preds, 8, 4);
        if (n > 8) __builtin_trap();
        for (size_t i = 0; i < n; i++)
            if ((size_t)preds[i].cat >= m->ncats || !(preds[i].prob >= 0 && preds[i].prob <= 1))
                __builtin_trap();
        rfx_preds_free(preds, n);
        free(probs);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f) {
        bool ok = rfx_model_write(m, f, &e);
        fclose(f);
        if (ok && buf) {
            rfx_model *m2 = rfx_model_parse(buf, len, "fuzz-model-rewritten", &e);
            if (!m2) __builtin_trap();
            rfx_model_free(m2);
        }
        free(buf);
    }
    rfx_model_free(m);
    return 0;
}
