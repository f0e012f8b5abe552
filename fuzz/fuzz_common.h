/*
 * fuzz_common.h — what every parse harness does with one input: parse it
 * with a forced format, check the register's invariants, render every
 * output format, free. Anything that crashes, leaks, hangs, reads out of
 * bounds or breaks an invariant here is a bug a real filing could trigger.
 *
 * Invariants checked (a violation traps, so libFuzzer keeps the input):
 *  - OK/ENOTFOUND return a register, every other status returns none;
 *  - every risk span lies inside the input (offsets are a contract), and
 *    risks come in source order;
 *  - every renderer returns output for a register it was given;
 *  - lint runs on it, its findings lie inside the input, and its
 *    renderers answer too.
 */
#ifndef RFX_FUZZ_COMMON_H
#define RFX_FUZZ_COMMON_H

#include "rfx.h"

#include <stdint.h>
#include <stdlib.h>

#define FUZZ_CHECK(c) \
    do { if (!(c)) __builtin_trap(); } while (0)

static inline void fuzz_parse(const uint8_t *data, size_t size, const char *format) {
    rfx_options o;
    rfx_options_init(&o);
    o.format = format;
    /* smaller than the production default so a blow-up shows as ENOMEM long
     * before libFuzzer's -rss_limit_mb kills the process */
    o.max_memory_bytes = (size_t)256 << 20;
    rfx_register *r = NULL;
    rfx_error e;
    rfx_status st = rfx_parse_memory(data, size, "fuzz-input", &o, &r, &e);
    FUZZ_CHECK((st == RFX_OK || st == RFX_ENOTFOUND) == (r != NULL));
    if (st != RFX_OK && st != RFX_ENOTFOUND) {
        FUZZ_CHECK(e.code == (int)st && e.message[0]); /* failures always explain themselves */
        return;
    }
    size_t n = rfx_risk_count(r), prev = 0;
    for (size_t i = 0; i < n; i++) {
        size_t a = rfx_risk_start(r, i), b = rfx_risk_end(r, i);
        FUZZ_CHECK(a <= b && b <= size);
        FUZZ_CHECK(a >= prev); /* risks come in source order */
        prev = a;
        FUZZ_CHECK(rfx_risk_heading(r, i) && rfx_risk_body(r, i));
    }
    for (size_t i = 0; i < rfx_warning_count(r); i++) FUZZ_CHECK(rfx_warning_message(r, i));
    char *s = rfx_register_json(r, 0);
    FUZZ_CHECK(s);
    free(s);
    s = rfx_register_json(r, RFX_RENDER_PRETTY);
    FUZZ_CHECK(s);
    free(s);
    s = rfx_register_text(r, RFX_RENDER_COLOR);
    FUZZ_CHECK(s);
    free(s);
    s = rfx_register_markdown(r, 0);
    FUZZ_CHECK(s);
    free(s);
    s = rfx_register_blocks(r, 0);
    FUZZ_CHECK(s);
    free(s);
    /* lint runs on every register a parse returns: findings lie inside
     * the input, and every renderer answers (docs/lint.md) */
    rfx_findings *f = NULL;
    rfx_error le;
    if (rfx_lint(r, NULL, &f, &le) == RFX_OK) {
        for (size_t i = 0; i < rfx_findings_count(f); i++) {
            FUZZ_CHECK(rfx_finding_start(f, i) <= rfx_finding_end(f, i));
            FUZZ_CHECK(rfx_finding_end(f, i) <= size);
            FUZZ_CHECK(rfx_finding_rule(f, i) && rfx_finding_message(f, i));
        }
        s = rfx_findings_text(f, NULL, 0);
        FUZZ_CHECK(s);
        free(s);
        s = rfx_findings_json(f, NULL, 0);
        FUZZ_CHECK(s);
        free(s);
        s = rfx_findings_sarif(f, NULL, 0);
        FUZZ_CHECK(s);
        free(s);
        rfx_findings_free(f);
    } else {
        FUZZ_CHECK(le.code == RFX_ENOMEM && !f);
    }
    rfx_register_free(r);
}

#endif
