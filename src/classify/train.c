/*
 * train.c — fitting a model: vocabulary, idf, one logistic regression per
 * category (liblinear, L2-regularised, solver L2R_LR), and the thresholds
 * that turn probabilities into a multi-label decision.
 *
 * Labelled risks come in families: the same company's risk reappears almost
 * word for word the next year. Cross-validation therefore holds out whole
 * companies (doc->group), or it would reward memorising a company's wording.
 * The out-of-fold probabilities choose C (when not given) and the
 * thresholds: first one global threshold that maximises macro-F1 under the
 * real decision rule, then per category the threshold that maximises that
 * category's F1, pulled half-way back to the global one because a category
 * with ten examples cannot support a threshold of its own.
 *
 * The primary-category model is a multi-class liblinear model trained on
 * each risk's first label only, over the same vocabulary and idf but with
 * its own heading weight. Solver (L2R_LR one-vs-rest, Crammer-Singer, or
 * L2-loss SVM one-vs-rest), C and heading weight are chosen by out-of-fold
 * top-1 accuracy on the same company-grouped folds; its out-of-fold argmax
 * is then the top category when the thresholds are tuned, as it will be at
 * prediction.
 *
 * The trained model is written to text and parsed back, so the model in
 * memory is exactly the one a saved file will give (same rounding).
 */
#include "classify.h"

#include <libstemmer.h>
#include <linear.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void rfx_train_opts_init(rfx_train_opts *o) {
    memset(o, 0, sizeof *o);
    o->C = 0;
    o->threshold = -1;
    o->min_df = 3;
    o->folds = 5;
    o->heading_weight = 1;
    o->body_weight = 1;
    o->max_labels = 4;
    o->prune = 0.05;
    o->pos_weight = 2;
    o->primary = true;
    o->primary_solver = -1;
    o->primary_C = 0;
    o->primary_heading_weight = -1;
}

const char *const rfx_psolver_names[RFX_PSOLVER_N] = {"lr", "cs", "svc", "l1lr"};
static const int PSOLVER_LIBLINEAR[RFX_PSOLVER_N] = {L2R_LR, MCSVM_CS, L2R_L2LOSS_SVC_DUAL, L1R_LR};

static void quiet(const char *s) { (void)s; }

typedef struct vocab_ent {
    char *term;
    unsigned df;
} vocab_ent;

static int by_term(const void *a, const void *b) {
    return strcmp(((const vocab_ent *)a)->term, ((const vocab_ent *)b)->term);
}
static int by_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Training state shared by CV and the final fit. */
typedef struct trainer {
    size_t n, ncats, nfeat;
    struct feature_node **x; /* per doc, liblinear rows (1-based, bias, -1) */
    unsigned char *y;        /* n × ncats: 1 when the doc has the category */
    size_t *fold;
} trainer;

/* Fits ncats binary models on the docs where use[i]; w gets (nfeat+1) × ncats
 * weights in [feature][cat] order with the bias at feature nfeat. */
static bool fit(const trainer *t, const bool *use, double C, double posw, float *w) {
    struct problem prob;
    size_t l = 0;
    for (size_t i = 0; i < t->n; i++) l += use[i];
    prob.l = (int)l;
    prob.n = (int)t->nfeat + 1;
    prob.bias = 1;
    prob.x = malloc((l ? l : 1) * sizeof *prob.x);
    prob.y = malloc((l ? l : 1) * sizeof *prob.y);
    if (!prob.x || !prob.y) { free(prob.x); free(prob.y); return false; }
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++)
        if (use[i]) prob.x[k++] = t->x[i];
    struct parameter par;
    memset(&par, 0, sizeof par);
    par.solver_type = L2R_LR;
    par.eps = 0.01;
    par.C = C;
    /* each category is rare against all the others: optionally weigh its
     * positives up so the rare ones are not drowned */
    int wl = 1;
    double wv = posw > 0 ? posw : 1;
    par.nr_weight = 1;
    par.weight_label = &wl;
    par.weight = &wv;
    for (size_t c = 0; c < t->ncats; c++) {
        size_t pos = 0;
        k = 0;
        for (size_t i = 0; i < t->n; i++)
            if (use[i]) {
                prob.y[k++] = t->y[i * t->ncats + c] ? 1 : -1;
                pos += t->y[i * t->ncats + c];
            }
        if (pos == 0 || pos == l) { /* nothing to learn: constant score */
            for (size_t j = 0; j <= t->nfeat; j++) w[j * t->ncats + c] = 0;
            w[t->nfeat * t->ncats + c] = pos ? 5.0f : -5.0f;
            continue;
        }
        struct model *md = train(&prob, &par);
        if (!md) { free(prob.x); free(prob.y); return false; }
        /* liblinear's w scores label[0]; make it score "has the category" */
        double sign = md->label[0] == 1 ? 1 : -1;
        for (size_t j = 0; j <= t->nfeat; j++) w[j * t->ncats + c] = (float)(sign * md->w[j]);
        free_and_destroy_model(&md);
    }
    free(prob.x);
    free(prob.y);
    return true;
}

static void predict_row(const trainer *t, const float *w, size_t i, double *p) {
    for (size_t c = 0; c < t->ncats; c++) {
        double z = 0;
        for (const struct feature_node *f = t->x[i]; f->index != -1; f++)
            z += (double)w[(size_t)(f->index - 1) * t->ncats + c] * f->value;
        p[c] = 1 / (1 + exp(-z));
    }
}

/* Macro-F1 of the decision rule (threshold per category, at least the top,
 * at most max_labels) on probabilities p (n × ncats). top (n entries, may be
 * NULL) names each risk's top category (the primary model's choice); without
 * it the most probable category is the top. */
static double rule_macro_f1(const trainer *t, const double *p, const double *thr, size_t max_labels,
                            const int *top) {
    size_t *tp = calloc(t->ncats, sizeof *tp), *fp = calloc(t->ncats, sizeof *fp),
           *fn = calloc(t->ncats, sizeof *fn);
    unsigned char *pred = malloc(t->ncats);
    double f1 = 0;
    if (!tp || !fp || !fn || !pred) goto out;
    for (size_t i = 0; i < t->n; i++) {
        const double *pi = p + i * t->ncats;
        memset(pred, 0, t->ncats);
        for (size_t k = 0; k < max_labels; k++) {
            int best = -1;
            if (k == 0 && top) best = top[i];
            else
                for (size_t c = 0; c < t->ncats; c++)
                    if (!pred[c] && (best < 0 || pi[c] > pi[best])) best = (int)c;
            if (best < 0 || (k > 0 && pi[best] < thr[best])) break;
            pred[best] = 1;
        }
        for (size_t c = 0; c < t->ncats; c++) {
            bool g = t->y[i * t->ncats + c];
            tp[c] += g && pred[c];
            fp[c] += !g && pred[c];
            fn[c] += g && !pred[c];
        }
    }
    for (size_t c = 0; c < t->ncats; c++) {
        double d = 2.0 * (double)tp[c] + (double)fp[c] + (double)fn[c];
        f1 += d > 0 ? 2.0 * (double)tp[c] / d : 0;
    }
    f1 /= (double)t->ncats;
out:
    free(tp); free(fp); free(fn); free(pred);
    return f1;
}

/* Out-of-fold probabilities for C. */
static bool cross_validate(const trainer *t, double C, double posw, unsigned folds, double *oof) {
    bool *use = malloc(t->n * sizeof *use);
    float *w = malloc((t->nfeat + 1) * t->ncats * sizeof *w);
    bool ok = use && w;
    for (unsigned f = 0; ok && f < folds; f++) {
        size_t held = 0;
        for (size_t i = 0; i < t->n; i++) {
            use[i] = t->fold[i] != f;
            held += !use[i];
        }
        if (!held) continue;
        ok = fit(t, use, C, posw, w);
        for (size_t i = 0; ok && i < t->n; i++)
            if (!use[i]) predict_row(t, w, i, oof + i * t->ncats);
    }
    free(use);
    free(w);
    return ok;
}

static const double THR_GRID_LO = 0.02, THR_GRID_HI = 0.70, THR_GRID_STEP = 0.025;

static double tune_global(const trainer *t, const double *oof, size_t max_labels, const int *top,
                          double *best_thr) {
    double *thr = malloc(t->ncats * sizeof *thr), best = -1;
    if (!thr) return -1;
    for (double g = THR_GRID_LO; g <= THR_GRID_HI + 1e-9; g += THR_GRID_STEP) {
        for (size_t c = 0; c < t->ncats; c++) thr[c] = g;
        double f = rule_macro_f1(t, oof, thr, max_labels, top);
        if (f > best + 1e-12) { best = f; *best_thr = g; }
    }
    free(thr);
    return best;
}

/* Greedy assignment of groups to folds, largest group first, so folds are
 * balanced and a company never straddles two. */
typedef struct grp {
    const char *name;
    size_t size, fold;
} grp;
static int by_size(const void *a, const void *b) {
    const grp *x = a, *y = b;
    if (x->size != y->size) return x->size < y->size ? 1 : -1;
    return strcmp(x->name, y->name);
}

static bool assign_folds(const rfx_train_doc *docs, size_t n, unsigned folds, size_t *fold) {
    grp *g = calloc(n ? n : 1, sizeof *g);
    size_t ng = 0, *load = calloc(folds, sizeof *load), *gi = calloc(n ? n : 1, sizeof *gi);
    bool ok = g && load && gi;
    char buf[32];
    for (size_t i = 0; ok && i < n; i++) {
        /* without a group, documents are dealt round-robin into pseudo-groups */
        const char *name = docs[i].group;
        if (!name) { snprintf(buf, sizeof buf, "#%zu", i % ((size_t)folds * 7)); name = buf; }
        size_t k = 0;
        while (k < ng && strcmp(g[k].name, name) != 0) k++;
        if (k == ng && !(g[ng++].name = strdup(name))) ok = false;
        g[k].size++;
        gi[i] = k;
    }
    if (ok) {
        size_t *order = malloc((ng ? ng : 1) * sizeof *order);
        ok = order != NULL;
        for (size_t k = 0; ok && k < ng; k++) order[k] = k;
        /* largest first; ties by name for determinism */
        for (size_t a = 1; ok && a < ng; a++)
            for (size_t b = a; b > 0 && by_size(&g[order[b]], &g[order[b - 1]]) < 0; b--) {
                size_t tmp = order[b]; order[b] = order[b - 1]; order[b - 1] = tmp;
            }
        for (size_t k = 0; ok && k < ng; k++) {
            size_t best = 0;
            for (size_t f = 1; f < folds; f++)
                if (load[f] < load[best]) best = f;
            g[order[k]].fold = best;
            load[best] += g[order[k]].size;
        }
        for (size_t i = 0; ok && i < n; i++) fold[i] = g[gi[i]].fold;
        free(order);
    }
    for (size_t k = 0; g && k < ng; k++) free((char *)g[k].name);
    free(g);
    free(load);
    free(gi);
    return ok;
}

/* ---------------- the primary-category model ---------------- */

/* liblinear rows of every doc under heading/body weights hw/bw: x[i] points
 * into *space (1-based indexes, bias node at nfeat+1, terminator -1). */
static bool build_rows(const rfx_model *m, const rfx_featset *fs, size_t n, double hw, double bw,
                       struct feature_node ***xp, struct feature_node **spacep) {
    size_t tot = 0, cap = 1;
    for (size_t i = 0; i < n; i++) {
        tot += fs[i].n + 2;
        if (fs[i].n > cap) cap = fs[i].n;
    }
    struct feature_node **x = calloc(n ? n : 1, sizeof *x);
    struct feature_node *space = malloc(tot * sizeof *space);
    size_t *idx = malloc(cap * sizeof *idx);
    double *val = malloc(cap * sizeof *val);
    if (!x || !space || !idx || !val) { free(x); free(space); free(idx); free(val); return false; }
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = rfx_model_vectorize_w(m, &fs[i], hw, bw, idx, val, NULL);
        x[i] = space + at;
        for (size_t j = 0; j < k; j++) space[at++] = (struct feature_node){(int)idx[j] + 1, val[j]};
        space[at++] = (struct feature_node){(int)m->nfeat + 1, 1.0}; /* bias */
        space[at++] = (struct feature_node){-1, 0};
    }
    free(idx);
    free(val);
    *xp = x;
    *spacep = space;
    return true;
}

/* Score given to a category no training risk has as its primary label. */
#define PRIMARY_ABSENT_BIAS (-100.0)

/* Fits the multi-class primary model on the docs where use[i] (rows x,
 * class y[i] = category index). w gets (nfeat+1) × ncats weights, bias at
 * feature nfeat; a category with no example gets PRIMARY_ABSENT_BIAS. */
static bool fit_primary(struct feature_node *const *x, const int *y, size_t n, size_t nfeat,
                        size_t ncats, const bool *use, int solver, double C, float *w) {
    size_t l = 0, nw = (nfeat + 1) * ncats;
    for (size_t i = 0; i < n; i++) l += use[i];
    for (size_t j = 0; j < nw; j++) w[j] = 0;
    for (size_t c = 0; c < ncats; c++) w[nfeat * ncats + c] = (float)PRIMARY_ABSENT_BIAS;
    if (!l) return true;
    struct problem prob;
    prob.l = (int)l;
    prob.n = (int)nfeat + 1;
    prob.bias = 1;
    prob.x = malloc(l * sizeof *prob.x);
    prob.y = malloc(l * sizeof *prob.y);
    if (!prob.x || !prob.y) { free(prob.x); free(prob.y); return false; }
    size_t k = 0;
    int first = -1;
    bool one_class = true;
    for (size_t i = 0; i < n; i++)
        if (use[i]) {
            prob.x[k] = x[i];
            prob.y[k++] = y[i];
            if (first < 0) first = y[i];
            one_class &= y[i] == first;
        }
    if (one_class) { /* nothing to separate: that class always wins */
        w[nfeat * ncats + (size_t)first] = 0;
        free(prob.x); free(prob.y);
        return true;
    }
    struct parameter par;
    memset(&par, 0, sizeof par);
    par.solver_type = PSOLVER_LIBLINEAR[solver];
    par.eps = solver == RFX_PSOLVER_LR || solver == RFX_PSOLVER_L1LR ? 0.01 : 0.1;
    par.C = C;
    /* the dual and Crammer-Singer solvers shuffle with rand(): reseed, so a
     * fit does not depend on how many fits ran before it */
    srand(1);
    struct model *md = train(&prob, &par);
    free(prob.x);
    free(prob.y);
    if (!md) return false;
    int nc = md->nr_class;
    size_t nr_w = nc == 2 && par.solver_type != MCSVM_CS ? 1 : (size_t)nc;
    for (int a = 0; a < nc; a++) {
        size_t c = (size_t)md->label[a];
        w[nfeat * ncats + c] = 0;
        if (nr_w == 1 && a == 1) continue; /* two classes: score label[0] against 0 */
        for (size_t j = 0; j <= nfeat; j++) w[j * ncats + c] = (float)md->w[j * nr_w + (size_t)a];
    }
    free_and_destroy_model(&md);
    return true;
}

/* Primary scores of row x (ncats); returns their argmax. */
static int primary_scores(const struct feature_node *x, const float *w, size_t nfeat, size_t ncats,
                          double *z) {
    int best = -1;
    for (size_t c = 0; c < ncats; c++) {
        z[c] = w[nfeat * ncats + c];
        for (const struct feature_node *f = x; f->index != -1; f++)
            if ((size_t)f->index <= nfeat) z[c] += (double)w[(size_t)(f->index - 1) * ncats + c] * f->value;
        if (best < 0 || z[c] > z[best]) best = (int)c;
    }
    return best;
}

/* Out-of-fold argmax of the primary model under grouped CV; weights are
 * pruned as the final model's will be. */
static bool cv_primary(struct feature_node *const *x, const int *y, const size_t *fold, size_t n,
                       size_t nfeat, size_t ncats, unsigned folds, int solver, double C,
                       double prune, int *top, double *score) {
    bool *use = malloc(n * sizeof *use);
    float *w = malloc((nfeat + 1) * ncats * sizeof *w);
    bool ok = use && w;
    for (unsigned f = 0; ok && f < folds; f++) {
        size_t held = 0;
        for (size_t i = 0; i < n; i++) {
            use[i] = fold[i] != f;
            held += !use[i];
        }
        if (!held) continue;
        ok = fit_primary(x, y, n, nfeat, ncats, use, solver, C, w);
        for (size_t j = 0; ok && j < nfeat * ncats; j++)
            if (fabsf(w[j]) < prune) w[j] = 0;
        for (size_t i = 0; ok && i < n; i++)
            if (!use[i]) top[i] = primary_scores(x[i], w, nfeat, ncats, score + i * ncats);
    }
    free(use);
    free(w);
    return ok;
}

/* C grids per solver: their losses put C on different scales. */
static const double PC_LR[] = {4, 16, 64, 256};
static const double PC_SVM[] = {0.25, 1, 4, 16};

typedef struct pchoice {
    int solver;
    double C, hw;
    double acc;          /* out-of-fold top-1 = primary */
} pchoice;

/* Chooses solver, C and heading weight by out-of-fold top-1 accuracy and
 * fills top with the chosen setting's out-of-fold argmax. */
static bool choose_primary(const rfx_model *m, const rfx_featset *fs, const trainer *t, const int *y,
                           const rfx_train_opts *o, int *top, pchoice *best) {
    static const double HW[] = {0.35, 0.5, 0.75, 1};
    size_t nhw = o->primary_heading_weight >= 0 ? 1 : sizeof HW / sizeof HW[0];
    int *cand = malloc(t->n * sizeof *cand);
    double *sc = malloc(t->n * t->ncats * sizeof *sc);
    bool ok = cand && sc;
    best->acc = -1;
    for (size_t h = 0; ok && h < nhw; h++) {
        double hw = o->primary_heading_weight >= 0 ? o->primary_heading_weight : HW[h];
        struct feature_node **x = NULL, *space = NULL;
        if (!build_rows(m, fs, t->n, hw, o->body_weight, &x, &space)) { ok = false; break; }
        for (int sv = 0; ok && sv < RFX_PSOLVER_N; sv++) {
            if (o->primary_solver >= 0 ? sv != o->primary_solver : sv == RFX_PSOLVER_L1LR) continue;
            const double *grid = sv == RFX_PSOLVER_LR || sv == RFX_PSOLVER_L1LR ? PC_LR : PC_SVM;
            size_t ng = o->primary_C > 0 ? 1 : 4;
            for (size_t g = 0; ok && g < ng; g++) {
                double C = o->primary_C > 0 ? o->primary_C : grid[g];
                ok = cv_primary(x, y, t->fold, t->n, t->nfeat, t->ncats, o->folds, sv, C, o->prune, cand, sc);
                if (!ok) break;
                size_t hit = 0;
                for (size_t i = 0; i < t->n; i++) hit += cand[i] == y[i];
                double acc = (double)hit / (double)t->n;
                if (o->log)
                    fprintf(o->log, "cv primary: %-4s C=%-6g heading %-4g top-1 = primary %.4f\n",
                            rfx_psolver_names[sv], C, hw, acc);
                if (acc > best->acc + 1e-12) {
                    *best = (pchoice){sv, C, hw, acc};
                    memcpy(top, cand, t->n * sizeof *top);
                }
            }
        }
        free(x);
        free(space);
    }
    free(cand);
    free(sc);
    return ok;
}

/* Per category: the threshold that maximises its own out-of-fold F1 (the
 * top category counts as predicted whatever its probability), pulled half
 * way back to the global threshold gthr. */
static void tune_per_category(const trainer *t, const double *oof, const int *top, double gthr,
                              double *thr) {
    for (size_t c = 0; c < t->ncats; c++) {
        double bt = gthr, bf = -1;
        for (double g = THR_GRID_LO; g <= THR_GRID_HI + 1e-9; g += THR_GRID_STEP) {
            size_t tp = 0, fp = 0, fn = 0;
            for (size_t i = 0; i < t->n; i++) {
                bool pr = oof[i * t->ncats + c] >= g || (top && top[i] == (int)c),
                     gd = t->y[i * t->ncats + c];
                tp += pr && gd; fp += pr && !gd; fn += !pr && gd;
            }
            double f = tp ? 2.0 * (double)tp / (2.0 * (double)tp + (double)fp + (double)fn) : 0;
            if (f > bf + 1e-12) { bf = f; bt = g; }
        }
        thr[c] = (bt + gthr) / 2;
    }
}

rfx_model *rfx_model_train(const rfx_train_doc *docs, size_t n, const rfx_train_opts *opt,
                           rfx_error *err) {
    rfx_train_opts o;
    if (opt) o = *opt; else rfx_train_opts_init(&o);
    if (o.folds < 2) o.folds = 2;
    if (!o.max_labels) o.max_labels = 4;
    if (n < 2) { rfx_set_error(err, RFX_EUSAGE, "train: need at least 2 labelled risks"); return NULL; }
    set_print_string_function(quiet);

    rfx_featset *fs = calloc(n, sizeof *fs);
    struct sb_stemmer *st = sb_stemmer_new("english", NULL);
    trainer t = {0};
    rfx_model *m = NULL, *out = NULL;
    vocab_ent *voc = NULL;
    char **cats = NULL;
    double *oof = NULL;
    int *ylab = NULL, *ptop = NULL;
    pchoice pc = {-1, 0, 0, -1};
    struct feature_node *space = NULL;
    size_t nvoc = 0, ncats = 0, capv = 0;
    if (!fs || !st) goto oom;

    /* categories: every label seen, sorted for a stable file */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < docs[i].nlabels; j++) {
            const char *l = docs[i].labels[j];
            bool seen = false;
            for (size_t c = 0; c < ncats && !seen; c++) seen = strcmp(cats[c], l) == 0;
            if (seen) continue;
            if (ncats >= RFX_MODEL_MAX_CATS) {
                rfx_set_error(err, RFX_EUSAGE, "train: more than %d categories", RFX_MODEL_MAX_CATS);
                goto fail;
            }
            char **nc = realloc(cats, (ncats + 1) * sizeof *nc);
            if (!nc) goto oom;
            cats = nc;
            if (!(cats[ncats++] = strdup(l))) goto oom;
        }
    if (ncats == 0) { rfx_set_error(err, RFX_EUSAGE, "train: no labels"); goto fail; }
    qsort(cats, ncats, sizeof *cats, by_str);

    /* document frequencies */
    for (size_t i = 0; i < n; i++)
        if (!rfx_features(docs[i].heading, docs[i].body, st, &fs[i])) goto oom;
    /* collect distinct terms with df via a temporary model index */
    {
        rfx_model tmp = {0};
        size_t cap = 0;
        for (size_t i = 0; i < n; i++) cap += fs[i].n;
        voc = calloc(cap ? cap : 1, sizeof *voc);
        tmp.terms = calloc(cap ? cap : 1, sizeof *tmp.terms);
        if (!voc || !tmp.terms) { free(tmp.terms); goto oom; }
        capv = cap;
        /* sort all (term) pointers and count runs: simple and deterministic */
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < fs[i].n; j++) tmp.terms[k++] = fs[i].f[j].term;
        qsort(tmp.terms, k, sizeof *tmp.terms, by_str);
        for (size_t a = 0; a < k;) {
            size_t b = a;
            while (b < k && strcmp(tmp.terms[a], tmp.terms[b]) == 0) b++;
            if (b - a >= o.min_df) voc[nvoc++] = (vocab_ent){tmp.terms[a], (unsigned)(b - a)};
            a = b;
        }
        free(tmp.terms);
    }
    (void)capv;
    if (nvoc == 0) { rfx_set_error(err, RFX_EUSAGE, "train: no feature occurs in %u documents", o.min_df); goto fail; }

    m = calloc(1, sizeof *m);
    if (!m) goto oom;
    m->ncats = ncats;
    m->cats = cats;
    cats = NULL;
    m->threshold = calloc(ncats, sizeof *m->threshold);
    m->bias = calloc(ncats, sizeof *m->bias);
    m->nfeat = nvoc;
    m->terms = calloc(nvoc, sizeof *m->terms);
    m->idf = calloc(nvoc, sizeof *m->idf);
    m->w = calloc(nvoc * ncats, sizeof *m->w);
    m->heading_weight = o.heading_weight;
    m->body_weight = o.body_weight;
    m->max_labels = o.max_labels;
    if (!m->threshold || !m->bias || !m->terms || !m->idf || !m->w) goto oom;
    qsort(voc, nvoc, sizeof *voc, by_term);
    for (size_t v = 0; v < nvoc; v++) {
        if (!(m->terms[v] = strdup(voc[v].term))) goto oom;
        m->idf[v] = log((double)(n + 1) / (double)(voc[v].df + 1)) + 1;
        /* round like the file does, so training sees what prediction will */
        char b[32];
        snprintf(b, sizeof b, "%.4f", m->idf[v]);
        m->idf[v] = strtod(b, NULL);
    }
    if (!rfx_model_index(m)) goto oom;

    /* liblinear rows */
    t.n = n;
    t.ncats = ncats;
    t.nfeat = nvoc;
    t.y = calloc(n * ncats, 1);
    t.fold = calloc(n, sizeof *t.fold);
    ylab = calloc(n, sizeof *ylab);
    if (!t.y || !t.fold || !ylab || !build_rows(m, fs, n, m->heading_weight, m->body_weight, &t.x, &space))
        goto oom;
    for (size_t i = 0; i < n; i++) {
        ylab[i] = -1;
        for (size_t j = 0; j < docs[i].nlabels; j++)
            for (size_t c = 0; c < ncats; c++)
                if (strcmp(m->cats[c], docs[i].labels[j]) == 0) {
                    t.y[i * ncats + c] = 1;
                    if (j == 0) ylab[i] = (int)c;
                }
    }
    if (!assign_folds(docs, n, o.folds, t.fold)) goto oom;

    /* choose C and thresholds on out-of-fold probabilities */
    oof = calloc(n * ncats, sizeof *oof);
    if (!oof) goto oom;
    static const double GRID[] = {8, 16, 32, 64, 128};
    double C = o.C, gthr = 0.3, best = -1;
    size_t ngrid = o.C > 0 ? 1 : sizeof GRID / sizeof GRID[0];
    for (size_t gi = 0; gi < ngrid; gi++) {
        double c = o.C > 0 ? o.C : GRID[gi], thr = 0.3;
        double *p = calloc(n * ncats, sizeof *p);
        if (!p || !cross_validate(&t, c, o.pos_weight, o.folds, p)) { free(p); goto oom; }
        double f = tune_global(&t, p, o.max_labels, NULL, &thr);
        if (o.log) fprintf(o.log, "cv: C=%g  best global threshold %.3f  macro-F1 %.4f\n", c, thr, f);
        if (f > best) {
            best = f;
            C = c;
            gthr = thr;
            memcpy(oof, p, n * ncats * sizeof *p);
        }
        free(p);
    }
    /* the primary model: multi-class on first labels; every risk has one */
    bool primary = o.primary;
    for (size_t i = 0; primary && i < n; i++) primary = ylab[i] >= 0;
    if (o.primary && !primary && o.log) fprintf(o.log, "primary: some risks have no label; not trained\n");
    double top1_ovr = 0, best_rule = best;
    {
        size_t hit = 0;
        for (size_t i = 0; ylab && i < n; i++) {
            size_t b = 0;
            for (size_t c = 1; c < ncats; c++)
                if (oof[i * ncats + c] > oof[i * ncats + b]) b = c;
            hit += (int)b == ylab[i];
        }
        top1_ovr = (double)hit / (double)n;
        if (o.log) fprintf(o.log, "cv: one-vs-rest ranking: top-1 = primary %.4f\n", top1_ovr);
    }
    if (primary) {
        ptop = malloc(n * sizeof *ptop);
        if (!ptop || !choose_primary(m, fs, &t, ylab, &o, ptop, &pc)) goto oom;
        if (o.log)
            fprintf(o.log, "cv primary: chosen %s C=%g heading %g: top-1 = primary %.4f (one-vs-rest ranking %.4f)\n",
                    rfx_psolver_names[pc.solver], pc.C, pc.hw, pc.acc, top1_ovr);
        /* thresholds are tuned under the rule prediction will use */
        best_rule = tune_global(&t, oof, o.max_labels, ptop, &gthr);
        if (o.log)
            fprintf(o.log, "cv: with the primary top: best global threshold %.3f  macro-F1 %.4f\n", gthr, best_rule);
    }
    if (o.threshold >= 0) {
        for (size_t c = 0; c < ncats; c++) m->threshold[c] = o.threshold;
    } else {
        tune_per_category(&t, oof, ptop, gthr, m->threshold);
        if (o.log)
            fprintf(o.log, "cv: per-category thresholds: macro-F1 %.4f (global %.3f: %.4f)\n",
                    rule_macro_f1(&t, oof, m->threshold, o.max_labels, ptop), gthr, best_rule);
    }

    /* final fit on everything */
    {
        bool *use = malloc(n * sizeof *use);
        float *w = malloc((nvoc + 1) * ncats * sizeof *w);
        if (!use || !w) { free(use); free(w); goto oom; }
        for (size_t i = 0; i < n; i++) use[i] = true;
        if (!fit(&t, use, C, o.pos_weight, w)) { free(use); free(w); goto oom; }
        /* tiny weights move no decision but fill the file: store them as 0 */
        for (size_t j = 0; j < nvoc * ncats; j++)
            m->w[j] = fabsf(w[j]) < o.prune ? 0.0f : w[j];
        for (size_t c = 0; c < ncats; c++) m->bias[c] = w[nvoc * ncats + c];
        if (primary) { /* same features, its own heading weight */
            struct feature_node **px = NULL, *pspace = NULL;
            bool ok = build_rows(m, fs, n, pc.hw, o.body_weight, &px, &pspace) &&
                      fit_primary(px, ylab, n, nvoc, ncats, use, pc.solver, pc.C, w);
            free(px);
            free(pspace);
            m->pw = ok ? calloc(nvoc * ncats, sizeof *m->pw) : NULL;
            m->pbias = ok ? calloc(ncats, sizeof *m->pbias) : NULL;
            if (!m->pw || !m->pbias) { free(use); free(w); goto oom; }
            for (size_t j = 0; j < nvoc * ncats; j++)
                m->pw[j] = fabsf(w[j]) < o.prune ? 0.0f : w[j];
            for (size_t c = 0; c < ncats; c++) m->pbias[c] = w[nvoc * ncats + c];
            m->p_heading_weight = pc.hw;
            m->p_body_weight = o.body_weight;
            snprintf(m->psolver, sizeof m->psolver, "%s", rfx_psolver_names[pc.solver]);
        }
        free(use);
        free(w);
    }
    {
        char b[1024];
        int k = snprintf(b, sizeof b,
                 "trained by rfx %s on %zu risks, %zu categories, %zu features (min_df %u, prune %g)\n"
                 "liblinear L2R_LR C=%g, positive weight %g; %u-fold grouped CV macro-F1 %.4f (one threshold); thresholds %s\n"
                 "one-vs-rest ranking: CV top-1 = primary %.4f",
                 RFX_VERSION, n, ncats, nvoc, o.min_df, o.prune, C, o.pos_weight, o.folds, best,
                 o.threshold >= 0 ? "fixed" : "tuned per category", top1_ovr);
        if (primary && k > 0 && (size_t)k < sizeof b)
            snprintf(b + k, sizeof b - (size_t)k,
                     "\nprimary model: liblinear %s C=%g, heading weight %g; CV top-1 = primary %.4f; "
                     "macro-F1 with its top (one threshold) %.4f",
                     rfx_psolver_names[pc.solver], pc.C, pc.hw, pc.acc, best_rule);
        m->comment = strdup(b);
    }

    /* round trip through the text format: memory == file */
    {
        char *buf = NULL;
        size_t len = 0;
        FILE *mf = open_memstream(&buf, &len);
        if (!mf) goto oom;
        bool ok = rfx_model_write(m, mf, err);
        fclose(mf);
        if (ok) out = rfx_model_parse(buf, len, "trained model", err);
        free(buf);
        if (!out) goto fail;
    }
    goto done;
oom:
    rfx_set_error(err, RFX_ENOMEM, "train: out of memory");
fail:
    out = NULL;
done:
    for (size_t i = 0; fs && i < n; i++) rfx_featset_free(&fs[i]);
    free(fs);
    if (st) sb_stemmer_delete(st);
    free(voc);
    for (size_t c = 0; cats && c < ncats; c++) free(cats[c]);
    free(cats);
    rfx_model_free(m);
    free(t.x);
    free(t.y);
    free(t.fold);
    free(space);
    free(oof);
    free(ylab);
    free(ptop);
    return out;
}
