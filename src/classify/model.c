/*
 * model.c — the classifier model as a text file: write it, read it back.
 *
 * The format is line-based so a model can be read, diffed and reviewed
 * (docs/classify.md, "Model file"):
 *
 *   rfx-model 1                    (2 when a primary section follows the features)
 *   # free comment lines (training summary)
 *   option heading_weight 1
 *   option body_weight 1
 *   option max_labels 4
 *   categories N
 *   cat ID THRESHOLD BIAS          (N lines)
 *   features M
 *   f TERM IDF K:W K:W ...         (M lines; K = category index, W = weight)
 *   primary SOLVER HW BW           (version 2, optional: the primary-category model)
 *   pcat ID BIAS                   (N lines, same ids in the same order)
 *   pfeatures P
 *   pf TERM K:W K:W ...            (P lines; TERM one of the features)
 *   end
 *
 * Models come from users (--model), so the reader treats the file as hostile:
 * every count is bounded before anything is allocated, every number must be
 * finite and in range, every index inside its table, terms unique, and the
 * first problem is reported as "NAME:LINE: what is wrong".
 */
#include "classify.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#define MAX_LINE (1u << 20)

static uint64_t fnv(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

void rfx_model_free(rfx_model *m) {
    if (!m) return;
    for (size_t i = 0; i < m->ncats; i++) free(m->cats ? m->cats[i] : NULL);
    for (size_t i = 0; i < m->nfeat; i++) free(m->terms ? m->terms[i] : NULL);
    free(m->cats);
    free(m->threshold);
    free(m->bias);
    free(m->terms);
    free(m->idf);
    free(m->w);
    free(m->slots);
    free(m->comment);
    free(m->pw);
    free(m->pbias);
    free(m);
}

/* Builds the open-addressed index; false on allocation failure or when a
 * term occurs twice (the index would be ambiguous). */
static bool build_index(rfx_model *m, size_t *dup) {
    size_t ns = 16;
    while (ns < m->nfeat * 2 + 2) ns *= 2;
    free(m->slots);
    m->slots = calloc(ns, sizeof *m->slots);
    if (!m->slots) return false;
    m->nslots = ns;
    for (size_t i = 0; i < m->nfeat; i++) {
        size_t h = (size_t)fnv(m->terms[i]) & (ns - 1);
        while (m->slots[h]) {
            if (strcmp(m->terms[m->slots[h] - 1], m->terms[i]) == 0) {
                if (dup) *dup = i;
                return false;
            }
            h = (h + 1) & (ns - 1);
        }
        m->slots[h] = i + 1;
    }
    return true;
}

bool rfx_model_index(rfx_model *m) { return build_index(m, NULL); }

long rfx_model_find(const rfx_model *m, const char *term) {
    if (!m->nslots) return -1;
    size_t h = (size_t)fnv(term) & (m->nslots - 1);
    while (m->slots[h]) {
        if (strcmp(m->terms[m->slots[h] - 1], term) == 0) return (long)(m->slots[h] - 1);
        h = (h + 1) & (m->nslots - 1);
    }
    return -1;
}

/* ---------------- writing ---------------- */

bool rfx_model_write(const rfx_model *m, FILE *f, rfx_error *err) {
    /* version 1 unless there is a primary model, so a plain model stays
     * readable by older rfx */
    fprintf(f, "rfx-model %d\n", m->pw ? 2 : 1);
    if (m->comment) {
        const char *p = m->comment;
        while (*p) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            fprintf(f, "# %.*s\n", (int)n, p);
            p += n + (e ? 1 : 0);
        }
    }
    fprintf(f, "option heading_weight %.9g\noption body_weight %.9g\noption max_labels %zu\n",
            m->heading_weight, m->body_weight, m->max_labels);
    fprintf(f, "categories %zu\n", m->ncats);
    for (size_t c = 0; c < m->ncats; c++)
        fprintf(f, "cat %s %.4f %.6g\n", m->cats[c], m->threshold[c], m->bias[c]);
    fprintf(f, "features %zu\n", m->nfeat);
    for (size_t i = 0; i < m->nfeat; i++) {
        fprintf(f, "f %s %.4f", m->terms[i], m->idf[i]);
        for (size_t c = 0; c < m->ncats; c++) {
            float w = m->w[i * m->ncats + c];
            if (w != 0) fprintf(f, " %zu:%.4g", c, (double)w);
        }
        fputc('\n', f);
    }
    if (m->pw) {
        size_t np = 0;
        for (size_t i = 0; i < m->nfeat; i++)
            for (size_t c = 0; c < m->ncats; c++)
                if (m->pw[i * m->ncats + c] != 0) { np++; break; }
        fprintf(f, "primary %s %.9g %.9g\n", m->psolver[0] ? m->psolver : "unknown",
                m->p_heading_weight, m->p_body_weight);
        for (size_t c = 0; c < m->ncats; c++) fprintf(f, "pcat %s %.6g\n", m->cats[c], m->pbias[c]);
        fprintf(f, "pfeatures %zu\n", np);
        for (size_t i = 0; i < m->nfeat; i++) {
            bool any = false;
            for (size_t c = 0; c < m->ncats && !any; c++) any = m->pw[i * m->ncats + c] != 0;
            if (!any) continue;
            fprintf(f, "pf %s", m->terms[i]);
            for (size_t c = 0; c < m->ncats; c++) {
                float w = m->pw[i * m->ncats + c];
                if (w != 0) fprintf(f, " %zu:%.4g", c, (double)w);
            }
            fputc('\n', f);
        }
    }
    fprintf(f, "end\n");
    if (ferror(f)) {
        rfx_set_error(err, RFX_EINPUT, "model: write failed");
        return false;
    }
    return true;
}

bool rfx_model_save(const rfx_model *m, const char *path, rfx_error *err) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        rfx_set_error(err, RFX_EINPUT, "%s: cannot write: %s", path, strerror(errno));
        return false;
    }
    bool ok = rfx_model_write(m, f, err);
    if (fclose(f) != 0) ok = false;
    if (!ok) rfx_set_error(err, RFX_EINPUT, "%s: write failed", path);
    return ok;
}

/* ---------------- reading ---------------- */

typedef struct reader {
    const char *p, *end, *name;
    size_t lineno;
    char *line; /* current line, NUL-terminated copy */
    rfx_error *err;
} reader;

static bool fail(reader *rd, const char *fmt, const char *arg) {
    char what[256];
    snprintf(what, sizeof what, fmt, arg ? arg : "");
    rfx_set_error(rd->err, RFX_EINPUT, "%s:%zu: invalid model: %s", rd->name, rd->lineno, what);
    return false;
}

/* Next line that is not blank; "#" lines go to comment when given. */
static bool next_line(reader *rd, char **comment, size_t *clen) {
    for (;;) {
        if (rd->p >= rd->end) {
            rd->lineno++;
            return fail(rd, "unexpected end of file%s", NULL);
        }
        const char *e = memchr(rd->p, '\n', (size_t)(rd->end - rd->p));
        size_t n = e ? (size_t)(e - rd->p) : (size_t)(rd->end - rd->p);
        rd->lineno++;
        if (n > MAX_LINE) return fail(rd, "line longer than 1 MiB%s", NULL);
        if (memchr(rd->p, 0, n)) return fail(rd, "NUL byte%s", NULL);
        free(rd->line);
        rd->line = malloc(n + 1);
        if (!rd->line) return fail(rd, "out of memory%s", NULL);
        memcpy(rd->line, rd->p, n);
        rd->line[n] = 0;
        if (n && rd->line[n - 1] == '\r') rd->line[--n] = 0;
        rd->p = e ? e + 1 : rd->end;
        size_t k = strspn(rd->line, " \t");
        if (!rd->line[k]) continue;
        if (rd->line[k] == '#') {
            if (comment) {
                const char *t = rd->line + k + 1;
                if (*t == ' ') t++;
                size_t tl = strlen(t);
                if (*clen + tl + 2 < 65536) {
                    char *nc = realloc(*comment, *clen + tl + 2);
                    if (nc) {
                        *comment = nc;
                        memcpy(nc + *clen, t, tl);
                        *clen += tl;
                        nc[(*clen)++] = '\n';
                        nc[*clen] = 0;
                    }
                }
            }
            continue;
        }
        return true;
    }
}

/* Splits off the next space-separated token (modifies the line). */
static char *tok(char **s) {
    char *p = *s + strspn(*s, " \t");
    if (!*p) return NULL;
    char *e = p + strcspn(p, " \t");
    if (*e) *e++ = 0;
    *s = e;
    return p;
}

/* Model files hold tens of thousands of short decimals ("-0.3021"), and
 * strtod's general algorithm made loading the built-in model the largest
 * cost of a small parse. Clinger's fast path is exact when the digits fit in
 * 2^53 and the power of ten is at most 22: one multiplication or division of
 * two exact doubles, correctly rounded — the same result strtod gives. Other
 * spellings fall back to strtod. Returns false when t is not a plain number. */
static bool fast_decimal(const char *t, double *out) {
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *p = t;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+') p++;
    uint64_t mant = 0;
    int digits = 0, frac = 0;
    bool any = false;
    for (; *p >= '0' && *p <= '9'; p++, any = true)
        if (mant || *p != '0') { mant = mant * 10 + (uint64_t)(*p - '0'); digits++; }
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, any = true) {
            if (mant || *p != '0') { mant = mant * 10 + (uint64_t)(*p - '0'); digits++; }
            frac++;
        }
    if (!any || *p || digits > 15 || frac > 22) return false;
    double v = (double)mant / p10[frac];
    *out = neg ? -v : v;
    return true;
}

static bool num(reader *rd, const char *t, double lo, double hi, const char *what, double *out) {
    if (!t) return fail(rd, "missing %s", what);
    double fv;
    if (fast_decimal(t, &fv)) {
        if (fv < lo || fv > hi) return fail(rd, "%s out of range", what);
        *out = fv;
        return true;
    }
    char *e;
    errno = 0;
    double v = strtod(t, &e);
    if (e == t || *e || errno == ERANGE || !isfinite(v)) return fail(rd, "%s is not a number", what);
    if (v < lo || v > hi) return fail(rd, "%s out of range", what);
    *out = v;
    return true;
}

static bool count(reader *rd, const char *t, size_t max, const char *what, size_t *out) {
    if (!t || !*t || strspn(t, "0123456789") != strlen(t) || strlen(t) > 9)
        return fail(rd, "bad %s count", what);
    unsigned long v = 0; /* at most 9 digits, checked above */
    for (const char *q = t; *q; q++) v = v * 10 + (unsigned long)(*q - '0');
    if (v > max) return fail(rd, "%s count over the limit", what);
    *out = (size_t)v;
    return true;
}

static bool valid_id(const char *s, size_t max, bool term) {
    size_t n = strlen(s);
    if (!n || n > max) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                  (term && (c == ':' || c == '\''));
        if (!ok) return false;
    }
    return true;
}

/* The primary section, from the "primary" line (rest = after the keyword):
 *
 *   primary SOLVER HEADING_WEIGHT BODY_WEIGHT
 *   pcat ID BIAS                 (one per category, in the categories' order)
 *   pfeatures P                  (0..features)
 *   pf TERM K:W K:W ...          (P lines; TERM one of the features, once)
 */
static bool parse_primary(reader *rd, rfx_model *m, char *rest, char **comment, size_t *clen,
                          unsigned char **seenp) {
    char *solver = tok(&rest);
    if (!solver || !valid_id(solver, sizeof m->psolver - 1, false))
        return fail(rd, "bad primary solver name%s", NULL);
    strcpy(m->psolver, solver);
    if (!num(rd, tok(&rest), 0, 100, "primary heading_weight", &m->p_heading_weight)) return false;
    if (!num(rd, tok(&rest), 0, 100, "primary body_weight", &m->p_body_weight)) return false;
    m->pbias = calloc(m->ncats, sizeof *m->pbias);
    m->pw = calloc((m->nfeat ? m->nfeat : 1) * m->ncats, sizeof *m->pw);
    if (!m->pbias || !m->pw) return fail(rd, "out of memory%s", NULL);
    for (size_t c = 0; c < m->ncats; c++) {
        if (!next_line(rd, comment, clen)) return false;
        char *s = rd->line, *kw = tok(&s), *id = tok(&s);
        if (strcmp(kw, "pcat") != 0) return fail(rd, "expected \"pcat\", got \"%s\"", kw);
        if (!id || strcmp(id, m->cats[c]) != 0)
            return fail(rd, "pcat \"%s\" is not the category in that place", id ? id : "");
        if (!num(rd, tok(&s), -1e4, 1e4, "primary bias", &m->pbias[c])) return false;
    }
    size_t np;
    if (!next_line(rd, comment, clen)) return false;
    {
        char *s = rd->line, *kw = tok(&s);
        if (strcmp(kw, "pfeatures") != 0) return fail(rd, "expected \"pfeatures\", got \"%s\"", kw);
        if (!count(rd, tok(&s), RFX_MODEL_MAX_FEATURES, "pfeatures", &np)) return false;
        if (np > m->nfeat) return fail(rd, "pfeatures count larger than features%s", NULL);
    }
    unsigned char *seen = *seenp = calloc(m->nfeat ? m->nfeat : 1, 1);
    if (!seen) return fail(rd, "out of memory%s", NULL);
    for (size_t i = 0; i < np; i++) {
        if (!next_line(rd, comment, clen)) return false;
        char *s = rd->line, *kw = tok(&s), *term = tok(&s);
        if (strcmp(kw, "pf") != 0) return fail(rd, "expected \"pf\", got \"%s\"", kw);
        if (!term || !valid_id(term, RFX_MODEL_MAX_TERM, true)) return fail(rd, "bad primary feature term%s", NULL);
        long k = rfx_model_find(m, term);
        if (k < 0) return fail(rd, "primary feature \"%s\" is not a feature", term);
        if (seen[k]) return fail(rd, "primary feature \"%s\" appears twice", term);
        seen[k] = 1;
        for (char *t; (t = tok(&s));) {
            char *colon = strchr(t, ':');
            if (!colon) return fail(rd, "weight \"%s\" is not INDEX:WEIGHT", t);
            *colon = 0;
            size_t c;
            double w;
            if (!count(rd, t, m->ncats - 1, "category index", &c)) return false;
            if (!num(rd, colon + 1, -1e4, 1e4, "weight", &w)) return false;
            m->pw[(size_t)k * m->ncats + c] = (float)w;
        }
    }
    return true;
}

rfx_model *rfx_model_parse(const char *text, size_t len, const char *name, rfx_error *err) {
    reader rd = {text, text + len, name ? name : "model", 0, NULL, err};
    rfx_model *m = calloc(1, sizeof *m);
    char *comment = NULL, *s;
    size_t clen = 0;
    int version = 1;
    unsigned char *seen = NULL;
    if (!m) { rfx_set_error(err, RFX_ENOMEM, "%s: out of memory", rd.name); return NULL; }
    m->heading_weight = m->body_weight = 1;
    m->max_labels = 4;
    if (!next_line(&rd, NULL, NULL)) goto bad;
    s = rd.line;
    {
        char *magic = tok(&s), *ver = tok(&s);
        if (!magic || strcmp(magic, "rfx-model") != 0) {
            fail(&rd, "not an rfx model (no \"rfx-model\" header)%s", NULL);
            goto bad;
        }
        if (!ver || (strcmp(ver, "1") != 0 && strcmp(ver, "2") != 0)) {
            fail(&rd, "unsupported version \"%s\"", ver ? ver : "");
            goto bad;
        }
        version = ver[0] - '0';
    }
    for (;;) { /* options, then "categories" */
        if (!next_line(&rd, &comment, &clen)) goto bad;
        s = rd.line;
        char *kw = tok(&s);
        if (strcmp(kw, "option") == 0) {
            char *k = tok(&s), *v = tok(&s);
            double d;
            if (!k) { fail(&rd, "option without a name%s", NULL); goto bad; }
            if (strcmp(k, "heading_weight") == 0) {
                if (!num(&rd, v, 0, 100, "heading_weight", &d)) goto bad;
                m->heading_weight = d;
            } else if (strcmp(k, "body_weight") == 0) {
                if (!num(&rd, v, 0, 100, "body_weight", &d)) goto bad;
                m->body_weight = d;
            } else if (strcmp(k, "max_labels") == 0) {
                if (!num(&rd, v, 1, RFX_MODEL_MAX_CATS, "max_labels", &d)) goto bad;
                m->max_labels = (size_t)d;
            } /* unknown options are ignored: newer writers may add some */
            continue;
        }
        if (strcmp(kw, "categories") != 0) { fail(&rd, "expected \"categories\", got \"%s\"", kw); goto bad; }
        if (!count(&rd, tok(&s), RFX_MODEL_MAX_CATS, "categories", &m->ncats)) goto bad;
        if (m->ncats == 0) { fail(&rd, "no categories%s", NULL); goto bad; }
        break;
    }
    m->cats = calloc(m->ncats, sizeof *m->cats);
    m->threshold = calloc(m->ncats, sizeof *m->threshold);
    m->bias = calloc(m->ncats, sizeof *m->bias);
    if (!m->cats || !m->threshold || !m->bias) { fail(&rd, "out of memory%s", NULL); goto bad; }
    for (size_t c = 0; c < m->ncats; c++) {
        if (!next_line(&rd, &comment, &clen)) goto bad;
        s = rd.line;
        char *kw = tok(&s), *id = tok(&s);
        if (strcmp(kw, "cat") != 0) { fail(&rd, "expected \"cat\", got \"%s\"", kw); goto bad; }
        if (!id || !valid_id(id, 63, false)) { fail(&rd, "bad category id%s", NULL); goto bad; }
        for (size_t k = 0; k < c; k++)
            if (strcmp(m->cats[k], id) == 0) { fail(&rd, "category \"%s\" twice", id); goto bad; }
        if (!num(&rd, tok(&s), 0, 1, "threshold", &m->threshold[c])) goto bad;
        if (!num(&rd, tok(&s), -1e4, 1e4, "bias", &m->bias[c])) goto bad;
        if (!(m->cats[c] = strdup(id))) { fail(&rd, "out of memory%s", NULL); goto bad; }
    }
    if (!next_line(&rd, &comment, &clen)) goto bad;
    s = rd.line;
    {
        char *kw = tok(&s);
        if (strcmp(kw, "features") != 0) { fail(&rd, "expected \"features\", got \"%s\"", kw); goto bad; }
        if (!count(&rd, tok(&s), RFX_MODEL_MAX_FEATURES, "features", &m->nfeat)) goto bad;
    }
    /* a feature line is at least "f x 0\n": a count the file cannot hold is a lie */
    if (m->nfeat > len / 6 + 1) { fail(&rd, "features count larger than the file%s", NULL); goto bad; }
    if (m->nfeat * m->ncats > ((size_t)64 << 20)) { fail(&rd, "features x categories over 64 Mi weights%s", NULL); goto bad; }
    m->terms = calloc(m->nfeat ? m->nfeat : 1, sizeof *m->terms);
    m->idf = calloc(m->nfeat ? m->nfeat : 1, sizeof *m->idf);
    m->w = calloc((m->nfeat ? m->nfeat : 1) * m->ncats, sizeof *m->w);
    if (!m->terms || !m->idf || !m->w) { fail(&rd, "out of memory%s", NULL); goto bad; }
    for (size_t i = 0; i < m->nfeat; i++) {
        if (!next_line(&rd, &comment, &clen)) goto bad;
        s = rd.line;
        char *kw = tok(&s), *term = tok(&s);
        if (strcmp(kw, "f") != 0) { fail(&rd, "expected \"f\", got \"%s\"", kw); goto bad; }
        if (!term || !valid_id(term, RFX_MODEL_MAX_TERM, true)) { fail(&rd, "bad feature term%s", NULL); goto bad; }
        if (!num(&rd, tok(&s), 0, 100, "idf", &m->idf[i])) goto bad;
        for (char *t; (t = tok(&s));) {
            char *colon = strchr(t, ':');
            if (!colon) { fail(&rd, "weight \"%s\" is not INDEX:WEIGHT", t); goto bad; }
            *colon = 0;
            size_t k;
            double w;
            if (!count(&rd, t, m->ncats - 1, "category index", &k)) goto bad;
            if (!num(&rd, colon + 1, -1e4, 1e4, "weight", &w)) goto bad;
            m->w[i * m->ncats + k] = (float)w;
        }
        if (!(m->terms[i] = strdup(term))) { fail(&rd, "out of memory%s", NULL); goto bad; }
    }
    /* the feature index is needed by the primary section (and by prediction) */
    {
        size_t dup = 0;
        if (!build_index(m, &dup)) {
            if (m->slots) { fail(&rd, "feature \"%s\" appears twice", m->terms[dup]); goto bad; }
            fail(&rd, "out of memory%s", NULL);
            goto bad;
        }
    }
    if (!next_line(&rd, &comment, &clen)) goto bad;
    s = rd.line;
    if (strcmp(tok(&s), "primary") == 0) { /* optional; version 2 only */
        if (version < 2) { fail(&rd, "a primary section needs \"rfx-model 2\"%s", NULL); goto bad; }
        if (!parse_primary(&rd, m, s, &comment, &clen, &seen)) goto bad;
        if (!next_line(&rd, &comment, &clen)) goto bad;
    }
    if (strcmp(rd.line + strspn(rd.line, " \t"), "end") != 0) { fail(&rd, "expected \"end\"%s", NULL); goto bad; }
    free(rd.line);
    free(seen);
    m->comment = comment;
    return m;
bad:
    free(rd.line);
    free(seen);
    free(comment);
    rfx_model_free(m);
    return NULL;
}

rfx_model *rfx_model_load(const char *path, rfx_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        rfx_set_error(err, RFX_EINPUT, "%s: cannot open model: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n == cap) {
            if (cap >= ((size_t)512 << 20)) { /* no real model comes close */
                free(b);
                fclose(f);
                rfx_set_error(err, RFX_EINPUT, "%s: model file over 512 MiB", path);
                return NULL;
            }
            char *nb = realloc(b, cap * 2);
            if (!nb) { free(b); b = NULL; break; }
            b = nb;
            cap *= 2;
        }
        size_t k = fread(b + n, 1, cap - n, f);
        n += k;
        if (k == 0) break;
    }
    bool rerr = ferror(f);
    fclose(f);
    if (!b || rerr) {
        free(b);
        rfx_set_error(err, RFX_EINPUT, "%s: cannot read model", path);
        return NULL;
    }
    rfx_model *m = rfx_model_parse(b, n, path, err);
    free(b);
    return m;
}

/* ---------------- process-wide models ---------------- */

extern const char rfx_default_model_text[];
extern const size_t rfx_default_model_text_len;

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static rfx_model *default_model;
static rfx_error default_err;

static void load_default(void) {
    default_model = rfx_model_parse(rfx_default_model_text, rfx_default_model_text_len,
                                    "built-in model", &default_err);
}

const rfx_model *rfx_model_default(rfx_error *err) {
    pthread_once(&default_once, load_default);
    if (!default_model && err) *err = default_err;
    return default_model;
}

/* Models named with --model: loaded on first use and kept for the life of
 * the process, so a batch of documents parses the file once. */
typedef struct cached {
    struct cached *next;
    char *path;
    rfx_model *m;
} cached;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cached *cache;

const rfx_model *rfx_model_cached(const char *path, rfx_error *err) {
    pthread_mutex_lock(&cache_lock);
    for (cached *c = cache; c; c = c->next)
        if (strcmp(c->path, path) == 0) {
            pthread_mutex_unlock(&cache_lock);
            return c->m;
        }
    rfx_model *m = rfx_model_load(path, err);
    cached *c = m ? calloc(1, sizeof *c) : NULL;
    if (c && (c->path = strdup(path))) {
        c->m = m;
        c->next = cache;
        cache = c;
    } else if (m) {
        free(c);
        rfx_model_free(m);
        m = NULL;
        rfx_set_error(err, RFX_ENOMEM, "%s: out of memory", path);
    }
    pthread_mutex_unlock(&cache_lock);
    return m;
}
