/*
 * store.c — the corpus store's front door: picks a backend by URI and
 * forwards every call through its table, one call at a time per store.
 *
 * The mutex makes one rfx_store safe to share between the indexer's parse
 * workers (which ask has_sha256 to skip unchanged files) and its writer,
 * and between an HTTP server's threads, without each backend having to
 * think about it.
 */
#include "store_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct rfx_store {
    const store_ops *ops;
    void *impl;
    pthread_mutex_t mu;
};

rfx_status rfx_store_open(const char *uri, unsigned flags, rfx_store **out, rfx_error *err) {
    *out = NULL;
    if (err) { err->code = 0; err->message[0] = 0; }
    if (!uri || !*uri) uri = getenv("RFX_DB");
    if (!uri || !*uri) uri = "rfx.db";
    const store_ops *ops = &store_sqlite_ops;
    const char *path = uri;
    if (!strncmp(uri, "sqlite:", 7)) path = uri + 7;
    else if (!strncmp(uri, "postgresql://", 13) || !strncmp(uri, "postgres://", 11)) {
        rfx_set_error(err, RFX_EUSAGE, "%s: the PostgreSQL backend is not built into this rfx", uri);
        return RFX_EUSAGE;
    }
    if (!*path) {
        rfx_set_error(err, RFX_EUSAGE, "empty database path");
        return RFX_EUSAGE;
    }
    rfx_store *s = calloc(1, sizeof *s);
    if (!s) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    rfx_status st = store_sqlite_open(path, flags, &s->impl, err);
    if (st != RFX_OK) { free(s); return st; }
    s->ops = ops;
    pthread_mutex_init(&s->mu, NULL);
    *out = s;
    return RFX_OK;
}

void rfx_store_close(rfx_store *s) {
    if (!s) return;
    s->ops->close(s->impl);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

const char *rfx_store_backend(const rfx_store *s) { return s ? s->ops->name : NULL; }

void rfx_store_query_init(rfx_store_query *q) { memset(q, 0, sizeof *q); }

#define LOCKED(s, call)                                                                            \
    do {                                                                                           \
        pthread_mutex_lock(&(s)->mu);                                                              \
        rfx_status st_ = (call);                                                                   \
        pthread_mutex_unlock(&(s)->mu);                                                            \
        return st_;                                                                                \
    } while (0)

static rfx_status bad_args(rfx_error *err) {
    rfx_set_error(err, RFX_EUSAGE, "store: missing argument");
    return RFX_EUSAGE;
}

rfx_status rfx_store_add(rfx_store *s, const rfx_register *reg, const char *source_path,
                         rfx_store_outcome *outcome, rfx_error *err) {
    if (!s || !reg) return bad_args(err);
    rfx_store_outcome dummy;
    LOCKED(s, s->ops->add(s->impl, reg, source_path ? source_path : reg->path,
                          outcome ? outcome : &dummy, err));
}

/* Not under s->mu: a parse worker asking must not wait for the writer's
 * whole transaction, or parsing and storing would take turns. */
int rfx_store_has_sha256(rfx_store *s, const char *sha256) {
    if (!s || !sha256) return -1;
    return s->ops->has_sha256(s->impl, sha256);
}

rfx_status rfx_store_add_ticker(rfx_store *s, const char *ticker, const char *cik,
                                const char *company, rfx_error *err) {
    if (!s || !ticker || !*ticker) return bad_args(err);
    LOCKED(s, s->ops->add_ticker(s->impl, ticker, cik, company, err));
}

rfx_status rfx_store_search(rfx_store *s, const rfx_store_query *q, char **json, rfx_error *err) {
    if (!s || !q || !json) return bad_args(err);
    *json = NULL;
    LOCKED(s, s->ops->search(s->impl, q, json, err));
}

rfx_status rfx_store_filings(rfx_store *s, const rfx_store_query *q, char **json, rfx_error *err) {
    if (!s || !q || !json) return bad_args(err);
    *json = NULL;
    LOCKED(s, s->ops->filings(s->impl, q, json, err));
}

rfx_status rfx_store_filing(rfx_store *s, long id, char **json, rfx_error *err) {
    if (!s || !json) return bad_args(err);
    *json = NULL;
    LOCKED(s, s->ops->filing(s->impl, id, json, err));
}

rfx_status rfx_store_risk(rfx_store *s, long id, char **json, rfx_error *err) {
    if (!s || !json) return bad_args(err);
    *json = NULL;
    LOCKED(s, s->ops->risk(s->impl, id, json, err));
}

rfx_status rfx_store_history(rfx_store *s, const char *who, const char *form, char **json,
                             rfx_error *err) {
    if (!s || !who || !json) return bad_args(err);
    *json = NULL;
    LOCKED(s, s->ops->history(s->impl, who, form, json, err));
}

rfx_status rfx_store_stats(rfx_store *s, const char *by, char **json, rfx_error *err) {
    if (!s || !json) return bad_args(err);
    *json = NULL;
    LOCKED(s, s->ops->stats(s->impl, by ? by : "category", json, err));
}

rfx_status rfx_store_export(rfx_store *s, const rfx_store_query *q, const char *format, FILE *out,
                            rfx_error *err) {
    if (!s || !q || !format || !out) return bad_args(err);
    LOCKED(s, s->ops->export_rows(s->impl, q, format, out, err));
}

rfx_status rfx_store_load_register(rfx_store *s, long id, rfx_register **out, rfx_error *err) {
    if (!s || !out) return bad_args(err);
    *out = NULL;
    LOCKED(s, s->ops->load_register(s->impl, id, out, err));
}

rfx_status rfx_store_check(rfx_store *s, rfx_error *err) {
    if (!s) return bad_args(err);
    LOCKED(s, s->ops->check(s->impl, err));
}

rfx_status rfx_register_set_fact(rfx_register *reg, const char *field, const char *value,
                                 rfx_error *err) {
    if (!reg || !field) return bad_args(err);
    const char *v = value ? rfx_arena_strdup(reg->arena, value) : NULL;
    if (value && !v) { rfx_set_error(err, RFX_ENOMEM, "out of memory"); return RFX_ENOMEM; }
    rfx_filing *f = &reg->filing;
    if (!strcmp(field, "form")) f->form = v;
    else if (!strcmp(field, "company")) f->company = v;
    else if (!strcmp(field, "cik")) f->cik = v;
    else if (!strcmp(field, "period")) f->period = v;
    else if (!strcmp(field, "fiscal_year_end")) f->fiscal_year_end = v;
    else if (!strcmp(field, "sha256")) {
        size_t n = v ? strlen(v) : 0;
        if (n != 64) { rfx_set_error(err, RFX_EUSAGE, "sha256 must be 64 hex digits"); return RFX_EUSAGE; }
        for (size_t i = 0; i < 64; i++) reg->sha256[i] = (char)tolower((unsigned char)v[i]);
        reg->sha256[64] = 0;
    } else {
        rfx_set_error(err, RFX_EUSAGE, "unknown filing fact '%s'", field);
        return RFX_EUSAGE;
    }
    return RFX_OK;
}

const char *rfx_register_fact(const rfx_register *reg, const char *field) {
    if (!reg || !field) return NULL;
    const rfx_filing *f = &reg->filing;
    if (!strcmp(field, "form")) return f->form;
    if (!strcmp(field, "company")) return f->company;
    if (!strcmp(field, "cik")) return f->cik;
    if (!strcmp(field, "period")) return f->period;
    if (!strcmp(field, "fiscal_year_end")) return f->fiscal_year_end;
    if (!strcmp(field, "sha256")) return reg->sha256[0] ? reg->sha256 : NULL;
    return NULL;
}

/* ---------------- company names ---------------- */

/* Words that say what kind of company it is, not which one. */
static bool legal_word(const char *w, size_t n) {
    static const char *const words[] = {"the", "inc", "incorporated", "corp", "corporation", "co",
                                        "company", "ltd", "limited", "plc", "llc", "lp", "sa",
                                        "nv", "ag", "se", "holdings", "group", "de", "del", NULL};
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == n && !strncmp(words[i], w, n)) return true;
    return false;
}

/* Splits s into lowercase ASCII-alnum words (other bytes ≥ 0x80 kept as part
 * of words, so non-English names still compare). Calls fn for each. */
static void each_word(const char *s, void (*fn)(void *, const char *, size_t), void *ctx) {
    char w[128];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        unsigned char c = *p;
        bool wc = isalnum(c) || c >= 0x80;
        if (wc && n < sizeof w - 1) w[n++] = (char)tolower(c);
        else if (!wc || !c) {
            if (n) fn(ctx, w, n);
            n = 0;
        }
        if (!c) break;
    }
}

typedef struct wacc {
    char *out;
    size_t len, cap;
    bool oom;
} wacc;

static void norm_word(void *ctx, const char *w, size_t n) {
    wacc *a = ctx;
    if (a->oom || legal_word(w, n)) return;
    if (a->len + n + 2 > a->cap) {
        size_t nc = (a->cap + n + 2) * 2;
        char *no = realloc(a->out, nc);
        if (!no) { a->oom = true; return; }
        a->out = no;
        a->cap = nc;
    }
    if (a->len) a->out[a->len++] = ' ';
    memcpy(a->out + a->len, w, n);
    a->len += n;
    a->out[a->len] = 0;
}

char *store_name_norm(const char *name) {
    wacc a = {0};
    if (name) each_word(name, norm_word, &a);
    if (a.oom) { free(a.out); return NULL; }
    if (!a.out) a.out = calloc(1, 1);
    return a.out;
}

static void all_word(void *ctx, const char *w, size_t n) {
    wacc *a = ctx;
    if (a->oom) return;
    if (a->len + n + 3 > a->cap) {
        size_t nc = (a->cap + n + 3) * 2;
        char *no = realloc(a->out, nc);
        if (!no) { a->oom = true; return; }
        a->out = no;
        a->cap = nc;
    }
    if (!a->len) a->out[a->len++] = ' ';
    memcpy(a->out + a->len, w, n);
    a->len += n;
    a->out[a->len++] = ' ';
    a->out[a->len] = 0;
}

typedef struct hasctx {
    const char *hay; /* " w1 w2 ... " */
    bool all;
} hasctx;

static void has_word(void *ctx, const char *w, size_t n) {
    hasctx *h = ctx;
    char needle[132];
    snprintf(needle, sizeof needle, " %.*s ", (int)n, w);
    if (!strstr(h->hay, needle)) h->all = false;
}

bool store_name_has_words(const char *name, const char *words) {
    if (!name || !words) return false;
    wacc a = {0};
    each_word(name, all_word, &a);
    if (a.oom || !a.out) { free(a.out); return false; }
    hasctx h = {a.out, true};
    wacc probe = {0};
    each_word(words, all_word, &probe); /* at least one word asked for */
    bool any = probe.out != NULL;
    free(probe.out);
    if (any) each_word(words, has_word, &h);
    free(a.out);
    return any && h.all;
}
