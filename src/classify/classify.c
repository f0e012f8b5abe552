/*
 * classify.c — the classify stage: each risk gets its categories, a
 * probability for each and the words that made the model say so.
 *
 * The model (model.c) is a bank of independent logistic regressions, one per
 * category, so a risk can belong to several: every category whose
 * probability reaches its threshold is kept (at least the best one, at most
 * the model's max_labels). A model may also carry a primary-category model,
 * a multi-class linear model trained on first labels only: then its argmax
 * is the top category (what kind of risk this is), scored with its
 * one-vs-rest probability, and the other categories follow as before. Evidence is what a linear model can honestly
 * offer: the features present in the risk with the largest positive
 * contribution weight × value to that category, shown as the words the
 * filing used (features.c keeps the first surface form of each stem).
 */
#include "classify.h"

#include <libstemmer.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct ent {
    size_t idx;
    double val;
    size_t which;
} ent;

static int by_idx(const void *a, const void *b) {
    size_t x = ((const ent *)a)->idx, y = ((const ent *)b)->idx;
    return x < y ? -1 : x > y;
}

size_t rfx_model_vectorize(const rfx_model *m, const rfx_featset *fs, size_t *idx, double *val,
                           size_t *which) {
    return rfx_model_vectorize_w(m, fs, m->heading_weight, m->body_weight, idx, val, which);
}

size_t rfx_model_vectorize_w(const rfx_model *m, const rfx_featset *fs, double heading_weight,
                             double body_weight, size_t *idx, double *val, size_t *which) {
    ent *e = malloc((fs->n ? fs->n : 1) * sizeof *e);
    if (!e) return 0;
    size_t n = 0;
    double nh = 0, nb = 0;
    for (size_t i = 0; i < fs->n; i++) {
        long k = rfx_model_find(m, fs->f[i].term);
        if (k < 0) continue;
        /* log-count damps the long bodies that repeat their key noun */
        double v = (1 + log((double)fs->f[i].count)) * m->idf[k];
        e[n++] = (ent){(size_t)k, v, i};
        if (strncmp(fs->f[i].term, "h:", 2) == 0) nh += v * v; else nb += v * v;
    }
    /* each part is normalised on its own, so a one-line heading weighs as
     * much as a page of body (times its weight), then the whole to unit length */
    nh = nh > 0 ? heading_weight / sqrt(nh) : 0;
    nb = nb > 0 ? body_weight / sqrt(nb) : 0;
    double tot = 0;
    for (size_t i = 0; i < n; i++) {
        e[i].val *= strncmp(fs->f[e[i].which].term, "h:", 2) == 0 ? nh : nb;
        tot += e[i].val * e[i].val;
    }
    tot = tot > 0 ? 1 / sqrt(tot) : 0;
    qsort(e, n, sizeof *e, by_idx);
    for (size_t i = 0; i < n; i++) {
        idx[i] = e[i].idx;
        val[i] = e[i].val * tot;
        if (which) which[i] = e[i].which;
    }
    free(e);
    return n;
}

void rfx_preds_free(rfx_pred *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p[i].nevidence; j++) free((char *)p[i].evidence[j]);
}

typedef struct contrib {
    double c;
    size_t which;
} contrib;

static int by_contrib(const void *a, const void *b) {
    double x = ((const contrib *)a)->c, y = ((const contrib *)b)->c;
    return x > y ? -1 : x < y;
}

/* Is a (n bytes) inside b, ignoring case? */
static bool contains_ci(const char *b, const char *a, size_t n) {
    for (size_t bl = strlen(b); bl >= n; bl--, b++)
        if (strncasecmp(b, a, n) == 0) return true;
    return false;
}

static void add_evidence(rfx_pred *p, const char *text, size_t off, size_t len, size_t max) {
    if (!len || !text) return;
    for (size_t j = 0; j < p->nevidence; j++) {
        if (contains_ci(p->evidence[j], text + off, len)) return; /* already shown */
        if (strlen(p->evidence[j]) < len) {
            char *s = strndup(text + off, len);
            if (!s) return;
            if (contains_ci(s, p->evidence[j], strlen(p->evidence[j]))) {
                free((char *)p->evidence[j]); /* the longer phrase says more */
                p->evidence[j] = s;
                return;
            }
            free(s);
        }
    }
    if (p->nevidence >= max) return;
    char *s = strndup(text + off, len);
    if (s) p->evidence[p->nevidence++] = s;
}

/* The primary model's softmax probabilities of fs into z (ncats); returns
 * the argmax, or -1 (no primary model, or out of memory). */
static int primary_scores(const rfx_model *m, const rfx_featset *fs, double *z) {
    if (!m->pw) return -1;
    size_t cap = fs->n ? fs->n : 1;
    size_t *idx = malloc(cap * sizeof *idx);
    double *val = malloc(cap * sizeof *val);
    int top = -1;
    if (!idx || !val) goto out;
    size_t n = rfx_model_vectorize_w(m, fs, m->p_heading_weight, m->p_body_weight, idx, val, NULL);
    for (size_t c = 0; c < m->ncats; c++) {
        z[c] = m->pbias[c];
        for (size_t i = 0; i < n; i++) z[c] += (double)m->pw[idx[i] * m->ncats + c] * val[i];
        if (top < 0 || z[c] > z[top]) top = (int)c;
    }
    double sum = 0, zmax = z[top];
    for (size_t c = 0; c < m->ncats; c++) sum += (z[c] = exp(z[c] - zmax));
    for (size_t c = 0; c < m->ncats; c++) z[c] /= sum;
out:
    free(idx);
    free(val);
    return top;
}

int rfx_model_primary(const rfx_model *m, const char *heading, const char *body,
                      struct sb_stemmer *st, double *pprobs) {
    if (!m->pw) return -1;
    rfx_featset fs;
    if (!rfx_features(heading, body, st, &fs)) return -1;
    int top = primary_scores(m, &fs, pprobs);
    rfx_featset_free(&fs);
    return top;
}

size_t rfx_model_predict(const rfx_model *m, const char *heading, const char *body,
                         struct sb_stemmer *st, double *probs, rfx_pred *out, size_t max,
                         size_t max_evidence) {
    rfx_featset fs;
    if (!rfx_features(heading, body, st, &fs)) return 0;
    size_t cap = fs.n ? fs.n : 1;
    size_t *idx = malloc(cap * sizeof *idx), *which = malloc(cap * sizeof *which);
    double *val = malloc(cap * sizeof *val), *p = calloc(m->ncats, sizeof *p);
    contrib *cb = malloc(cap * sizeof *cb);
    size_t nout = 0;
    if (!idx || !which || !val || !p || !cb) goto done;
    size_t n = rfx_model_vectorize(m, &fs, idx, val, which);
    for (size_t c = 0; c < m->ncats; c++) {
        double z = m->bias[c];
        for (size_t i = 0; i < n; i++) z += (double)m->w[idx[i] * m->ncats + c] * val[i];
        p[c] = 1 / (1 + exp(-z));
        if (probs) probs[c] = p[c];
    }
    if (max > m->max_labels) max = m->max_labels;
    if (max_evidence > 8) max_evidence = 8;
    /* the primary model names the top category: the argmax of its linear
     * scores over its own vector (same features, its own heading weight) */
    int top = -1;
    double top_pp = -1;
    if (m->pw && max > 0) {
        double *z = malloc(m->ncats * sizeof *z);
        if (!z) goto done;
        top = primary_scores(m, &fs, z);
        top_pp = z[top];
        free(z);
        if (top < 0) goto done;
    }
    /* selection: the top first (primary argmax, or the most probable), then
     * the most probable others over their thresholds */
    for (size_t k = 0; k < max; k++) {
        int best = -1;
        if (k == 0 && top >= 0) best = top;
        else
            for (size_t c = 0; c < m->ncats; c++) {
                bool taken = false;
                for (size_t j = 0; j < nout; j++) taken |= out[j].cat == (int)c;
                if (!taken && (best < 0 || p[c] > p[best])) best = (int)c;
            }
        if (best < 0 || (nout > 0 && p[best] < m->threshold[best])) break;
        rfx_pred *o = &out[nout++];
        memset(o, 0, sizeof *o);
        o->cat = best;
        o->prob = p[best];
        o->pprob = k == 0 ? top_pp : -1;
        size_t nc = 0;
        for (size_t i = 0; i < n; i++) {
            double c = (double)m->w[idx[i] * m->ncats + (size_t)best] * val[i];
            if (c > 0) cb[nc++] = (contrib){c, which[i]};
        }
        qsort(cb, nc, sizeof *cb, by_contrib);
        for (size_t i = 0; i < nc && o->nevidence < max_evidence; i++) {
            const rfx_feat *f = &fs.f[cb[i].which];
            add_evidence(o, f->part == 0 ? heading : body, f->off, f->len, max_evidence);
        }
    }
done:
    free(idx);
    free(which);
    free(val);
    free(p);
    free(cb);
    rfx_featset_free(&fs);
    return nout;
}

rfx_status rfx_classify(rfx_register *r, rfx_error *err) {
    const rfx_model *m = r->opt.model_path ? rfx_model_cached(r->opt.model_path, err)
                                           : rfx_model_default(err);
    if (!m) return RFX_EINPUT;
    if (!r->nrisks) return RFX_OK;
    struct sb_stemmer *st = sb_stemmer_new("english", NULL); /* not thread-safe: one per call */
    if (!st) {
        rfx_set_error(err, RFX_ENOMEM, "%s: out of memory (stemmer)", r->path ? r->path : "classify");
        return RFX_ENOMEM;
    }
    rfx_status status = RFX_OK;
    for (size_t i = 0; i < r->nrisks && status == RFX_OK; i++) {
        rfx_risk *k = &r->risks[i];
        rfx_pred pr[8];
        size_t np = rfx_model_predict(m, k->heading.s ? k->heading.s : "", k->body.s ? k->body.s : "",
                                      st, NULL, pr, 8, 5);
        k->cats = np ? rfx_arena_alloc(r->arena, np * sizeof *k->cats) : NULL;
        if (np && !k->cats) status = RFX_ENOMEM;
        for (size_t j = 0; j < np && status == RFX_OK; j++) {
            rfx_category *c = &k->cats[j];
            c->id = rfx_arena_strdup(r->arena, m->cats[pr[j].cat]);
            if (!c->id) { status = RFX_ENOMEM; break; }
            c->score = pr[j].prob;
            c->evidence = rfx_arena_alloc(r->arena, (pr[j].nevidence + 1) * sizeof *c->evidence);
            if (!c->evidence) { status = RFX_ENOMEM; break; }
            for (size_t e = 0; e < pr[j].nevidence; e++) {
                c->evidence[e] = rfx_arena_strdup(r->arena, pr[j].evidence[e]);
                if (!c->evidence[e]) { status = RFX_ENOMEM; break; }
            }
            c->nevidence = pr[j].nevidence;
            k->ncats = j + 1;
        }
        rfx_preds_free(pr, np);
    }
    sb_stemmer_delete(st);
    if (status == RFX_ENOMEM)
        rfx_set_error(err, RFX_ENOMEM, "%s: over the memory limit while classifying",
                      r->path ? r->path : "document");
    return status;
}
