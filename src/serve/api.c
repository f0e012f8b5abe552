/*
 * api.c — rfx serve's JSON endpoints (docs/api.md). Each answer is the JSON
 * the store already renders for the CLI (rfx search --json and friends), so
 * the server adds routing, argument checks and HTTP statuses, not a second
 * view of the data. Two endpoints combine store calls: /diff (two stored
 * registers through rfx diff) and /companies/NAME/timeline (categories per
 * year for the company chart).
 *
 * Requests take a read-only store connection from a small pool: SQLite
 * connections are not shared, and readers in WAL mode do not wait for each
 * other or for an indexer.
 */
#include "serve/serve.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Snippet marks handed to the store: private-use code points that filing
 * text does not contain; app.js turns them into <mark> elements. */
#define MARK_OPEN "\xee\x80\x80"
#define MARK_CLOSE "\xee\x80\x81"

/* The store connections: opened on demand up to max, then reused. A
 * request takes one for its duration (SQLite connections are not shared
 * between threads); when all are busy it waits up to 10 s. */
struct serve_pool {
    pthread_mutex_t lock;
    pthread_cond_t idle_cv;
    char *db;
    unsigned max, open;
    size_t n_idle;
    rfx_store *idle[SERVE_MAX_POOL];
};

serve_pool *serve_pool_new(const char *db, unsigned max) {
    serve_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    if (db && !(p->db = strdup(db))) { free(p); return NULL; }
    p->max = max < 1 ? 1 : max > SERVE_MAX_POOL ? SERVE_MAX_POOL : max;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->idle_cv, NULL);
    return p;
}

/* Only once no request holds a connection (after MHD_stop_daemon). */
void serve_pool_free(serve_pool *p) {
    if (!p) return;
    for (size_t i = 0; i < p->n_idle; i++) rfx_store_close(p->idle[i]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->idle_cv);
    free(p->db);
    free(p);
}

rfx_status serve_api_check(const char *db, rfx_error *err) {
    rfx_store *s;
    rfx_status st = rfx_store_open(db, RFX_STORE_READONLY, &s, err);
    if (st != RFX_OK) return st;
    rfx_store_close(s);
    return RFX_OK;
}

/* *reused says whether the connection had served a request before (it may
 * have died since: a PostgreSQL server restarted, a backend terminated). */
static rfx_store *pool_get(serve_pool *p, serve_reply *out, int *reused) {
    *reused = 0;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&p->lock);
    while (!p->n_idle && p->open >= p->max)
        if (pthread_cond_timedwait(&p->idle_cv, &p->lock, &until) == ETIMEDOUT && !p->n_idle && p->open >= p->max) {
            pthread_mutex_unlock(&p->lock);
            serve_error(out, 503, "the server is busy; try again in a moment");
            out->retry_after = 1;
            return NULL;
        }
    if (p->n_idle) {
        rfx_store *s = p->idle[--p->n_idle];
        pthread_mutex_unlock(&p->lock);
        *reused = 1;
        return s;
    }
    p->open++;
    pthread_mutex_unlock(&p->lock);
    rfx_store *s;
    rfx_error err;
    if (rfx_store_open(p->db, RFX_STORE_READONLY, &s, &err) == RFX_OK) return s;
    pthread_mutex_lock(&p->lock);
    p->open--;
    pthread_cond_signal(&p->idle_cv);
    pthread_mutex_unlock(&p->lock);
    serve_error(out, 503, "the corpus cannot be opened: %s", err.message);
    out->retry_after = 5;
    return NULL;
}

/* A connection whose request failed with 503 (the store unreadable, the
 * database server gone) is closed rather than kept: libpq does not
 * reconnect by itself, and a dead connection kept in the pool would answer
 * 503 for ever. The next request opens a fresh one. */
static void pool_discard(serve_pool *p, rfx_store *s) {
    rfx_store_close(s);
    pthread_mutex_lock(&p->lock);
    p->open--;
    pthread_cond_signal(&p->idle_cv);
    pthread_mutex_unlock(&p->lock);
}

/* Closes every idle connection: when one died with the database server,
 * the others opened before did too, and a retry must not take one of them. */
static void pool_drop_idle(serve_pool *p) {
    rfx_store *drop[SERVE_MAX_POOL];
    pthread_mutex_lock(&p->lock);
    size_t n = p->n_idle;
    memcpy(drop, p->idle, n * sizeof *drop);
    p->n_idle = 0;
    p->open -= (unsigned)n;
    pthread_cond_broadcast(&p->idle_cv);
    pthread_mutex_unlock(&p->lock);
    for (size_t i = 0; i < n; i++) rfx_store_close(drop[i]);
}

static void pool_put(serve_pool *p, rfx_store *s) {
    pthread_mutex_lock(&p->lock);
    p->idle[p->n_idle++] = s;
    pthread_cond_signal(&p->idle_cv);
    pthread_mutex_unlock(&p->lock);
}

/* rfx_status of a store call -> HTTP status */
static unsigned http_status(rfx_status st) {
    switch (st) {
    case RFX_EUSAGE: return 400;
    case RFX_ENOTFOUND: return 404;
    case RFX_ENOMEM: return 503;
    case RFX_EINPUT: return 503; /* the database is unreadable or locked */
    default: return 500;
    }
}

static void reply_json(serve_reply *out, char *json) {
    out->status = 200;
    out->type = "application/json; charset=utf-8";
    out->body = json;
    out->len = json ? strlen(json) : 0;
}

static void store_failed(serve_reply *out, rfx_status st, const rfx_error *err, char *json) {
    /* an ambiguous company comes with {"error":..., "matches":[...]}: keep the matches */
    if (json && st == RFX_EUSAGE) {
        json_error_t je;
        json_t *o = json_loads(json, 0, &je);
        free(json);
        if (o && json_is_object(o)) {
            json_t *m = json_object_get(o, "matches");
            json_t *e = json_pack("{s:{s:i,s:s}}", "error", "status", 400, "message", err->message);
            if (e && m) json_object_set(e, "matches", m);
            char *s = e ? json_dumps(e, JSON_COMPACT) : NULL;
            json_decref(e);
            json_decref(o);
            if (s) {
                out->status = 400;
                out->type = "application/json; charset=utf-8";
                out->body = s;
                out->len = strlen(s);
                return;
            }
        } else json_decref(o);
    } else free(json);
    serve_error(out, http_status(st), "%s", err->message[0] ? err->message : "the store failed");
}

/* ---- arguments ---- */

static const char *arg(const serve_request *rq, const char *name) {
    for (size_t i = 0; i < rq->nargs; i++)
        if (!strcmp(rq->name[i], name)) return rq->value[i];
    return NULL;
}

/* Every argument must be one the endpoint knows: a typo is an error, not a
 * silently ignored filter. allowed is a NULL-terminated list. */
static int check_args(const serve_request *rq, const char *const *allowed, serve_reply *out) {
    for (size_t i = 0; i < rq->nargs; i++) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++) ok |= !strcmp(*a, rq->name[i]);
        if (!ok) {
            serve_error(out, 400, "unknown parameter '%s'", rq->name[i]);
            return 0;
        }
    }
    return 1;
}

/* A whole decimal number in [lo, hi]; absent -> dflt. */
static int num_arg(const serve_request *rq, const char *name, long lo, long hi, long dflt, long *v,
                   serve_reply *out) {
    const char *s = arg(rq, name);
    if (!s || !*s) { *v = dflt; return 1; }
    char *e;
    errno = 0;
    long x = strtol(s, &e, 10);
    if (*e || errno || x < lo || x > hi || s[0] == '+' || s[0] == ' ') {
        serve_error(out, 400, "parameter '%s' must be a whole number from %ld to %ld", name, lo, hi);
        return 0;
    }
    *v = x;
    return 1;
}

static int id_from_path(const char *p, long *id) {
    if (!*p || *p == '0' || strlen(p) > 15) return 0;
    char *e;
    errno = 0;
    long x = strtol(p, &e, 10);
    if (*e || errno || x <= 0) return 0;
    *id = x;
    return 1;
}

static const char *opt_str(const serve_request *rq, const char *name) {
    const char *s = arg(rq, name);
    return s && *s ? s : NULL;
}

/* The filters search, filings and export share. */
static int fill_query(const serve_request *rq, rfx_store_query *q, long dflt_limit, long max_limit,
                      serve_reply *out) {
    long y, yf, yt, limit, offset;
    rfx_store_query_init(q);
    q->text = opt_str(rq, "q");
    q->company = opt_str(rq, "company");
    q->cik = opt_str(rq, "cik");
    q->form = opt_str(rq, "form");
    q->category = opt_str(rq, "category");
    q->status = opt_str(rq, "status");
    if (!num_arg(rq, "year", 1900, 2200, 0, &y, out) || !num_arg(rq, "year_from", 1900, 2200, 0, &yf, out) ||
        !num_arg(rq, "year_to", 1900, 2200, 0, &yt, out) ||
        !num_arg(rq, "limit", 1, max_limit, dflt_limit, &limit, out) ||
        !num_arg(rq, "offset", 0, 1000000, 0, &offset, out))
        return 0;
    if (y && (yf || yt)) {
        serve_error(out, 400, "give year, or year_from/year_to, not both");
        return 0;
    }
    q->year_from = (int)(y ? y : yf);
    q->year_to = (int)(y ? y : yt);
    q->limit = limit;
    q->offset = offset;
    q->mark_open = MARK_OPEN;
    q->mark_close = MARK_CLOSE;
    return 1;
}

/* ---- endpoints ---- */

static void api_index(serve_reply *out) {
    static const char idx[] =
        "{\"rfx\": \"" RFX_VERSION "\", \"endpoints\": [\"/api/search\", \"/api/filings\", "
        "\"/api/filings/{id}\", \"/api/risks/{id}\", \"/api/diff?new={id}&old={id}\", "
        "\"/api/companies/{name}/history\", \"/api/companies/{name}/timeline\", \"/api/stats?by=category\"], "
        "\"docs\": \"docs/api.md\"}\n";
    reply_json(out, strdup(idx));
}

static void api_search(rfx_store *s, const serve_request *rq, serve_reply *out) {
    static const char *const allowed[] = {"q", "company", "cik", "form", "category", "status", "year",
                                          "year_from", "year_to", "limit", "offset", NULL};
    rfx_store_query q;
    if (!check_args(rq, allowed, out) || !fill_query(rq, &q, 20, 100, out)) return;
    char *json = NULL;
    rfx_error err = {0};
    rfx_status st = rfx_store_search(s, &q, &json, &err);
    if (st != RFX_OK) store_failed(out, st, &err, json);
    else reply_json(out, json);
}

static void api_filings(rfx_store *s, const serve_request *rq, serve_reply *out) {
    static const char *const allowed[] = {"company", "cik", "form", "year", "year_from", "year_to",
                                          "limit", "offset", NULL};
    rfx_store_query q;
    if (!check_args(rq, allowed, out) || !fill_query(rq, &q, 50, 1000, out)) return;
    char *json = NULL;
    rfx_error err = {0};
    rfx_status st = rfx_store_filings(s, &q, &json, &err);
    if (st != RFX_OK) store_failed(out, st, &err, json);
    else reply_json(out, json);
}

static void api_filing(rfx_store *s, const serve_request *rq, const char *idp, serve_reply *out) {
    static const char *const allowed[] = {NULL};
    long id;
    if (!check_args(rq, allowed, out)) return;
    if (!id_from_path(idp, &id)) { serve_error(out, 404, "no filing '%.40s' (ids are positive numbers)", idp); return; }
    char *json = NULL;
    rfx_error err = {0};
    rfx_status st = rfx_store_filing(s, id, &json, &err);
    if (st == RFX_ENOTFOUND) { free(json); serve_error(out, 404, "no filing %ld", id); }
    else if (st != RFX_OK) store_failed(out, st, &err, json);
    else reply_json(out, json);
}

static void api_risk(rfx_store *s, const serve_request *rq, const char *idp, serve_reply *out) {
    static const char *const allowed[] = {NULL};
    long id;
    if (!check_args(rq, allowed, out)) return;
    if (!id_from_path(idp, &id)) { serve_error(out, 404, "no risk '%.40s' (ids are positive numbers)", idp); return; }
    char *json = NULL;
    rfx_error err = {0};
    rfx_status st = rfx_store_risk(s, id, &json, &err);
    if (st == RFX_ENOTFOUND) { free(json); serve_error(out, 404, "no risk %ld", id); }
    else if (st != RFX_OK) store_failed(out, st, &err, json);
    else reply_json(out, json);
}

static void api_stats(rfx_store *s, const serve_request *rq, serve_reply *out) {
    static const char *const allowed[] = {"by", NULL};
    if (!check_args(rq, allowed, out)) return;
    const char *by = opt_str(rq, "by");
    if (by && strcmp(by, "category") && strcmp(by, "year") && strcmp(by, "company") && strcmp(by, "form")) {
        serve_error(out, 400, "by must be category, year, company or form");
        return;
    }
    char *json = NULL;
    rfx_error err = {0};
    rfx_status st = rfx_store_stats(s, by, &json, &err);
    if (st != RFX_OK) store_failed(out, st, &err, json);
    else reply_json(out, json);
}

static void api_history(rfx_store *s, const serve_request *rq, const char *name, serve_reply *out) {
    static const char *const allowed[] = {"form", NULL};
    if (!check_args(rq, allowed, out)) return;
    char *json = NULL;
    rfx_error err = {0};
    rfx_status st = rfx_store_history(s, name, opt_str(rq, "form"), &json, &err);
    if (st == RFX_EUSAGE && !json) { serve_error(out, 404, "%s", err.message); return; }
    if (st != RFX_OK) store_failed(out, st, &err, json);
    else reply_json(out, json);
}

/* ---- filing facts through the store's JSON ---- */

/* The "filing" object of rfx_store_filing (facts + ids), or NULL. With
 * reg_out, the stored register too. The caller json_decref's both. */
static json_t *filing_facts(rfx_store *s, long id, json_t **reg_out, serve_reply *out) {
    char *json = NULL;
    rfx_error err = {0};
    rfx_status st = rfx_store_filing(s, id, &json, &err);
    if (st == RFX_ENOTFOUND) { free(json); serve_error(out, 404, "no filing %ld", id); return NULL; }
    if (st != RFX_OK) { store_failed(out, st, &err, json); return NULL; }
    json_error_t je;
    json_t *o = json_loads(json, 0, &je);
    free(json);
    json_t *f = o ? json_object_get(o, "filing") : NULL;
    if (!json_is_object(f)) {
        json_decref(o);
        serve_error(out, 500, "the store's filing %ld has no facts", id);
        return NULL;
    }
    json_incref(f);
    if (reg_out) {
        *reg_out = json_object_get(o, "register");
        json_incref(*reg_out);
    }
    json_decref(o);
    return f;
}

static long jint(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    if (json_is_integer(v)) return (long)json_integer_value(v);
    if (json_is_string(v)) return strtol(json_string_value(v), NULL, 10);
    return 0;
}

static const char *jstr(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static long filing_id_of(json_t *f) {
    long id = jint(f, "id");
    return id ? id : jint(f, "filing_id");
}

/* Year then period: the order of a company's filings. */
static int filing_before(json_t *a, json_t *b) {
    long ya = jint(a, "fiscal_year"), yb = jint(b, "fiscal_year");
    if (ya != yb) return ya < yb;
    const char *pa = jstr(a, "period"), *pb = jstr(b, "period");
    int c = strcmp(pa ? pa : "", pb ? pb : "");
    if (c) return c < 0;
    return filing_id_of(a) < filing_id_of(b);
}

/* The company's filings of one form (rfx_store_filings), as a jansson array. */
static json_t *company_filings(rfx_store *s, const char *cik, const char *company, const char *form,
                               serve_reply *out) {
    rfx_store_query q;
    rfx_store_query_init(&q);
    q.cik = cik;
    q.company = cik ? NULL : company;
    q.form = form;
    q.limit = 1000;
    char *json = NULL;
    rfx_error err = {0};
    rfx_status st = rfx_store_filings(s, &q, &json, &err);
    if (st != RFX_OK) { store_failed(out, st, &err, json); return NULL; }
    json_error_t je;
    json_t *o = json_loads(json, 0, &je);
    free(json);
    json_t *arr = o ? json_object_get(o, "filings") : NULL;
    if (!json_is_array(arr)) { json_decref(o); serve_error(out, 500, "the store's filing list is malformed"); return NULL; }
    json_incref(arr);
    json_decref(o);
    return arr;
}

static void api_diff(rfx_store *s, const serve_limits *lim, const serve_request *rq, serve_reply *out) {
    static const char *const allowed[] = {"new", "old", NULL};
    long nid, oid;
    if (!check_args(rq, allowed, out) || !num_arg(rq, "new", 1, 1L << 50, 0, &nid, out) ||
        !num_arg(rq, "old", 1, 1L << 50, 0, &oid, out))
        return;
    if (!nid) { serve_error(out, 400, "diff needs new=FILING_ID (and old=FILING_ID, default the previous filing)"); return; }
    json_t *nf = filing_facts(s, nid, NULL, out), *of = NULL;
    if (!nf) return;
    if (oid) {
        of = filing_facts(s, oid, NULL, out);
    } else {
        /* the previous filing of the same company and form */
        json_t *list = company_filings(s, jstr(nf, "cik"), jstr(nf, "company"), jstr(nf, "form"), out);
        if (list) {
            size_t i;
            json_t *f, *best = NULL;
            json_array_foreach(list, i, f) {
                if (filing_id_of(f) == nid || !filing_before(f, nf)) continue;
                if (!best || filing_before(best, f)) best = f;
            }
            if (best) { oid = filing_id_of(best); of = filing_facts(s, oid, NULL, out); }
            else serve_error(out, 404, "filing %ld has no earlier filing of the same company and form to compare with", nid);
            json_decref(list);
        }
    }
    if (!of) { json_decref(nf); return; }
    if (!lim->heavy_enter(lim->cls)) {
        json_decref(nf);
        json_decref(of);
        serve_error(out, 503, "the server is busy computing other diffs; try again in a moment");
        out->retry_after = 1;
        return;
    }
    rfx_register *a = NULL, *b = NULL;
    rfx_diff *d = NULL;
    rfx_error err = {0};
    rfx_status st = rfx_store_load_register(s, oid, &a, &err);
    if (st == RFX_OK) st = rfx_store_load_register(s, nid, &b, &err);
    if (st == RFX_OK) st = rfx_diff_compute(a, b, &d, &err);
    char *dj = st == RFX_OK ? rfx_diff_json(d, 0) : NULL;
    rfx_diff_free(d);
    rfx_register_free(a);
    rfx_register_free(b);
    lim->heavy_leave(lim->cls);
    if (st != RFX_OK) { json_decref(nf); json_decref(of); store_failed(out, st, &err, NULL); return; }
    char *ofs = json_dumps(of, JSON_COMPACT), *nfs = json_dumps(nf, JSON_COMPACT);
    json_decref(nf);
    json_decref(of);
    /* rfx diff's JSON object, with the two filings' facts in front */
    serve_buf buf = {0};
    if (dj && ofs && nfs && dj[0] == '{') {
        sb_puts(&buf, "{\"old_filing\": ");
        sb_puts(&buf, ofs);
        sb_puts(&buf, ", \"new_filing\": ");
        sb_puts(&buf, nfs);
        sb_puts(&buf, ",");
        sb_puts(&buf, dj + 1);
    } else buf.failed = 1;
    free(dj);
    free(ofs);
    free(nfs);
    if (buf.failed) { free(buf.p); serve_error(out, 503, "out of memory"); return; }
    reply_json(out, buf.p);
}

/* The company chart: per filing (one form, oldest first) the risks by
 * primary category, with added/removed from the store's lineage history. */
static void api_timeline(rfx_store *s, const serve_request *rq, const char *name, serve_reply *out) {
    static const char *const allowed[] = {"form", NULL};
    if (!check_args(rq, allowed, out)) return;
    const char *form = opt_str(rq, "form");
    /* history first: it resolves names, tickers and CIKs, and refuses an ambiguous name */
    char *hjson = NULL;
    rfx_error err = {0};
    rfx_status st = rfx_store_history(s, name, form, &hjson, &err);
    if (st == RFX_EUSAGE && !hjson) { serve_error(out, 404, "%s", err.message); return; }
    if (st != RFX_OK) { store_failed(out, st, &err, hjson); return; }
    json_error_t je;
    json_t *h = json_loads(hjson, 0, &je);
    free(hjson);
    json_t *hf = h ? json_object_get(h, "filings") : NULL;
    if (!json_is_array(hf)) { json_decref(h); serve_error(out, 500, "the store's history is malformed"); return; }
    /* one form: the one asked for, else the most frequent */
    const char *use_form = form;
    if (!use_form) {
        size_t i, j, best = 0;
        json_t *f, *g;
        json_array_foreach(hf, i, f) {
            size_t n = 0;
            const char *fi = jstr(f, "form");
            json_array_foreach(hf, j, g) {
                const char *fj = jstr(g, "form");
                n += fi && fj && !strcmp(fi, fj);
            }
            if (n > best) { best = n; use_form = fi; }
        }
    }
    json_t *years = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(hf, i, f) {
        const char *fm = jstr(f, "form");
        if (use_form && (!fm || strcmp(fm, use_form))) continue;
        if (json_array_size(years) >= 60) break;
        long fid = filing_id_of(f);
        json_t *reg = NULL;
        json_t *facts = filing_facts(s, fid, &reg, out);
        if (!facts) { json_decref(years); json_decref(h); return; }
        json_t *cats = json_object();
        json_t *risks = reg ? json_object_get(reg, "risks") : NULL;
        size_t k, total = 0;
        json_t *r;
        json_array_foreach(risks, k, r) {
            total++;
            json_t *c0 = json_array_get(json_object_get(r, "categories"), 0);
            const char *cid = c0 ? jstr(c0, "id") : NULL;
            if (!cid) cid = "uncategorised";
            json_object_set_new(cats, cid, json_integer(jint(cats, cid) + 1));
        }
        json_t *counts = json_object_get(f, "counts");
        if (!json_is_object(counts)) counts = f;
        json_t *row = json_pack("{s:I,s:I,s:s?,s:s?,s:I,s:o,s:I,s:I}", "year",
                                (json_int_t)(jint(facts, "fiscal_year") ? jint(facts, "fiscal_year") : jint(f, "fiscal_year")),
                                "filing_id", (json_int_t)fid, "form", fm, "period", jstr(facts, "period"),
                                "total", (json_int_t)total, "categories", cats, "added",
                                (json_int_t)jint(counts, "added"), "removed", (json_int_t)jint(counts, "removed"));
        if (row) json_array_append_new(years, row);
        json_decref(facts);
        json_decref(reg);
    }
    /* history's "company" is an object (company, cik, ...) */
    json_t *co = json_object_get(h, "company");
    json_t *who = json_is_object(co) ? co : h;
    json_t *res = json_pack("{s:s?,s:s?,s:s?,s:o}", "company", jstr(who, "company"), "cik", jstr(who, "cik"),
                            "form", use_form, "years", years);
    char *js = res ? json_dumps(res, JSON_COMPACT) : NULL;
    json_decref(res);
    json_decref(h);
    if (!js) { serve_error(out, 503, "out of memory"); return; }
    reply_json(out, js);
}

static void api_route(rfx_store *s, const serve_limits *lim, const serve_request *rq, serve_reply *out);

void serve_api_handle(const serve_limits *lim, const serve_request *rq, serve_reply *out) {
    const char *p = rq->path;
    if (!strcmp(p, "") || !strcmp(p, "/")) { api_index(out); return; }
    int reused;
    rfx_store *s = pool_get(lim->pool, out, &reused);
    if (!s) return;
    api_route(s, lim, rq, out);
    /* 503 with Retry-After is "busy" (a healthy connection); without, the store failed */
    if (out->status != 503 || out->retry_after) { pool_put(lim->pool, s); return; }
    pool_discard(lim->pool, s);
    if (!reused) return;
    pool_drop_idle(lim->pool);
    /* once more on a fresh connection: the old one may have died idle */
    free(out->body);
    memset(out, 0, sizeof *out);
    if (!(s = pool_get(lim->pool, out, &reused))) return;
    api_route(s, lim, rq, out);
    if (out->status == 503 && !out->retry_after) pool_discard(lim->pool, s);
    else pool_put(lim->pool, s);
}

static void api_route(rfx_store *s, const serve_limits *lim, const serve_request *rq, serve_reply *out) {
    const char *p = rq->path;
    if (!strcmp(p, "/search")) api_search(s, rq, out);
    else if (!strcmp(p, "/filings")) api_filings(s, rq, out);
    else if (!strncmp(p, "/filings/", 9)) api_filing(s, rq, p + 9, out);
    else if (!strncmp(p, "/risks/", 7)) api_risk(s, rq, p + 7, out);
    else if (!strcmp(p, "/diff")) api_diff(s, lim, rq, out);
    else if (!strcmp(p, "/stats")) api_stats(s, rq, out);
    else if (!strncmp(p, "/companies/", 11)) {
        const char *name = p + 11, *slash = strrchr(name, '/');
        char buf[SERVE_MAX_ARG_LEN + 1];
        size_t n = slash ? (size_t)(slash - name) : 0;
        if (!slash || n == 0 || n > SERVE_MAX_ARG_LEN) { serve_error(out, 404, "no such endpoint (see /api/)"); return; }
        memcpy(buf, name, n);
        buf[n] = 0;
        if (!serve_text_ok(buf)) { serve_error(out, 400, "the company name is not valid UTF-8 text"); return; }
        if (!strcmp(slash, "/history")) api_history(s, rq, buf, out);
        else if (!strcmp(slash, "/timeline")) api_timeline(s, rq, buf, out);
        else serve_error(out, 404, "no such endpoint (see /api/)");
    } else serve_error(out, 404, "no such endpoint (see /api/)");
}
