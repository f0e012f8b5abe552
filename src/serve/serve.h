/* serve.h — what server.c (HTTP, security, limits) and api.c (the JSON
 * endpoints over the store) share inside src/serve/. */
#ifndef RFX_SERVE_H
#define RFX_SERVE_H

#include "rfx.h"

#include <stddef.h>

#define SERVE_MAX_ARGS 16
#define SERVE_MAX_ARG_LEN 1024

/* One request as the API sees it: the path after "/api" and the query
 * arguments, already percent-decoded and checked (valid UTF-8, no control
 * characters, each name at most once). */
typedef struct serve_request {
    const char *path;
    size_t nargs;
    const char *name[SERVE_MAX_ARGS];
    const char *value[SERVE_MAX_ARGS];
} serve_request;

/* The answer: status and a malloc'd body (api.c fills it). */
typedef struct serve_reply {
    unsigned status;
    char *body;
    size_t len;
    const char *type;
    unsigned retry_after; /* seconds, for 429/503; 0 = no header */
} serve_reply;

/* The pool of read-only store connections (api.c). */
#define SERVE_MAX_POOL 64
typedef struct serve_pool serve_pool;
serve_pool *serve_pool_new(const char *db, unsigned max);
void serve_pool_free(serve_pool *p);

/* Opens the store once to check it, so a wrong --db fails at start. */
rfx_status serve_api_check(const char *db, rfx_error *err);
/* Handles GET /api/...; fills *out. heavy_enter/heavy_leave bound the number
 * of costly requests (diffs) run at once: enter returns 0 when full. */
typedef struct serve_limits {
    int (*heavy_enter)(void *cls);
    void (*heavy_leave)(void *cls);
    void *cls;
    serve_pool *pool;
} serve_limits;
void serve_api_handle(const serve_limits *lim, const serve_request *rq, serve_reply *out);

/* The answer cache (cache.c): NULL when disabled (max_bytes 0, or a store
 * that is not a local file). */
typedef struct serve_cache serve_cache;
typedef struct serve_stamp {
    unsigned long long v[6];
} serve_stamp;
serve_cache *serve_cache_new(const char *db, size_t max_bytes);
void serve_cache_free(serve_cache *c);
/* On a hit fills *out with a copy and returns 1; *seen gets the database
 * stamp to hand to serve_cache_put with the answer computed on a miss. */
int serve_cache_get(serve_cache *c, const serve_request *rq, serve_reply *out, serve_stamp *seen);
void serve_cache_put(serve_cache *c, const serve_request *rq, const serve_reply *r, const serve_stamp *seen);

/* The request checks server.c applies, shared with fuzz/fuzz_serve.c:
 * percent-decoding in place (%00 becomes 0x01, a malformed escape stays as
 * typed; returns the new length), and "valid UTF-8 without control
 * characters". */
size_t serve_unescape(char *s);
int serve_text_ok(const char *s);

/* A JSON error body: {"error": {"status": N, "message": "..."}}. */
void serve_error(serve_reply *out, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends a JSON string literal of s (escaped) to a growing buffer. */
typedef struct serve_buf {
    char *p;
    size_t len, cap;
    int failed;
} serve_buf;
void sb_puts(serve_buf *b, const char *s);
void sb_printf(serve_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_json_str(serve_buf *b, const char *s);

#endif
