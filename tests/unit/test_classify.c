/*
 * test_classify.c — the classifier and the metrics: model files survive a
 * round trip and refuse to load when damaged, evidence is real text, the
 * multi-label rule behaves, the primary-category model (format version 2)
 * names the top category, survives a round trip and is checked as hostile
 * input, version-1 files still load, the metric arithmetic matches hand
 * counts, and the built-in model knows a competition, a litigation and a
 * cyber risk.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "classify/classify.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---------------- a tiny labelled set ---------------- */

static const char *L_COMP[] = {"competition"};
static const char *L_LEGAL[] = {"legal"};
static const char *L_CYBER[] = {"cyber"};
static const char *L_BOTH[] = {"legal", "cyber"};

static const rfx_train_doc TINY[] = {
    {"We face intense competition", "Competitors with greater resources may cut prices and win market share from us.", "a", L_COMP, 1},
    {"Competition could reduce our margins", "New entrants and aggressive competitors compete on price.", "b", L_COMP, 1},
    {"Our competitors may develop better products", "Competition in our markets is intense and competitors are larger.", "c", L_COMP, 1},
    {"We are subject to litigation", "Lawsuits and claims by plaintiffs could result in damages and legal costs.", "d", L_LEGAL, 1},
    {"Litigation could be costly", "We are defendants in lawsuits; claims and litigation are uncertain.", "e", L_LEGAL, 1},
    {"Legal proceedings may harm us", "Claims, lawsuits and court proceedings could result in damages.", "f", L_LEGAL, 1},
    {"Security breaches could expose data", "Hackers and viruses could breach our systems and steal customer data.", "a", L_CYBER, 1},
    {"Cyber attacks may disrupt us", "A breach by hackers could compromise confidential data and systems.", "b", L_CYBER, 1},
    {"Data breaches could harm our reputation", "Hackers, malware and security breaches put customer data at risk.", "c", L_CYBER, 1},
    {"A data breach could lead to lawsuits", "Hackers who breach our systems could cause claims and litigation.", "d", L_BOTH, 2},
};

static rfx_model *train_tiny_p(double threshold, bool primary) {
    rfx_train_opts o;
    rfx_train_opts_init(&o);
    o.primary = primary;
    o.C = 10;
    o.min_df = 1;
    o.folds = 3;
    o.threshold = threshold;
    o.prune = 0;
    rfx_error err = {0};
    rfx_model *m = rfx_model_train(TINY, sizeof TINY / sizeof TINY[0], &o, &err);
    if (!m) fprintf(stderr, "train: %s\n", err.message);
    return m;
}

/* without a primary model: the version-1 behaviour */
static rfx_model *train_tiny(double threshold) { return train_tiny_p(threshold, false); }

static int cat_index(const rfx_model *m, const char *id) {
    for (size_t c = 0; c < m->ncats; c++)
        if (!strcmp(m->cats[c], id)) return (int)c;
    return -1;
}

static void test_round_trip(void **state) {
    (void)state;
    rfx_model *m = train_tiny(-1);
    assert_non_null(m);
    assert_int_equal(m->ncats, 3);
    char path[] = "/tmp/rfx_test_model_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    rfx_error err = {0};
    assert_true(rfx_model_save(m, path, &err));
    rfx_model *m2 = rfx_model_load(path, &err);
    unlink(path);
    assert_non_null(m2);
    assert_int_equal(m2->nfeat, m->nfeat);
    const char *texts[][2] = {{"Competition is intense", "Competitors cut prices."},
                              {"Hackers may breach us", "A breach of data by hackers."},
                              {"We may be sued", "Lawsuits and claims."}};
    for (size_t t = 0; t < 3; t++) {
        double p1[8], p2[8];
        rfx_pred a[8], b[8];
        size_t na = rfx_model_predict(m, texts[t][0], texts[t][1], NULL, p1, a, 8, 5);
        size_t nb = rfx_model_predict(m2, texts[t][0], texts[t][1], NULL, p2, b, 8, 5);
        assert_int_equal(na, nb);
        for (size_t c = 0; c < m->ncats; c++) assert_true(fabs(p1[c] - p2[c]) < 1e-12);
        for (size_t k = 0; k < na; k++) assert_int_equal(a[k].cat, b[k].cat);
        rfx_preds_free(a, na);
        rfx_preds_free(b, nb);
    }
    rfx_pred p[8];
    size_t np = rfx_model_predict(m2, "Competition is intense", "Competitors cut prices.", NULL, NULL, p, 8, 5);
    assert_true(np >= 1);
    assert_int_equal(p[0].cat, cat_index(m2, "competition"));
    rfx_preds_free(p, np);
    rfx_model_free(m);
    rfx_model_free(m2);
}

static void expect_reject(const char *text, const char *needle) {
    rfx_error err = {0};
    rfx_model *m = rfx_model_parse(text, strlen(text), "hostile", &err);
    if (m) fail_msg("accepted: %s", text);
    if (!strstr(err.message, needle)) fail_msg("message \"%s\" lacks \"%s\"", err.message, needle);
    assert_non_null(strstr(err.message, "hostile:"));
}

static void test_hostile_models(void **state) {
    (void)state;
    const char *ok = "rfx-model 1\ncategories 1\ncat a 0.5 0\nfeatures 1\nf x 1 0:1\nend\n";
    rfx_error err = {0};
    rfx_model *m = rfx_model_parse(ok, strlen(ok), "good", &err);
    assert_non_null(m);
    rfx_model_free(m);
    expect_reject("", "end of file");
    expect_reject("hello\n", "not an rfx model");
    expect_reject("rfx-model 3\n", "unsupported version");
    expect_reject("rfx-model 1\ncategories 999999\n", "over the limit");
    expect_reject("rfx-model 1\ncategories -1\n", "bad categories");
    expect_reject("rfx-model 1\ncategories 1\ncat A! 0.5 0\n", "bad category id");
    expect_reject("rfx-model 1\ncategories 1\ncat a 7 0\n", "threshold out of range");
    expect_reject("rfx-model 1\ncategories 1\ncat a nan 0\n", "threshold is not a number");
    expect_reject("rfx-model 1\ncategories 2\ncat a 0.5 0\ncat a 0.5 0\n", "twice");
    expect_reject("rfx-model 1\ncategories 1\ncat a 0.5 0\nfeatures 3999999\nf x 1\nend\n", "larger than the file");
    expect_reject("rfx-model 1\ncategories 1\ncat a 0.5 0\nfeatures 1\nf x 1 5:1\nend\n", "category index");
    expect_reject("rfx-model 1\ncategories 1\ncat a 0.5 0\nfeatures 1\nf x 1 0:inf\nend\n", "weight");
    expect_reject("rfx-model 1\ncategories 1\ncat a 0.5 0\nfeatures 1\nf x 1 0:1\n", "end of file");
    expect_reject("rfx-model 1\ncategories 1\ncat a 0.5 0\nfeatures 2\nf x 1\nf x 1\nend\n", "appears twice");
    expect_reject("rfx-model 1\ncategories 1\ncat a 0.5 0\nfeatures 1\nf x -3\nend\n", "idf out of range");
    expect_reject("rfx-model 1\ncategories 1\ncat a 0.5 0\nfeatures 1\nf X\"y 1\nend\n", "bad feature term");
    expect_reject("rfx-model 1\ncategories 1\ncat a 0.5 0\nfeatures 1\nf x 1 0:1\nnot-end\n", "expected \"end\"");
    /* a NUL byte inside a line */
    const char nul[] = "rfx-model 1\ncategories 1\ncat a\0 0.5 0\n";
    rfx_model *mn = rfx_model_parse(nul, sizeof nul - 1, "hostile", &err);
    assert_null(mn);
    assert_non_null(strstr(err.message, "NUL"));
    /* a file that does not exist */
    assert_null(rfx_model_load("/nonexistent/model.rfxm", &err));
    assert_non_null(strstr(err.message, "cannot open model"));
}

/* ---------------- the primary-category model ---------------- */

static char *model_text(const rfx_model *m, size_t *len) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    rfx_error err = {0};
    assert_true(rfx_model_write(m, f, &err));
    fclose(f);
    return buf;
}

static void test_primary_round_trip(void **state) {
    (void)state;
    rfx_model *m = train_tiny_p(-1, true);
    assert_non_null(m);
    assert_non_null(m->pw);
    assert_non_null(m->pbias);
    assert_true(m->psolver[0] != 0);
    size_t len;
    char *text = model_text(m, &len);
    assert_int_equal(strncmp(text, "rfx-model 2\n", 12), 0);
    assert_non_null(strstr(text, "\nprimary "));
    rfx_error err = {0};
    rfx_model *m2 = rfx_model_parse(text, len, "round trip", &err);
    free(text);
    assert_non_null(m2);
    assert_non_null(m2->pw);
    assert_string_equal(m2->psolver, m->psolver);
    assert_true(m2->p_heading_weight == m->p_heading_weight);
    for (size_t j = 0; j < m->nfeat * m->ncats; j++) assert_true(m->pw[j] == m2->pw[j]);
    for (size_t c = 0; c < m->ncats; c++) assert_true(m->pbias[c] == m2->pbias[c]);
    const char *texts[][2] = {{"Competition is intense", "Competitors cut prices."},
                              {"Hackers may breach us", "A breach of data by hackers."},
                              {"We may be sued", "Lawsuits and claims."},
                              {"A breach could lead to lawsuits", "Hackers and plaintiffs."}};
    const char *want[] = {"competition", "cyber", "legal", NULL};
    for (size_t t = 0; t < 4; t++) {
        double p1[8], p2[8], q[8];
        rfx_pred a[8], b[8];
        size_t na = rfx_model_predict(m, texts[t][0], texts[t][1], NULL, p1, a, 8, 5);
        size_t nb = rfx_model_predict(m2, texts[t][0], texts[t][1], NULL, p2, b, 8, 5);
        assert_int_equal(na, nb);
        assert_true(na >= 1);
        for (size_t k = 0; k < na; k++) assert_int_equal(a[k].cat, b[k].cat);
        /* the top is the primary model's argmax, scored with its one-vs-rest probability */
        int top = rfx_model_primary(m2, texts[t][0], texts[t][1], NULL, q);
        assert_int_equal(b[0].cat, top);
        assert_true(fabs(b[0].prob - p2[top]) < 1e-12);
        assert_true(b[0].pprob > 0 && b[0].pprob <= 1 && fabs(b[0].pprob - q[top]) < 1e-12);
        double sum = 0;
        for (size_t c = 0; c < m2->ncats; c++) sum += q[c];
        assert_true(fabs(sum - 1) < 1e-9);
        if (want[t]) assert_int_equal(top, cat_index(m2, want[t]));
        /* the others: most probable first, never the top again */
        for (size_t k = 1; k < nb; k++) {
            assert_true(b[k].cat != top);
            assert_true(b[k].pprob == -1);
            if (k > 1) assert_true(b[k - 1].prob >= b[k].prob);
        }
        rfx_preds_free(a, na);
        rfx_preds_free(b, nb);
    }
    rfx_model_free(m);
    rfx_model_free(m2);
}

/* A hand-written model whose primary section disagrees with the
 * one-vs-rest ranking: the primary wins the top, the rest follow. */
static void test_primary_orders_top(void **state) {
    (void)state;
    const char *v2 =
        "rfx-model 2\n"
        "categories 3\n"
        "cat a 0.5 0\ncat b 0.5 0\ncat c 0.5 0\n"
        "features 1\n"
        "f risk 1 0:3 1:2 2:-3\n"
        "primary cs 1 1\n"
        "pcat a 0\npcat b 0\npcat c -1\n"
        "pfeatures 1\n"
        "pf risk 1:2\n"
        "end\n";
    rfx_error err = {0};
    rfx_model *m = rfx_model_parse(v2, strlen(v2), "v2", &err);
    assert_non_null(m);
    rfx_pred p[8];
    double probs[3];
    size_t np = rfx_model_predict(m, "Risk", "", NULL, probs, p, 8, 5);
    assert_true(probs[0] > probs[1] && probs[1] > 0.5 && probs[2] < 0.5);
    assert_int_equal(np, 2);
    assert_int_equal(p[0].cat, 1); /* b: the primary's choice */
    assert_true(fabs(p[0].prob - probs[1]) < 1e-12);
    assert_int_equal(p[1].cat, 0); /* a: over its threshold */
    rfx_preds_free(p, np);
    /* without the primary section the same weights rank a first */
    free(m->pw);
    m->pw = NULL;
    np = rfx_model_predict(m, "Risk", "", NULL, probs, p, 8, 5);
    assert_int_equal(np, 2);
    assert_int_equal(p[0].cat, 0);
    assert_true(p[0].pprob == -1);
    rfx_preds_free(p, np);
    rfx_model_free(m);
}

/* Version-1 files (no primary section) load and rank as before. */
static void test_old_format(void **state) {
    (void)state;
    const char *v1 = "rfx-model 1\ncategories 2\ncat a 0.5 0\ncat b 0.5 0\n"
                     "features 1\nf risk 1 0:1 1:2\nend\n";
    rfx_error err = {0};
    rfx_model *m = rfx_model_parse(v1, strlen(v1), "v1", &err);
    assert_non_null(m);
    assert_null(m->pw);
    assert_int_equal(rfx_model_primary(m, "Risk", "", NULL, (double[2]){0}), -1);
    rfx_pred p[4];
    size_t np = rfx_model_predict(m, "Risk", "", NULL, NULL, p, 4, 5);
    assert_int_equal(np, 2);
    assert_int_equal(p[0].cat, 1);
    rfx_preds_free(p, np);
    /* written back, a model without a primary model stays version 1 */
    size_t len;
    char *text = model_text(m, &len);
    assert_int_equal(strncmp(text, "rfx-model 1\n", 12), 0);
    assert_null(strstr(text, "primary"));
    free(text);
    rfx_model_free(m);
    /* a model trained with --no-primary likewise */
    m = train_tiny(-1);
    assert_non_null(m);
    assert_null(m->pw);
    text = model_text(m, &len);
    assert_int_equal(strncmp(text, "rfx-model 1\n", 12), 0);
    free(text);
    rfx_model_free(m);
}

static void test_hostile_primary(void **state) {
    (void)state;
#define HEAD2 "rfx-model 2\ncategories 2\ncat a 0.5 0\ncat b 0.5 0\nfeatures 2\nf x 1 0:1\nf y 1 1:1\n"
    const char *ok = HEAD2 "primary lr 0.5 1\npcat a 0\npcat b 0.5\npfeatures 1\npf y 0:1 1:-1\nend\n";
    rfx_error err = {0};
    rfx_model *m = rfx_model_parse(ok, strlen(ok), "good", &err);
    if (!m) fail_msg("%s", err.message);
    assert_non_null(m->pw);
    assert_true(m->pw[1 * 2 + 0] == 1.0f && m->pw[1 * 2 + 1] == -1.0f && m->pw[0] == 0);
    rfx_model_free(m);
    /* version 2 without a primary section is fine too */
    const char *noprim = HEAD2 "end\n";
    m = rfx_model_parse(noprim, strlen(noprim), "good", &err);
    assert_non_null(m);
    assert_null(m->pw);
    rfx_model_free(m);
    expect_reject("rfx-model 1\ncategories 2\ncat a 0.5 0\ncat b 0.5 0\nfeatures 2\nf x 1 0:1\nf y 1 1:1\n"
                  "primary lr 1 1\npcat a 0\npcat b 0\npfeatures 0\nend\n", "needs \"rfx-model 2\"");
    expect_reject(HEAD2 "primary\n", "bad primary solver");
    expect_reject(HEAD2 "primary L-R 1 1\n", "bad primary solver");
    expect_reject(HEAD2 "primary lr 1000 1\n", "primary heading_weight out of range");
    expect_reject(HEAD2 "primary lr 1 nan\n", "primary body_weight is not a number");
    expect_reject(HEAD2 "primary lr 1 1\npcat b 0\npcat a 0\n", "not the category in that place");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\n", "end of file");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 1e9\n", "primary bias out of range");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\nf z 1\n", "expected \"pcat\"");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 0\npfeatures 3\n", "larger than features");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 0\npfeatures 999999999\n", "over the limit");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 0\npfeatures -1\n", "bad pfeatures count");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 0\npfeatures 1\npf z 0:1\nend\n", "is not a feature");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 0\npfeatures 2\npf x 0:1\npf x 1:1\nend\n", "appears twice");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 0\npfeatures 1\npf x 2:1\nend\n", "category index");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 0\npfeatures 1\npf x 0:inf\nend\n", "weight");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 0\npfeatures 1\npf x 01\nend\n", "INDEX:WEIGHT");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 0\npfeatures 1\npf x 0:1\n", "end of file");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 0\npfeatures 0\nprimary lr 1 1\n", "expected \"end\"");
    expect_reject(HEAD2 "primary lr 1 1\npcat a 0\npcat b 0\npfeatures 0\npf x 0:1\nend\n", "expected \"end\"");
#undef HEAD2
}

static void test_evidence_in_text(void **state) {
    (void)state;
    rfx_error err = {0};
    const rfx_model *m = rfx_model_default(&err);
    assert_non_null(m);
    const char *h = "We face intense competition from larger competitors";
    const char *b = "Our competitors have greater financial resources and may reduce their prices, "
                    "which could cause us to lose market share.";
    rfx_pred p[8];
    size_t np = rfx_model_predict(m, h, b, NULL, NULL, p, 8, 5);
    assert_true(np >= 1);
    for (size_t k = 0; k < np; k++) {
        assert_true(p[k].nevidence >= 1);
        for (size_t e = 0; e < p[k].nevidence; e++) {
            const char *ev = p[k].evidence[e];
            if (!strstr(h, ev) && !strstr(b, ev)) fail_msg("evidence \"%s\" is not in the text", ev);
        }
    }
    rfx_preds_free(p, np);
}

static void test_multilabel_threshold(void **state) {
    (void)state;
    /* threshold 1: nothing reaches it, so only the top category is kept */
    rfx_model *m = train_tiny(1.0);
    assert_non_null(m);
    rfx_pred p[8];
    size_t np = rfx_model_predict(m, "A data breach led to lawsuits", "Hackers breached us and plaintiffs sued for damages.", NULL, NULL, p, 8, 5);
    assert_int_equal(np, 1);
    rfx_preds_free(p, np);
    /* threshold 0: every category passes, up to max_labels */
    for (size_t c = 0; c < m->ncats; c++) m->threshold[c] = 0;
    double probs[8];
    np = rfx_model_predict(m, "A data breach led to lawsuits", "Hackers breached us and plaintiffs sued for damages.", NULL, probs, p, 8, 5);
    assert_int_equal(np, m->ncats);
    for (size_t k = 1; k < np; k++) assert_true(p[k - 1].prob >= p[k].prob); /* best first */
    rfx_preds_free(p, np);
    m->max_labels = 2;
    np = rfx_model_predict(m, "A data breach led to lawsuits", "Hackers breached us.", NULL, NULL, p, 8, 5);
    assert_int_equal(np, 2);
    rfx_preds_free(p, np);
    /* a middle threshold keeps exactly the categories over it (plus the top) */
    m->max_labels = 4;
    for (size_t c = 0; c < m->ncats; c++) m->threshold[c] = 0.5;
    np = rfx_model_predict(m, "A data breach led to lawsuits", "Hackers breached us and plaintiffs sued.", NULL, probs, p, 8, 5);
    size_t over = 0;
    for (size_t c = 0; c < m->ncats; c++) over += probs[c] >= 0.5;
    assert_int_equal(np, over ? over : 1);
    rfx_preds_free(p, np);
    rfx_model_free(m);
}

static void test_default_model(void **state) {
    (void)state;
    rfx_error err = {0};
    const rfx_model *m = rfx_model_default(&err);
    assert_non_null(m);
    assert_true(m->ncats >= 20);
    assert_ptr_equal(m, rfx_model_default(&err)); /* loaded once */
    struct { const char *h, *b, *want; } cases[] = {
        {"We face intense competition, which could reduce our market share",
         "The markets in which we operate are highly competitive. Our competitors include large "
         "companies with greater resources, and new entrants may offer lower prices.", "competition"},
        {"We are, and may in the future be, subject to litigation that could be costly",
         "We are defendants in several lawsuits, including class actions, and plaintiffs may seek "
         "substantial damages. Litigation is costly and its outcome is uncertain.", "legal"},
        {"A security breach or cyber attack could compromise our customers' personal data",
         "Hackers, malware and phishing attacks could breach our network security and expose "
         "confidential customer information, which could subject us to privacy claims.",
         "cybersecurity_privacy"},
    };
    for (size_t i = 0; i < 3; i++) {
        rfx_pred p[8];
        size_t np = rfx_model_predict(m, cases[i].h, cases[i].b, NULL, NULL, p, 8, 5);
        assert_true(np >= 1);
        if (strcmp(m->cats[p[0].cat], cases[i].want))
            fail_msg("case %zu: top %s, wanted %s", i, m->cats[p[0].cat], cases[i].want);
        rfx_preds_free(p, np);
    }
}

/* ---------------- metrics ---------------- */

static rfx_text mk(const char *s) {
    rfx_text t;
    memset(&t, 0, sizeof t);
    t.s = (char *)s;
    t.len = strlen(s);
    return t;
}

static void test_syllables(void **state) {
    (void)state;
    struct { const char *w; int n; } cases[] = {
        {"risk", 1}, {"make", 1}, {"makes", 1}, {"moved", 1}, {"wanted", 2}, {"table", 2},
        {"company", 3}, {"regulatory", 5}, {"material", 4}, {"actual", 3}, {"competition", 4},
        {"information", 4}, {"business", 2}, {"adverse", 2}, {"the", 1}, {"year", 1},
        {"operations", 4}, {"uncertainty", 4}, {"passes", 2}, {"video", 3}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = rfx_syllables(cases[i].w, strlen(cases[i].w));
        if (got != cases[i].n) fail_msg("%s: %d syllables, wanted %d", cases[i].w, got, cases[i].n);
    }
}

static void test_counts_and_fog(void **state) {
    (void)state;
    /* 2 sentences, 12 words; complex (3+ syllables): "company", "regulatory" */
    const char *s = "The company may lose money. New regulatory rules could hurt our sales.";
    rfx_text t = mk(s);
    rfx_measure_acc a = {0};
    rfx_measure_text(NULL, &t, NULL, 0, false, &a);
    assert_int_equal(a.words, 12);
    assert_int_equal(a.sentences, 2);
    assert_int_equal(a.complex, 2);
    rfx_metrics m;
    rfx_metrics_finish(&a, &m);
    assert_true(m.valid);
    /* 0.4 × (12/2 + 100 × 2/12) = 0.4 × (6 + 16.667) = 9.0667 */
    assert_true(fabs(m.fog - 0.4 * (6.0 + 100.0 * 2 / 12)) < 1e-9);
    /* abbreviations and decimals do not end sentences; a line break does */
    const char *s2 = "Internet Initiative Japan Inc. earned 3.5 percent in the U.S. market.\nWe grew.";
    t = mk(s2);
    memset(&a, 0, sizeof a);
    rfx_measure_text(NULL, &t, NULL, 0, false, &a);
    assert_int_equal(a.sentences, 2);
    assert_int_equal(a.words, 13);
}

static void test_rates_and_specificity(void **state) {
    (void)state;
    /* uncertainty: may, uncertain; litigious: litigation, plaintiffs;
     * negative: litigation, adverse, losses */
    const char *s = "We may face uncertain litigation by plaintiffs and adverse losses.";
    rfx_text t = mk(s);
    rfx_measure_acc a = {0};
    rfx_measure_text(NULL, &t, NULL, 0, false, &a);
    assert_int_equal(a.words, 10);
    assert_int_equal(a.uncertain, 2);
    assert_int_equal(a.litigious, 2);
    assert_int_equal(a.negative, 3);
    rfx_metrics m;
    rfx_metrics_finish(&a, &m);
    assert_true(fabs(m.uncertainty - 20.0) < 1e-9);
    /* specificity: "NTT", "Nippon Telegraph" (capitalised run), "2013", "March 31" */
    const char *s2 = "As of March 31, 2013, Nippon Telegraph held shares, and NTT may sell them.";
    t = mk(s2);
    memset(&a, 0, sizeof a);
    rfx_measure_text(NULL, &t, NULL, 0, false, &a);
    assert_int_equal(a.words, 14);
    /* March 31 2013 (3) + Nippon Telegraph (2) + NTT (1) */
    assert_int_equal(a.specific, 6);
}

static void test_wordlists(void **state) {
    (void)state;
    assert_true(rfx_wordlist_has("uncertainty", "uncertainties", 13)); /* prefix entry */
    assert_true(rfx_wordlist_has("litigious", "lawsuit", 7));
    assert_true(rfx_wordlist_has("negative", "impairment", 10));
    assert_false(rfx_wordlist_has("negative", "revenue", 7));
    assert_true(rfx_wordlist_has("boilerplate", "could have a material", 21));
    assert_true(rfx_is_stopword("the", 3));
    assert_false(rfx_is_stopword("competition", 11));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_hostile_models),
        cmocka_unit_test(test_primary_round_trip),
        cmocka_unit_test(test_primary_orders_top),
        cmocka_unit_test(test_old_format),
        cmocka_unit_test(test_hostile_primary),
        cmocka_unit_test(test_evidence_in_text),
        cmocka_unit_test(test_multilabel_threshold),
        cmocka_unit_test(test_default_model),
        cmocka_unit_test(test_syllables),
        cmocka_unit_test(test_counts_and_fog),
        cmocka_unit_test(test_rates_and_specificity),
        cmocka_unit_test(test_wordlists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
