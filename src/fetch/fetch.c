/*
 * fetch.c — rfx_fetch_run: list the filings a run wants (submissions API per
 * company, or a quarter's full-index), then download them with a pool of
 * threads sharing one pacer. Each filing lands in DIR/<CIK>/<accession>/
 * with rfx-fetch.json describing it; the metadata file is written last, and
 * every file goes through NAME.part → NAME, so what has a final name is
 * complete and a rerun can skip it after checking its size and sha256.
 */
#include "fetch/edgar.h"
#include "fetch/http.h"
#include "rfx_internal.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define META_NAME "rfx-fetch.json"

void rfx_fetch_options_init(rfx_fetch_options *o) {
    memset(o, 0, sizeof *o);
    o->rate = 8;
    o->retries = 5;
    o->jobs = 4;
    o->ticker_cache_seconds = 86400;
}

typedef struct run {
    const rfx_fetch_options *o;
    rfx_edgar_hosts hosts;
    rfx_edgar_filter filter;
    rfx_http_config hcfg;
    rfx_http_pacer *pacer;
    const char *dir;
    pthread_mutex_t mu; /* events, counters, the work index */
    rfx_fetch_summary sum;
    size_t next, done;
    /* phase 1: one list per company; phase 2: the filings */
    char (*cos)[11];
    size_t nco;
    rfx_edgar_list *per_co;
    rfx_edgar_list all;
} run;

/* ---- events (serialised) ---- */

static void emit(run *r, rfx_fetch_event *ev) {
    if (r->o->on_event) r->o->on_event(r->o->ctx, ev);
}

static void say(run *r, rfx_fetch_event_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(run *r, rfx_fetch_event_kind kind, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    rfx_fetch_event ev = {.kind = kind, .message = msg};
    pthread_mutex_lock(&r->mu);
    if (kind == RFX_FETCH_ERROR) r->sum.failed++;
    emit(r, &ev);
    pthread_mutex_unlock(&r->mu);
}

/* ---- files ---- */

static int mkdirs(const char *path) {
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof buf) { errno = ENAMETOOLONG; return -1; }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != 0) continue;
        char c = buf[i];
        buf[i] = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        buf[i] = c;
    }
    return 0;
}

static int file_sha256(const char *path, char hex[65], unsigned long long *bytes) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md) { fclose(f); return -1; }
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    unsigned char buf[65536];
    size_t k;
    unsigned long long n = 0;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0) {
        EVP_DigestUpdate(md, buf, k);
        n += k;
    }
    int bad = ferror(f);
    fclose(f);
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dl = 0;
    EVP_DigestFinal_ex(md, d, &dl);
    EVP_MD_CTX_free(md);
    if (bad) return -1;
    for (unsigned i = 0; i < dl && i < 32; i++) sprintf(hex + 2 * i, "%02x", d[i]);
    *bytes = n;
    return 0;
}

static char *path_join(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 2);
    if (!s) return NULL;
    memcpy(s, a, na);
    s[na] = '/';
    memcpy(s + na + 1, b, nb + 1);
    return s;
}

/* Writes JSON through NAME.part → NAME, flushed first. */
static int write_json_atomic(json_t *j, const char *path) {
    char *tmp = malloc(strlen(path) + 6);
    if (!tmp) return -1;
    sprintf(tmp, "%s.part", path);
    FILE *f = fopen(tmp, "wb");
    int rc = -1;
    if (f) {
        rc = json_dumpf(j, f, JSON_INDENT(2) | JSON_SORT_KEYS) == 0 && fputc('\n', f) != EOF &&
                     fflush(f) == 0 && fsync(fileno(f)) == 0
                 ? 0
                 : -1;
        if (fclose(f) != 0) rc = -1;
        if (rc == 0 && rename(tmp, path) != 0) rc = -1;
        if (rc != 0) unlink(tmp);
    }
    free(tmp);
    return rc;
}

/* ---- companies: tickers → CIKs ---- */

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *b = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 65537 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *nb = realloc(b, cap);
            if (!nb) { free(b); fclose(f); return NULL; }
            b = nb;
        }
        size_t k = fread(b + n, 1, 65536, f);
        n += k;
        if (k == 0) break;
    }
    fclose(f);
    b[n] = 0;
    *len = n;
    return b;
}

static rfx_edgar_tickers *load_tickers(run *r, rfx_http *h) {
    char *cache = path_join(r->dir, "company_tickers.json");
    if (!cache) return NULL;
    struct stat st;
    int have = stat(cache, &st) == 0;
    int fresh = have && time(NULL) - st.st_mtime < r->o->ticker_cache_seconds;
    rfx_edgar_tickers *t = NULL;
    rfx_error e;
    size_t len;
    char *body;
    if (fresh && (body = slurp(cache, &len))) {
        if (rfx_edgar_tickers_parse(body, len, &t, &e) != RFX_OK)
            say(r, RFX_FETCH_WARNING, "%s: %s; fetching it again", cache, e.message);
        free(body);
        if (t) { free(cache); return t; }
    }
    char *url = rfx_edgar_url_tickers(&r->hosts);
    rfx_http_result res;
    rfx_status s;
    body = NULL;
    if (r->o->dry_run) { /* a dry run writes nothing */
        s = url ? rfx_http_get_mem(h, url, &body, &len, &res, &e) : RFX_ENOMEM;
    } else {
        s = url ? rfx_http_get_file(h, url, cache, &res, &e) : RFX_ENOMEM;
        if (s == RFX_OK && !(body = slurp(cache, &len))) s = RFX_EINPUT;
    }
    if (s == RFX_OK && rfx_edgar_tickers_parse(body, len, &t, &e) != RFX_OK) {
        s = RFX_EINPUT;
        if (!r->o->dry_run) unlink(cache); /* do not keep a bad answer as the cache */
        have = 0;
    }
    free(body);
    if (s != RFX_OK && have && (body = slurp(cache, &len))) {
        rfx_error e2;
        if (rfx_edgar_tickers_parse(body, len, &t, &e2) == RFX_OK)
            say(r, RFX_FETCH_WARNING, "%s; using the older %s", e.message, cache);
        free(body);
    }
    if (!t) say(r, RFX_FETCH_ERROR, "cannot look up tickers (%zu not fetched): %s", r->o->ntickers, e.message);
    free(url);
    free(cache);
    return t;
}

static int add_company(run *r, const char *cik) {
    for (size_t i = 0; i < r->nco; i++)
        if (!strcmp(r->cos[i], cik)) return 0;
    char (*nv)[11] = realloc(r->cos, (r->nco + 1) * sizeof *nv);
    if (!nv) return -1;
    r->cos = nv;
    strcpy(r->cos[r->nco++], cik);
    return 0;
}

/* ---- phase 1: listing ---- */

static void list_company(run *r, rfx_http *h, size_t k) {
    const char *cik = r->cos[k];
    rfx_edgar_list *out = &r->per_co[k];
    char *url = rfx_edgar_url_submissions(&r->hosts, cik), *body = NULL, **pages = NULL;
    char *company = NULL;
    size_t len;
    rfx_http_result res;
    rfx_error e;
    rfx_status s = url ? rfx_http_get_mem(h, url, &body, &len, &res, &e) : RFX_ENOMEM;
    if (s == RFX_OK)
        s = rfx_edgar_parse_submissions(body, len, 0, cik, &r->filter, out, &pages, &company, &e);
    free(body);
    free(url);
    if (s != RFX_OK) {
        say(r, RFX_FETCH_ERROR, "CIK %s: %s", cik, s == RFX_ENOMEM ? "out of memory" : e.message);
        return;
    }
    for (char **p = pages; p && *p; p++) {
        rfx_edgar_list pl = {0};
        url = rfx_edgar_url_submissions_page(&r->hosts, *p);
        body = NULL;
        s = url ? rfx_http_get_mem(h, url, &body, &len, &res, &e) : RFX_ENOMEM;
        if (s == RFX_OK) s = rfx_edgar_parse_submissions(body, len, 1, cik, &r->filter, &pl, NULL, NULL, &e);
        free(body);
        free(url);
        for (size_t i = 0; s == RFX_OK && company && i < pl.n; i++)
            if (!(pl.v[i].company = strdup(company))) s = RFX_ENOMEM;
        if (s == RFX_OK && rfx_edgar_list_take(out, &pl) != 0) s = RFX_ENOMEM;
        rfx_edgar_list_free(&pl);
        if (s != RFX_OK)
            say(r, RFX_FETCH_ERROR, "CIK %s, older filings %s: %s", cik, *p,
                s == RFX_ENOMEM ? "out of memory" : e.message);
    }
    rfx_edgar_pages_free(pages);
    free(company);
}

static rfx_status list_quarter(run *r, rfx_http *h, rfx_error *err) {
    int y, q;
    rfx_edgar_quarter(r->o->quarter, &y, &q);
    const char *which[2] = {"form.idx", "company.idx"};
    for (int w = 0; w < 2; w++) {
        char *url = rfx_edgar_url_index(&r->hosts, y, q, which[w]), *body = NULL;
        size_t len, bad = 0;
        rfx_http_result res;
        rfx_error e;
        rfx_status s = url ? rfx_http_get_mem(h, url, &body, &len, &res, &e) : RFX_ENOMEM;
        free(url);
        if (s == RFX_ENOTFOUND && w == 0) { /* form.idx missing: company.idx lists the same */
            say(r, RFX_FETCH_WARNING, "%s; trying company.idx", e.message);
            continue;
        }
        if (s == RFX_OK) s = rfx_edgar_parse_index(body, len, &r->filter, &r->all, &bad, &e);
        free(body);
        if (s != RFX_OK) {
            say(r, RFX_FETCH_ERROR, "%s %s: %s", r->o->quarter, which[w], e.message);
            return RFX_OK;
        }
        if (bad) say(r, RFX_FETCH_WARNING, "%s %s: %zu unreadable rows skipped", r->o->quarter, which[w], bad);
        return RFX_OK;
    }
    (void)err;
    return RFX_OK;
}

/* ---- phase 2: one filing ---- */

typedef struct want {
    const char *rel;  /* path in the filing folder on EDGAR */
    char *url;
    char *path;       /* on disk */
    json_t *entry;    /* its files[] entry once complete */
} want;

/* A file listed in the old metadata with the same size and sha256 is complete. */
static json_t *verified(json_t *meta, const char *name, const char *path) {
    json_t *files = json_object_get(meta, "files");
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) {
        json_t *n = json_object_get(f, "name");
        if (!json_is_string(n) || strcmp(json_string_value(n), name)) continue;
        json_t *b = json_object_get(f, "bytes"), *s = json_object_get(f, "sha256");
        char hex[65] = "";
        unsigned long long got;
        if (!json_is_integer(b) || !json_is_string(s) || file_sha256(path, hex, &got) != 0) return NULL;
        if ((long long)got == json_integer_value(b) && !strcmp(hex, json_string_value(s)))
            return json_incref(f);
        return NULL;
    }
    return NULL;
}

static json_t *file_entry(const char *name, const char *url, unsigned long long bytes, const char *hex) {
    return json_pack("{s:s, s:s, s:I, s:s}", "name", name, "url", url, "bytes", (json_int_t)bytes,
                     "sha256", hex);
}

/* the period of report from a full submission's SGML header */
static void sgml_period(const char *path, char out[11]) {
    FILE *f = fopen(path, "rb");
    if (!f) return;
    char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = strstr(buf, "CONFORMED PERIOD OF REPORT:");
    if (!p) return;
    p += 27;
    while (*p == ' ' || *p == '\t') p++;
    for (int i = 0; i < 8; i++)
        if (p[i] < '0' || p[i] > '9') return;
    snprintf(out, 11, "%.4s-%.2s-%.2s", p, p + 4, p + 6);
}

static void fetch_filing(run *r, rfx_http *h, rfx_edgar_filing *f) {
    char sub[64];
    snprintf(sub, sizeof sub, "%s/%s", f->cik, f->accession);
    char *fdir = path_join(r->dir, sub), *meta_path = fdir ? path_join(fdir, META_NAME) : NULL;
    char full_rel[32];
    snprintf(full_rel, sizeof full_rel, "%s.txt", f->accession);
    want w[2] = {{0}};
    int nw = 0;
    w[nw++].rel = f->primary_doc ? f->primary_doc : full_rel;
    if (r->o->full && f->primary_doc && strcmp(rfx_edgar_doc_name(f->primary_doc), full_rel))
        w[nw++].rel = full_rel;
    int status = RFX_FETCH_SKIPPED, failed = 0;
    unsigned long long got_bytes = 0;
    char msg[1024] = "";
    json_t *old = NULL, *meta = NULL;
    if (!fdir || !meta_path) { snprintf(msg, sizeof msg, "out of memory"); failed = 1; goto done; }
    if (mkdirs(fdir) != 0) {
        snprintf(msg, sizeof msg, "%s: cannot create: %s", fdir, strerror(errno));
        failed = 1;
        goto done;
    }
    old = json_load_file(meta_path, 0, NULL);
    for (int i = 0; i < nw && !failed; i++) {
        w[i].url = rfx_edgar_url_doc(&r->hosts, f, w[i].rel);
        w[i].path = path_join(fdir, rfx_edgar_doc_name(w[i].rel));
        if (!w[i].url || !w[i].path) { snprintf(msg, sizeof msg, "out of memory"); failed = 1; break; }
        const char *name = rfx_edgar_doc_name(w[i].rel);
        if (old && (w[i].entry = verified(old, name, w[i].path))) continue;
        /* a file under its final name without metadata (a run killed between
         * the rename and the metadata) is complete by construction */
        char hex[65];
        unsigned long long b;
        if (!old && access(w[i].path, F_OK) == 0 && file_sha256(w[i].path, hex, &b) == 0) {
            w[i].entry = file_entry(name, w[i].url, b, hex);
            continue;
        }
        rfx_http_result res;
        rfx_error e;
        rfx_status s = rfx_http_get_file(h, w[i].url, w[i].path, &res, &e);
        if (s != RFX_OK) {
            snprintf(msg, sizeof msg, "%s", e.message);
            failed = 1;
            break;
        }
        status = RFX_FETCH_FETCHED;
        got_bytes += res.bytes;
        w[i].entry = file_entry(name, w[i].url, res.bytes, res.sha256);
    }
    if (failed) goto done;
    if (!f->report_date[0] && !f->primary_doc) sgml_period(w[0].path, f->report_date);
    if (status == RFX_FETCH_SKIPPED && old) goto done; /* nothing new: keep the metadata as is */
    meta = json_pack("{s:s, s:s?, s:s, s:s, s:s?, s:s, s:s, s:[]}", "cik", f->cik, "company",
                     f->company, "form", f->form, "filing_date", f->filing_date, "report_date",
                     f->report_date[0] ? f->report_date : NULL, "accession", f->accession,
                     "primary_document", rfx_edgar_doc_name(w[0].rel), "files");
    json_t *files = json_object_get(meta, "files");
    for (int i = 0; i < nw && files; i++) json_array_append(files, w[i].entry);
    json_object_set_new(meta, "fetched_by", json_string("rfx " RFX_VERSION));
    if (!files || write_json_atomic(meta, meta_path) != 0) {
        snprintf(msg, sizeof msg, "%s: cannot write: %s", meta_path, strerror(errno));
        failed = 1;
    }
done:;
    char cikacc[96];
    snprintf(cikacc, sizeof cikacc, "%s %s %s", f->cik, f->accession, f->form);
    pthread_mutex_lock(&r->mu);
    r->done++;
    r->sum.bytes += got_bytes;
    if (failed) {
        r->sum.failed++;
        char line[1200];
        snprintf(line, sizeof line, "%s: %s", cikacc, msg);
        rfx_fetch_event ev = {.kind = RFX_FETCH_ERROR, .message = line};
        emit(r, &ev);
    } else if (status == RFX_FETCH_FETCHED) {
        r->sum.fetched++;
    } else {
        r->sum.skipped++;
    }
    rfx_fetch_event ev = {.kind = RFX_FETCH_DONE, .cik = f->cik, .accession = f->accession,
                          .form = f->form, .filing_date = f->filing_date,
                          .report_date = f->report_date, .company = f->company, .url = w[0].url,
                          .dir = fdir, .document = failed ? NULL : w[0].path,
                          .sha256 = failed ? NULL : json_string_value(json_object_get(w[0].entry, "sha256")),
                          .status = failed ? RFX_FETCH_FAILED : status, .done = r->done,
                          .total = r->all.n, .bytes = r->sum.bytes,
                          .requests = rfx_http_pacer_requests(r->pacer)};
    emit(r, &ev);
    pthread_mutex_unlock(&r->mu);
    for (int i = 0; i < nw; i++) {
        free(w[i].url);
        free(w[i].path);
        json_decref(w[i].entry);
    }
    json_decref(old);
    json_decref(meta);
    free(meta_path);
    free(fdir);
}

/* ---- the pool ---- */

typedef struct worker { run *r; int phase; rfx_status st; rfx_error err; } worker;

static void *work(void *arg) {
    worker *wk = arg;
    run *r = wk->r;
    rfx_http *h = NULL;
    if ((wk->st = rfx_http_new(&r->hcfg, r->pacer, &h, &wk->err)) != RFX_OK) return NULL;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        size_t i = r->next++;
        pthread_mutex_unlock(&r->mu);
        if (wk->phase == 1 ? i >= r->nco : i >= r->all.n) break;
        if (wk->phase == 1) list_company(r, h, i);
        else fetch_filing(r, h, &r->all.v[i]);
    }
    rfx_http_free(h);
    return NULL;
}

static rfx_status pool(run *r, int phase, size_t items, rfx_error *err) {
    r->next = 0;
    int n = r->o->jobs < 1 ? 1 : r->o->jobs > 16 ? 16 : r->o->jobs;
    if ((size_t)n > items) n = items ? (int)items : 1;
    pthread_t t[16];
    worker wk[16];
    int started = 0;
    for (int i = 0; i < n; i++) {
        wk[i] = (worker){.r = r, .phase = phase};
        if (pthread_create(&t[i], NULL, work, &wk[i]) != 0) break;
        started++;
    }
    if (!started) work(&wk[0]), started = 0;
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < (started ? started : 1); i++)
        if (wk[i].st != RFX_OK) { *err = wk[i].err; return wk[i].st; }
    return RFX_OK;
}

/* ---- one filing once ---- */

static int by_key(const void *a, const void *b) {
    const rfx_edgar_filing *x = *(rfx_edgar_filing *const *)a, *y = *(rfx_edgar_filing *const *)b;
    int c = strcmp(x->cik, y->cik);
    if (!c) c = strcmp(x->accession, y->accession);
    return c ? c : (x < y ? -1 : x > y);
}

/* A filing listed twice (a duplicate index row, a CIK given twice) would
 * have two threads writing one NAME.part: keep the first, in list order. */
static void dedupe(rfx_edgar_list *l) {
    if (l->n < 2) return;
    rfx_edgar_filing **v = malloc(l->n * sizeof *v);
    char *drop = calloc(l->n, 1);
    if (!v || !drop) { free(v); free(drop); return; }
    for (size_t i = 0; i < l->n; i++) v[i] = &l->v[i];
    qsort(v, l->n, sizeof *v, by_key);
    for (size_t i = 1; i < l->n; i++)
        if (!strcmp(v[i]->cik, v[i - 1]->cik) && !strcmp(v[i]->accession, v[i - 1]->accession))
            drop[v[i] - l->v] = 1;
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (drop[i]) { free(l->v[i].company); free(l->v[i].primary_doc); continue; }
        l->v[k++] = l->v[i];
    }
    l->n = k;
    free(v);
    free(drop);
}

/* ---- options ---- */

static int ua_ok(const char *ua) {
    if (!ua || strlen(ua) > 500) return 0;
    for (const char *p = ua; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) return 0; /* no header injection */
    const char *at = strchr(ua, '@');
    return at && at > ua && at[-1] != ' ' && strchr(at, '.') && at[1] && at[1] != '.';
}

static rfx_status check(const rfx_fetch_options *o, run *r, rfx_error *err) {
    if (!o->user_agent || !*o->user_agent) {
        rfx_set_error(err, RFX_EUSAGE,
                      "no User-Agent: the SEC requires automated clients to declare who they are "
                      "with a contact email; pass --user-agent \"Your Name you@example.com\" or set "
                      "RFX_USER_AGENT");
        return RFX_EUSAGE;
    }
    if (!ua_ok(o->user_agent)) {
        rfx_set_error(err, RFX_EUSAGE,
                      "User-Agent '%.100s' has no contact email: the SEC requires one, e.g. "
                      "--user-agent \"Your Name you@example.com\"",
                      o->user_agent);
        return RFX_EUSAGE;
    }
    if (!(o->rate > 0) || o->rate > 10) {
        rfx_set_error(err, RFX_EUSAGE, "rate %g requests/s: must be more than 0 and at most 10 (SEC fair access)", o->rate);
        return RFX_EUSAGE;
    }
    if (o->retries < 1 || o->retries > 20) {
        rfx_set_error(err, RFX_EUSAGE, "retries %d: must be 1 to 20", o->retries);
        return RFX_EUSAGE;
    }
    if (rfx_edgar_hosts_init(&r->hosts, o->base_url) != 0) {
        rfx_set_error(err, RFX_EUSAGE, "base URL '%s' is not an http:// or https:// URL", o->base_url);
        return RFX_EUSAGE;
    }
    if (o->since && rfx_edgar_date_bound(o->since, 0, r->filter.since, err) != RFX_OK) return RFX_EUSAGE;
    if (o->until && rfx_edgar_date_bound(o->until, 1, r->filter.until, err) != RFX_OK) return RFX_EUSAGE;
    int y, q;
    if (o->quarter && !rfx_edgar_quarter(o->quarter, &y, &q)) {
        rfx_set_error(err, RFX_EUSAGE, "quarter '%s': expected YYYYQn, e.g. 2024Q1", o->quarter);
        return RFX_EUSAGE;
    }
    if (!o->quarter && !o->ntickers && !o->nciks) {
        rfx_set_error(err, RFX_EUSAGE, "nothing to fetch: give --ticker, --cik or --quarter");
        return RFX_EUSAGE;
    }
    for (size_t i = 0; i < o->nciks; i++) {
        char c[11];
        if (!rfx_edgar_cik_norm(o->ciks[i], c)) {
            rfx_set_error(err, RFX_EUSAGE, "'%s' is not a CIK (1 to 10 digits)", o->ciks[i]);
            return RFX_EUSAGE;
        }
    }
    for (size_t i = 0; i < o->ntickers; i++)
        if (!*o->tickers[i] || strlen(o->tickers[i]) > 15) {
            rfx_set_error(err, RFX_EUSAGE, "'%s' is not a ticker", o->tickers[i]);
            return RFX_EUSAGE;
        }
    return RFX_OK;
}

rfx_status rfx_fetch_check(const rfx_fetch_options *o, rfx_error *err) {
    run r;
    memset(&r, 0, sizeof r);
    return check(o, &r, err);
}

rfx_status rfx_fetch_run(const rfx_fetch_options *o, rfx_fetch_summary *sum, rfx_error *err) {
    run r;
    memset(&r, 0, sizeof r);
    memset(sum, 0, sizeof *sum);
    r.o = o;
    r.dir = o->out_dir && *o->out_dir ? o->out_dir : "edgar";
    rfx_status st = check(o, &r, err);
    if (st != RFX_OK) return st;
    r.filter.forms = o->forms;
    r.filter.nforms = o->nforms;
    r.filter.amendments = o->amendments;
    rfx_http_config_init(&r.hcfg);
    r.hcfg.user_agent = o->user_agent;
    r.hcfg.rate = o->rate;
    r.hcfg.attempts = o->retries;
    if (o->connect_timeout_ms > 0) r.hcfg.connect_timeout_ms = o->connect_timeout_ms;
    if (o->timeout_ms > 0) r.hcfg.timeout_ms = o->timeout_ms;
    if (o->stall_seconds > 0) r.hcfg.stall_seconds = o->stall_seconds;
    if (o->backoff_ms > 0) r.hcfg.backoff_ms = o->backoff_ms;
    if (!o->dry_run && mkdirs(r.dir) != 0) {
        rfx_set_error(err, RFX_EINPUT, "%s: cannot create: %s", r.dir, strerror(errno));
        return RFX_EINPUT;
    }
    if ((st = rfx_http_global_init(err)) != RFX_OK) return st;
    if (!(r.pacer = rfx_http_pacer_new(o->rate))) {
        rfx_http_global_cleanup();
        rfx_set_error(err, RFX_ENOMEM, "out of memory");
        return RFX_ENOMEM;
    }
    pthread_mutex_init(&r.mu, NULL);
    rfx_http *h = NULL;
    char **qciks = NULL;
    if ((st = rfx_http_new(&r.hcfg, r.pacer, &h, err)) != RFX_OK) goto out;

    /* companies: CIKs as given, then tickers through company_tickers.json */
    for (size_t i = 0; i < o->nciks; i++) {
        char c[11];
        rfx_edgar_cik_norm(o->ciks[i], c);
        if (add_company(&r, c) != 0) goto oom;
    }
    if (o->ntickers) {
        rfx_edgar_tickers *t = load_tickers(&r, h);
        for (size_t i = 0; i < o->ntickers; i++) {
            const char *c = t ? rfx_edgar_tickers_find(t, o->tickers[i], NULL) : NULL;
            if (c) {
                if (add_company(&r, c) != 0) { rfx_edgar_tickers_free(t); goto oom; }
            } else if (t) {
                say(&r, RFX_FETCH_ERROR, "ticker %s: not in company_tickers.json", o->tickers[i]);
            } /* no list: load_tickers said why, once */
        }
        rfx_edgar_tickers_free(t);
    }

    /* phase 1: the list */
    if (o->quarter) {
        if (o->ntickers || o->nciks) {
            if (!r.nco) goto summary; /* every company failed to resolve */
            if (!(qciks = calloc(r.nco, sizeof *qciks))) goto oom;
            for (size_t i = 0; i < r.nco; i++) qciks[i] = r.cos[i];
            r.filter.ciks = (const char *const *)qciks;
            r.filter.nciks = r.nco;
        }
        if ((st = list_quarter(&r, h, err)) != RFX_OK) goto out;
    } else if (r.nco) {
        if (!(r.per_co = calloc(r.nco, sizeof *r.per_co))) goto oom;
        if ((st = pool(&r, 1, r.nco, err)) != RFX_OK) goto out;
        for (size_t i = 0; i < r.nco; i++)
            if (rfx_edgar_list_take(&r.all, &r.per_co[i]) != 0) goto oom;
    }
    dedupe(&r.all);
    r.sum.listed = r.all.n;
    for (size_t i = 0; i < r.all.n; i++) {
        rfx_edgar_filing *f = &r.all.v[i];
        char full[32];
        snprintf(full, sizeof full, "%s.txt", f->accession);
        char *url = rfx_edgar_url_doc(&r.hosts, f, f->primary_doc ? f->primary_doc : full);
        rfx_fetch_event ev = {.kind = RFX_FETCH_LISTED, .cik = f->cik, .accession = f->accession,
                              .form = f->form, .filing_date = f->filing_date,
                              .report_date = f->report_date, .company = f->company, .url = url,
                              .total = r.all.n};
        emit(&r, &ev);
        free(url);
    }

    /* phase 2: the downloads */
    if (!o->dry_run && r.all.n) st = pool(&r, 2, r.all.n, err);
summary:
    r.sum.requests = rfx_http_pacer_requests(r.pacer);
    *sum = r.sum;
    goto out;
oom:
    rfx_set_error(err, RFX_ENOMEM, "out of memory");
    st = RFX_ENOMEM;
out:
    free(qciks);
    rfx_http_free(h);
    if (r.per_co)
        for (size_t i = 0; i < r.nco; i++) rfx_edgar_list_free(&r.per_co[i]);
    free(r.per_co);
    free(r.cos);
    rfx_edgar_list_free(&r.all);
    rfx_http_pacer_free(r.pacer);
    pthread_mutex_destroy(&r.mu);
    rfx_http_global_cleanup();
    return st;
}
