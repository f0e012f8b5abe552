/*
 * http.h — the polite HTTP client of `rfx fetch` (libcurl underneath).
 *
 * Politeness is enforced here, not left to callers: every request, retry and
 * followed redirect first takes a slot from a pacer shared by all threads
 * (at most `rate` requests per second, evenly spaced 1.05/rate s apart so
 * that jitter on the way cannot show a server rate + 1 in a second), 429/503 answers make
 * every thread wait for the server's Retry-After, and failed attempts back
 * off exponentially with jitter. A download to a file goes to PATH.part and
 * is renamed to PATH only after the body is complete (curl saw the whole
 * Content-Length, the byte count matches it) and flushed to disk, so a
 * killed run never leaves a partial file under a final name.
 */
#ifndef RFX_FETCH_HTTP_H
#define RFX_FETCH_HTTP_H

#include "rfx.h"

#include <stddef.h>

typedef struct rfx_http_config {
    const char *user_agent;  /* required: SEC's declared User-Agent */
    double rate;             /* requests per second over all threads (> 0) */
    int attempts;            /* tries per URL, >= 1 (redirects do not count) */
    long connect_timeout_ms;
    long timeout_ms;         /* whole transfer */
    long stall_seconds;      /* abandon a body slower than 1 KB/s for this long */
    long backoff_ms;         /* first backoff; doubles per attempt, jittered, capped at 60 s */
    long max_wait_s;         /* a longer Retry-After fails the request instead */
    size_t max_body;         /* largest answer read into memory */
} rfx_http_config;

/* Fills defaults: 8 req/s, 5 attempts, 10 s connect, 600 s transfer, 30 s
 * stall, 1 s backoff, 300 s longest wait, 256 MiB in memory. */
void rfx_http_config_init(rfx_http_config *c);

/* The pacer is shared by every client of a run. */
typedef struct rfx_http_pacer rfx_http_pacer;
rfx_http_pacer *rfx_http_pacer_new(double rate);
void rfx_http_pacer_free(rfx_http_pacer *p);
/* Requests sent so far (each attempt and redirect counts). */
unsigned long rfx_http_pacer_requests(rfx_http_pacer *p);

/* One client per thread (a curl handle keeps its connections). */
typedef struct rfx_http rfx_http;
rfx_status rfx_http_new(const rfx_http_config *cfg, rfx_http_pacer *pacer, rfx_http **out,
                        rfx_error *err);
void rfx_http_free(rfx_http *h);

typedef struct rfx_http_result {
    long status;          /* last HTTP status, 0 if none */
    int attempts;         /* requests made, redirects included */
    size_t bytes;         /* body bytes kept */
    char sha256[65];      /* of the body, hex (files only) */
} rfx_http_result;

/* GET url into a malloc'd NUL-terminated buffer. RFX_OK; RFX_ENOTFOUND for
 * 404/410; RFX_EINPUT for any other failure after the retries, with one line
 * naming the URL and what to do. */
rfx_status rfx_http_get_mem(rfx_http *h, const char *url, char **body, size_t *len,
                            rfx_http_result *res, rfx_error *err);
/* GET url into path (through path.part, see above). Same statuses. */
rfx_status rfx_http_get_file(rfx_http *h, const char *url, const char *path,
                             rfx_http_result *res, rfx_error *err);

/* Process-wide libcurl setup and its release, around a run (no thread may be
 * running). libcurl writes with SIGPIPE unmasked under CURLOPT_NOSIGNAL:
 * programs using this client should ignore SIGPIPE. */
rfx_status rfx_http_global_init(rfx_error *err);
void rfx_http_global_cleanup(void);

#endif
