/*
 * classify.h — the risk classifier and the disclosure metrics, inside librfx.
 *
 * A model is a set of one-vs-rest logistic regressions over one shared
 * feature space: stemmed unigrams and bigrams of the heading ("h:" prefix)
 * and of heading + body, log-count × idf, each part L2-normalised. Training
 * (liblinear) lives in train.c, the text model format in model.c, feature
 * extraction in features.c, and the pipeline stage in classify.c. Prediction
 * needs no liblinear: a model is just weights, so loading one is cheap and
 * the result is immutable and shared by all threads.
 *
 * The format of model files is documented in docs/classify.md.
 */
#ifndef RFX_CLASSIFY_H
#define RFX_CLASSIFY_H

#include "../rfx_internal.h"

#include <stdio.h>

struct sb_stemmer;

/* ---------------- features.c ---------------- */

/* One distinct feature of a text with its raw count and the first place it
 * was seen (a byte span of the heading, part 0, or the body, part 1). */
typedef struct rfx_feat {
    char *term;      /* malloc'd: "stem", "stem_stem", "h:stem", "h:stem_stem" */
    unsigned count;
    int part;        /* 0 = heading, 1 = body */
    size_t off, len; /* surface span in that part's text */
} rfx_feat;

typedef struct rfx_featset {
    rfx_feat *f;
    size_t n, cap;
    size_t *slots;   /* open-addressed index into f (internal) */
    size_t nslots;
    bool oom;
} rfx_featset;

/* Counts the features of heading + body. st may be NULL (a private stemmer
 * is created). Returns false on allocation failure. Free with _free. */
bool rfx_features(const char *heading, const char *body, struct sb_stemmer *st,
                  rfx_featset *out);
void rfx_featset_free(rfx_featset *fs);
/* true for the English stop words the classifier ignores */
bool rfx_is_stopword(const char *w, size_t n);

/* ---------------- model.c ---------------- */

#define RFX_MODEL_MAX_CATS 128
#define RFX_MODEL_MAX_FEATURES 4000000u
#define RFX_MODEL_MAX_TERM 128

typedef struct rfx_model {
    size_t ncats;
    char **cats;          /* category ids */
    double *threshold;    /* per category, probability */
    double *bias;         /* per category */
    size_t nfeat;
    char **terms;         /* nfeat */
    double *idf;          /* nfeat */
    float *w;             /* nfeat × ncats, row-major by feature */
    size_t *slots;        /* hash index over terms */
    size_t nslots;
    double heading_weight, body_weight;
    size_t max_labels;    /* at most this many categories per risk */
    char *comment;        /* free text from "#" lines (training summary) */
    /* The primary-category model (format version 2; absent when pw is NULL):
     * a multi-class linear model over the same features and idf, with its
     * own heading/body weights. Its argmax is the risk's top category; the
     * one-vs-rest model above supplies the scores and the other categories. */
    float *pw;            /* nfeat × ncats, row-major by feature; NULL: none */
    double *pbias;        /* ncats */
    double p_heading_weight, p_body_weight;
    char psolver[32];     /* how it was trained ([a-z0-9_]); informational */
} rfx_model;

/* Parses a model from text; name is used in error messages. NULL on error. */
rfx_model *rfx_model_parse(const char *text, size_t len, const char *name, rfx_error *err);
rfx_model *rfx_model_load(const char *path, rfx_error *err);
/* Writes the text format. Returns false (err filled) on I/O failure. */
bool rfx_model_write(const rfx_model *m, FILE *f, rfx_error *err);
bool rfx_model_save(const rfx_model *m, const char *path, rfx_error *err);
void rfx_model_free(rfx_model *m);
/* Index of term, or -1. */
long rfx_model_find(const rfx_model *m, const char *term);
/* Builds the term index; used by the parser and by training. */
bool rfx_model_index(rfx_model *m);

/* The built-in model (parsed once per process; never freed). NULL + err if
 * the embedded text is damaged, which a unit test rules out. */
const rfx_model *rfx_model_default(rfx_error *err);
/* The model at path, loaded once per process and cached; NULL + err. */
const rfx_model *rfx_model_cached(const char *path, rfx_error *err);

/* ---------------- prediction (classify.c) ---------------- */

/* The model's feature vector of fs: idx (sorted ascending) and val, n
 * entries (arrays of fs->n capacity). Features the model does not know are
 * dropped. Returns n. */
size_t rfx_model_vectorize(const rfx_model *m, const rfx_featset *fs, size_t *idx, double *val,
                           size_t *which);
/* The same with explicit heading and body weights (the primary model's). */
size_t rfx_model_vectorize_w(const rfx_model *m, const rfx_featset *fs, double heading_weight,
                             double body_weight, size_t *idx, double *val, size_t *which);

typedef struct rfx_pred {
    int cat;          /* index into model->cats */
    double prob;      /* one-vs-rest probability of the category */
    double pprob;     /* out[0] only: the primary model's softmax probability
                       * of this category; -1 without a primary model */
    const char *evidence[8]; /* surface words/phrases, malloc'd by _predict */
    size_t nevidence;
} rfx_pred;

/* Scores every category of heading + body. probs (ncats entries, may be NULL)
 * receives each category's one-vs-rest probability. out (max entries)
 * receives the predicted categories: first the top one (the primary model's
 * argmax when the model has one, else the most probable), then the others at
 * or above their threshold, most probable first, at most model->max_labels
 * in all. Evidence strings are malloc'd: release them with rfx_preds_free.
 * Returns the number in out. */
size_t rfx_model_predict(const rfx_model *m, const char *heading, const char *body,
                         struct sb_stemmer *st, double *probs, rfx_pred *out, size_t max,
                         size_t max_evidence);
void rfx_preds_free(rfx_pred *p, size_t n);
/* The primary model's softmax probabilities (ncats entries) of heading +
 * body; returns their argmax, or -1 without a primary model (or out of
 * memory). The softmax of linear scores ranks like the model but is not
 * calibrated (for an SVM it is much flatter than a real probability). */
int rfx_model_primary(const rfx_model *m, const char *heading, const char *body,
                      struct sb_stemmer *st, double *pprobs);

/* ---------------- train.c ---------------- */

typedef struct rfx_train_doc {
    const char *heading, *body;
    const char *group;    /* company: keeps its near-duplicate years in one CV fold */
    const char **labels;  /* first = primary */
    size_t nlabels;
} rfx_train_doc;

typedef struct rfx_train_opts {
    double C;              /* <= 0: choose from a grid by cross-validation */
    double threshold;      /* < 0: tune per category by cross-validation */
    unsigned min_df;       /* features seen in fewer training documents are dropped */
    unsigned folds;        /* cross-validation folds (grouped by doc->group) */
    double heading_weight, body_weight;
    size_t max_labels;
    double pos_weight;     /* liblinear cost multiplier for a category's positives */
    double prune;          /* weights with |w| below this are stored as 0 */
    /* primary-category model: trained on each risk's first label */
    bool primary;          /* train one (default true) */
    int primary_solver;    /* RFX_PSOLVER_*; < 0: choose by cross-validation */
    double primary_C;      /* <= 0: choose by cross-validation */
    double primary_heading_weight; /* < 0: choose by cross-validation */
    FILE *log;             /* progress and CV results; may be NULL */
} rfx_train_opts;

/* Solvers tried for the primary model (liblinear multi-class). */
enum { RFX_PSOLVER_LR, RFX_PSOLVER_CS, RFX_PSOLVER_SVC, RFX_PSOLVER_L1LR, RFX_PSOLVER_N };
extern const char *const rfx_psolver_names[RFX_PSOLVER_N]; /* "lr", "cs", "svc", "l1lr" */

void rfx_train_opts_init(rfx_train_opts *o);
rfx_model *rfx_model_train(const rfx_train_doc *docs, size_t n, const rfx_train_opts *o,
                           rfx_error *err);

/* ---------------- metrics.c ---------------- */

/* Syllables of one word (ASCII letters; others ignored), >= 1 for a word. */
int rfx_syllables(const char *w, size_t n);
/* Metrics of one text; spans (source offsets, may be NULL) mark specific
 * words; the register's entities are looked up when r is non-NULL. */
typedef struct rfx_measure_acc {
    size_t words, sentences, specific, complex, boiler_sentences;
    size_t uncertain, litigious, negative;
} rfx_measure_acc;
void rfx_measure_text(const rfx_register *r, const rfx_text *t, const rfx_fact *facts,
                      size_t nfacts, bool heading, rfx_measure_acc *acc);
void rfx_metrics_finish(const rfx_measure_acc *acc, rfx_metrics *m);
/* Word-list membership (lower-case word), for tests and docs. */
bool rfx_wordlist_has(const char *list, const char *w, size_t n);

#endif
