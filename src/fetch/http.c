/*
 * http.c — the polite client (http.h): pacing, retries with backoff and
 * Retry-After, redirects followed by hand (so each hop is paced), bodies to
 * memory or to PATH.part → PATH after the length check.
 */
#include "fetch/http.h"

#include "rfx_internal.h"

#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void rfx_http_config_init(rfx_http_config *c) {
    memset(c, 0, sizeof *c);
    c->rate = 8;
    c->attempts = 5;
    c->connect_timeout_ms = 10000;
    c->timeout_ms = 600000;
    c->stall_seconds = 30;
    c->backoff_ms = 1000;
    c->max_wait_s = 300;
    c->max_body = (size_t)256 << 20;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_until(int64_t t) {
    for (;;) {
        int64_t d = t - now_ns();
        if (d <= 0) return;
        struct timespec ts = {(time_t)(d / 1000000000), (long)(d % 1000000000)};
        nanosleep(&ts, NULL); /* EINTR: loop and sleep the rest */
    }
}

/* ---- pacer: evenly spaced slots, shared by all threads ---- */

struct rfx_http_pacer {
    pthread_mutex_t mu;
    int64_t interval, next, hold_until, last_sent;
    unsigned long requests;
    int unreachable; /* URLs in a row that failed to resolve or connect */
};

rfx_http_pacer *rfx_http_pacer_new(double rate) {
    if (!(rate > 0)) return NULL;
    rfx_http_pacer *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    pthread_mutex_init(&p->mu, NULL);
    /* 5% over 1/rate: N+1 requests exactly 1/rate apart span exactly one
     * second, so a few ms of jitter on the way can show the server N+1 in a
     * second (measured: ~10 ms per request on a loaded loopback); with the
     * margin it takes more than 50 ms at --rate 10 */
    p->interval = (int64_t)(1.05e9 / rate + 0.5);
    return p;
}

void rfx_http_pacer_free(rfx_http_pacer *p) {
    if (!p) return;
    pthread_mutex_destroy(&p->mu);
    free(p);
}

unsigned long rfx_http_pacer_requests(rfx_http_pacer *p) {
    pthread_mutex_lock(&p->mu);
    unsigned long n = p->requests;
    pthread_mutex_unlock(&p->mu);
    return n;
}

/* Takes the next free slot and sleeps until it: requests never come closer
 * than 1/rate apart, so any second holds at most `rate` of them. A thread
 * the scheduler wakes late must not crowd the next one: the spacing is
 * checked again against the last request actually sent, and a late sender
 * pushes the free slots back. */
static void pace(rfx_http_pacer *p) {
    pthread_mutex_lock(&p->mu);
    int64_t t = now_ns();
    if (p->next > t) t = p->next;
    if (p->hold_until > t) t = p->hold_until;
    p->next = t + p->interval;
    pthread_mutex_unlock(&p->mu);
    sleep_until(t);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        int64_t n = now_ns(), ok_at = p->last_sent ? p->last_sent + p->interval : 0;
        if (p->hold_until > ok_at) ok_at = p->hold_until;
        if (n >= ok_at) {
            p->last_sent = n;
            if (p->next < n + p->interval) p->next = n + p->interval;
            p->requests++; /* counted when sent, not when the slot is booked */
            pthread_mutex_unlock(&p->mu);
            return;
        }
        pthread_mutex_unlock(&p->mu);
        sleep_until(ok_at);
    }
}

/* A 429/503 slows every thread, not just the one that got it. */
static void hold(rfx_http_pacer *p, int64_t until) {
    pthread_mutex_lock(&p->mu);
    if (until > p->hold_until) p->hold_until = until;
    pthread_mutex_unlock(&p->mu);
}

/* After 3 URLs in a row could not even connect (every attempt), the rest of
 * the run fails fast instead of retrying each URL against a dead network. */
static int dead(rfx_http_pacer *p, int set) {
    pthread_mutex_lock(&p->mu);
    if (set > 0) p->unreachable++;
    else if (set == 0) p->unreachable = 0;
    int d = p->unreachable >= 3;
    pthread_mutex_unlock(&p->mu);
    return d;
}

/* ---- client ---- */

struct rfx_http {
    rfx_http_config cfg;
    rfx_http_pacer *pacer;
    CURL *curl;
    unsigned seed;
    char errbuf[CURL_ERROR_SIZE];
};

rfx_status rfx_http_global_init(rfx_error *err) {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        rfx_set_error(err, RFX_EINTERNAL, "libcurl could not be initialised");
        return RFX_EINTERNAL;
    }
    return RFX_OK;
}

void rfx_http_global_cleanup(void) { curl_global_cleanup(); }

rfx_status rfx_http_new(const rfx_http_config *cfg, rfx_http_pacer *pacer, rfx_http **out,
                        rfx_error *err) {
    *out = NULL;
    rfx_http *h = calloc(1, sizeof *h);
    if (!h || !(h->curl = curl_easy_init())) {
        free(h);
        rfx_set_error(err, RFX_ENOMEM, "cannot create an HTTP client");
        return RFX_ENOMEM;
    }
    h->cfg = *cfg;
    if (h->cfg.attempts < 1) h->cfg.attempts = 1;
    h->pacer = pacer;
    h->seed = (unsigned)now_ns() ^ (unsigned)(uintptr_t)h;
    *out = h;
    return RFX_OK;
}

void rfx_http_free(rfx_http *h) {
    if (!h) return;
    curl_easy_cleanup(h->curl);
    free(h);
}

/* where the body goes during one attempt */
typedef struct sink {
    CURL *curl;
    char *mem;
    size_t len, cap, max;
    FILE *file;
    EVP_MD_CTX *md;
    int too_big, write_failed;
} sink;

static size_t on_body(char *data, size_t sz, size_t nm, void *ud) {
    sink *s = ud;
    size_t n = sz * nm;
    long code = 0;
    curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
    if (code != 200) return n; /* error pages and redirect bodies are dropped */
    if (s->file) {
        if (fwrite(data, 1, n, s->file) != n) { s->write_failed = 1; return 0; }
        if (s->md) EVP_DigestUpdate(s->md, data, n);
        s->len += n;
        return n;
    }
    if (s->len + n + 1 > s->max) { s->too_big = 1; return 0; }
    if (s->len + n + 1 > s->cap) {
        size_t nc = s->cap ? s->cap : 65536;
        while (nc < s->len + n + 1) nc *= 2;
        char *nb = realloc(s->mem, nc);
        if (!nb) { s->too_big = 1; return 0; }
        s->mem = nb;
        s->cap = nc;
    }
    memcpy(s->mem + s->len, data, n);
    s->len += n;
    s->mem[s->len] = 0;
    return n;
}

static int retryable_curl(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST: case CURLE_COULDNT_CONNECT: case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE: case CURLE_RECV_ERROR: case CURLE_SEND_ERROR: case CURLE_GOT_NOTHING:
    case CURLE_HTTP2: case CURLE_HTTP2_STREAM: case CURLE_SSL_CONNECT_ERROR:
    case CURLE_BAD_CONTENT_ENCODING:
        return 1;
    default:
        return 0;
    }
}

static const char *reason(long code) {
    switch (code) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

/* exponential backoff with equal jitter: [d/2, d], d = base * 2^(k-1) ≤ 60 s */
static int64_t backoff_ns(rfx_http *h, int k) {
    int64_t d = (int64_t)h->cfg.backoff_ms * 1000000;
    for (int i = 1; i < k && d < (int64_t)60000 * 1000000; i++) d *= 2;
    if (d > (int64_t)60000 * 1000000) d = (int64_t)60000 * 1000000;
    if (d <= 0) return 0;
    double r = (double)rand_r(&h->seed) / RAND_MAX;
    return d / 2 + (int64_t)(r * (double)(d / 2));
}

/* The request loop shared by both sinks. reset(s) is called before each
 * attempt (truncates the file or empties the buffer). */
static rfx_status get(rfx_http *h, const char *url0, sink *s, int (*reset)(sink *),
                      rfx_http_result *res, rfx_error *err) {
    memset(res, 0, sizeof *res);
    CURL *c = h->curl;
    char *url = strdup(url0);
    if (!url) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    int attempt = 0, redirects = 0;
    rfx_status st = RFX_EINPUT;
    char last[400] = "";
    int no_answer = 1; /* every attempt failed to resolve or connect */
    s->curl = c;
    if (dead(h->pacer, -1)) {
        rfx_set_error(err, RFX_EINPUT, "%s: not tried: the server could not be reached for the last 3 URLs",
                      url0);
        free(url);
        return RFX_EINPUT;
    }
    for (;;) {
        if (reset(s)) {
            rfx_set_error(err, RFX_EINPUT, "%s: cannot write: %s", url0, strerror(errno));
            st = RFX_EINPUT;
            break;
        }
        attempt++;
        curl_easy_reset(c);
        h->errbuf[0] = 0;
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_USERAGENT, h->cfg.user_agent);
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* gzip and whatever else curl decodes */
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->cfg.connect_timeout_ms);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->cfg.timeout_ms);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, h->cfg.stall_seconds);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
        pace(h->pacer);
        res->attempts++;
        CURLcode rc = curl_easy_perform(c);
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        res->status = code;
        int64_t wait = -1; /* < 0: do not retry */
        if (rc != CURLE_COULDNT_RESOLVE_HOST && rc != CURLE_COULDNT_CONNECT) no_answer = 0;
        if (s->too_big) {
            rfx_set_error(err, RFX_EINPUT, "%s: answer larger than %zu bytes", url0, s->max);
            break;
        }
        if (s->write_failed) {
            rfx_set_error(err, RFX_EINPUT, "%s: cannot write the download: %s", url0, strerror(errno));
            break;
        }
        if (rc != CURLE_OK) {
            snprintf(last, sizeof last, "%s", h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc));
            if (rc == CURLE_OPERATION_TIMEDOUT && h->cfg.stall_seconds)
                snprintf(last + strlen(last), sizeof last - strlen(last),
                         " (stalled or over the time limit)");
            if (!retryable_curl(rc)) {
                rfx_set_error(err, RFX_EINPUT, "%s: %s", url0, last);
                break;
            }
            wait = backoff_ns(h, attempt);
        } else if (code == 200) {
            curl_off_t cl = -1, got = -1;
            curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
            curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &got);
            if (cl >= 0 && got != cl) { /* curl normally reports this itself */
                snprintf(last, sizeof last, "body of %lld bytes, Content-Length %lld",
                         (long long)got, (long long)cl);
                wait = backoff_ns(h, attempt);
            } else {
                res->bytes = s->len;
                st = RFX_OK;
                break;
            }
        } else if (code >= 300 && code < 400 && code != 304) {
            char *loc = NULL;
            curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
            if (!loc || ++redirects > 5) {
                rfx_set_error(err, RFX_EINPUT, "%s: HTTP %ld redirect %s", url0, code,
                              loc ? "loop (more than 5)" : "without a Location");
                break;
            }
            char *nu = strdup(loc);
            if (!nu) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); st = RFX_ENOMEM; break; }
            free(url);
            url = nu;
            attempt--; /* a hop is not a failed attempt (it is paced all the same) */
            continue;
        } else if (code == 404 || code == 410) {
            rfx_set_error(err, RFX_ENOTFOUND, "%s: HTTP %ld %s", url0, code, reason(code));
            st = RFX_ENOTFOUND;
            break;
        } else if (code == 403) {
            rfx_set_error(err, RFX_EINPUT,
                          "%s: HTTP 403 Forbidden: the SEC probably refused the User-Agent (give a "
                          "real name and contact email with --user-agent or RFX_USER_AGENT)",
                          url0);
            break;
        } else if (code == 429 || code == 503 || code == 500 || code == 502 || code == 504) {
            curl_off_t ra = -1;
            curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra);
            snprintf(last, sizeof last, "HTTP %ld %s", code, reason(code));
            if (ra > h->cfg.max_wait_s) {
                rfx_set_error(err, RFX_EINPUT, "%s: HTTP %ld asks to wait %lld s (more than %ld s)",
                              url0, code, (long long)ra, h->cfg.max_wait_s);
                break;
            }
            wait = backoff_ns(h, attempt);
            if (ra > 0 && (int64_t)ra * 1000000000 > wait) wait = (int64_t)ra * 1000000000;
            if (code == 429 || code == 503) hold(h->pacer, now_ns() + wait);
        } else {
            rfx_set_error(err, RFX_EINPUT, "%s: HTTP %ld %s", url0, code, reason(code));
            break;
        }
        if (attempt >= h->cfg.attempts) {
            rfx_set_error(err, RFX_EINPUT, "%s: %s (gave up after %d attempts)", url0, last, attempt);
            break;
        }
        sleep_until(now_ns() + wait);
    }
    free(url);
    dead(h->pacer, st == RFX_EINPUT && no_answer ? 1 : 0);
    return st;
}

static int reset_mem(sink *s) {
    s->len = 0;
    if (s->mem) s->mem[0] = 0;
    return 0;
}

rfx_status rfx_http_get_mem(rfx_http *h, const char *url, char **body, size_t *len,
                            rfx_http_result *res, rfx_error *err) {
    sink s = {.max = h->cfg.max_body};
    *body = NULL;
    *len = 0;
    rfx_status st = get(h, url, &s, reset_mem, res, err);
    if (st != RFX_OK) {
        free(s.mem);
        return st;
    }
    if (!s.mem) s.mem = calloc(1, 1); /* an empty body is still a body */
    if (!s.mem) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    *body = s.mem;
    *len = s.len;
    return RFX_OK;
}

/* file sink: the temporary path lives in the sink's mem field */
static int reset_file(sink *s) {
    if (s->file) fclose(s->file);
    s->file = fopen(s->mem, "wb");
    s->len = 0;
    if (s->md) EVP_DigestInit_ex(s->md, EVP_sha256(), NULL);
    return s->file ? 0 : -1;
}

rfx_status rfx_http_get_file(rfx_http *h, const char *url, const char *path,
                             rfx_http_result *res, rfx_error *err) {
    size_t n = strlen(path);
    sink s = {.mem = malloc(n + 6), .md = EVP_MD_CTX_new()};
    if (!s.mem || !s.md) {
        free(s.mem);
        EVP_MD_CTX_free(s.md);
        rfx_set_error(err, RFX_ENOMEM, "out of memory");
        return RFX_ENOMEM;
    }
    memcpy(s.mem, path, n);
    memcpy(s.mem + n, ".part", 6);
    rfx_status st = get(h, url, &s, reset_file, res, err);
    if (st == RFX_OK) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned mdlen = 0;
        EVP_DigestFinal_ex(s.md, md, &mdlen);
        for (unsigned i = 0; i < mdlen && i < 32; i++) sprintf(res->sha256 + 2 * i, "%02x", md[i]);
        /* flushed and on disk before it gets its final name */
        if (fflush(s.file) != 0 || fsync(fileno(s.file)) != 0) {
            rfx_set_error(err, RFX_EINPUT, "%s: cannot write: %s", path, strerror(errno));
            st = RFX_EINPUT;
        }
    }
    if (s.file && fclose(s.file) != 0 && st == RFX_OK) {
        rfx_set_error(err, RFX_EINPUT, "%s: cannot write: %s", path, strerror(errno));
        st = RFX_EINPUT;
    }
    if (st == RFX_OK && rename(s.mem, path) != 0) {
        rfx_set_error(err, RFX_EINPUT, "%s: cannot rename the download: %s", path, strerror(errno));
        st = RFX_EINPUT;
    }
    if (st != RFX_OK) unlink(s.mem);
    free(s.mem);
    EVP_MD_CTX_free(s.md);
    return st;
}
