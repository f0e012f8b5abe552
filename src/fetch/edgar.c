/*
 * edgar.c — EDGAR URLs and the readers of company_tickers.json, the
 * submissions JSON and full-index form.idx/company.idx (edgar.h). Input is
 * untrusted: jansson reads the JSON (json_loadb, exact length), the index is
 * read line by line without copying it, and every field that later becomes
 * part of a URL or a path is validated here.
 */
#include "fetch/edgar.h"

#include "rfx_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- lists ---- */

static void filing_free(rfx_edgar_filing *f) {
    free(f->company);
    free(f->primary_doc);
}

void rfx_edgar_list_free(rfx_edgar_list *l) {
    if (!l) return;
    for (size_t i = 0; i < l->n; i++) filing_free(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static rfx_edgar_filing *list_push(rfx_edgar_list *l) {
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        rfx_edgar_filing *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) return NULL;
        l->v = nv;
        l->cap = nc;
    }
    rfx_edgar_filing *f = &l->v[l->n++];
    memset(f, 0, sizeof *f);
    return f;
}

int rfx_edgar_list_take(rfx_edgar_list *dst, rfx_edgar_list *src) {
    for (size_t i = 0; i < src->n; i++) {
        rfx_edgar_filing *f = list_push(dst);
        if (!f) return -1;
        *f = src->v[i];
    }
    free(src->v);
    src->v = NULL;
    src->n = src->cap = 0;
    return 0;
}

/* ---- small validators ---- */

static void copy_field(char *dst, size_t cap, const char *s, size_t n) {
    if (n >= cap) n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = 0;
}

int rfx_edgar_cik_norm(const char *s, char out[11]) {
    if (!s) return 0;
    size_t n = strlen(s);
    if (n == 0 || n > 10) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    while (n > 1 && *s == '0') { s++; n--; }
    if (n == 1 && *s == '0') return 0;
    memcpy(out, s, n + 1);
    return 1;
}

static int is_date(const char *s, size_t n) {
    if (n != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return 0;
    return 1;
}

static int is_accession(const char *s, size_t n) {
    if (n != 20 || s[10] != '-' || s[13] != '-') return 0;
    for (size_t i = 0; i < 20; i++)
        if (i != 10 && i != 13 && !isdigit((unsigned char)s[i])) return 0;
    return 1;
}

/* form types are short printable ASCII ("10-K", "SC 13G/A", "424B4") */
static int is_form(const char *s, size_t n) {
    if (n == 0 || n >= sizeof ((rfx_edgar_filing *)0)->form) return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e) return 0;
    return 1;
}

int rfx_edgar_safe_doc(const char *p) {
    if (!p || !*p || strlen(p) > 200) return 0;
    const char *seg = p;
    for (const char *c = p;; c++) {
        if (*c == '/' || *c == 0) {
            size_t n = (size_t)(c - seg);
            if (n == 0 || seg[0] == '.') return 0; /* "", ".", "..", hidden names */
            if (!*c) /* nor the names rfx fetch gives its own files */
                return strcmp(seg, "rfx-fetch.json") && !(n >= 5 && !strcmp(c - 5, ".part"));
            seg = c + 1;
            continue;
        }
        if (!isalnum((unsigned char)*c) && *c != '.' && *c != '_' && *c != '-') return 0;
    }
}

const char *rfx_edgar_doc_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int rfx_edgar_quarter(const char *s, int *year, int *q) {
    if (!s || strlen(s) != 6 || (s[4] != 'Q' && s[4] != 'q')) return 0;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    if (s[5] < '1' || s[5] > '4') return 0;
    *year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *q = s[5] - '0';
    return *year >= 1993; /* full-index starts in 1993 */
}

static int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

rfx_status rfx_edgar_date_bound(const char *s, int upper, char out[11], rfx_error *err) {
    int y = 0, m = 0, d = 0;
    size_t n = s ? strlen(s) : 0;
    int ok = 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]) && !((i == 4 || i == 7) && s[i] == '-')) goto bad;
    if (n == 4) {
        ok = sscanf(s, "%4d", &y) == 1;
        m = upper ? 12 : 1;
        d = upper ? 31 : 1;
    } else if (n == 7 && s[4] == '-') {
        ok = sscanf(s, "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12;
        if (ok) d = upper ? days_in_month(y, m) : 1;
    } else if (n == 10 && s[4] == '-' && s[7] == '-') {
        ok = sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 &&
             d <= days_in_month(y, m);
    }
    if (ok && y >= 1900 && y <= 2999) {
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
        return RFX_OK;
    }
bad:
    rfx_set_error(err, RFX_EUSAGE, "'%s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", s ? s : "");
    return RFX_EUSAGE;
}

int rfx_edgar_form_wanted(const rfx_edgar_filter *f, const char *form) {
    size_t n = strlen(form);
    int amend = n > 2 && !strcmp(form + n - 2, "/A");
    if (amend && !f->amendments) return 0;
    if (!f->forms) return 1;
    size_t base = amend ? n - 2 : n;
    for (size_t i = 0; i < f->nforms; i++)
        if (strlen(f->forms[i]) == base && !strncasecmp(f->forms[i], form, base)) return 1;
    return 0;
}

int rfx_edgar_date_wanted(const rfx_edgar_filter *f, const char *date) {
    if (f->since[0] && strcmp(date, f->since) < 0) return 0;
    if (f->until[0] && strcmp(date, f->until) > 0) return 0;
    return 1;
}

static int cik_wanted(const rfx_edgar_filter *f, const char *cik) {
    if (!f->ciks) return 1;
    for (size_t i = 0; i < f->nciks; i++)
        if (!strcmp(f->ciks[i], cik)) return 1;
    return 0;
}

/* ---- URLs ---- */

int rfx_edgar_hosts_init(rfx_edgar_hosts *h, const char *base) {
    if (!base) {
        strcpy(h->www, "https://www.sec.gov");
        strcpy(h->data, "https://data.sec.gov");
        return 0;
    }
    size_t n = strlen(base);
    while (n > 0 && base[n - 1] == '/') n--;
    if (n >= sizeof h->www || (strncmp(base, "http://", 7) && strncmp(base, "https://", 8)) ||
        n <= 8)
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)base[i] <= 0x20 || (unsigned char)base[i] >= 0x7f) return -1;
    copy_field(h->www, sizeof h->www, base, n);
    copy_field(h->data, sizeof h->data, base, n);
    return 0;
}

static char *url_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *url_fmt(const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

char *rfx_edgar_url_tickers(const rfx_edgar_hosts *h) {
    return url_fmt("%s/files/company_tickers.json", h->www);
}

char *rfx_edgar_url_submissions(const rfx_edgar_hosts *h, const char *cik) {
    return url_fmt("%s/submissions/CIK%010lu.json", h->data, strtoul(cik, NULL, 10));
}

char *rfx_edgar_url_submissions_page(const rfx_edgar_hosts *h, const char *page_name) {
    return url_fmt("%s/submissions/%s", h->data, page_name);
}

static void acc_nodash(const char *acc, char out[19]) {
    size_t k = 0;
    for (const char *c = acc; *c && k < 18; c++)
        if (*c != '-') out[k++] = *c;
    out[k] = 0;
}

char *rfx_edgar_url_doc(const rfx_edgar_hosts *h, const rfx_edgar_filing *f, const char *doc) {
    char nd[19];
    acc_nodash(f->accession, nd);
    return url_fmt("%s/Archives/edgar/data/%s/%s/%s", h->www, f->cik, nd, doc);
}

char *rfx_edgar_url_full(const rfx_edgar_hosts *h, const rfx_edgar_filing *f) {
    char nd[19];
    acc_nodash(f->accession, nd);
    return url_fmt("%s/Archives/edgar/data/%s/%s/%s.txt", h->www, f->cik, nd, f->accession);
}

char *rfx_edgar_url_index(const rfx_edgar_hosts *h, int year, int q, const char *which) {
    return url_fmt("%s/Archives/edgar/full-index/%d/QTR%d/%s", h->www, year, q, which);
}

/* ---- JSON ---- */

static rfx_status json_fail(rfx_error *err, const char *what, const json_error_t *je) {
    rfx_set_error(err, RFX_EINPUT, "%s: malformed JSON at line %d column %d: %s", what, je->line,
                  je->column, je->text);
    return RFX_EINPUT;
}

struct rfx_edgar_tickers {
    struct tk { char ticker[16]; char cik[11]; char *title; } *v;
    size_t n;
};

rfx_status rfx_edgar_tickers_parse(const char *json, size_t len, rfx_edgar_tickers **out,
                                   rfx_error *err) {
    *out = NULL;
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) return json_fail(err, "company_tickers.json", &je);
    if (!json_is_object(root)) {
        json_decref(root);
        rfx_set_error(err, RFX_EINPUT, "company_tickers.json: not a JSON object of companies");
        return RFX_EINPUT;
    }
    rfx_edgar_tickers *t = calloc(1, sizeof *t);
    if (t) t->v = calloc(json_object_size(root) + 1, sizeof *t->v);
    if (!t || !t->v) {
        free(t);
        json_decref(root);
        rfx_set_error(err, RFX_ENOMEM, "company_tickers.json: out of memory");
        return RFX_ENOMEM;
    }
    const char *key;
    json_t *e;
    json_object_foreach(root, key, e) {
        json_t *jc = json_object_get(e, "cik_str"), *jt = json_object_get(e, "ticker");
        json_t *jn = json_object_get(e, "title");
        char buf[24];
        struct tk *k = &t->v[t->n];
        if (json_is_integer(jc) && json_integer_value(jc) > 0 &&
            json_integer_value(jc) <= 9999999999LL)
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(jc));
        else if (json_is_string(jc))
            snprintf(buf, sizeof buf, "%s", json_string_value(jc));
        else
            continue;
        if (!rfx_edgar_cik_norm(buf, k->cik) || !json_is_string(jt)) continue;
        const char *tick = json_string_value(jt);
        if (!*tick || strlen(tick) >= sizeof k->ticker) continue;
        strcpy(k->ticker, tick);
        k->title = json_is_string(jn) ? strdup(json_string_value(jn)) : NULL;
        t->n++;
    }
    json_decref(root);
    if (t->n == 0) {
        rfx_edgar_tickers_free(t);
        rfx_set_error(err, RFX_EINPUT, "company_tickers.json: no company entries (cik_str, ticker)");
        return RFX_EINPUT;
    }
    *out = t;
    return RFX_OK;
}

const char *rfx_edgar_tickers_find(const rfx_edgar_tickers *t, const char *ticker,
                                   const char **title) {
    for (size_t i = 0; t && i < t->n; i++)
        if (!strcasecmp(t->v[i].ticker, ticker)) {
            if (title) *title = t->v[i].title;
            return t->v[i].cik;
        }
    return NULL;
}

size_t rfx_edgar_tickers_count(const rfx_edgar_tickers *t) { return t ? t->n : 0; }

void rfx_edgar_tickers_free(rfx_edgar_tickers *t) {
    if (!t) return;
    for (size_t i = 0; i < t->n; i++) free(t->v[i].title);
    free(t->v);
    free(t);
}

void rfx_edgar_pages_free(char **pages) {
    if (!pages) return;
    for (char **p = pages; *p; p++) free(*p);
    free(pages);
}

static const char *col_str(json_t *arr, size_t i, size_t *n) {
    json_t *v = json_array_get(arr, i);
    if (!json_is_string(v)) return NULL;
    *n = json_string_length(v);
    return json_string_value(v);
}

/* the columnar arrays of "recent" (or of an older page) */
static rfx_status read_columns(json_t *cols, const char *cik, const char *company,
                               const rfx_edgar_filter *f, rfx_edgar_list *out, rfx_error *err) {
    json_t *acc = json_object_get(cols, "accessionNumber"), *date = json_object_get(cols, "filingDate");
    json_t *form = json_object_get(cols, "form"), *rep = json_object_get(cols, "reportDate");
    json_t *prim = json_object_get(cols, "primaryDocument");
    if (!json_is_array(acc) || !json_is_array(date) || !json_is_array(form)) {
        rfx_set_error(err, RFX_EINPUT,
                      "submissions: no accessionNumber/filingDate/form arrays (not a submissions document)");
        return RFX_EINPUT;
    }
    size_t rows = json_array_size(acc);
    for (size_t i = 0; i < rows; i++) {
        size_t na = 0, nd = 0, nf = 0, nr = 0, np = 0;
        const char *a = col_str(acc, i, &na), *d = col_str(date, i, &nd), *fm = col_str(form, i, &nf);
        if (!a || !d || !fm || !is_accession(a, na) || !is_date(d, nd) || !is_form(fm, nf)) continue;
        if (!rfx_edgar_form_wanted(f, fm) || !rfx_edgar_date_wanted(f, d)) continue;
        const char *r = col_str(rep, i, &nr), *p = col_str(prim, i, &np);
        rfx_edgar_filing *x = list_push(out);
        if (!x) goto oom;
        snprintf(x->cik, sizeof x->cik, "%s", cik);
        memcpy(x->accession, a, 20);
        memcpy(x->filing_date, d, 10);
        memcpy(x->form, fm, nf);
        if (r && is_date(r, nr)) memcpy(x->report_date, r, 10);
        if (company && !(x->company = strdup(company))) goto oom;
        /* an unsafe or empty name falls back to the full-submission .txt */
        if (p && np && strlen(p) == np && rfx_edgar_safe_doc(p) && !(x->primary_doc = strdup(p)))
            goto oom;
    }
    return RFX_OK;
oom:
    rfx_set_error(err, RFX_ENOMEM, "submissions: out of memory");
    return RFX_ENOMEM;
}

static int page_wanted(const rfx_edgar_filter *f, json_t *pg) {
    json_t *from = json_object_get(pg, "filingFrom"), *to = json_object_get(pg, "filingTo");
    if (json_is_string(to) && f->since[0] && strcmp(json_string_value(to), f->since) < 0) return 0;
    if (json_is_string(from) && f->until[0] && strcmp(json_string_value(from), f->until) > 0) return 0;
    return 1;
}

/* older pages are named like CIK0000320193-submissions-001.json */
static int safe_page_name(const char *s) {
    size_t n = strlen(s);
    if (n < 6 || n > 100 || strcmp(s + n - 5, ".json")) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.') return 0;
    return s[0] != '.';
}

rfx_status rfx_edgar_parse_submissions(const char *json, size_t len, int page, const char *cik,
                                       const rfx_edgar_filter *f, rfx_edgar_list *out,
                                       char ***pages, char **company, rfx_error *err) {
    if (pages) *pages = NULL;
    if (company) *company = NULL;
    json_error_t je;
    json_t *root = json_loadb(json, len, 0, &je);
    if (!root) return json_fail(err, "submissions", &je);
    rfx_status st = RFX_OK;
    if (!json_is_object(root)) {
        rfx_set_error(err, RFX_EINPUT, "submissions: not a JSON object");
        st = RFX_EINPUT;
        goto out;
    }
    if (page) {
        st = read_columns(root, cik, NULL, f, out, err);
        goto out;
    }
    json_t *filings = json_object_get(root, "filings");
    json_t *recent = json_object_get(filings, "recent");
    if (!json_is_object(recent)) {
        rfx_set_error(err, RFX_EINPUT, "submissions: no filings.recent object (not a submissions document)");
        st = RFX_EINPUT;
        goto out;
    }
    json_t *jn = json_object_get(root, "name");
    const char *name = json_is_string(jn) ? json_string_value(jn) : NULL;
    if (company && name && !(*company = strdup(name))) goto oom;
    st = read_columns(recent, cik, name, f, out, err);
    if (st != RFX_OK || !pages) goto out;
    json_t *files = json_object_get(filings, "files");
    size_t nf = json_is_array(files) ? json_array_size(files) : 0;
    char **pv = calloc(nf + 1, sizeof *pv);
    if (!pv) goto oom;
    size_t k = 0;
    for (size_t i = 0; i < nf; i++) {
        json_t *pg = json_array_get(files, i), *nm = json_object_get(pg, "name");
        if (!json_is_string(nm) || !safe_page_name(json_string_value(nm)) || !page_wanted(f, pg))
            continue;
        if (!(pv[k++] = strdup(json_string_value(nm)))) {
            rfx_edgar_pages_free(pv);
            goto oom;
        }
    }
    *pages = pv;
out:
    json_decref(root);
    if (st != RFX_OK && company) { free(*company); *company = NULL; }
    return st;
oom:
    json_decref(root);
    if (company) { free(*company); *company = NULL; }
    rfx_set_error(err, RFX_ENOMEM, "submissions: out of memory");
    return RFX_ENOMEM;
}

/* ---- full-index ---- */

static const char *find_in(const char *s, size_t n, const char *needle) {
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(s + i, needle, k)) return s + i;
    return NULL;
}

static void trim(const char **s, size_t *n) {
    while (*n && isspace((unsigned char)**s)) { (*s)++; (*n)--; }
    while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

/* Splits off the last whitespace-separated token of s[0..*n). */
static int last_token(const char *s, size_t *n, const char **tok, size_t *tn) {
    size_t e = *n;
    while (e && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
    size_t b = e;
    while (b && s[b - 1] != ' ' && s[b - 1] != '\t') b--;
    if (b == e) return 0;
    *tok = s + b;
    *tn = e - b;
    *n = b;
    return 1;
}

rfx_status rfx_edgar_parse_index(const char *text, size_t len, const rfx_edgar_filter *f,
                                 rfx_edgar_list *out, size_t *bad, rfx_error *err) {
    size_t nbad = 0;
    int form_first = -1; /* form.idx: 1, company.idx: 0 */
    size_t col2 = 0;     /* where the second column starts */
    int in_rows = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *line = p;
        p = nl ? nl + 1 : end;
        if (n && line[n - 1] == '\r') n--;
        if (!in_rows) {
            const char *ft = find_in(line, n, "Form Type"), *cn = find_in(line, n, "Company Name");
            if (ft && cn && find_in(line, n, "CIK") && find_in(line, n, "File Name")) {
                form_first = ft < cn;
                col2 = (size_t)((form_first ? cn : ft) - line);
            } else if (form_first >= 0 && n > 10 && line[0] == '-' && line[n - 1] == '-') {
                in_rows = 1;
            }
            continue;
        }
        size_t m = n;
        const char *file, *date, *cik;
        size_t fln, dn, cn;
        if (m == 0) continue;
        if (!last_token(line, &m, &file, &fln) || !last_token(line, &m, &date, &dn) ||
            !last_token(line, &m, &cik, &cn) || !is_date(date, dn) || cn > 10 || m < 2) {
            nbad++;
            continue;
        }
        char cikbuf[11], cikn[11];
        copy_field(cikbuf, sizeof cikbuf, cik, cn);
        /* edgar/data/<cik>/<accession>.txt */
        const char *slash = NULL;
        for (size_t i = 0; i < fln; i++)
            if (file[i] == '/') slash = file + i;
        const char *base = slash ? slash + 1 : file;
        size_t bn = fln - (size_t)(base - file);
        if (!rfx_edgar_cik_norm(cikbuf, cikn) || bn != 24 || memcmp(base + 20, ".txt", 4) ||
            !is_accession(base, 20)) {
            nbad++;
            continue;
        }
        /* the first two columns: split at the header's column, or at the first
         * run of two spaces when a long name pushed the columns over */
        size_t split = col2 < m && line[col2 - 1] == ' ' ? col2 : 0;
        if (!split) {
            const char *dd = find_in(line, m, "  ");
            split = dd ? (size_t)(dd - line) : 0;
        }
        if (!split) { nbad++; continue; }
        const char *a = line, *b = line + split;
        size_t an = split, bn2 = m - split;
        trim(&a, &an);
        trim(&b, &bn2);
        const char *fm = form_first ? a : b, *co = form_first ? b : a;
        size_t fmn = form_first ? an : bn2, con = form_first ? bn2 : an;
        if (!is_form(fm, fmn)) { nbad++; continue; }
        char formbuf[24], datebuf[11];
        copy_field(formbuf, sizeof formbuf, fm, fmn);
        copy_field(datebuf, sizeof datebuf, date, dn);
        if (!rfx_edgar_form_wanted(f, formbuf) || !rfx_edgar_date_wanted(f, datebuf) ||
            !cik_wanted(f, cikn))
            continue;
        rfx_edgar_filing *x = list_push(out);
        if (!x) goto oom;
        strcpy(x->cik, cikn);
        memcpy(x->accession, base, 20);
        strcpy(x->form, formbuf);
        strcpy(x->filing_date, datebuf);
        if (con && !(x->company = strndup(co, con))) goto oom;
    }
    if (bad) *bad = nbad;
    if (form_first < 0 || !in_rows) {
        rfx_set_error(err, RFX_EINPUT,
                      "full-index: no 'Form Type / Company Name / CIK / Date Filed / File Name' header "
                      "(not a form.idx or company.idx file)");
        return RFX_EINPUT;
    }
    return RFX_OK;
oom:
    if (bad) *bad = nbad;
    rfx_set_error(err, RFX_ENOMEM, "full-index: out of memory");
    return RFX_ENOMEM;
}
