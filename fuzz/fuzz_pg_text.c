/*
 * fuzz_pg_text.c — libFuzzer target for the PostgreSQL backend's text
 * functions (src/store/pg_text.c), which read user text and connection
 * strings without a server: the tokenizer, the tsvector and tsquery
 * literals and the password mask. Whatever the bytes: no crash, no leak,
 * and the mask never lets a password through (a "user:PW@" password comes
 * out as "***").
 */
#include "store/pg_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(c) \
    do { if (!(c)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pgtext *text;

static void count(void *ctx, const char *tok, size_t n) {
    FUZZ_CHECK(n > 0 && !memchr(tok, ' ', n) && !memchr(tok, '\'', n)); /* lexemes never need what a literal escapes */
    (*(size_t *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!text) text = pgtext_new();
    if (size > 65536) return 0;
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;
    size_t n = 0;
    pgtext_tokens(text, s, count, &n);
    const char *mid = s + strlen(s) / 2;
    char *v = pgtext_tsvector(text, mid, s);
    FUZZ_CHECK(v != NULL);
    free(v);
    rfx_error e;
    qnode *q = store_query_parse(s, &e);
    if (q) {
        char *t = pgtext_tsquery(text, q);
        FUZZ_CHECK(t != NULL && t[0]);
        free(t);
        store_query_free(q);
    }
    /* a URI with a known password: the mask must hide it */
    char uri[160];
    size_t k = strcspn(s, "@/?&:# \t'\\");
    if (k > 40) k = 40;
    if (k >= 4) {
        snprintf(uri, sizeof uri, "postgresql://u:%.*s@h/db", (int)k, s);
        char *m = pg_uri_masked(uri);
        FUZZ_CHECK(m != NULL && strstr(m, "u:***@h/db"));
        free(m);
    }
    char *m = pg_uri_masked(s);
    FUZZ_CHECK(m != NULL);
    free(m);
    free(s);
    return 0;
}
