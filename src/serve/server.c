/*
 * server.c — rfx serve's HTTP side on libmicrohttpd: listening address and
 * who may connect (loopback by default, bearer tokens, TLS), the limits
 * (connections total and per address, header memory, idle and per-request
 * time, request rate, costly requests at once), the security headers, the
 * embedded web application and the dispatch to api.c.
 *
 * Only GET and HEAD exist; a request with a body is refused before it is
 * read. Static files come from a fixed table compiled into the binary, so no
 * URL ever reaches the file system.
 */
#include "serve/serve.h"
#include "serve/assets.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RATE_SLOTS 1024

typedef struct conn_track {
    int fd;
    double deadline; /* monotonic seconds; the watchdog shuts the socket after it */
    struct conn_track *prev, *next;
} conn_track;

typedef struct rate_slot {
    unsigned char addr[16];
    int used;
    double tokens, last;
} rate_slot;

struct rfx_server {
    struct MHD_Daemon *d;
    rfx_server_config cfg;
    char *db;
    unsigned char (*tokens)[32];
    size_t ntokens;
    char *cert_pem, *key_pem;
    serve_cache *cache;
    serve_pool *pool;
    unsigned port;
    int loopback_only; /* listening on loopback: check Host */
    pthread_mutex_t lock; /* conns and rate */
    conn_track *conns;
    rate_slot *rate;
    pthread_mutex_t heavy_lock;
    pthread_cond_t heavy_free;
    unsigned heavy;
    pthread_t watchdog;
    int watchdog_running;
    atomic_int stopping;
};

static double now_mono(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- small JSON buffer (shared with api.c) ---- */

static void sb_grow(serve_buf *b, size_t need) {
    if (b->failed || b->len + need + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + need + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) { b->failed = 1; return; }
    b->p = p;
    b->cap = cap;
}

void sb_puts(serve_buf *b, const char *s) {
    size_t n = strlen(s);
    sb_grow(b, n);
    if (b->failed) return;
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

void sb_printf(serve_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) { b->failed = 1; return; }
    sb_grow(b, (size_t)n);
    if (b->failed) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0. */
static size_t utf8_seq(const unsigned char *p) {
    unsigned c = p[0];
    size_t n;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) n = 2;
    else if (c >= 0xf0 && c <= 0xf4) n = 3;
    else return 0;
    unsigned cp = c & (0x3f >> n);
    for (size_t i = 1; i <= n; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return n + 1;
}

/* A JSON string of s; messages may quote what a client sent, so bytes that
 * are not UTF-8 become U+FFFD and the body stays valid JSON. */
void sb_json_str(serve_buf *b, const char *s) {
    sb_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
        char esc[8];
        size_t n = utf8_seq(p);
        if (n == 0) { sb_puts(b, "\\ufffd"); p++; continue; }
        if (n > 1) { memcpy(esc, p, n); esc[n] = 0; }
        else if (*p == '"' || *p == '\\') { esc[0] = '\\'; esc[1] = (char)*p; esc[2] = 0; }
        else if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>' || *p == '&')
            snprintf(esc, sizeof esc, "\\u%04x", *p); /* safe even if sniffed as HTML */
        else { esc[0] = (char)*p; esc[1] = 0; }
        sb_puts(b, esc);
        p += n;
    }
    sb_puts(b, "\"");
}

void serve_error(serve_reply *out, unsigned status, const char *fmt, ...) {
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    serve_buf b = {0};
    sb_printf(&b, "{\"error\": {\"status\": %u, \"message\": ", status);
    sb_json_str(&b, msg);
    sb_puts(&b, "}}\n");
    free(out->body);
    out->status = status;
    out->type = "application/json; charset=utf-8";
    out->body = b.failed ? NULL : b.p;
    out->len = b.failed ? 0 : b.len;
    if (b.failed) free(b.p);
}

/* ---- tokens ---- */

static void sha256(const char *s, size_t n, unsigned char out[32]) {
    unsigned int len = 32;
    EVP_Digest(s, n, out, &len, EVP_sha256(), NULL);
}

void rfx_server_hash_token(const char *token, char out[72]) {
    unsigned char h[32];
    sha256(token, strlen(token), h);
    memcpy(out, "sha256:", 7);
    for (int i = 0; i < 32; i++) snprintf(out + 7 + 2 * i, 3, "%02x", h[i]);
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads the token file: one token a line, raw (hashed at once, the copy
 * wiped) or "sha256:" + 64 hex digits; blank lines and # comments skipped. */
static rfx_status load_tokens(rfx_server *s, const char *path, rfx_error *err) {
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err->message, sizeof err->message, "%s: cannot read token file: %s", path, strerror(errno));
        return RFX_EINPUT;
    }
    char line[1024];
    size_t lineno = 0;
    rfx_status st = RFX_OK;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = 0;
        if (n == 0 || line[0] == '#') continue;
        unsigned char h[32];
        if (!strncmp(line, "sha256:", 7)) {
            if (n != 7 + 64) { st = RFX_EINPUT; break; }
            int bad = 0;
            for (int i = 0; i < 32; i++) {
                int hi = hexval(line[7 + 2 * i]), lo = hexval(line[8 + 2 * i]);
                if (hi < 0 || lo < 0) bad = 1;
                h[i] = (unsigned char)(hi * 16 + lo);
            }
            if (bad) { st = RFX_EINPUT; break; }
        } else {
            if (n < 16) {
                OPENSSL_cleanse(line, sizeof line);
                snprintf(err->message, sizeof err->message,
                         "%s:%zu: a token needs at least 16 characters", path, lineno);
                fclose(f);
                return RFX_EINPUT;
            }
            sha256(line, n, h);
        }
        OPENSSL_cleanse(line, sizeof line);
        void *p = realloc(s->tokens, (s->ntokens + 1) * sizeof *s->tokens);
        if (!p) { st = RFX_ENOMEM; break; }
        s->tokens = p;
        memcpy(s->tokens[s->ntokens++], h, 32);
    }
    OPENSSL_cleanse(line, sizeof line);
    fclose(f);
    if (st == RFX_EINPUT)
        snprintf(err->message, sizeof err->message,
                 "%s:%zu: a sha256: line needs 64 hex digits", path, lineno);
    else if (st == RFX_OK && s->ntokens == 0) {
        snprintf(err->message, sizeof err->message, "%s: no tokens in the token file", path);
        st = RFX_EINPUT;
    }
    return st;
}

/* Hashes the presented token and compares it with every stored hash in
 * constant time (no early exit, so the timing says nothing about which). */
static int token_ok(const rfx_server *s, const char *authz) {
    if (!authz || strncasecmp(authz, "Bearer ", 7)) return 0;
    const char *t = authz + 7;
    while (*t == ' ') t++;
    unsigned char h[32];
    sha256(t, strlen(t), h);
    int ok = 0;
    for (size_t i = 0; i < s->ntokens; i++) ok |= CRYPTO_memcmp(h, s->tokens[i], 32) == 0;
    return ok;
}

/* ---- rate limit: a token bucket per client address ---- */

static int addr_key(struct MHD_Connection *c, unsigned char key[16]) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    memset(key, 0, 16);
    if (!ci || !ci->client_addr) return 0;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) memcpy(key, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    else if (sa->sa_family == AF_INET6) memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    return 1;
}

static int rate_ok(rfx_server *s, struct MHD_Connection *c) {
    if (s->cfg.rate_per_ip == RFX_SERVER_UNLIMITED) return 1;
    unsigned char key[16];
    addr_key(c, key);
    unsigned h = 2166136261u;
    for (int i = 0; i < 16; i++) h = (h ^ key[i]) * 16777619u;
    double t = now_mono(), rate = s->cfg.rate_per_ip, burst = 2.0 * rate;
    int ok;
    pthread_mutex_lock(&s->lock);
    rate_slot *r = &s->rate[h % RATE_SLOTS];
    if (!r->used || memcmp(r->addr, key, 16)) {
        /* a new address takes the slot: a collision can only make the limit looser */
        memcpy(r->addr, key, 16);
        r->used = 1;
        r->tokens = burst;
        r->last = t;
    }
    r->tokens += (t - r->last) * rate;
    if (r->tokens > burst) r->tokens = burst;
    r->last = t;
    ok = r->tokens >= 1.0;
    if (ok) r->tokens -= 1.0;
    pthread_mutex_unlock(&s->lock);
    return ok;
}

/* Costly requests (diffs) run at most max_heavy at once; one more waits up
 * to half the request timeout for a turn, then gets 503 with Retry-After. */
static int heavy_enter(void *cls) {
    rfx_server *s = cls;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += s->cfg.request_timeout_s / 2 ? s->cfg.request_timeout_s / 2 : 1;
    int ok = 1;
    pthread_mutex_lock(&s->heavy_lock);
    while (s->heavy >= s->cfg.max_heavy && ok)
        if (pthread_cond_timedwait(&s->heavy_free, &s->heavy_lock, &until) == ETIMEDOUT) ok = s->heavy < s->cfg.max_heavy;
    if (ok) s->heavy++;
    pthread_mutex_unlock(&s->heavy_lock);
    return ok;
}

static void heavy_leave(void *cls) {
    rfx_server *s = cls;
    pthread_mutex_lock(&s->heavy_lock);
    s->heavy--;
    pthread_cond_signal(&s->heavy_free);
    pthread_mutex_unlock(&s->heavy_lock);
}

/* ---- connection deadlines: the slow-client watchdog ----
 * MHD's idle timeout closes a silent connection, but a client that trickles
 * one header byte every few seconds is never idle. Each connection therefore
 * carries a deadline (connect + request_timeout, renewed when an answer is
 * complete); a watchdog thread shuts down the socket of any connection past
 * it, and MHD then closes it. MHD reports a connection closed before it
 * closes the descriptor, and the list is changed under the same lock, so the
 * watchdog never touches a descriptor that was reused. */

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe) {
    rfx_server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        conn_track *t = calloc(1, sizeof *t);
        if (!t) return;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        t->fd = ci ? ci->connect_fd : -1;
        t->deadline = now_mono() + s->cfg.request_timeout_s;
        pthread_mutex_lock(&s->lock);
        t->next = s->conns;
        if (s->conns) s->conns->prev = t;
        s->conns = t;
        pthread_mutex_unlock(&s->lock);
        *socket_context = t;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        conn_track *t = *socket_context;
        pthread_mutex_lock(&s->lock);
        if (t->prev) t->prev->next = t->next;
        else s->conns = t->next;
        if (t->next) t->next->prev = t->prev;
        pthread_mutex_unlock(&s->lock);
        free(t);
        *socket_context = NULL;
    }
}

static void set_deadline(rfx_server *s, struct MHD_Connection *c, double when) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (!ci || !ci->socket_context) return;
    pthread_mutex_lock(&s->lock);
    ((conn_track *)ci->socket_context)->deadline = when;
    pthread_mutex_unlock(&s->lock);
}

static void *watchdog_main(void *arg) {
    rfx_server *s = arg;
    while (!atomic_load(&s->stopping)) {
        struct timespec ts = {0, 250 * 1000 * 1000};
        nanosleep(&ts, NULL);
        double t = now_mono();
        pthread_mutex_lock(&s->lock);
        for (conn_track *c = s->conns; c; c = c->next)
            if (c->fd >= 0 && t > c->deadline) {
                shutdown(c->fd, SHUT_RDWR);
                c->deadline = t + 3600; /* once is enough */
            }
        pthread_mutex_unlock(&s->lock);
    }
    return NULL;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
    rfx_server *s = cls;
    /* keep-alive: the next request gets a fresh allowance */
    set_deadline(s, c, now_mono() + s->cfg.request_timeout_s);
    *con_cls = NULL;
}

/* ---- responses ---- */

static const char *CSP =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static enum MHD_Result send_reply(rfx_server *s, struct MHD_Connection *c, const char *method,
                                  const char *url, serve_reply *r, int is_static, double t0) {
    if (!r->body) { /* out of memory while building the answer */
        static const char oom[] = "{\"error\": {\"status\": 503, \"message\": \"out of memory\"}}\n";
        r->status = 503;
        r->type = "application/json; charset=utf-8";
        r->body = malloc(sizeof oom);
        if (!r->body) return MHD_NO;
        memcpy(r->body, oom, sizeof oom);
        r->len = sizeof oom - 1;
    }
    struct MHD_Response *resp = is_static
        ? MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_PERSISTENT)
        : MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        if (!is_static) free(r->body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", r->type);
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control", is_static ? "no-cache" : "no-store");
    if (r->status == 405) MHD_add_response_header(resp, "Allow", "GET, HEAD");
    if (r->status == 401) MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"rfx\"");
    if (r->retry_after) {
        char ra[16];
        snprintf(ra, sizeof ra, "%u", r->retry_after);
        MHD_add_response_header(resp, "Retry-After", ra);
    }
    enum MHD_Result ret = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    if (s->cfg.access_log) {
        /* the decoded URL may hold any byte: one log line, no terminal escapes */
        char safe[201];
        size_t i = 0;
        for (; url[i] && i < sizeof safe - 1; i++) safe[i] = (unsigned char)url[i] < 0x20 || url[i] == 0x7f ? '?' : url[i];
        safe[i] = 0;
        fprintf(stderr, "rfx serve: %s %s %u %zu %.1fms\n", method, safe, r->status, r->len,
                (now_mono() - t0) * 1000.0);
    }
    return ret;
}

/* ---- query arguments ---- */

typedef struct args_ctx {
    serve_request *rq;
    int bad;
    char why[160];
} args_ctx;

int serve_text_ok(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_seq(p);
        if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7f))) return 0;
        p += n;
    }
    return 1;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
    args_ctx *a = cls;
    if (a->bad) return MHD_NO;
    if (!key || !*key) { a->bad = 1; snprintf(a->why, sizeof a->why, "empty parameter name"); return MHD_NO; }
    if (!value) value = "";
    if (strlen(key) > 32 || !serve_text_ok(key)) {
        a->bad = 1;
        snprintf(a->why, sizeof a->why, "malformed parameter name");
        return MHD_NO;
    }
    if (strlen(value) > SERVE_MAX_ARG_LEN || !serve_text_ok(value)) {
        a->bad = 1;
        snprintf(a->why, sizeof a->why, "parameter '%s': %s", key,
                 strlen(value) > SERVE_MAX_ARG_LEN ? "too long" : "not valid UTF-8 text");
        return MHD_NO;
    }
    serve_request *rq = a->rq;
    for (size_t i = 0; i < rq->nargs; i++)
        if (!strcmp(rq->name[i], key)) {
            a->bad = 1;
            snprintf(a->why, sizeof a->why, "parameter '%s' given twice", key);
            return MHD_NO;
        }
    if (rq->nargs == SERVE_MAX_ARGS) {
        a->bad = 1;
        snprintf(a->why, sizeof a->why, "too many parameters (at most %d)", SERVE_MAX_ARGS);
        return MHD_NO;
    }
    rq->name[rq->nargs] = key;
    rq->value[rq->nargs++] = value;
    return MHD_YES;
}

/* Percent-decoding of the path and the query, in place. A %00 would end the
 * C string early (/index.html%00.js would read as /index.html), so it
 * becomes a control character instead: no static path matches it and the
 * argument check refuses it. A malformed escape is kept as typed. */
size_t serve_unescape(char *s) {
    char *w = s;
    for (const char *r = s; *r; r++) {
        int hi, lo;
        if (*r == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0) {
            int v = hi * 16 + lo;
            *w++ = (char)(v ? v : 0x01);
            r += 2;
        } else *w++ = *r;
    }
    *w = 0;
    return (size_t)(w - s);
}

static size_t unescape(void *cls, struct MHD_Connection *c, char *s) {
    return serve_unescape(s);
}

/* On a loopback address, the Host header must name loopback too: a web page
 * elsewhere could otherwise point its own name at 127.0.0.1 (DNS rebinding)
 * and read the corpus from the user's browser as if it were same-origin. */
static int host_ok(const char *host) {
    if (!host) return 1; /* HTTP/1.0 without Host: not a browser */
    char name[256];
    size_t n;
    if (host[0] == '[') {
        const char *e = strchr(host, ']');
        if (!e) return 0;
        n = (size_t)(e - host - 1);
        host++;
    } else n = strcspn(host, ":");
    if (n == 0 || n >= sizeof name) return 0;
    memcpy(name, host, n);
    name[n] = 0;
    struct in_addr a4;
    struct in6_addr a6;
    if (!strcasecmp(name, "localhost")) return 1;
    if (inet_pton(AF_INET, name, &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, name, &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
    return 0;
}

/* ---- the request handler ---- */

static const char *page_paths[] = {"/", "/index.html", "/filing", "/diff", "/company", "/landscape", "/risk", NULL};

static int find_static(const char *url, serve_reply *r) {
    const char *want = url;
    for (int i = 0; page_paths[i]; i++)
        if (!strcmp(url, page_paths[i])) want = "/index.html";
    for (const rfx_web_asset *a = rfx_web_assets; a->path; a++)
        if (!strcmp(a->path, want)) {
            r->status = 200;
            r->type = a->type;
            r->body = (char *)a->data;
            r->len = a->len;
            return 1;
        }
    return 0;
}

/* Per-request state in *con_cls: the first call only looks at the method
 * and the declared body (answering at once, which closes the connection,
 * when either is refused); the answer is queued on the call after, when MHD
 * knows the request is complete, so keep-alive connections stay open. */
static int marker_started, marker_body, marker_answered;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
    rfx_server *s = cls;
    double t0 = now_mono();
    serve_reply r = {0};
    r.type = "application/json; charset=utf-8";
    if (*con_cls == &marker_answered) { /* a body arrived after a refusal: discard it */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*con_cls == NULL) {
        set_deadline(s, c, t0 + s->cfg.request_timeout_s);
        if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
            *con_cls = &marker_answered;
            serve_error(&r, 405, "method %.20s not allowed: this server only reads (GET, HEAD)", method);
            return send_reply(s, c, method, url, &r, 0, t0);
        }
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
        if ((cl && strcmp(cl, "0")) || te) {
            *con_cls = &marker_answered;
            serve_error(&r, 413, "a GET or HEAD request carries no body");
            return send_reply(s, c, method, url, &r, 0, t0);
        }
        *con_cls = &marker_started;
        return MHD_YES;
    }
    if (*upload_data_size) { /* undeclared body bytes: refuse once the request ends */
        *upload_data_size = 0;
        *con_cls = &marker_body;
        return MHD_YES;
    }
    if (*con_cls == &marker_body) {
        *con_cls = &marker_answered;
        serve_error(&r, 413, "a GET or HEAD request carries no body");
        return send_reply(s, c, method, url, &r, 0, t0);
    }
    *con_cls = &marker_answered;
    if (s->loopback_only && !host_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST))) {
        serve_error(&r, 403, "this server answers only to a loopback Host (127.0.0.1, localhost, [::1])");
        return send_reply(s, c, method, url, &r, 0, t0);
    }
    if (!rate_ok(s, c)) {
        serve_error(&r, 429, "too many requests from this address (limit %u a second)", s->cfg.rate_per_ip);
        r.retry_after = 1;
        return send_reply(s, c, method, url, &r, 0, t0);
    }
    if (strncmp(url, "/api/", 5) && strcmp(url, "/api")) {
        if (find_static(url, &r)) return send_reply(s, c, method, url, &r, 1, t0);
        serve_error(&r, 404, "no such page");
        return send_reply(s, c, method, url, &r, 0, t0);
    }
    if (s->ntokens &&
        !token_ok(s, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION))) {
        serve_error(&r, 401, "a bearer token is required (Authorization: Bearer TOKEN)");
        return send_reply(s, c, method, url, &r, 0, t0);
    }
    if (!serve_text_ok(url)) {
        serve_error(&r, 400, "the path is not valid UTF-8 text");
        return send_reply(s, c, method, url, &r, 0, t0);
    }
    serve_request rq = {0};
    rq.path = url + 4;
    args_ctx a = {&rq, 0, ""};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &a);
    if (a.bad) {
        serve_error(&r, 400, "%s", a.why);
        return send_reply(s, c, method, url, &r, 0, t0);
    }
    serve_stamp seen;
    if (serve_cache_get(s->cache, &rq, &r, &seen)) return send_reply(s, c, method, url, &r, 0, t0);
    serve_limits lim = {heavy_enter, heavy_leave, s, s->pool};
    serve_api_handle(&lim, &rq, &r);
    serve_cache_put(s->cache, &rq, &r, &seen);
    if (r.body && r.len > s->cfg.max_result_bytes) {
        size_t n = r.len;
        serve_error(&r, 503, "the answer (%zu bytes) is over the server's limit of %zu bytes; ask for a smaller page",
                    n, s->cfg.max_result_bytes);
    }
    return send_reply(s, c, method, url, &r, 0, t0);
}

/* ---- start and stop ---- */

void rfx_server_config_init(rfx_server_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
}

static void fill_defaults(rfx_server_config *c) {
    if (!c->listen) c->listen = "127.0.0.1:8080";
    if (!c->threads) c->threads = 4;
    if (!c->max_connections) c->max_connections = 64;
    if (!c->max_per_ip) c->max_per_ip = 16;
    if (!c->idle_timeout_s) c->idle_timeout_s = 10;
    if (!c->request_timeout_s) c->request_timeout_s = 30;
    if (!c->rate_per_ip) c->rate_per_ip = 100;
    if (!c->max_heavy) c->max_heavy = 2;
    if (!c->max_result_bytes) c->max_result_bytes = 16u << 20;
    if (!c->cache_bytes) c->cache_bytes = 64u << 20;
}

/* "127.0.0.1:8080", "[::1]:8080", "localhost:8080", "0.0.0.0:80" */
static rfx_status parse_listen(const char *spec, struct sockaddr_storage *ss, int *v6, int *loopback,
                               rfx_error *err) {
    char host[128];
    const char *colon;
    memset(ss, 0, sizeof *ss);
    if (spec[0] == '[') {
        const char *end = strchr(spec, ']');
        if (!end || end[1] != ':' || (size_t)(end - spec - 1) >= sizeof host) goto bad;
        memcpy(host, spec + 1, (size_t)(end - spec - 1));
        host[end - spec - 1] = 0;
        colon = end + 1;
    } else {
        colon = strrchr(spec, ':');
        if (!colon || (size_t)(colon - spec) >= sizeof host) goto bad;
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = 0;
    }
    char *e;
    errno = 0;
    long port = strtol(colon + 1, &e, 10);
    if (!colon[1] || *e || errno || port < 0 || port > 65535) goto bad;
    if (!strcmp(host, "localhost")) strcpy(host, "127.0.0.1");
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((unsigned short)port);
        *v6 = 0;
        *loopback = (ntohl(a4->sin_addr.s_addr) >> 24) == 127;
        return RFX_OK;
    }
    if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((unsigned short)port);
        *v6 = 1;
        *loopback = IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr);
        return RFX_OK;
    }
bad:
    snprintf(err->message, sizeof err->message,
             "--listen '%.200s': want ADDRESS:PORT with a numeric address (127.0.0.1:8080, [::1]:8080)", spec);
    return RFX_EUSAGE;
}

static char *read_pem(const char *path, rfx_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err->message, sizeof err->message, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(256 * 1024 + 1);
    size_t n = buf ? fread(buf, 1, 256 * 1024, f) : 0;
    fclose(f);
    if (!buf || n == 0 || n == 256 * 1024) {
        free(buf);
        snprintf(err->message, sizeof err->message, "%s: empty or larger than 256 KiB", path);
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

static void server_free(rfx_server *s) {
    if (!s) return;
    if (s->tokens) OPENSSL_cleanse(s->tokens, s->ntokens * sizeof *s->tokens);
    free(s->tokens);
    if (s->key_pem) OPENSSL_cleanse(s->key_pem, strlen(s->key_pem));
    free(s->key_pem);
    free(s->cert_pem);
    free(s->rate);
    serve_cache_free(s->cache);
    serve_pool_free(s->pool);
    free(s->db);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->heavy_lock);
    pthread_cond_destroy(&s->heavy_free);
    free(s);
}

rfx_status rfx_server_start(const rfx_server_config *cfg, rfx_server **out, rfx_error *err) {
    rfx_error scratch;
    if (!err) err = &scratch;
    err->code = RFX_OK;
    err->message[0] = 0;
    *out = NULL;
    rfx_server *s = calloc(1, sizeof *s);
    if (!s) return RFX_ENOMEM;
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->heavy_lock, NULL);
    pthread_cond_init(&s->heavy_free, NULL);
    s->cfg = *cfg;
    fill_defaults(&s->cfg);
    rfx_status st;
    struct sockaddr_storage ss;
    int v6 = 0, loopback = 0;
    if ((st = parse_listen(s->cfg.listen, &ss, &v6, &loopback, err)) != RFX_OK) goto fail;
    if (!!s->cfg.tls_cert != !!s->cfg.tls_key) {
        snprintf(err->message, sizeof err->message, "--tls-cert and --tls-key go together");
        st = RFX_EUSAGE;
        goto fail;
    }
    if (s->cfg.token_file && (st = load_tokens(s, s->cfg.token_file, err)) != RFX_OK) goto fail;
    if (!loopback && !s->ntokens && !s->cfg.public_ok) {
        snprintf(err->message, sizeof err->message,
                 "%s is not a loopback address: give --token-file (bearer tokens) or --public to serve it to anyone who can reach it",
                 s->cfg.listen);
        st = RFX_EUSAGE;
        goto fail;
    }
    s->loopback_only = loopback;
    s->db = s->cfg.db ? strdup(s->cfg.db) : NULL;
    s->rate = calloc(RATE_SLOTS, sizeof *s->rate);
    if (!s->rate || (s->cfg.db && !s->db)) { st = RFX_ENOMEM; goto fail; }
    if ((st = serve_api_check(s->db, err)) != RFX_OK) goto fail;
    if (s->cfg.cache_bytes != RFX_SERVER_UNLIMITED) s->cache = serve_cache_new(s->db, s->cfg.cache_bytes);
    if (!(s->pool = serve_pool_new(s->db, s->cfg.threads))) { st = RFX_ENOMEM; goto fail; }
    /* A thread per connection: a request waiting for the store or for a diff
     * slot blocks only its own connection (with a thread pool it would stall
     * every connection of its thread, and their idle timers would expire). */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
    if (v6) flags |= MHD_USE_IPv6;
    if (s->cfg.tls_cert) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            snprintf(err->message, sizeof err->message, "this libmicrohttpd is built without TLS");
            st = RFX_EUSAGE;
            goto fail;
        }
        if (!(s->cert_pem = read_pem(s->cfg.tls_cert, err)) || !(s->key_pem = read_pem(s->cfg.tls_key, err))) {
            st = RFX_EINPUT;
            goto fail;
        }
        flags |= MHD_USE_TLS;
    }
    struct MHD_OptionItem opts[16];
    int k = 0;
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &ss};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections, NULL};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT, s->cfg.max_per_ip, NULL};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.idle_timeout_s, NULL};
    /* request line + headers must fit in 16 KiB; more is refused with 431/414 */
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, 16 * 1024, NULL};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_BACKLOG_SIZE, 128, NULL};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)unescape, s};
    if (s->cert_pem) {
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert_pem};
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, s->key_pem};
    }
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!s->d) {
        snprintf(err->message, sizeof err->message,
                 "cannot listen on %s (address in use or not available%s)", s->cfg.listen,
                 s->cert_pem ? ", or the certificate and key do not load" : "");
        st = RFX_EINPUT;
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    if (pthread_create(&s->watchdog, NULL, watchdog_main, s) == 0) s->watchdog_running = 1;
    *out = s;
    return RFX_OK;
fail:
    err->code = st;
    server_free(s);
    return st;
}

unsigned rfx_server_port(const rfx_server *srv) {
    return srv ? srv->port : 0;
}

void rfx_server_stop(rfx_server *s) {
    if (!s) return;
    /* MHD_stop_daemon closes the listening socket and joins the workers,
     * which finish the requests they are answering first. */
    MHD_stop_daemon(s->d);
    atomic_store(&s->stopping, 1);
    if (s->watchdog_running) pthread_join(s->watchdog, NULL);
    server_free(s);
}
