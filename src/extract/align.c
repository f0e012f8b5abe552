/*
 * align.c — which period does a value belong to?
 *
 * Only within one sentence, in two steps:
 *  1. "respectively": the values (money, percentages) since the previous
 *     "respectively" (or the sentence start) form a group; when a multi-year
 *     list in the sentence has exactly as many years, the i-th value gets the
 *     i-th year. Two groups may share one list:
 *       "for the fiscal years ended March 31, 2011, 2012 and 2013 were ¥6.8
 *        billion, ¥10.9 billion and ¥10.4 billion, respectively and ¥5.5
 *        billion, ¥6.5 billion and ¥7.0 billion, respectively"
 *     A group whose size matches no list ("£1.4 million and $6 million
 *     respectively", aligned with entities, not years) falls to step 2.
 *  2. otherwise the nearest governing phrase in the sentence (before or
 *     after, by distance; a tie goes to the one before): a fiscal period
 *     ("for the fiscal year ended March 31, 2013" → FY2013) or a point in
 *     time ("as of March 31, 2013" → "2013-03-31": balances are stated at an
 *     instant, so the period is the ISO date rather than a fiscal-year
 *     label). A multi-year list that was not aligned is ambiguous and lends
 *     nothing.
 * Counts take part in step 2 only ("As of June 28, 2013, we have 15
 * consolidated subsidiaries" → 2013-06-28).
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>

static bool is_abbrev(const char *s, size_t b, size_t e) {
    static const char *const ab[] = {"mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "co", "corp",
                                     "no", "nos", "vs", "st", "jr", "sr", "jan", "feb", "mar",
                                     "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                                     "dec", "approx", "fig", "art", "sec", "cf", "messrs", "e.g",
                                     "i.e", "u.s", "u.k", "s.a", "n.v", "l.p", NULL};
    if (e - b == 1) return true; /* initials: "J. Smith", "U.S." */
    for (int k = 0; ab[k]; k++)
        if (x_eq(s, b, e, ab[k])) return true;
    return false;
}

bool x_sentence_end(const char *s, size_t n, size_t i) {
    char c = s[i];
    if (c == '\n') return true;
    if (c != '.' && c != '?' && c != '!') return false;
    size_t j = i + 1;
    while (j < n && (s[j] == '"' || s[j] == ')' || s[j] == '\'')) j++;
    if (j >= n) return true;
    if (s[j] == '\n') return true;
    if (s[j] != ' ') return false;
    j++;
    if (j < n && (s[j] == '"' || s[j] == '(')) j++;
    if (j >= n) return true;
    unsigned char d = (unsigned char)s[j];
    if (!(x_isupper(d) || x_isdigit(d) || d >= 0x80)) return false;
    if (c != '.') return true;
    /* the word before the '.' (letters and inner dots) */
    size_t b = i;
    while (b > 0 && (x_isalpha((unsigned char)s[b - 1]) || (s[b - 1] == '.' && b >= 2 && x_isalpha((unsigned char)s[b - 2]))))
        b--;
    return !(b < i && is_abbrev(s, b, i));
}

static bool valued(const xitem *it) {
    return it->kind == RFX_F_MONEY || it->kind == RFX_F_PERCENT;
}

typedef struct listref {
    int id;
    size_t first, len; /* items [first, first+len) */
} listref;

static void sentence(xscan *x, size_t a, size_t b) {
    xitem *v = x->v;
    listref lists[16];
    int nl = 0;
    for (size_t k = a; k < b && nl < 16; k++) {
        if (v[k].list && v[k].list_len >= 2 && (k == a || v[k - 1].list != v[k].list)) {
            size_t len = 0;
            while (k + len < b && v[k + len].list == v[k].list) len++;
            if (len == (size_t)v[k].list_len) lists[nl++] = (listref){v[k].list, k, len};
        }
    }
    /* 1. respectively groups */
    if (nl) {
        size_t g0 = a;
        for (size_t k = a; k < b; k++) {
            if (v[k].kind != XI_RESP) continue;
            size_t cnt = 0;
            for (size_t q = g0; q < k; q++) cnt += valued(&v[q]);
            /* the matching list nearest before the marker, else any after it */
            int best = -1;
            for (int L = 0; L < nl; L++) {
                if (lists[L].len != cnt) continue;
                if (lists[L].first < k) best = L;
                else if (best < 0) best = L;
            }
            if (best >= 0 && cnt >= 2) {
                size_t y = lists[best].first;
                for (size_t q = g0; q < k; q++)
                    if (valued(&v[q]) && !v[q].period) v[q].period = v[y++].label;
            }
            g0 = k + 1;
        }
    }
    /* 2. nearest governing phrase, by two sweeps so a long sentence stays linear */
    size_t nb = b - a;
    size_t *prev = malloc(nb * sizeof *prev), *next = malloc(nb * sizeof *next);
    if (!prev || !next) { free(prev); free(next); return; }
    size_t none = (size_t)-1, last = none;
    for (size_t k = a; k < b; k++) {
        prev[k - a] = last;
        if (v[k].governs) last = k;
    }
    last = none;
    for (size_t k = b; k-- > a;) {
        next[k - a] = last;
        if (v[k].governs) last = k;
    }
    for (size_t k = a; k < b; k++) {
        xitem *it = &v[k];
        if (it->kind == RFX_F_PERIOD && !it->period) it->period = it->label;
        if (!(valued(it) || it->kind == RFX_F_COUNT) || it->period) continue;
        size_t p = prev[k - a], q = next[k - a];
        size_t dp = p == none ? none : it->b - v[p].e;
        size_t dq = q == none ? none : v[q].b - it->e;
        size_t g = dp <= dq ? p : q;
        if (g == none) continue;
        if (v[g].list && v[g].list_len >= 2) continue; /* ambiguous */
        it->period = v[g].label;
    }
    free(prev);
    free(next);
}

void x_assign_periods(xscan *x) {
    size_t a = 0, pos = 0;
    while (a < x->nv) {
        /* the end of the sentence holding item a */
        pos = pos > x->v[a].b ? pos : x->v[a].b;
        /* an item never straddles a sentence end: search from its end */
        if (pos < x->v[a].e) pos = x->v[a].e;
        while (pos < x->n && !x_sentence_end(x->s, x->n, pos)) pos++;
        size_t b = a;
        while (b < x->nv && x->v[b].b <= pos) b++;
        if (b == a) b = a + 1;
        sentence(x, a, b);
        a = b;
        pos++;
    }
}
