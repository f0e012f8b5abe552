/*
 * fuzz_serve.c — libFuzzer target for rfx serve's request handling: the
 * input is a request target ("/search?q=...&limit=..."), decoded and checked
 * the way server.c does (percent-decoding, UTF-8 and control characters,
 * names given once) and answered by the API (src/serve/api.c) over a small
 * corpus store in a temporary file. Whatever the bytes: no crash or leak,
 * every answer is a status the API documents with a body that is valid JSON,
 * and an error body says which status it is.
 */
#include "rfx.h"
#include "serve/serve.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_CHECK(c) \
    do { if (!(c)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char db[64];
static serve_pool *pool;

static void add(rfx_store *s, const char *json) {
    rfx_error e;
    rfx_register *r = NULL;
    FUZZ_CHECK(rfx_register_from_json(json, strlen(json), &r, &e) == RFX_OK);
    FUZZ_CHECK(rfx_store_add(s, r, NULL, NULL, &e) == RFX_OK);
    rfx_register_free(r);
}

static void setup(void) {
    snprintf(db, sizeof db, "/tmp/rfx-fuzz-serve-%d.db", (int)getpid());
    unlink(db);
    rfx_store *s;
    rfx_error e;
    FUZZ_CHECK(rfx_store_open(db, RFX_STORE_CREATE, &s, &e) == RFX_OK);
    add(s, "{\"filing\":{\"form\":\"10-K\",\"company\":\"Fuzz <b>Corp</b>\",\"cik\":\"1\",\"period\":\"2020-12-31\"},"
           "\"source\":{\"path\":\"a.txt\",\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000001\"},"
           "\"risks\":[{\"index\":1,\"heading\":\"Tariffs <script>x</script> could hurt sales.\",\"body\":\"New tariffs "
           "could halt shipments.\",\"categories\":[{\"id\":\"international\",\"score\":0.9}]}]}");
    add(s, "{\"filing\":{\"form\":\"10-K\",\"company\":\"Fuzz <b>Corp</b>\",\"cik\":\"1\",\"period\":\"2021-12-31\"},"
           "\"source\":{\"path\":\"b.txt\",\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000002\"},"
           "\"risks\":[{\"index\":1,\"heading\":\"Tariffs could hurt our sales.\",\"body\":\"New tariffs and export "
           "controls could halt shipments.\",\"categories\":[{\"id\":\"international\",\"score\":0.8}]}]}");
    rfx_store_close(s);
    pool = serve_pool_new(db, 1);
}

static int enter(void *cls) { return 1; }
static void leave(void *cls) {}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!db[0]) setup();
    if (size > 4096) return 0;
    char *t = malloc(size + 1);
    if (!t) return 0;
    memcpy(t, data, size);
    t[size] = 0;
    serve_request rq = {0};
    char *q = strchr(t, '?');
    if (q) *q++ = 0;
    serve_unescape(t);
    rq.path = t;
    int bad = 0;
    for (char *p = q, *next; p && *p && !bad; p = next) {
        next = strchr(p, '&');
        if (next) *next++ = 0;
        char *v = strchr(p, '=');
        if (v) *v++ = 0;
        else v = p + strlen(p);
        serve_unescape(p);
        serve_unescape(v);
        if (!*p || !serve_text_ok(p) || !serve_text_ok(v) || strlen(v) > SERVE_MAX_ARG_LEN ||
            rq.nargs == SERVE_MAX_ARGS)
            bad = 1;
        for (size_t i = 0; i < rq.nargs && !bad; i++) bad = !strcmp(rq.name[i], p);
        if (!bad) {
            rq.name[rq.nargs] = p;
            rq.value[rq.nargs++] = v;
        }
    }
    if (!bad) {
        serve_limits lim = {enter, leave, NULL, pool};
        serve_reply r = {0};
        serve_api_handle(&lim, &rq, &r);
        FUZZ_CHECK(r.status == 200 || r.status == 400 || r.status == 404 || r.status == 503);
        FUZZ_CHECK(r.body && strlen(r.body) == r.len);
        json_error_t je;
        json_t *o = json_loads(r.body, 0, &je);
        FUZZ_CHECK(o);
        if (r.status != 200) {
            json_t *st = json_object_get(json_object_get(o, "error"), "status");
            FUZZ_CHECK(json_integer_value(st) == (json_int_t)r.status);
        }
        json_decref(o);
        free(r.body);
    }
    free(t);
    return 0;
}
