/*
 * sgml.c — EDGAR full-submission .txt → the main document's blocks.
 *
 * A submission is a header of "KEY: value" lines (inside <SEC-HEADER> or, in
 * copies whose tags were stripped, bare) followed by <DOCUMENT>s: the filing
 * itself, exhibits, XBRL, graphics (uuencoded) and zip/pdf attachments. The
 * header gives the filing facts; the first document whose <TYPE> is the form
 * is the one to read. Its <TEXT> goes to the HTML ingest when it holds HTML,
 * else to the plain-text ingest, with offsets into the whole submission.
 *
 * Tag-stripped copies keep each document's TYPE / SEQUENCE / FILENAME values
 * as three bare lines ("10-K", "1", "a10-k2019.htm"): that triple marks the
 * document boundaries. Everything is found by linear scans, so a submission
 * full of uuencoded graphics costs one pass over its bytes and nothing more.
 */
#include "../rfx_internal.h"

#include <ctype.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* small scanning helpers                                              */
/* ------------------------------------------------------------------ */

static const unsigned char *find(const unsigned char *s, size_t n, const char *needle) {
    size_t m = strlen(needle);
    if (m == 0 || n < m) return NULL;
    const unsigned char *p = s, *end = s + n - m + 1;
    while (p < end) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p) return NULL;
        if (memcmp(p, needle, m) == 0) return p;
        p++;
    }
    return NULL;
}

static size_t line_end(const unsigned char *s, size_t n, size_t i) {
    const unsigned char *p = memchr(s + i, '\n', n - i);
    return p ? (size_t)(p - s) : n;
}

/* [b, e) trimmed of spaces, tabs and CR */
static void trim(const unsigned char *s, size_t *b, size_t *e) {
    while (*b < *e && (s[*b] == ' ' || s[*b] == '\t' || s[*b] == '\r')) (*b)++;
    while (*e > *b && (s[*e - 1] == ' ' || s[*e - 1] == '\t' || s[*e - 1] == '\r')) (*e)--;
}

/* ------------------------------------------------------------------ */
/* the header                                                          */
/* ------------------------------------------------------------------ */

static const char *dup_value(rfx_register *r, const unsigned char *s, size_t b, size_t e) {
    trim(s, &b, &e);
    return b < e ? rfx_arena_strndup(r->arena, (const char *)s + b, e - b) : NULL;
}

/* Reads "KEY: value" lines of [0, n); only fields still NULL are set. */
static void read_header(rfx_register *r, const unsigned char *s, size_t n) {
    rfx_filing *f = &r->filing;
    for (size_t i = 0; i < n;) {
        size_t e = line_end(s, n, i);
        size_t b = i;
        i = e + 1;
        while (b < e && (s[b] == ' ' || s[b] == '\t')) b++;
        const unsigned char *colon = memchr(s + b, ':', e - b);
        if (!colon) continue;
        size_t k = (size_t)(colon - s);
        size_t kl = k - b;
        size_t v = k + 1;
#define IS(key) (kl == sizeof(key) - 1 && memcmp(s + b, key, kl) == 0)
        if (IS("CONFORMED SUBMISSION TYPE")) {
            if (!f->form) f->form = dup_value(r, s, v, e);
        } else if (IS("COMPANY CONFORMED NAME")) {
            if (!f->company) f->company = dup_value(r, s, v, e);
        } else if (IS("CENTRAL INDEX KEY")) {
            if (!f->cik) f->cik = dup_value(r, s, v, e);
        } else if (IS("CONFORMED PERIOD OF REPORT")) {
            size_t vb = v, ve = e;
            trim(s, &vb, &ve);
            if (!f->period && ve - vb == 8) {
                const char *d = (const char *)s + vb;
                f->period = rfx_arena_printf(r->arena, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
            }
        } else if (IS("FISCAL YEAR END")) {
            size_t vb = v, ve = e;
            trim(s, &vb, &ve);
            if (!f->fiscal_year_end && ve - vb == 4 && isdigit(s[vb])) {
                const char *d = (const char *)s + vb;
                int m = (d[0] - '0') * 10 + (d[1] - '0'), dd = (d[2] - '0') * 10 + (d[3] - '0');
                if (m >= 1 && m <= 12 && dd >= 1 && dd <= 31) {
                    f->fiscal_year_end = rfx_arena_strndup(r->arena, d, 4);
                    f->fy_end_month = m;
                    f->fy_end_day = dd;
                }
            }
        }
#undef IS
    }
}

/* ------------------------------------------------------------------ */
/* choosing the document                                               */
/* ------------------------------------------------------------------ */

typedef struct doc {
    size_t type_b, type_e; /* the TYPE value */
    size_t b, e;           /* the text to ingest */
} doc;

static bool type_is(const unsigned char *s, const doc *d, const char *t) {
    size_t n = strlen(t);
    return d->type_e - d->type_b == n && strncasecmp((const char *)s + d->type_b, t, n) == 0;
}

/* Exhibits, XBRL, graphics and archives are never the filing's main text. */
static bool is_attachment(const unsigned char *s, const doc *d) {
    static const char *pre[] = {"EX-", "GRAPHIC", "ZIP", "PDF", "XML", "EXCEL", "JSON", "XBRL", "COVER",
                                "CORRESP", NULL};
    size_t n = d->type_e - d->type_b;
    for (int i = 0; pre[i]; i++) {
        size_t m = strlen(pre[i]);
        if (n >= m && strncasecmp((const char *)s + d->type_b, pre[i], m) == 0) return true;
    }
    return false;
}

/* Tagged submissions: <DOCUMENT> … <TYPE>X … <TEXT> … </TEXT>. Returns the
 * number of documents seen (0: not a tagged submission). */
static size_t pick_tagged(rfx_register *r, const unsigned char *s, size_t n, doc *out) {
    size_t ndocs = 0;
    bool have = false, have_any = false;
    doc any = {0};
    const unsigned char *p = s;
    while ((p = find(p, n - (size_t)(p - s), "<DOCUMENT>")) != NULL) {
        ndocs++;
        size_t db = (size_t)(p - s);
        const unsigned char *q = find(p, n - db, "</DOCUMENT>");
        size_t de = q ? (size_t)(q - s) : n;
        doc d = {0};
        const unsigned char *t = find(p, de - db, "<TYPE>");
        if (t) {
            d.type_b = (size_t)(t - s) + 6;
            d.type_e = line_end(s, de, d.type_b);
            /* "<TYPE>10-K" may share the line with the next tag in some files */
            const unsigned char *lt = memchr(s + d.type_b, '<', d.type_e - d.type_b);
            if (lt) d.type_e = (size_t)(lt - s);
            trim(s, &d.type_b, &d.type_e);
        }
        const unsigned char *tx = find(p, de - db, "<TEXT>");
        d.b = tx ? (size_t)(tx - s) + 6 : db;
        const unsigned char *te = find(s + d.b, de - d.b, "</TEXT>");
        d.e = te ? (size_t)(te - s) : de;
        p = s + (q ? de + 11 : n);
        if (is_attachment(s, &d)) continue;
        if (r->filing.form && type_is(s, &d, r->filing.form)) {
            *out = d;
            have = true;
            break;
        }
        if (!have_any) { any = d; have_any = true; }
        if (!q) break;
    }
    if (!have && have_any) *out = any;
    return have || have_any ? ndocs : 0;
}

/* A bare TYPE line of a tag-stripped submission: "10-K", "EX-10.1", "GRAPHIC". */
static bool type_line(const unsigned char *s, size_t b, size_t e) {
    if (e <= b || e - b > 24 || (!isupper(s[b]) && !isdigit(s[b]))) return false;
    for (size_t i = b; i < e; i++)
        if (!(isupper(s[i]) || isdigit(s[i]) || s[i] == '-' || s[i] == '.' || s[i] == '/' || s[i] == '_'))
            return false;
    return true;
}

static bool seq_line(const unsigned char *s, size_t b, size_t e) {
    if (e <= b || e - b > 4) return false;
    for (size_t i = b; i < e; i++)
        if (!isdigit(s[i])) return false;
    return true;
}

static bool filename_line(const unsigned char *s, size_t b, size_t e) {
    if (e <= b || e - b > 80) return false;
    for (size_t i = b; i < e; i++)
        if (isspace(s[i])) return false;
    const unsigned char *dot = NULL;
    for (size_t i = b; i < e; i++)
        if (s[i] == '.') dot = s + i;
    if (!dot) return false;
    size_t ext = (size_t)(s + e - dot - 1);
    return ext >= 2 && ext <= 4;
}

/* Tag-stripped submissions: documents start at TYPE / SEQUENCE / FILENAME
 * triples. Returns documents seen; *hdr_end = where the first one starts. */
static size_t pick_stripped(rfx_register *r, const unsigned char *s, size_t n, doc *out, size_t *hdr_end) {
    size_t lb[3] = {0}, le[3] = {0};
    size_t nl = 0, ndocs = 0;
    bool have = false, want_end = false, have_any = false;
    doc cur = {0}, any = {0};
    for (size_t i = 0; i < n;) {
        size_t e = line_end(s, n, i), b = i, te = e;
        i = e + 1;
        trim(s, &b, &te);
        lb[0] = lb[1]; le[0] = le[1];
        lb[1] = lb[2]; le[1] = le[2];
        lb[2] = b; le[2] = te;
        if (++nl < 3) continue;
        if (!(type_line(s, lb[0], le[0]) && seq_line(s, lb[1], le[1]) && filename_line(s, lb[2], le[2])))
            continue;
        /* a document starts at lb[0]; its text after the filename line */
        size_t line0 = lb[0];
        while (line0 > 0 && s[line0 - 1] != '\n') line0--;
        if (ndocs == 0) *hdr_end = line0;
        ndocs++;
        if (want_end) {
            cur.e = line0;
            if (!have_any) { any = cur; have_any = true; }
            if (r->filing.form && type_is(s, &cur, r->filing.form)) {
                *out = cur;
                have = true;
                break;
            }
            want_end = false;
        }
        doc d = {.type_b = lb[0], .type_e = le[0], .b = e < n ? e + 1 : n, .e = n};
        if (!is_attachment(s, &d)) {
            cur = d;
            want_end = true;
        }
    }
    if (!have && want_end) {
        if (r->filing.form && type_is(s, &cur, r->filing.form)) { *out = cur; have = true; }
        else if (!have_any) { any = cur; have_any = true; }
    }
    if (!have && have_any) *out = any;
    return (have || have_any) ? ndocs : 0;
}

/* ------------------------------------------------------------------ */
/* ingesting the text                                                  */
/* ------------------------------------------------------------------ */

static bool looks_html(const unsigned char *s, size_t n) {
    size_t look = n < 8192 ? n : 8192;
    static const char *tags[] = {"<html", "<HTML", "<body", "<BODY", "<div", "<DIV", "<p>", "<P>", "<p ",
                                 "<P ", "<table", "<TABLE", "<font", "<FONT", "<?xml", NULL};
    for (int i = 0; tags[i]; i++)
        if (find(s, look, tags[i])) return true;
    return false;
}

/* Plain text of [b, e): uuencoded runs ("begin 644 name" … "end") are
 * skipped, each clean stretch goes to the text ingest with its offsets. */
static rfx_status ingest_plain(rfx_register *r, size_t b, size_t e, rfx_error *err) {
    const unsigned char *s = r->src;
    size_t piece = b;
    size_t first_block = r->nblocks;
    for (size_t i = b; i < e;) {
        size_t le = line_end(s, e, i);
        bool begin = le - i >= 10 && memcmp(s + i, "begin ", 6) == 0 && s[i + 6] >= '0' && s[i + 6] <= '7' &&
                     s[i + 7] >= '0' && s[i + 7] <= '7' && s[i + 8] >= '0' && s[i + 8] <= '7';
        if (!begin) { i = le + 1; continue; }
        if (i > piece) {
            rfx_text t;
            rfx_status st = rfx_decode(r, s + piece, i - piece, (uint32_t)piece, &t, err);
            if (st == RFX_OK) st = rfx_ingest_text(r, &t, err);
            if (st != RFX_OK) return st;
        }
        /* skip to the "end" line */
        size_t j = le + 1;
        while (j < e) {
            size_t je = line_end(s, e, j);
            size_t tb = j, tee = je;
            trim(s, &tb, &tee);
            j = je + 1;
            if (tee - tb == 3 && memcmp(s + tb, "end", 3) == 0) break;
        }
        rfx_reg_warn(r, "uuencoded", (int64_t)i, "skipped uuencoded data (%zu bytes)", (j < e ? j : e) - i);
        i = piece = j < e ? j : e;
    }
    if (e > piece) {
        rfx_text t;
        rfx_status st = rfx_decode(r, s + piece, e - piece, (uint32_t)piece, &t, err);
        if (st == RFX_OK) st = rfx_ingest_text(r, &t, err);
        if (st != RFX_OK) return st;
    }
    /* "<PAGE>" lines of 1990s text filings are page breaks */
    for (size_t k = first_block; k < r->nblocks; k++) {
        rfx_block *bl = &r->blocks[k];
        if (bl->t.len >= 6 && bl->t.len <= 16 && strncasecmp(bl->t.s, "<PAGE>", 6) == 0) bl->flags |= RFX_B_PAGENUM;
    }
    return RFX_OK;
}

rfx_status rfx_ingest_sgml(rfx_register *r, rfx_error *err) {
    const unsigned char *s = r->src;
    size_t n = r->srclen;
    doc d = {0};
    size_t hdr_end = n;
    const unsigned char *first_doc = find(s, n, "<DOCUMENT>");
    size_t ndocs = 0;
    if (first_doc) {
        hdr_end = (size_t)(first_doc - s);
        read_header(r, s, hdr_end);
        ndocs = pick_tagged(r, s, n, &d);
    } else {
        /* tag-stripped: the header ends where the first document starts */
        doc tmp;
        size_t he = n;
        /* a first pass for the form, then the real pick that needs it */
        pick_stripped(r, s, n, &tmp, &he);
        read_header(r, s, he < n ? he : (n < 8192 ? n : 8192));
        he = n;
        ndocs = pick_stripped(r, s, n, &d, &he);
        hdr_end = he;
    }
    if (!ndocs) {
        /* no document structure at all: everything after the header is text */
        size_t b = hdr_end < n ? hdr_end : 0;
        if (b == 0) {
            const unsigned char *h = find(s, n < 65536 ? n : 65536, "</SEC-HEADER>");
            if (h) b = (size_t)(h - s) + 13;
        }
        rfx_reg_warn(r, "sgml-no-documents", -1, "no <DOCUMENT> found in the submission; reading it as text");
        return ingest_plain(r, b, n, err);
    }
    /* no header: the main document's <TYPE> is the form (S-3/A, 424B5) */
    if (!r->filing.form && d.type_e > d.type_b && d.type_e - d.type_b <= 20 && !is_attachment(s, &d))
        r->filing.form = rfx_arena_strndup(r->arena, (const char *)s + d.type_b, d.type_e - d.type_b);
    if (r->filing.form && !type_is(s, &d, r->filing.form))
        rfx_reg_warn(r, "sgml-main-document", (int64_t)d.type_b,
                     "no document of type %s; reading the first non-exhibit document (%.*s)",
                     r->filing.form, (int)(d.type_e - d.type_b), (const char *)s + d.type_b);
    if (d.e <= d.b) {
        rfx_set_error(err, RFX_EINPUT, "%s: the main document of the submission is empty", r->path);
        return RFX_EINPUT;
    }
    if (first_doc && looks_html(s + d.b, d.e - d.b))
        return rfx_ingest_html(r, s + d.b, d.e - d.b, (uint32_t)d.b, err);
    return ingest_plain(r, d.b, d.e, err);
}
