/*
 * test_diff.c — the compare stage: its invariants on registers built by hand,
 * the measures on examples small enough to compute on paper, the edit
 * scripts, and the saved-register reader against hostile JSON.
 *
 * Registers are written as saved-register JSON and loaded with
 * rfx_register_from_json, so every test also exercises the reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "compare/compare.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Six risks on distinct topics, written the way 10-K risk factors are. */
static const char *H[] = {
    "Changes in economic conditions could reduce demand for our products.",
    "We face intense competition that could reduce our market share.",
    "Breaches of our information systems could harm our reputation.",
    "We depend on a limited number of suppliers for key components.",
    "Changes in tax laws could increase our effective tax rate.",
    "The loss of key personnel could disrupt our operations.",
};
static const char *Bd[] = {
    "A decline in consumer spending, rising unemployment or inflation may lead customers to delay "
    "or cancel purchases. Recessions in our largest markets have in the past reduced our revenue "
    "and margins, and similar conditions could recur.",
    "Our competitors include large companies with greater resources, broader product lines and "
    "longer relationships with customers. New entrants may offer lower prices, and pricing "
    "pressure could force us to reduce prices and accept lower margins.",
    "Hackers, viruses and employee error could expose confidential customer data. A breach could "
    "lead to litigation, regulatory fines under privacy laws and costly remediation, and customers "
    "could lose trust in our services.",
    "Several components are available only from single sources. Shortages, price increases or "
    "delivery delays from these vendors could halt production, and finding alternative suppliers "
    "would take months and could raise our costs.",
    "We operate in many jurisdictions and tax authorities may challenge our positions. New "
    "legislation on international taxation, including minimum taxes, could raise our tax expense "
    "and reduce our net income.",
    "Our success depends on our executive officers and engineers. Competition for talent is "
    "intense, and the departure of senior managers could delay product development and weaken "
    "relationships with partners.",
};
#define NR 6

/* A saved register with the given headings and bodies (NULL body = skip). */
static rfx_register *make_reg(const char *const *h, const char *const *b, size_t n) {
    json_t *risks = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(risks, json_pack("{s:I,s:s,s:s,s:n}", "index", (json_int_t)(i + 1),
                                               "heading", h[i], "body", b[i], "group"));
    json_t *root = json_pack("{s:s,s:{s:s},s:o}", "rfx", "0.1.0", "source", "path", "test.txt",
                             "risks", risks);
    char *s = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    rfx_register *r = NULL;
    rfx_error err;
    rfx_status st = rfx_register_from_json(s, strlen(s), &r, &err);
    free(s);
    if (st != RFX_OK) fail_msg("reader: %s", err.message);
    return r;
}

static rfx_diff *diff_of(rfx_register *a, rfx_register *b) {
    rfx_diff *d = NULL;
    rfx_error err;
    assert_int_equal(rfx_diff_compute(a, b, &d, &err), RFX_OK);
    return d;
}

static void expect_counts(const rfx_diff *d, size_t un, size_t mod, size_t add, size_t rem, size_t mov) {
    assert_int_equal(rfx_diff_count(d, "unchanged"), un);
    assert_int_equal(rfx_diff_count(d, "modified"), mod);
    assert_int_equal(rfx_diff_count(d, "added"), add);
    assert_int_equal(rfx_diff_count(d, "removed"), rem);
    assert_int_equal(rfx_diff_count(d, "moved"), mov);
}

static void test_identity(void **state) {
    (void)state;
    rfx_register *a = make_reg(H, Bd, NR);
    rfx_diff *d = diff_of(a, a);
    expect_counts(d, NR, 0, 0, 0, 0);
    assert_int_equal(rfx_diff_pair_count(d), NR);
    for (size_t k = 0; k < NR; k++) {
        long o, n;
        double s;
        assert_string_equal(rfx_diff_pair(d, k, &o, &n, &s), "unchanged");
        assert_int_equal(o, (long)k);
        assert_int_equal(n, (long)k);
        assert_true(s == 1.0);
    }
    const char *m[] = {"cosine", "jaccard", "min_edit", "simple"};
    for (int i = 0; i < 4; i++) assert_true(rfx_diff_similarity(d, m[i]) == 1.0);
    rfx_diff_free(d);
    rfx_register_free(a);
}

/* Identity holds even when two risks are word for word the same. */
static void test_identity_duplicates(void **state) {
    (void)state;
    const char *h[] = {H[0], H[1], H[0], H[2]}, *b[] = {Bd[0], Bd[1], Bd[0], Bd[2]};
    rfx_register *a = make_reg(h, b, 4);
    rfx_diff *d = diff_of(a, a);
    expect_counts(d, 4, 0, 0, 0, 0);
    rfx_diff_free(d);
    rfx_register_free(a);
}

static void test_remove_one(void **state) {
    (void)state;
    for (size_t gone = 0; gone < NR; gone++) {
        const char *h[NR], *b[NR];
        size_t n = 0;
        for (size_t i = 0; i < NR; i++)
            if (i != gone) { h[n] = H[i]; b[n] = Bd[i]; n++; }
        rfx_register *a = make_reg(H, Bd, NR), *z = make_reg(h, b, n);
        rfx_diff *d = diff_of(a, z);
        expect_counts(d, NR - 1, 0, 0, 1, 0);
        for (size_t k = 0; k < rfx_diff_pair_count(d); k++) {
            long o, nw;
            if (!strcmp(rfx_diff_pair(d, k, &o, &nw, NULL), "removed")) {
                assert_int_equal(o, (long)gone);
                assert_int_equal(nw, -1);
            }
        }
        assert_true(rfx_diff_similarity(d, "simple") < 1.0);
        rfx_diff_free(d);
        /* and the reverse is exactly one added */
        d = diff_of(z, a);
        expect_counts(d, NR - 1, 0, 1, 0, 0);
        rfx_diff_free(d);
        rfx_register_free(a);
        rfx_register_free(z);
    }
}

static void test_reword_one_sentence(void **state) {
    (void)state;
    const char *b[NR];
    memcpy(b, Bd, sizeof b);
    b[2] = "Hackers, viruses and employee error could expose confidential customer data. A breach "
           "would likely result in lawsuits, fines imposed by data-protection regulators and "
           "expensive remediation, and customers could lose trust in our services.";
    rfx_register *a = make_reg(H, Bd, NR), *z = make_reg(H, b, NR);
    rfx_diff *d = diff_of(a, z);
    expect_counts(d, NR - 1, 1, 0, 0, 0);
    char *js = rfx_diff_json(d, 0);
    assert_non_null(js);
    assert_non_null(strstr(js, "\"op\":\"delete\""));
    assert_non_null(strstr(js, "\"op\":\"insert\""));
    assert_non_null(strstr(js, "{\"op\":\"insert\",\"text\":\"would likely result in lawsuits,"));
    free(js);
    rfx_diff_free(d);
    rfx_register_free(a);
    rfx_register_free(z);
}

static void test_move_one(void **state) {
    (void)state;
    for (size_t from = 0; from < NR; from++) {
        for (size_t to = 0; to < NR; to++) {
            if (to == from) continue;
            const char *h[NR], *b[NR];
            size_t n = 0;
            for (size_t i = 0; i < NR; i++)
                if (i != from) { h[n] = H[i]; b[n] = Bd[i]; n++; }
            memmove(h + to + 1, h + to, (NR - 1 - to) * sizeof *h);
            memmove(b + to + 1, b + to, (NR - 1 - to) * sizeof *b);
            h[to] = H[from];
            b[to] = Bd[from];
            rfx_register *a = make_reg(H, Bd, NR), *z = make_reg(h, b, NR);
            rfx_diff *d = diff_of(a, z);
            expect_counts(d, NR - 1, 0, 0, 0, 1);
            rfx_diff_free(d);
            rfx_register_free(a);
            rfx_register_free(z);
        }
    }
}

static void test_retitle(void **state) {
    (void)state;
    const char *h[NR];
    memcpy(h, H, sizeof h);
    h[4] = "Tax reform and audits could raise what we pay in taxes.";
    rfx_register *a = make_reg(H, Bd, NR), *z = make_reg(h, Bd, NR);
    rfx_diff *d = diff_of(a, z);
    expect_counts(d, NR - 1, 1, 0, 0, 0);
    char *t = rfx_diff_text(d, 0);
    /* "could" is shared, but a one-word island in a rewrite is folded into it */
    assert_non_null(strstr(t, "[-Changes in tax laws could increase our effective tax rate.-] "
                              "{+Tax reform and audits could"));
    free(t);
    rfx_diff_free(d);
    rfx_register_free(a);
    rfx_register_free(z);
}

static void test_split_and_merge(void **state) {
    (void)state;
    /* old risk 3 covers both breaches and suppliers; new splits it in two */
    char both[2048];
    snprintf(both, sizeof both, "%s\n\n%s", Bd[2], Bd[3]);
    const char *ho[] = {H[0], H[1], "Breaches of our systems and supplier failures could harm us.", H[4], H[5]};
    const char *bo[] = {Bd[0], Bd[1], both, Bd[4], Bd[5]};
    rfx_register *a = make_reg(ho, bo, 5), *z = make_reg(H, Bd, NR);
    rfx_diff *d = diff_of(a, z);
    assert_int_equal(rfx_diff_count(d, "split"), 1);
    assert_int_equal(rfx_diff_count(d, "merge"), 0);
    assert_int_equal(rfx_diff_count(d, "added"), 1);
    assert_int_equal(rfx_diff_count(d, "removed"), 0);
    char *js = rfx_diff_json(d, 0);
    json_t *root = json_loads(js, 0, NULL);
    json_t *sp = json_array_get(json_object_get(root, "splits"), 0);
    assert_int_equal(json_integer_value(json_object_get(sp, "old")), 3);
    assert_int_equal(json_array_size(json_object_get(sp, "new")), 2);
    json_decref(root);
    free(js);
    rfx_diff_free(d);
    d = diff_of(z, a); /* the reverse is a merge */
    assert_int_equal(rfx_diff_count(d, "merge"), 1);
    assert_int_equal(rfx_diff_count(d, "split"), 0);
    assert_int_equal(rfx_diff_count(d, "removed"), 1);
    rfx_diff_free(d);
    rfx_register_free(a);
    rfx_register_free(z);
}

/* A new risk on a new topic is added, and not a split of anything. */
static void test_added_not_split(void **state) {
    (void)state;
    const char *h[NR + 1], *b[NR + 1];
    memcpy(h, H, sizeof H);
    memcpy(b, Bd, sizeof Bd);
    h[NR] = "Climate change and extreme weather could damage our facilities.";
    b[NR] = "Floods, hurricanes and wildfires are becoming more frequent near our plants, and "
            "new emissions rules could require costly upgrades to our factories.";
    rfx_register *a = make_reg(H, Bd, NR), *z = make_reg(h, b, NR + 1);
    rfx_diff *d = diff_of(a, z);
    expect_counts(d, NR, 0, 1, 0, 0);
    assert_int_equal(rfx_diff_count(d, "split"), 0);
    rfx_diff_free(d);
    rfx_register_free(a);
    rfx_register_free(z);
}

static void test_everything_replaced(void **state) {
    (void)state;
    rfx_register *a = make_reg(H, Bd, 3), *z = make_reg(H + 3, Bd + 3, 3);
    rfx_diff *d = diff_of(a, z);
    expect_counts(d, 0, 0, 3, 3, 0);
    rfx_diff_free(d);
    rfx_register *e = make_reg(H, Bd, 0);
    d = diff_of(e, e);
    expect_counts(d, 0, 0, 0, 0, 0);
    assert_true(rfx_diff_similarity(d, "cosine") == 1.0);
    rfx_diff_free(d);
    d = diff_of(e, a);
    expect_counts(d, 0, 0, 3, 0, 0);
    assert_true(rfx_diff_similarity(d, "cosine") == 0.0);
    rfx_diff_free(d);
    rfx_register_free(a);
    rfx_register_free(z);
    rfx_register_free(e);
}

/* ---- the four measures, computed by hand ---- */

static rfx_diff *one_risk_diff(const char *old_body, const char *new_body, rfx_register **a,
                               rfx_register **z) {
    const char *h[] = {""};
    *a = make_reg(h, &old_body, 1);
    *z = make_reg(h, &new_body, 1);
    return diff_of(*a, *z);
}

static void test_measures_substitution(void **state) {
    (void)state;
    rfx_register *a, *z;
    /* the cat sat on the mat → the cat sat on a hat
     * tf: the2 cat sat on mat | the cat sat on a hat: dot 5, |a|²=8, |b|²=6 → 5/√48
     * sets: 4 shared of 7; LCS 4 of 6+6 → 1 − 4/12; 2 substitutions of 6 → 1 − 2/6 */
    rfx_diff *d = one_risk_diff("The cat sat on the mat.", "The cat sat on a hat!", &a, &z);
    assert_float_equal(rfx_diff_similarity(d, "cosine"), 5 / sqrt(48), 1e-9);
    assert_float_equal(rfx_diff_similarity(d, "jaccard"), 4.0 / 7, 1e-9);
    assert_float_equal(rfx_diff_similarity(d, "simple"), 1 - 4.0 / 12, 1e-9);
    assert_float_equal(rfx_diff_similarity(d, "min_edit"), 1 - 2.0 / 6, 1e-9);
    expect_counts(d, 0, 1, 0, 0, 0);
    rfx_diff_free(d);
    rfx_register_free(a);
    rfx_register_free(z);
}

static void test_measures_insertion(void **state) {
    (void)state;
    rfx_register *a, *z;
    /* 6 words → 8 words by two insertions: simple 1 − 2/14, min edit 1 − 2/8,
     * cosine: the2 cat sat on mat vs the2 cat sat on big mat today: 8/√(8·10) */
    rfx_diff *d = one_risk_diff("the cat sat on the mat", "the cat sat on the big mat today", &a, &z);
    assert_float_equal(rfx_diff_similarity(d, "simple"), 1 - 2.0 / 14, 1e-9);
    assert_float_equal(rfx_diff_similarity(d, "min_edit"), 1 - 2.0 / 8, 1e-9);
    assert_float_equal(rfx_diff_similarity(d, "cosine"), 8 / sqrt(80), 1e-9);
    assert_float_equal(rfx_diff_similarity(d, "jaccard"), 5.0 / 7, 1e-9);
    rfx_diff_free(d);
    rfx_register_free(a);
    rfx_register_free(z);
}

/* Preprocessing: case, punctuation and numbers do not count; the redline
 * still shows the change, so the risk is modified with similarity 1. */
static void test_measures_preprocessing(void **state) {
    (void)state;
    rfx_register *a, *z;
    rfx_diff *d = one_risk_diff("In fiscal 2015, the Company's debt rose 10%.",
                                "In Fiscal 2016 the companys DEBT rose (12%)", &a, &z);
    assert_true(rfx_diff_similarity(d, "cosine") == 1.0);
    assert_true(rfx_diff_similarity(d, "simple") == 1.0);
    assert_true(rfx_diff_similarity(d, "min_edit") == 1.0);
    expect_counts(d, 0, 1, 0, 0, 0);
    rfx_diff_free(d);
    rfx_register_free(a);
    rfx_register_free(z);
}

/* ---- edit scripts ---- */

static void check_script(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, const cmp_ops *o) {
    size_t xa = 0, xb = 0;
    for (size_t k = 0; k < o->n; k++) {
        const cmp_op *op = &o->v[k];
        assert_int_equal(op->a0, xa);
        assert_int_equal(op->b0, xb);
        if (op->kind == CMP_EQUAL) {
            assert_int_equal(op->a1 - op->a0, op->b1 - op->b0);
            for (uint32_t i = 0; i < op->a1 - op->a0; i++) assert_true(a[op->a0 + i] == b[op->b0 + i]);
        } else if (op->kind == CMP_DELETE) assert_int_equal(op->b1, op->b0);
        else assert_int_equal(op->a1, op->a0);
        xa = op->a1;
        xb = op->b1;
    }
    assert_int_equal(xa, na);
    assert_int_equal(xb, nb);
}

static void test_seqdiff_small(void **state) {
    (void)state;
    uint64_t a[] = {1, 2, 3, 4}, b[] = {1, 3, 4, 5};
    cmp_ops o = {0};
    assert_true(cmp_seqdiff(a, 4, b, 4, &o));
    check_script(a, 4, b, 4, &o);
    assert_int_equal(o.n, 4);
    assert_int_equal(o.v[0].kind, CMP_EQUAL);
    assert_int_equal(o.v[1].kind, CMP_DELETE);
    assert_int_equal(o.v[1].a0, 1);
    assert_int_equal(o.v[2].kind, CMP_EQUAL);
    assert_int_equal(o.v[3].kind, CMP_INSERT);
    assert_int_equal(o.v[3].b0, 3);
    size_t del, ins, edit;
    cmp_ops_totals(&o, &del, &ins, &edit);
    assert_int_equal(del, 1);
    assert_int_equal(ins, 1);
    cmp_ops_free(&o);
    /* empty sides */
    assert_true(cmp_seqdiff(a, 0, b, 4, &o));
    assert_int_equal(o.n, 1);
    assert_int_equal(o.v[0].kind, CMP_INSERT);
    cmp_ops_free(&o);
    assert_true(cmp_seqdiff(a, 0, b, 0, &o));
    assert_int_equal(o.n, 0);
    cmp_ops_free(&o);
}

/* Minimality on a case with a known answer: LCS("ABCABBA","CBABAC") = 4. */
static void test_seqdiff_minimal(void **state) {
    (void)state;
    uint64_t a[] = {'A', 'B', 'C', 'A', 'B', 'B', 'A'}, b[] = {'C', 'B', 'A', 'B', 'A', 'C'};
    cmp_ops o = {0};
    assert_true(cmp_seqdiff(a, 7, b, 6, &o));
    check_script(a, 7, b, 6, &o);
    size_t del, ins;
    cmp_ops_totals(&o, &del, &ins, NULL);
    assert_int_equal(del + ins, 5);
    cmp_ops_free(&o);
}

/* Large inputs go through patience anchors and the cost cap; the script must
 * still be a valid transformation. */
static void test_seqdiff_large(void **state) {
    (void)state;
    size_t n = 40000;
    uint64_t *a = malloc(n * sizeof *a), *b = malloc((n + 2000) * sizeof *b);
    unsigned s = 12345;
    for (size_t i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        a[i] = (s >> 8) % 3000; /* repeated words, like prose */
    }
    size_t nb = 0;
    for (size_t i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        unsigned r = (s >> 8) % 100;
        if (r == 0) continue;                         /* delete */
        if (r == 1) b[nb++] = 100000 + i;             /* insert */
        if (r == 2) { b[nb++] = 200000 + i; continue; } /* substitute */
        b[nb++] = a[i];
    }
    cmp_ops o = {0};
    assert_true(cmp_seqdiff(a, n, b, nb, &o));
    check_script(a, n, b, nb, &o);
    size_t del, ins;
    cmp_ops_totals(&o, &del, &ins, NULL);
    assert_true(del + ins < n / 10); /* about 4% edited: near-minimal */
    cmp_ops_free(&o);
    /* unrelated texts: replaced whole, quickly */
    for (size_t i = 0; i < n; i++) b[i] = 500000 + i % 7;
    assert_true(cmp_seqdiff(a, n, b, n, &o));
    check_script(a, n, b, n, &o);
    cmp_ops_free(&o);
    free(a);
    free(b);
}

static void test_levenshtein(void **state) {
    (void)state;
    uint64_t k[] = {'k', 'i', 't', 't', 'e', 'n'}, s[] = {'s', 'i', 't', 't', 'i', 'n', 'g'};
    bool exact;
    assert_int_equal(cmp_levenshtein(k, 6, s, 7, 1000000, &exact), 3);
    assert_true(exact);
    assert_int_equal(cmp_levenshtein(k, 6, k, 6, 1000000, &exact), 0);
    assert_int_equal(cmp_levenshtein(k, 0, s, 7, 1000000, &exact), 7);
    uint64_t x[] = {1, 2, 3}, y[] = {4, 5, 6, 7, 8};
    assert_int_equal(cmp_levenshtein(x, 3, y, 5, 1000000, &exact), 5);
    assert_int_equal(cmp_levenshtein(y, 5, x, 3, 1000000, &exact), 5);
    /* against the textbook DP on random sequences, across block boundaries */
    unsigned seed = 7;
    for (int t = 0; t < 200; t++) {
        uint64_t u[300], v[300];
        seed = seed * 1103515245u + 12345u;
        size_t nu = (seed >> 8) % 200, nv = nu + (seed >> 20) % 60;
        for (size_t i = 0; i < nu; i++) { seed = seed * 1103515245u + 12345u; u[i] = (seed >> 12) % 5; }
        for (size_t i = 0; i < nv; i++) {
            seed = seed * 1103515245u + 12345u;
            v[i] = (seed >> 12) % 7 < 5 && i < nu ? u[i] : (seed >> 16) % 6;
        }
        size_t *row = malloc((nv + 1) * sizeof *row);
        for (size_t j = 0; j <= nv; j++) row[j] = j;
        for (size_t i = 1; i <= nu; i++) {
            size_t diag = row[0];
            row[0] = i;
            for (size_t j = 1; j <= nv; j++) {
                size_t up = row[j], best = diag + (u[i - 1] != v[j - 1]);
                if (up + 1 < best) best = up + 1;
                if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
                diag = up;
                row[j] = best;
            }
        }
        assert_int_equal(cmp_levenshtein(u, nu, v, nv, 1000000, &exact), row[nv]);
        assert_int_equal(cmp_levenshtein(v, nv, u, nu, 1000000, &exact), row[nv]);
        free(row);
    }
    /* the budget gives up instead of running long */
    uint64_t *p = malloc(20000 * sizeof *p), *q = malloc(20000 * sizeof *q);
    for (size_t i = 0; i < 20000; i++) { p[i] = i; q[i] = i + 1000000; }
    cmp_levenshtein(p, 20000, q, 20000, 1000, &exact);
    assert_false(exact);
    free(p);
    free(q);
}

/* ---- renderers ---- */

static void test_render(void **state) {
    (void)state;
    const char *b[NR];
    memcpy(b, Bd, sizeof b);
    b[1] = "Our competitors include large companies with <greater> resources & broader lines.";
    rfx_register *a = make_reg(H, Bd, NR), *z = make_reg(H, b, NR - 1);
    rfx_diff *d = diff_of(a, z);
    char *js = rfx_diff_json(d, RFX_RENDER_PRETTY);
    json_error_t je;
    json_t *root = json_loads(js, 0, &je);
    assert_non_null(root);
    json_t *sim = json_object_get(root, "similarity");
    const char *keys[] = {"cosine", "jaccard", "min_edit", "simple"};
    for (int i = 0; i < 4; i++) assert_true(json_is_number(json_object_get(sim, keys[i])));
    json_t *pairs = json_object_get(root, "pairs");
    assert_int_equal(json_array_size(pairs), NR);
    size_t i;
    json_t *p;
    json_array_foreach(pairs, i, p) {
        const char *st = json_string_value(json_object_get(p, "status"));
        assert_non_null(st);
        json_t *o = json_object_get(p, "old"), *n = json_object_get(p, "new");
        assert_true(json_is_integer(o) || (json_is_null(o) && !strcmp(st, "added")));
        assert_true(json_is_integer(n) || (json_is_null(n) && !strcmp(st, "removed")));
        assert_true(json_is_number(json_object_get(p, "similarity")));
    }
    json_decref(root);
    free(js);
    char *h = rfx_diff_html(d, 0);
    assert_non_null(strstr(h, "<!doctype html>"));
    assert_non_null(strstr(h, "@media print"));
    assert_non_null(strstr(h, "&lt;greater&gt;"));
    assert_non_null(strstr(h, "<del>"));
    assert_null(strstr(h, "<link"));
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "src="));
    free(h);
    char *t = rfx_diff_text(d, 0);
    assert_null(strchr(t, '\033'));
    free(t);
    t = rfx_diff_text(d, RFX_RENDER_COLOR);
    assert_non_null(strchr(t, '\033'));
    free(t);
    rfx_diff_free(d);
    rfx_register_free(a);
    rfx_register_free(z);
}

/* ---- the reader against bad input ---- */

static void expect_bad(const char *json, const char *needle) {
    rfx_register *r = (rfx_register *)1;
    rfx_error err = {0, ""};
    rfx_status st = rfx_register_from_json(json, strlen(json), &r, &err);
    if (st == RFX_OK) fail_msg("accepted: %s", json);
    assert_null(r);
    assert_int_equal(st, RFX_EINPUT);
    assert_null(strchr(err.message, '\n'));
    if (needle && !strstr(err.message, needle)) fail_msg("message '%s' lacks '%s'", err.message, needle);
}

static void test_reader_bad(void **state) {
    (void)state;
    expect_bad("", "invalid JSON");
    expect_bad("not json", "invalid JSON");
    expect_bad("{\"risks\": [", "invalid JSON");
    expect_bad("[1,2,3]", "top level");
    expect_bad("{}", "risks");
    expect_bad("{\"risks\": {}}", "risks");
    expect_bad("{\"risks\": [1]}", "risks[0]");
    expect_bad("{\"risks\": [{}]}", "risks[0]");
    expect_bad("{\"risks\": [{\"heading\": 7, \"body\": \"x\"}]}", "risks[0].heading");
    expect_bad("{\"risks\": [{\"heading\": \"h\", \"body\": [\"x\"]}]}", "risks[0].body");
    expect_bad("{\"risks\": [{\"heading\": \"h\", \"index\": -3}]}", "index");
    expect_bad("{\"risks\": [{\"heading\": \"h\", \"index\": \"1\"}]}", "index");
    expect_bad("{\"risks\": [{\"heading\": \"h\", \"start\": -1}]}", "start");
    expect_bad("{\"risks\": [{\"heading\": \"h\", \"end\": 99999999999}]}", "end");
    expect_bad("{\"risks\": [{\"heading\": \"h\", \"group\": {}}]}", "group");
    expect_bad("{\"risks\": [{\"heading\": \"h\", \"categories\": 5}]}", "categories");
    expect_bad("{\"risks\": [{\"heading\": \"h\", \"categories\": [{\"score\": 1}]}]}", "id");
    expect_bad("{\"risks\": [{\"heading\": \"h\", \"categories\": [{\"id\": \"tax\", \"evidence\": [1]}]}]}",
               "evidence");
    expect_bad("{\"risks\": [{\"heading\": \"a\\u0000b\"}]}", "invalid JSON");
    expect_bad("{\"risks\": [], \"risks\": []}", "invalid JSON");
    expect_bad("{\"risks\": [], \"source\": 3}", "source");
    expect_bad("{\"risks\": [], \"filing\": {\"company\": 3}}", "filing.company");
    expect_bad("{\"risks\": [], \"section\": {\"found\": \"yes\"}}", "section.found");
    expect_bad("{\"risks\": [], \"preamble\": false}", "preamble");
    /* deep nesting */
    char deep[20010];
    memset(deep, '[', 10000);
    memset(deep + 10000, ']', 10000);
    deep[20000] = 0;
    expect_bad(deep, NULL);
    /* a huge risks array is refused, not loaded */
    size_t n = 100001;
    char *big = malloc(n * 3 + 32);
    char *p = big + sprintf(big, "{\"risks\": [");
    for (size_t i = 0; i < n; i++) p += sprintf(p, "%s0", i ? "," : "");
    strcpy(p, "]}");
    expect_bad(big, "too many");
    free(big);
    /* NULL input */
    rfx_register *r;
    rfx_error err;
    assert_int_equal(rfx_register_from_json(NULL, 0, &r, &err), RFX_EUSAGE);
}

static void test_reader_good(void **state) {
    (void)state;
    const char *js =
        "{\"rfx\":\"0.1.0\",\"source\":{\"path\":\"x.htm\",\"bytes\":10,\"format\":\"html\",\"sha256\":null},"
        "\"filing\":{\"form\":\"10-K\",\"company\":\"ACME\",\"cik\":null,\"period\":\"FY2020\"},"
        "\"section\":{\"found\":true,\"title\":\"Item 1A\",\"start\":5,\"end\":9,\"how\":\"heading\",\"confidence\":0.9},"
        "\"preamble\":\"Read these.\",\"unknown_field\":[1,2],"
        "\"risks\":[{\"index\":1,\"group\":\"Risks Related to Our Business\",\"heading\":\"H\",\"body\":\"B b\","
        "\"start\":5,\"end\":8,\"facts\":[],\"categories\":[{\"id\":\"tax\",\"score\":0.5,\"evidence\":[\"tax\"]}]},"
        "{\"heading\":\"Only a heading\"}],"
        "\"warnings\":[{\"code\":\"w\",\"message\":\"m\",\"start\":null},{\"code\":5}]}";
    rfx_register *r;
    rfx_error err;
    assert_int_equal(rfx_register_from_json(js, strlen(js), &r, &err), RFX_OK);
    assert_int_equal(rfx_risk_count(r), 2);
    assert_string_equal(rfx_risk_heading(r, 0), "H");
    assert_string_equal(rfx_risk_body(r, 0), "B b");
    assert_string_equal(rfx_risk_group(r, 0), "Risks Related to Our Business");
    assert_string_equal(rfx_risk_body(r, 1), "");
    assert_int_equal(rfx_risk_start(r, 0), 5);
    assert_int_equal(rfx_warning_count(r), 1);
    assert_true(rfx_section_found(r));
    /* round trip: what the writer prints, the reader takes back */
    char *out = rfx_register_json(r, 0);
    rfx_register *r2;
    assert_int_equal(rfx_register_from_json(out, strlen(out), &r2, &err), RFX_OK);
    assert_string_equal(rfx_risk_heading(r2, 1), "Only a heading");
    rfx_diff *d = diff_of(r, r2);
    expect_counts(d, 2, 0, 0, 0, 0);
    rfx_diff_free(d);
    free(out);
    rfx_register_free(r);
    rfx_register_free(r2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_identity_duplicates),
        cmocka_unit_test(test_remove_one),
        cmocka_unit_test(test_reword_one_sentence),
        cmocka_unit_test(test_move_one),
        cmocka_unit_test(test_retitle),
        cmocka_unit_test(test_split_and_merge),
        cmocka_unit_test(test_added_not_split),
        cmocka_unit_test(test_everything_replaced),
        cmocka_unit_test(test_measures_substitution),
        cmocka_unit_test(test_measures_insertion),
        cmocka_unit_test(test_measures_preprocessing),
        cmocka_unit_test(test_seqdiff_small),
        cmocka_unit_test(test_seqdiff_minimal),
        cmocka_unit_test(test_seqdiff_large),
        cmocka_unit_test(test_levenshtein),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_reader_bad),
        cmocka_unit_test(test_reader_good),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
