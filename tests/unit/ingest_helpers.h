/*
 * ingest_helpers.h — what the ingest tests share: run the ingest stage alone
 * on bytes in memory, and find blocks, offsets and warnings in the result.
 * Include after <cmocka.h> and "rfx_internal.h".
 */
#ifndef RFX_TEST_INGEST_HELPERS_H
#define RFX_TEST_INGEST_HELPERS_H

#include <stdbool.h>
#include <string.h>

/* A fresh register holding a copy of s[0..n), ingested (format forced when
 * format is not NULL); fails the test if ingest fails. */
static inline rfx_register *th_ingest(const char *s, size_t n, const char *format,
                                      const char *path) {
    rfx_options o;
    rfx_options_init(&o);
    o.format = format;
    rfx_register *r = rfx_register_new(&o);
    assert_non_null(r);
    r->path = path;
    r->src = rfx_arena_alloc(r->arena, n + 1);
    assert_non_null(r->src);
    memcpy(r->src, s, n);
    r->srclen = n;
    rfx_error e = {0};
    rfx_status st = rfx_ingest(r, &e);
    if (st != RFX_OK) fail_msg("ingest failed: %s", e.message);
    return r;
}

/* The first block whose text contains needle, or NULL. */
static inline const rfx_block *th_block_with(const rfx_register *r, const char *needle) {
    for (size_t i = 0; i < r->nblocks; i++)
        if (strstr(r->blocks[i].t.s, needle)) return &r->blocks[i];
    return NULL;
}

/* The same, failing the test when there is none. */
static inline const rfx_block *th_must(const rfx_register *r, const char *needle) {
    const rfx_block *b = th_block_with(r, needle);
    if (!b) fail_msg("no block contains \"%s\"", needle);
    return b;
}

/* Do the source bytes at off spell s? */
static inline bool th_src_at(const rfx_register *r, uint32_t off, const char *s) {
    return off + strlen(s) <= r->srclen && memcmp(r->src + off, s, strlen(s)) == 0;
}

static inline bool th_has_warning(const rfx_register *r, const char *code) {
    for (size_t i = 0; i < r->nwarnings; i++)
        if (strcmp(r->warnings[i].code, code) == 0) return true;
    return false;
}

#endif
